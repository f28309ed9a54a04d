# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: obshell_restore_tasks_info
short_description: List the restore tasks of an OceanBase cluster from its obshell agent, summarised per backed-up tenant
version_added: 0.1.0
description:
  - Reads C(GET /api/v1/restore/tasks) of an obshell agent (running restores and the restore history of the
    cluster the agent belongs to) and summarises them per B(source), keyed
    C(<backup_cluster_name>/<backup_tenant_name>) from each task's own fields, as
    M(oceanbase.backup.ocp_restore_tasks_info) does.
  - A restore counts for the tenant whose backups it used, never for the tenant it restored into.
  - Every timestamp is returned in UTC as C(YYYY-MM-DDTHH:MM:SS[.ffffff]Z).
options:
  start_time:
    description:
      - Only restores that started from this time on (the agent compares its start time).
      - ISO 8601 with C(Z) or an offset, V(now), or relative such as V(-30m), V(-24h), V(-7d), V(-2w).
    type: str
  end_time:
    description:
      - Only restores that started up to this time. Same forms as O(start_time); not before it.
    type: str
  status:
    description:
      - Only restores in one of these states, sent upper-cased to the agent (V(SUCCESS), V(FAIL), or a running step).
    type: list
    elements: str
  bare_time_offset:
    description:
      - The UTC offset a timestamp without one is taken at, as V(+08:00), V(-05:00) or V(Z).
      - The agent's database driver parses times and sends RFC 3339 with the offset of the agent host's zone; its
        offset is always used. Only a driver that leaves the database's text sends a bare
        C(YYYY-MM-DD hh:mm:ss[.ffffff]), which is the database session's wall clock; set this to that zone.
    type: str
    default: "+00:00"
  return_tasks:
    description:
      - Return the task list in RV(tasks).
    type: bool
    default: true
notes:
  - Only V(SUCCESS) counts as a success. A state outside V(SUCCESS), V(FAIL), V(FAILED) and the restore steps the
    module knows as running is kept in C(by_status), draws one warning and never counts as a success.
  - The agent names no restore cluster (it is the agent's own), so C(last_success.restore_cluster_name) is null.
  - Needs an agent of a deployed cluster (identity C(CLUSTER AGENT)).
seealso:
  - module: oceanbase.backup.ocp_restore_tasks_info
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
- name: Restores run on the drill cluster
  oceanbase.backup.obshell_restore_tasks_info:
    obshell_url: http://10.0.0.21:2886
    obshell_root_password: "{{ vault_ob_root_password }}"
    start_time: -90d
  register: drills

- name: Fail unless prod/sales was restored successfully within 90 days
  ansible.builtin.assert:
    that:
      - drills.summary.tenants['prod/sales'].last_success is not none
      - drills.summary.tenants['prod/sales'].last_success.age_seconds <= 90 * 86400
'''

RETURN = r'''
tasks:
  description: The tasks as the agent sent them (snake_case already), with times in UTC; a running task's finish time is null.
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  sample:
    - job_id: 3
      restore_tenant_name: sales_drill
      backup_tenant_name: sales
      backup_cluster_name: prod
      status: SUCCESS
      start_timestamp: "2024-08-01T02:00:00Z"
      finish_timestamp: "2024-08-01T03:10:00Z"
      comment: ""
summary:
  description: Summary of the tasks. Ages are whole seconds from RV(queried_at).
  returned: always
  type: dict
  contains:
    total:
      description: Number of tasks.
      type: int
    by_status:
      description: Number of tasks per state.
      type: dict
    running:
      description: Number of restores still running.
      type: int
    tenants:
      description:
        - Per source C(<backup_cluster_name>/<backup_tenant_name>), with C(total), C(by_status), C(running),
          C(last_success) (C(task_id), C(restore_cluster_name), C(restore_tenant_name), C(finish_time), C(age_seconds))
          and C(last_failure) (C(task_id), C(finish_time), C(error_msg) from the task's comment, C(age_seconds)).
      type: dict
  sample:
    total: 1
    by_status: {"SUCCESS": 1}
    running: 0
    tenants:
      prod/sales: {"total": 1, "by_status": {"SUCCESS": 1}, "running": 0, "last_failure": null,
                   "last_success": {"task_id": 3, "restore_cluster_name": null, "restore_tenant_name": "sales_drill",
                                    "finish_time": "2024-08-01T03:10:00Z", "age_seconds": 777600}}
agent:
  description: Version and identity of the agent.
  returned: always
  type: dict
  sample: {"version": "4.3.2.0", "identity": "CLUSTER AGENT"}
queried_at:
  description: When the module queried the agent, UTC.
  returned: always
  type: str
  sample: "2024-08-10T00:00:00.123456Z"
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import OBSHELL_ARGSPEC
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_restore import RESTORE_ARGSPEC, collect_restores


def main():
    module = BackupInfoModule(dict(OBSHELL_ARGSPEC, **RESTORE_ARGSPEC))
    module.run(lambda: collect_restores(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
