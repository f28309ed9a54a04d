# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: obshell_backup_compliance_info
short_description: Read everything a backup compliance audit needs from one obshell agent, in one run
version_added: 0.1.0
description:
  - Reads the data backup jobs, the archive log rounds and the restore tasks of one user tenant or of every user
    tenant of a cluster without OCP, as M(oceanbase.backup.obshell_data_backup_tasks_info),
    M(oceanbase.backup.obshell_log_backup_tasks_info) and M(oceanbase.backup.obshell_restore_tasks_info) read them
    (job lists not returned), with one key exchange and one request each for the agent's version and its tenant
    list. This is what the P(oceanbase.backup.backup_compliance#role) role runs on each obshell agent.
  - Each part of the result is exactly what the single-purpose module returns, so the same expressions read both.
  - Every option of every part is checked before the first request.
  - When a part fails, the others are still read (after an authentication failure or a failed connection they are
    not tried; after a timeout they are). The module then fails naming the failed parts, and the result still holds
    every part, a failed one as its failure (C(failed), C(msg) and the details of the single module's failure, such
    as C(missing_api) on an agent without the backup history API). Use C(failed_when) to keep the parts that worked.
options:
  tenant_name:
    description:
      - Name of a user tenant for the data and log parts. Omit to read every user tenant of the cluster.
      - The restore tasks are read whole whatever the tenant; each names the tenant whose backups it used.
    type: str
  start_time:
    description:
      - Only data backup jobs that started at this time or later (the audit's look-back), in the forms
        M(oceanbase.backup.obshell_data_backup_tasks_info) accepts, for example V(-48h).
    type: str
  page_size:
    description:
      - Data backup jobs fetched per request, from 1 to 2000. All pages are always fetched.
    type: int
    default: 2000
  bare_time_offset:
    description:
      - The UTC offset a restore timestamp without one is taken at, as for M(oceanbase.backup.obshell_restore_tasks_info).
    type: str
    default: "+00:00"
  gather:
    description:
      - The parts to read; each becomes the key of the same name in the result.
    type: list
    elements: str
    choices: [data, log, restores]
    default: [data, log, restores]
seealso:
  - module: oceanbase.backup.obshell_data_backup_tasks_info
  - module: oceanbase.backup.obshell_log_backup_tasks_info
  - module: oceanbase.backup.obshell_restore_tasks_info
  - module: oceanbase.backup.ocp_backup_compliance_info
extends_documentation_fragment:
  - oceanbase.backup.obshell_connection
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_obshell
  - oceanbase.backup.attributes.in_worker
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Everything the checks need from the agent of a cluster without OCP
  oceanbase.backup.obshell_backup_compliance_info:
    obshell_url: http://10.0.0.1:2886
    obshell_root_password: "{{ vault_obshell_root_password }}"
    start_time: -8d
  register: edge

- name: Tenants whose log archiving is not active
  ansible.builtin.debug:
    msg: "{{ edge.log.summary.tenants | dict2items | rejectattr('value.active') | map(attribute='key') | list }}"
'''

RETURN = r'''
agent:
  description: The agent that answered (asked once for every part).
  returned: success, and when a part failed
  type: dict
  sample: {"version": "4.3.2.0", "identity": "CLUSTER AGENT"}
tenant:
  description: The tenant asked for, or null when every user tenant was read.
  returned: success, and when a part failed
  type: dict
  sample: null
queried_at:
  description: When the module asked, UTC; every age in every part is counted from it.
  returned: success, and when a part failed
  type: str
  sample: "2026-12-01T08:00:00Z"
data:
  description: The result M(oceanbase.backup.obshell_data_backup_tasks_info) returns without the job list, or the failure of this part.
  returned: when V(data) is in O(gather)
  type: dict
  sample: {summary: {total: 30, last_full_success: {task_id: 12, age_seconds: 86400}}}
log:
  description: The result M(oceanbase.backup.obshell_log_backup_tasks_info) returns without the round list, or the failure of this part.
  returned: when V(log) is in O(gather)
  type: dict
  sample: {summary: {active: false, tenants: {crm: {active: false, total: 0}}}}
restores:
  description: The result M(oceanbase.backup.obshell_restore_tasks_info) returns without the task list, or the failure of this part.
  returned: when V(restores) is in O(gather)
  type: dict
  sample: {summary: {total: 1, tenants: {"edge/app": {total: 1}}}}
failed_parts:
  description: The parts that failed, when any did (the module then fails).
  returned: failure of a part
  type: list
  elements: str
  sample: [data, log]
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_compliance import OBSHELL_COMPLIANCE_ARGSPEC, collect_compliance


def main():
    module = BackupInfoModule(OBSHELL_COMPLIANCE_ARGSPEC)
    module.run(lambda: collect_compliance(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
