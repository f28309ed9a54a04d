# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Another host's variables, read in an action plugin as that host holds them.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

from collections.abc import Mapping


def raw_host_variables(hostvars, host):
    """The variables of ``host``, not templated again (registered results and records stay as they are), or None
    for a host that is not in the inventory (ansible-core's stand-in for it fails on any use, even isinstance)."""
    if host not in hostvars:
        return None
    found = hostvars.raw_get(host)
    return found if isinstance(found, Mapping) else None
