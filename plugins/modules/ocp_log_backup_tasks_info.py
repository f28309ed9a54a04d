# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: ocp_log_backup_tasks_info
short_description: List the log backup (archive) tasks of an OceanBase tenant or cluster from OCP, with a summary
version_added: 0.1.0
description:
  - Reads log backup tasks from the OCP REST API v2, either of one tenant or of every tenant of a cluster,
    and returns them together with a summary that compliance checks can compare as plain numbers
    (is log archiving active, its delay, the age of its checkpoint).
  - With O(tenant_id) or O(tenant_name) the tenant endpoint
    C(/api/v2/ob/clusters/{id}/tenants/{tenantId}/backup/task/logBackupTasks) is used. Without, the cluster
    endpoint C(/api/v2/ob/clusters/{id}/backup/task/logBackupTasks) returns the tasks of every tenant in one
    paginated query, and the module also lists the tenants of the cluster so that RV(summary.tenants) has
    an entry for each of them, including tenants without any task.
  - Pagination is automatic and never truncates silently.
  - Every timestamp is returned in UTC as C(YYYY-MM-DDTHH:MM:SS[.ffffff]Z), whatever form OCP sent, and
    every age is in whole seconds, computed by the module in UTC.
options:
  status:
    description:
      - Only tasks in one of these states, case-insensitive.
      - Documented states are V(STARTING), V(INPROGRESS), V(RUNNING), V(DOING), V(STOPPING), V(STOPPED),
        V(FAILED), V(INTERRUPTED) and V(UNKNOWN). Other values draw a warning and are passed on as given.
      - The cluster endpoint has no status filter, so without a tenant the module filters the tasks itself.
        With a tenant OCP filters, and the module checks again.
    type: list
    elements: str
notes:
  - Log backup tasks carry no ID; a task that shows up on two pages (same tenant and creation time) is returned once.
  - Tasks of a cluster-level log backup (C(tenantId=0) and no tenant name) archive every tenant, so they count
    for every tenant.
seealso:
  - module: oceanbase.backup.ocp_data_backup_tasks_info
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
- name: Log archiving state of one tenant (HTTP Basic)
  oceanbase.backup.ocp_log_backup_tasks_info:
    ocp_url: https://ocp.example.com:8080
    ocp_username: admin
    ocp_password: "{{ vault_ocp_password }}"
    cluster_name: obcluster
    tenant_name: sales
  register: sales_log

- name: Fail unless archiving is active and less than 10 minutes behind
  ansible.builtin.assert:
    that:
      - sales_log.summary.active
      - sales_log.summary.checkpoint_age_seconds is not none
      - sales_log.summary.checkpoint_age_seconds <= 600
    fail_msg: "Log archiving of sales is stopped or behind"

- name: Shared connection settings for every OCP module of the collection (AK/SK signing)
  module_defaults:
    group/oceanbase.backup.ocp:
      ocp_url: https://ocp.example.com:8080
      ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
      ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
  block:
    - name: Archiving state of every tenant of a cluster, without the task list
      oceanbase.backup.ocp_log_backup_tasks_info:
        cluster_id: 1000005
        return_tasks: false
      register: cluster_log

    - name: Tenants whose archiving is not active
      ansible.builtin.debug:
        msg: "{{ cluster_log.summary.tenants | dict2items | rejectattr('value.active') | map(attribute='key') | list }}"

    - name: Stopped or interrupted archive rounds of the last two weeks
      oceanbase.backup.ocp_log_backup_tasks_info:
        cluster_name: obcluster
        tenant_name: sales
        start_time: -2w
        status:
          - STOPPED
          - INTERRUPTED
      register: broken_rounds

- name: Connection settings from the environment (OCP_URL, OCP_ACCESS_KEY_ID, OCP_ACCESS_KEY_SECRET)
  oceanbase.backup.ocp_log_backup_tasks_info:
    cluster_name: obcluster
  environment:
    OCP_URL: https://ocp.example.com:8080
    OCP_ACCESS_KEY_ID: "{{ vault_ocp_access_key_id }}"
    OCP_ACCESS_KEY_SECRET: "{{ vault_ocp_access_key_secret }}"
  register: cluster_log_from_env
'''

RETURN = r'''
tasks:
  description:
    - The tasks, with the fields OCP returned in snake_case (unknown fields are kept) and every time in UTC.
    - C(delay) is a number of seconds (a float).
    - Ordered as OCP returned them.
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  contains:
    tenant_id:
      description: OCP ID of the tenant.
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
      description: State of the task, for example V(RUNNING), V(INPROGRESS) or V(STOPPED).
      type: str
      sample: RUNNING
    checkpoint:
      description: Time up to which logs are archived, UTC.
      type: str
      sample: "2024-08-09T08:04:21.810084Z"
    delay:
      description: Seconds the archive is behind, as OCP reports it.
      type: float
      sample: 100.1899
    create_time:
      description: Creation of the task, UTC.
      type: str
      sample: "2024-08-09T07:58:21.716899Z"
  sample:
    - tenant_id: 1000012
      tenant_name: sales
      cluster_id: 1000005
      cluster_name: obcluster
      cluster_type: PRIMARY
      ob_cluster_id: 199
      ob_tenant_id: 1050
      backup_dimension: TENANT
      backup_mode: PHYSICAL_BACKUP
      backup_uri: file:///obbackup
      agent_server_ip: 10.0.0.1
      status: RUNNING
      checkpoint: "2024-08-09T08:04:21.810084Z"
      create_time: "2024-08-09T07:58:21.716899Z"
      delay: 100.1899
summary:
  description:
    - Summary of the returned tasks (after every filter). Ages are whole seconds from RV(queried_at).
    - The state of a tenant is that of its newest task (by creation time). Active states are V(STARTING),
      V(INPROGRESS), V(RUNNING) and V(DOING).
    - The cluster-wide values take the worst over the tenants that have tasks.
  returned: always
  type: dict
  contains:
    total:
      description: Number of tasks.
      type: int
      sample: 3
    by_status:
      description: Number of tasks per state.
      type: dict
      sample: {"RUNNING": 2, "STOPPED": 1}
    active:
      description: True when the newest task of every tenant that has tasks is active; false when there is no task.
      type: bool
      sample: true
    max_delay_seconds:
      description: Largest delay among the newest tasks of the tenants, in seconds.
      type: float
      sample: 100.1899
    latest_checkpoint:
      description:
        - The latest time up to which the logs of every tenant with tasks are archived (the oldest of their
          checkpoints), UTC. With a tenant option, that tenant's checkpoint.
      type: str
      sample: "2024-08-09T08:04:21.810084Z"
    checkpoint_age_seconds:
      description: Seconds from RV(summary.latest_checkpoint) to RV(queried_at).
      type: int
      sample: 95
    future:
      description:
        - The ages of this summary that are more than 300 seconds in the future (a time after RV(queried_at), is the
          OCP clock ahead of the controller?) and the delays below zero, keyed by their path in the summary
          (C(tenants.<name>.<path>) for those of the tenants), with their value (a negative number of seconds).
        - Each of them is reported as V(null) where it belongs, so that no comparison such as C(age_seconds <= 86400)
          takes it for a recent backup, and the module warns. An empty dict when there is none (assert on that).
        - An age up to 300 seconds in the future is clock skew and is reported as 0.
      type: dict
      sample: {"tenants.sales.delay_seconds": -50.0}
    tenants:
      description:
        - Per tenant, keyed by tenant name. Without a tenant option every tenant of the cluster has an entry
          (a tenant without tasks has a total of 0, V(active=false) and nulls); with one, that one tenant.
      type: dict
      contains:
        total:
          description: Number of tasks of the tenant.
          type: int
        by_status:
          description: Number of tasks of the tenant per state.
          type: dict
        status:
          description: State of its newest task.
          type: str
        active:
          description: Whether that state is active.
          type: bool
        delay_seconds:
          description: Delay of its newest task, in seconds.
          type: float
        checkpoint:
          description: Checkpoint of its newest task, UTC.
          type: str
        checkpoint_age_seconds:
          description: Seconds from that checkpoint to RV(queried_at).
          type: int
        future:
          description: The tenant's ages in the future and negative delay, as in RV(summary.future), keyed by their name.
          type: dict
      sample: {"sales": {"total": 1, "by_status": {"RUNNING": 1}, "status": "RUNNING", "active": true,
               "delay_seconds": 100.1899, "checkpoint": "2024-08-09T08:04:21.810084Z", "checkpoint_age_seconds": 95,
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
queried_at:
  description: When the module queried OCP, UTC; every age is relative to it.
  returned: always
  type: str
  sample: "2024-08-10T00:00:00.123456Z"
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
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import LOG_BACKUP_TASKS, collect_tasks


def main():
    module = BackupInfoModule(LOG_BACKUP_TASKS.argument_spec(), **TARGET_RULES)
    module.run(lambda: collect_tasks(LOG_BACKUP_TASKS, module.params, warn=module.warn))


if __name__ == '__main__':
    main()
