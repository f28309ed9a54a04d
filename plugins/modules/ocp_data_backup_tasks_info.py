# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: ocp_data_backup_tasks_info
short_description: List the data backup tasks of an OceanBase tenant or cluster from OCP, with a summary
version_added: 0.1.0
description:
  - Reads data backup tasks from the OCP REST API v2, either of one tenant or of every tenant of a cluster,
    and returns them together with a summary that compliance checks can compare as plain numbers
    (age of the last successful full backup, last failure, running tasks and so on).
  - With O(tenant_id) or O(tenant_name) the tenant endpoint
    C(/api/v2/ob/clusters/{id}/tenants/{tenantId}/backup/task/dataBackupTasks) is used. Without, the cluster
    endpoint C(/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks) returns the tasks of every tenant in one
    paginated query, and the module also lists the tenants of the cluster so that RV(summary.tenants) has
    an entry for each of them, including tenants without any task.
  - Pagination is automatic and never truncates silently.
  - Every timestamp is returned in UTC as C(YYYY-MM-DDTHH:MM:SS[.ffffff]Z), whatever form OCP sent, and
    every age is in whole seconds, computed by the module in UTC.
options:
  status:
    description:
      - Only tasks in one of these states, case-insensitive.
      - Documented states are V(BEGINNING), V(INITIALIZING), V(DOING), V(DONE), V(FAILED), V(CANCELING),
        V(CANCELED), V(OVERDUE) and V(UNKNOWN). Other values draw a warning and are passed on as given.
      - The cluster endpoint has no status filter, so without a tenant the module filters the tasks itself
        (all tasks of the time range are fetched). With a tenant OCP filters, and the module checks again.
    type: list
    elements: str
  backup_set_id:
    description:
      - Only tasks of this data backup set.
    type: int
notes:
  - OCP task IDs are unique per tenant only; tasks that show up on two pages (because new tasks arrived
    while paging) are returned once.
  - Tasks of a cluster-level backup (C(backupDimension=CLUSTER), C(tenantId=0)) back up every tenant, so they
    count in the summary of every tenant.
seealso:
  - module: oceanbase.backup.ocp_log_backup_tasks_info
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
- name: Data backup tasks of one tenant over the last 7 days (HTTP Basic)
  oceanbase.backup.ocp_data_backup_tasks_info:
    ocp_url: https://ocp.example.com:8080
    ocp_username: admin
    ocp_password: "{{ vault_ocp_password }}"
    cluster_name: obcluster
    tenant_name: sales
    start_time: -7d
  register: sales_backups

- name: Fail when the last successful full backup of the tenant is older than a week
  ansible.builtin.assert:
    that:
      - sales_backups.summary.last_full_success is not none
      # Null when the backup finished more than 300 s in the future: see summary.future.
      - sales_backups.summary.last_full_success.age_seconds is not none
      - sales_backups.summary.last_full_success.age_seconds <= 7 * 86400
    fail_msg: "No full backup of sales within 7 days"

- name: Shared connection settings for every OCP module of the collection (AK/SK signing)
  module_defaults:
    group/oceanbase.backup.ocp:
      ocp_url: https://ocp.example.com:8080
      ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
      ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
  block:
    - name: Summaries of every tenant of a cluster over the last 8 days, without the task list
      oceanbase.backup.ocp_data_backup_tasks_info:
        cluster_id: 1000005
        start_time: -8d
        return_tasks: false
      register: cluster_backups

    - name: Show the age of the last full backup of each tenant
      ansible.builtin.debug:
        msg: "{{ item.key }}: {{ item.value.last_full_success.age_seconds | default('never', true) }}"
      loop: "{{ cluster_backups.summary.tenants | dict2items }}"

    - name: Failed tasks of one backup set in a fixed window
      oceanbase.backup.ocp_data_backup_tasks_info:
        cluster_name: obcluster
        tenant_name: sales
        start_time: "2024-08-06T00:00:00Z"
        end_time: "2024-08-07T08:00:00+08:00"
        status:
          - FAILED
        backup_set_id: 3
      register: failed_tasks

- name: Connection settings from the environment (OCP_URL, OCP_USERNAME, OCP_PASSWORD)
  oceanbase.backup.ocp_data_backup_tasks_info:
    cluster_name: obcluster
    status:
      - doing
      - beginning
  environment:
    OCP_URL: https://ocp.example.com:8080
    OCP_USERNAME: admin
    OCP_PASSWORD: "{{ vault_ocp_password }}"
  register: running_backups
'''

RETURN = r'''
tasks:
  description:
    - The tasks, with the fields OCP returned in snake_case (unknown fields are kept) and every time in UTC.
    - Ordered as OCP returned them.
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  contains:
    task_id:
      description: ID of the task, unique within its tenant.
      type: int
      sample: 12
    tenant_id:
      description: OCP ID of the tenant (V(0) for a cluster-level backup).
      type: int
      sample: 1000012
    tenant_name:
      description: Name of the tenant.
      type: str
      sample: sales
    cluster_id:
      description: OCP ID of the cluster.
      type: int
      sample: 1000005
    cluster_name:
      description: Name of the cluster.
      type: str
      sample: obcluster
    status:
      description: State of the task, for example V(DONE), V(FAILED) or V(DOING).
      type: str
      sample: DONE
    data_backup_task_type:
      description: V(FULL_BACKUP) or V(INCREMENTAL_BACKUP).
      type: str
      sample: FULL_BACKUP
    backup_set_id:
      description: ID of the data backup set.
      type: int
      sample: 3
    start_time:
      description: Start of the task, UTC.
      type: str
      sample: "2024-08-09T08:00:52.151857Z"
    finish_time:
      description: End of the task, UTC; null while it runs.
      type: str
      sample: "2024-08-09T08:02:57.715753Z"
    error_msg:
      description: Error message of a failed task.
      type: str
      sample: ""
  sample:
    - task_id: 12
      tenant_id: 1000012
      tenant_name: sales
      cluster_id: 1000005
      cluster_name: obcluster
      ob_cluster_id: 199
      ob_tenant_id: 1050
      cluster_type: PRIMARY
      backup_dimension: TENANT
      backup_mode: PHYSICAL_BACKUP
      data_backup_task_type: FULL_BACKUP
      backup_set_id: 3
      backup_uri: file:///obbackup/ob_431/199/tenant_incarnation_1/1050/data
      status: DONE
      error_msg: ""
      start_time: "2024-08-09T08:00:52.151857Z"
      finish_time: "2024-08-09T08:02:57.715753Z"
      snapshot_version_time: "2024-08-09T08:02:57.647741Z"
summary:
  description:
    - Summary of the returned tasks (after every filter). Ages are whole seconds from RV(queried_at).
    - V(null) wherever nothing applies, for example RV(summary.last_failure) when no task failed.
    - Running states are V(BEGINNING), V(INITIALIZING), V(DOING) and V(CANCELING); success is V(DONE);
      failure is V(FAILED). A task is full when its C(data_backup_task_type) (else C(backup_type), else
      C(task_type)) is V(FULL_BACKUP) or V(FULL).
  returned: always
  type: dict
  contains:
    total:
      description: Number of tasks.
      type: int
      sample: 42
    by_status:
      description: Number of tasks per state.
      type: dict
      sample: {"DONE": 40, "FAILED": 1, "DOING": 1}
    latest:
      description: The task that started last.
      type: dict
      contains:
        task_id:
          description: Task ID.
          type: int
        status:
          description: Its state.
          type: str
        type:
          description: Its backup type.
          type: str
        start_time:
          description: Start, UTC.
          type: str
        finish_time:
          description: End, UTC, or null.
          type: str
      sample: {"task_id": 42, "status": "DOING", "type": "INCREMENTAL_BACKUP", "start_time": "2024-08-09T08:00:00Z", "finish_time": null}
    last_success:
      description: The successful task (any type) that finished last.
      type: dict
      contains:
        task_id:
          description: Task ID.
          type: int
        backup_set_id:
          description: Backup set it wrote.
          type: int
        type:
          description: Its backup type.
          type: str
        finish_time:
          description: End, UTC.
          type: str
        age_seconds:
          description: Seconds from its end to RV(queried_at).
          type: int
      sample: {"task_id": 41, "backup_set_id": 7, "type": "INCREMENTAL_BACKUP", "finish_time": "2024-08-08T08:02:57Z", "age_seconds": 86400}
    last_full_success:
      description: The successful full backup that finished last, same keys as RV(summary.last_success).
      type: dict
      sample: {"task_id": 35, "backup_set_id": 6, "type": "FULL_BACKUP", "finish_time": "2024-08-04T08:02:57Z", "age_seconds": 432000}
    last_failure:
      description: The failed task that ended last.
      type: dict
      contains:
        task_id:
          description: Task ID.
          type: int
        finish_time:
          description: End, UTC.
          type: str
        error_msg:
          description: Error message OCP reported.
          type: str
        age_seconds:
          description: Seconds from its end (or its start when it has no end) to RV(queried_at).
          type: int
      sample: {"task_id": 40, "finish_time": "2024-08-07T08:00:00Z", "error_msg": "backup destination full", "age_seconds": 172800}
    running:
      description: Number of tasks in a running state.
      type: int
      sample: 1
    oldest_running_age_seconds:
      description: Seconds since the start of the oldest running task.
      type: int
      sample: 3600
    future:
      description:
        - The ages of this summary that are more than 300 seconds in the future (a time after RV(queried_at), is the
          OCP clock ahead of the controller?) and the delays below zero, keyed by their path in the summary
          (C(tenants.<name>.<path>) for those of the tenants), with their value (a negative number of seconds).
        - Each of them is reported as V(null) where it belongs, so that no comparison such as C(age_seconds <= 86400)
          takes it for a recent backup, and the module warns. An empty dict when there is none (assert on that).
        - An age up to 300 seconds in the future is clock skew and is reported as 0.
      type: dict
      sample: {"tenants.sales.last_full_success.age_seconds": -2592000}
    tenants:
      description:
        - The same keys for each tenant, keyed by tenant name.
        - Without a tenant option, every tenant of the cluster has an entry; a tenant without tasks has
          a total and a running count of 0 and nulls. With a tenant option, that one tenant.
      type: dict
      sample: {"sales": {"total": 42, "by_status": {"DONE": 42}, "latest": null, "last_success": null,
               "last_full_success": null, "last_failure": null, "running": 0, "oldest_running_age_seconds": null,
               "future": {}}}
cluster:
  description: The cluster queried.
  returned: always
  type: dict
  contains:
    id:
      description: OCP ID of the cluster.
      type: int
    name:
      description: Name of the cluster.
      type: str
  sample: {"id": 1000005, "name": "obcluster"}
tenant:
  description: The tenant queried, or null when the whole cluster was queried.
  returned: always
  type: dict
  contains:
    id:
      description: OCP ID of the tenant.
      type: int
    name:
      description: Name of the tenant.
      type: str
  sample: {"id": 1000012, "name": "sales"}
queried_at:
  description: When the module queried OCP, UTC; every age is relative to it.
  returned: always
  type: str
  sample: "2024-08-10T00:00:00.123456Z"
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, collect_tasks


def main():
    module = BackupInfoModule(DATA_BACKUP_TASKS.argument_spec(), **TARGET_RULES)
    module.run(lambda: collect_tasks(DATA_BACKUP_TASKS, module.params, warn=module.warn))


if __name__ == '__main__':
    main()
