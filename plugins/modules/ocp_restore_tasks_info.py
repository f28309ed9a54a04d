# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: ocp_restore_tasks_info
short_description: List the restore tasks of an OceanBase cluster or tenant from OCP, summarised per backed-up tenant
version_added: 0.1.0
description:
  - Reads restore tasks from the OCP REST API v2 and summarises them per B(source), the cluster and tenant whose
    backups each restore used, as the task's own C(backupClusterName) and C(backupTenantName) name them.
  - A restore drill usually runs on another cluster than the one backed up, so a restore counts for the tenant it
    restored B(from), whichever endpoint listed it; a restore B(into) a tenant never counts as a drill of that tenant.
  - With O(tenant_id) or O(tenant_name) the tenant endpoint
    C(/api/v2/ob/clusters/{id}/tenants/{tenantId}/backup/task/restoreTasks) is used; without, the cluster endpoint
    C(/api/v2/ob/clusters/{id}/backup/task/restoreTasks), read page by page until the last.
  - Every timestamp is returned in UTC as C(YYYY-MM-DDTHH:MM:SS[.ffffff]Z), and every age is in whole seconds.
options:
  status:
    description:
      - Only tasks in one of these states, case-insensitive.
      - Documented states are V(RESTORE_SUCCESS) and V(RESTORE_FAIL). Other values draw a warning and are passed on
        as given.
      - The cluster endpoint has no status filter, so without a tenant the module filters the tasks itself.
    type: list
    elements: str
notes:
  - Only V(RESTORE_SUCCESS) counts as a success. A state outside V(RESTORE_SUCCESS), V(RESTORE_FAIL) (and the
    failed states V(RESTORE_FAILED), V(FAILED), the running states V(RESTORING), V(RUNNING), V(DOING)) is kept in
    C(by_status), draws one warning and never counts as a success.
  - A task that shows up on two pages (same C(id)) is returned once.
seealso:
  - module: oceanbase.backup.ocp_backup_strategy_info
  - module: oceanbase.backup.obshell_restore_tasks_info
extends_documentation_fragment:
  - oceanbase.backup.ocp_target
  - oceanbase.backup.backup_tasks
  - oceanbase.backup.ocp_connection
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_ocp
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Restores run on the drill cluster in the last 90 days
  oceanbase.backup.ocp_restore_tasks_info:
    ocp_url: https://ocp.example.com:8080
    ocp_username: admin
    ocp_password: "{{ vault_ocp_password }}"
    cluster_name: drill
    start_time: -90d
    return_tasks: false
  register: drills

- name: Fail unless the backups of prod/sales were restored successfully within 90 days
  ansible.builtin.assert:
    that:
      - drills.summary.tenants['prod/sales'] is defined
      - drills.summary.tenants['prod/sales'].last_success is not none
      - drills.summary.tenants['prod/sales'].last_success.age_seconds <= 90 * 86400
    fail_msg: "No successful restore drill of prod/sales in 90 days"

- name: Failed restores of the backups of one tenant
  oceanbase.backup.ocp_restore_tasks_info:
    ocp_url: https://ocp.example.com:8080
    ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
    ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
    cluster_name: prod
    tenant_name: sales
    status:
      - RESTORE_FAIL
  register: failed_restores
'''

RETURN = r'''
tasks:
  description:
    - The tasks, with the fields OCP returned in snake_case (unknown fields are kept) and every time in UTC.
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  sample:
    - id: 31
      ocp_job_id: 9001
      backup_mode: PHYSICAL_BACKUP
      backup_cluster_id: 1000005
      backup_cluster_name: prod
      backup_ob_cluster_id: 199
      backup_tenant_id: 1000012
      backup_tenant_name: sales
      backup_ob_tenant_id: 1050
      restore_cluster_id: 1000009
      restore_cluster_name: drill
      restore_tenant_name: sales_drill
      restore_uri: file:///obbackup/prod/sales
      create_time: "2024-08-01T02:00:00Z"
      finish_time: "2024-08-01T03:10:00Z"
      restore_end_time: "2024-08-01T01:59:00Z"
      status: RESTORE_SUCCESS
      error_msg: ""
summary:
  description:
    - Summary of the returned tasks (after every filter). Ages are whole seconds from RV(queried_at).
  returned: always
  type: dict
  contains:
    total:
      description: Number of tasks.
      type: int
      sample: 3
    by_status:
      description: Number of tasks per state, including states the module does not know.
      type: dict
      sample: {"RESTORE_SUCCESS": 2, "RESTORE_FAIL": 1}
    running:
      description: Number of tasks in a running state.
      type: int
      sample: 0
    tenants:
      description:
        - Per source, keyed C(<backup cluster name>/<backup tenant name>) from each task's own fields
          (C((unknown)) stands for a name a task lacks). Only sources that have tasks have an entry.
      type: dict
      contains:
        total:
          description: Number of restores from this source.
          type: int
        by_status:
          description: Those restores per state.
          type: dict
        last_success:
          description:
            - The V(RESTORE_SUCCESS) restore with the latest finish time, or null.
            - Keys C(task_id), C(restore_cluster_name), C(restore_tenant_name), C(finish_time) (UTC) and C(age_seconds).
          type: dict
        last_failure:
          description:
            - The failed restore with the latest finish time, or null.
            - Keys C(task_id), C(finish_time) (UTC), C(error_msg) and C(age_seconds).
          type: dict
        running:
          description: Restores from this source still running.
          type: int
      sample: {"prod/sales": {"total": 2, "by_status": {"RESTORE_SUCCESS": 1, "RESTORE_FAIL": 1}, "running": 0,
               "last_success": {"task_id": 31, "restore_cluster_name": "drill", "restore_tenant_name": "sales_drill",
                                "finish_time": "2024-08-01T03:10:00Z", "age_seconds": 777600},
               "last_failure": {"task_id": 35, "finish_time": "2024-08-05T03:10:00Z",
                                "error_msg": "restore failed", "age_seconds": 432000}}}
cluster:
  description: The cluster queried, C(id) and C(name).
  returned: always
  type: dict
  sample: {"id": 1000009, "name": "drill"}
tenant:
  description: The tenant queried (C(id) and C(name)), or null when the whole cluster was queried.
  returned: always
  type: dict
  sample: {"id": 1000012, "name": "sales"}
queried_at:
  description: When the module queried OCP, UTC; every age is relative to it.
  returned: always
  type: str
  sample: "2024-08-10T00:00:00.123456Z"
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import RESTORE_TASKS, collect_tasks


def main():
    module = BackupInfoModule(RESTORE_TASKS.argument_spec(), **TARGET_RULES)
    module.run(lambda: collect_tasks(RESTORE_TASKS, module.params, warn=module.warn))


if __name__ == '__main__':
    main()
