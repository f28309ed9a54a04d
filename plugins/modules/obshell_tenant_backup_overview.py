# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: obshell_tenant_backup_overview
short_description: Latest backup task of an OceanBase tenant from the obshell agent, with a summary
version_added: 0.1.0
description:
  - Reads C(GET /api/v1/tenant/{name}/backup/overview) from the obshell agent of any node of the cluster - the running
    backup task of the tenant if there is one, else its most recent one - and returns it with a summary that
    compliance checks compare as plain values.
  - Authenticates with obshell's v2 "API hybrid encryption" - the root@sys password travels RSA-encrypted with the
    agent's public key in the C(X-OCS-Header) header. When the agent rejects the header because its key changed, the
    module fetches the key again and retries once.
  - Checks C(/api/v1/info) first; agents before 4.2.4 have no backup API and the module says so.
  - A tenant that has never been backed up is not a failure; RV(found) is then V(false).
options:
  tenant_name:
    description:
      - Name of a user tenant. V(sys) is refused, as by obshell.
      - Letters, digits and C(- _ ~ +); obshell also allows C(#) in tenant names, which this module cannot send in the URL path.
    type: str
    required: true
extends_documentation_fragment:
  - oceanbase.backup.obshell_connection
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_obshell
notes:
  - The overview shows one task, not the history, and has no backup type; use the OCP modules for full-backup age.
  - Statuses other than C(COMPLETED), C(FAILED) and C(CANCELED) (C(DOING), C(BACKUP_DATA_MINOR), and any value newer
    agents add) count as in progress.
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Latest backup of tenant sales
  oceanbase.backup.obshell_tenant_backup_overview:
    obshell_url: http://10.0.0.1:2886
    obshell_root_password: "{{ vault_ob_root_password }}"
    tenant_name: sales
  register: overview

- name: Fail unless the last backup completed within a day
  ansible.builtin.assert:
    that:
      - overview.found
      - overview.summary.succeeded
      # Null when the task ended more than 300 s in the future: see summary.future.
      - overview.summary.age_seconds is not none
      - overview.summary.age_seconds <= 86400

- name: Several tenants with the connection set once
  module_defaults:
    group/oceanbase.backup.obshell:
      obshell_url: http://10.0.0.1:2886
      obshell_root_password: "{{ vault_ob_root_password }}"
  block:
    - name: Overview per tenant
      oceanbase.backup.obshell_tenant_backup_overview:
        tenant_name: "{{ item }}"
      loop: [sales, billing]
      register: overviews
'''

RETURN = r'''
found:
  description: Whether the tenant has any backup task. V(false) means it has never been backed up.
  returned: always
  type: bool
  sample: true
backup_task:
  description:
    - The task as the agent returns it (a row of C(CDB_OB_BACKUP_TASKS) or C(CDB_OB_BACKUP_TASK_HISTORY)), with
      every timestamp (C(start_timestamp), C(end_timestamp)) in UTC. SCNs stay exact integers. Null when RV(found) is false.
  returned: always
  type: dict
  sample: {"tenant_id": 1002, "task_id": 1, "job_id": 1, "backup_set_id": 1, "status": "COMPLETED",
           "start_timestamp": "2024-10-12T10:08:08.723714Z", "end_timestamp": "2024-10-12T10:10:43.487426Z",
           "start_scn": 1728727696264250400, "end_scn": 1728727843446713000, "encryption_mode": "NONE",
           "tablet_count": 596, "finish_tablet_count": 596, "result": 0, "comment": ""}
summary:
  description: The task reduced to what checks compare. Null when RV(found) is false.
  returned: always
  type: dict
  contains:
    status:
      description: Task status as the agent reports it.
      type: str
    succeeded:
      description: The task completed.
      type: bool
    in_progress:
      description: The task is still running.
      type: bool
    failed:
      description: The task failed.
      type: bool
    result:
      description: OceanBase error code of the task, 0 when fine.
      type: int
    age_seconds:
      description: Seconds since the task ended; null while it runs.
      type: int
    duration_seconds:
      description: Seconds from start to end, or to now while the task runs.
      type: int
    progress:
      description: Tablets finished and in total, and the percentage.
      type: dict
    encryption_mode:
      description: Backup encryption mode, for example V(NONE) or V(PASSWORD).
      type: str
    backup_set_id:
      description: Backup set of the task.
      type: int
    future:
      description:
        - RV(summary.age_seconds) and RV(summary.duration_seconds) when they are more than 300 seconds below zero
          (a time after RV(queried_at), is the agent's clock ahead of the controller?), with their value.
        - Each of them is then V(null) in its place, so that no comparison takes it for a recent backup, and the
          module warns. An empty dict when there is none. Up to 300 seconds below zero is clock skew, reported as 0.
      type: dict
      sample: {"age_seconds": -2592000}
  sample: {"status": "COMPLETED", "succeeded": true, "in_progress": false, "failed": false, "result": 0,
           "age_seconds": 3600, "duration_seconds": 155, "progress": {"finished": 596, "total": 596, "percent": 100.0},
           "encryption_mode": "NONE", "backup_set_id": 1, "future": {}}
agent:
  description: The agent that answered.
  returned: always
  type: dict
  sample: {"version": "4.3.1.0", "identity": "CLUSTER AGENT"}
tenant:
  description: The tenant asked about.
  returned: always
  type: dict
  sample: {"name": "sales"}
queried_at:
  description: When the module asked, UTC; ages are relative to it.
  returned: always
  type: str
  sample: "2024-10-12T11:10:43.487426Z"
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import OBSHELL_ARGSPEC
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_overview import collect_overview


def main():
    spec = dict(OBSHELL_ARGSPEC, tenant_name=dict(type='str', required=True))
    module = BackupInfoModule(spec)
    module.run(lambda: collect_overview(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
