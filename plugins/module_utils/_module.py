# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Thin AnsibleModule base shared by the info modules.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import OceanBaseError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


class BackupInfoModule(AnsibleModule):
    """An info module: read-only, full check mode, never changed; expected failures never show a traceback."""

    def __init__(self, argument_spec, **kwargs):
        kwargs['supports_check_mode'] = True
        super().__init__(argument_spec=argument_spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    def run(self, collect):
        """Call ``collect()`` for the result dict and exit with it, or fail with the error it raised."""
        try:
            result = collect()
        except OceanBaseError as exc:
            self.fail_json(changed=False, **exc.to_fail_kwargs())
        self.exit_json(changed=False, **result)
