# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: obshell_data_backup_tasks_info
short_description: List the data backup jobs of OceanBase tenants from the obshell agent, with a summary
version_added: 0.1.0
description:
  - Reads C(GET /api/v1/tenant/{name}/backup/tasks) (the backup jobs of C(CDB_OB_BACKUP_JOBS) and
    C(CDB_OB_BACKUP_JOB_HISTORY)) from the obshell agent of any node of a cluster without OCP, and returns them with
    a summary that has the same keys as the one of M(oceanbase.backup.ocp_data_backup_tasks_info), so the same
    checks compare both.
  - With O(tenant_name), that tenant. Without, every user tenant of the cluster (the tenant list of
    C(GET /api/v1/tenants/overview), without C(sys)) in one module run, each with an entry in RV(summary.tenants).
  - Pagination is automatic and never truncates silently.
  - Every timestamp is returned in UTC as C(YYYY-MM-DDTHH:MM:SS[.ffffff]Z) (the agent sends its local offset, for
    example C(+08:00), with trailing zeros of the fraction trimmed), and every age is in whole seconds.
  - Needs an agent with the backup history API (obshell 4.3.2 or later; the module detects the route, not the
    version). On an older agent the module fails naming the agent version; use
    M(oceanbase.backup.obshell_tenant_backup_overview) there.
options:
  tenant_name:
    description:
      - Name of a user tenant. Omit to read every user tenant of the cluster. V(sys) is refused, as by obshell.
      - Letters, digits and C(- _ ~ +).
    type: str
  start_time:
    description:
      - Only jobs that started at this time or later.
      - ISO 8601 with C(Z) or any UTC offset (V(2024-08-06T00:00:00Z), V(2024-08-06T08:00:00+08:00)), V(now),
        or a time relative to now such as V(-30m), V(-24h), V(-7d), V(-2w).
      - Sent to the agent in UTC as RFC 3339 C(YYYY-MM-DDTHH:MM:SSZ), the only form it accepts.
    type: str
  end_time:
    description:
      - Only jobs that started at this time or earlier. Same forms as O(start_time); must not be before O(start_time).
    type: str
  status:
    description:
      - Only jobs in one of these states, case-insensitive.
      - Documented states are V(INIT), V(DOING), V(COMPLETED), V(FAILED), V(CANCELING) and V(CANCELED). Other values
        draw a warning and are passed on as given. The agent filters, and the module checks again.
    type: list
    elements: str
  page_size:
    description:
      - Jobs fetched per request, from 1 to 2000. All pages are always fetched.
    type: int
    default: 2000
  return_tasks:
    description:
      - Return the job list in RV(tasks). Set to V(false) when only RV(summary) is needed.
    type: bool
    default: true
notes:
  - A success is a job in V(COMPLETED); a full backup is one whose C(backup_type) is V(FULL). V(INC) (or
    V(INCREMENTAL)) jobs are incremental, so a tenant backed up only incrementally has a null
    C(last_full_success) in RV(summary.tenants).
  - The agent's C(backup/info) route gives a "latest data backup time" that is the start of the newest job of any
    status, not a success; this module does not use it.
  - A tenant whose name cannot travel in the URL path (obshell allows C(#)) is warned about and reported without data.
seealso:
  - module: oceanbase.backup.obshell_log_backup_tasks_info
  - module: oceanbase.backup.ocp_data_backup_tasks_info
extends_documentation_fragment:
  - oceanbase.backup.obshell_connection
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_obshell
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Data backup summary of every user tenant of the cluster, without the job list
  oceanbase.backup.obshell_data_backup_tasks_info:
    obshell_url: http://10.0.0.1:2886
    obshell_root_password: "{{ vault_ob_root_password }}"
    return_tasks: false
  register: data

- name: Fail when a tenant has no full backup in the last 7 days
  ansible.builtin.assert:
    that:
      - item.value.last_full_success is not none
      - item.value.last_full_success.age_seconds <= 7 * 86400
    fail_msg: "Tenant {{ item.key }} has no full backup in the last 7 days"
  loop: "{{ data.summary.tenants | dict2items }}"
  loop_control:
    label: "{{ item.key }}"

- name: Failed jobs of tenant sales in the last two weeks
  module_defaults:
    group/oceanbase.backup.obshell:
      obshell_url: http://10.0.0.1:2886
      obshell_root_password: "{{ vault_ob_root_password }}"
  oceanbase.backup.obshell_data_backup_tasks_info:
    tenant_name: sales
    start_time: -2w
    status:
      - FAILED
  register: failed_jobs
'''

RETURN = r'''
agent:
  description: The agent that answered.
  returned: always
  type: dict
  sample: {"version": "4.3.2.0", "identity": "CLUSTER AGENT"}
tenant:
  description: The tenant asked for, or null when every user tenant was read.
  returned: always
  type: dict
  sample: {"name": "sales"}
queried_at:
  description: When the module asked, UTC; every age is relative to it.
  returned: always
  type: str
  sample: "2024-10-12T03:03:00.123456Z"
tasks:
  description:
    - The jobs, newest first per tenant, with the fields the agent returned, C(tenant_name) added, and every time in
      UTC. C(end_timestamp) is absent while a job is V(INIT), V(DOING) or V(CANCELING).
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  sample:
    - tenant_id: 1002
      tenant_name: sales
      job_id: 12
      backup_set_id: 7
      plus_archivelog: "OFF"
      backup_type: FULL
      start_timestamp: "2024-10-12T02:00:00.1234Z"
      end_timestamp: "2024-10-12T02:10:43.5Z"
      status: COMPLETED
      result: 0
      comment: ""
      description: ""
      path: file:///obbackup/sales/data
summary:
  description:
    - Summary of the returned jobs (after every filter), with the keys of the summary of
      M(oceanbase.backup.ocp_data_backup_tasks_info). Ages are whole seconds from RV(queried_at).
  returned: always
  type: dict
  contains:
    total:
      description: Number of jobs.
      type: int
    by_status:
      description: Number of jobs per state.
      type: dict
    latest:
      description: The newest job (by start time) - C(task_id) is its job ID, C(type) its backup type.
      type: dict
    last_success:
      description: The newest V(COMPLETED) job, full or incremental, with C(age_seconds) from its end.
      type: dict
    last_full_success:
      description: The newest V(COMPLETED) job whose type is V(FULL); null when there is none.
      type: dict
    last_failure:
      description: The newest V(FAILED) job, C(error_msg) being the agent's comment.
      type: dict
    running:
      description: Number of jobs in V(INIT), V(DOING) or V(CANCELING).
      type: int
    oldest_running_age_seconds:
      description: Seconds since the oldest running job started.
      type: int
    tenants:
      description:
        - Per tenant, keyed by tenant name, the same keys. Every tenant read has an entry; one without a job has a
          total of 0 and nulls.
      type: dict
  sample:
    total: 3
    by_status: {"COMPLETED": 3}
    latest: {"task_id": 14, "status": "COMPLETED", "type": "INC", "start_time": "2024-10-12T02:00:00Z",
             "finish_time": "2024-10-12T02:03:00Z"}
    last_success: {"task_id": 14, "backup_set_id": 9, "type": "INC", "finish_time": "2024-10-12T02:03:00Z", "age_seconds": 3600}
    last_full_success: {"task_id": 12, "backup_set_id": 7, "type": "FULL", "finish_time": "2024-10-03T02:10:00Z", "age_seconds": 777180}
    last_failure: null
    running: 0
    oldest_running_age_seconds: null
    tenants: {"sales": {"total": 3, "by_status": {"COMPLETED": 3}, "running": 0}}
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_tasks import OBSHELL_DATA_ARGSPEC, collect_data_jobs


def main():
    module = BackupInfoModule(OBSHELL_DATA_ARGSPEC)
    module.run(lambda: collect_data_jobs(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
