# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ocp_backup_compliance_info in the worker process when the connection is local (plugin_utils/_worker_module.py);
documented in plugins/modules/ocp_backup_compliance_info.py."""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._http import HAS_REQUESTS
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_compliance import COMPLIANCE_ARGSPEC, collect_compliance
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES
from ansible_collections.oceanbase.backup.plugins.plugin_utils._worker_module import WorkerModuleAction


class ActionModule(WorkerModuleAction):
    ARGSPEC = COMPLIANCE_ARGSPEC
    RULES = TARGET_RULES
    READY = HAS_REQUESTS

    @staticmethod
    def collect(params, warn):
        return collect_compliance(params, warn=warn)
