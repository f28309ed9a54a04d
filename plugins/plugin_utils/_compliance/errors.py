# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one expected failure of the compliance engine.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

from ansible.errors import AnsibleError


class ComplianceError(AnsibleError):
    """Bad input (a gathered dict, a policy, records): the message names the key and what is accepted."""
