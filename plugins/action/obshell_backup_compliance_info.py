# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell_backup_compliance_info in the worker process when the connection is local (plugin_utils/_worker_module.py);
documented in plugins/modules/obshell_backup_compliance_info.py."""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._http import HAS_REQUESTS
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import CRYPTOGRAPHY_IMPORT_ERROR
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_compliance import OBSHELL_COMPLIANCE_ARGSPEC, collect_compliance
from ansible_collections.oceanbase.backup.plugins.plugin_utils._worker_module import WorkerModuleAction


class ActionModule(WorkerModuleAction):
    ARGSPEC = OBSHELL_COMPLIANCE_ARGSPEC
    READY = HAS_REQUESTS and CRYPTOGRAPHY_IMPORT_ERROR is None

    @staticmethod
    def collect(params, warn):
        return collect_compliance(params, warn=warn)
