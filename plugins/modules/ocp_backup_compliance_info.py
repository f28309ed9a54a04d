# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: ocp_backup_compliance_info
short_description: Read everything a backup compliance audit needs from one OCP cluster, in one run
version_added: 0.1.0
description:
  - Reads, for a cluster or one tenant, the summaries of the data backup tasks, the log backup tasks, the backup
    strategies and the restore tasks, as M(oceanbase.backup.ocp_data_backup_tasks_info),
    M(oceanbase.backup.ocp_log_backup_tasks_info), M(oceanbase.backup.ocp_backup_strategy_info) and
    M(oceanbase.backup.ocp_restore_tasks_info) read them (task lists and strategy rows not returned), with one login and one lookup
    of the cluster and its tenants. This is what the P(oceanbase.backup.backup_compliance#role) role runs on each
    OCP cluster; on a fleet it saves three module runs per cluster.
  - Each part of the result is exactly what the single-purpose module returns with the same target, so the same
    expressions read both.
  - Every option of every part is checked before the first request.
  - When a part fails, the others are still read (after an authentication failure or a failed connection they are
    not tried; after a timeout they are). The module then fails naming the failed parts, and the result still holds
    every part, a failed one as its failure (C(failed), C(msg) and the server's details). Use C(failed_when) to keep
    the parts that worked.
options:
  start_time:
    description:
      - Only data backup tasks created at or after this time (the audit's look-back), in the forms
        M(oceanbase.backup.ocp_data_backup_tasks_info) accepts, for example V(-48h) or V(2026-11-30T00:00:00Z).
      - The log backup tasks, strategies and restore tasks are read whole.
    type: str
  page_size:
    description:
      - Rows asked for per page of each task list; every page is read.
    type: int
    default: 2000
  gather:
    description:
      - The parts to read; each becomes the key of the same name in the result.
    type: list
    elements: str
    choices: [data, log, strategy, restores]
    default: [data, log, strategy, restores]
seealso:
  - module: oceanbase.backup.ocp_data_backup_tasks_info
  - module: oceanbase.backup.ocp_log_backup_tasks_info
  - module: oceanbase.backup.ocp_backup_strategy_info
  - module: oceanbase.backup.ocp_restore_tasks_info
extends_documentation_fragment:
  - oceanbase.backup.ocp_connection
  - oceanbase.backup.ocp_target
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_ocp
  - oceanbase.backup.attributes.in_worker
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Everything the checks need from cluster prod
  oceanbase.backup.ocp_backup_compliance_info:
    ocp_url: https://ocp.example.com:8080
    ocp_username: admin
    ocp_password: "{{ vault_ocp_password }}"
    cluster_name: prod
    start_time: -48h
  register: prod

- name: Tenants without a full backup in two days, and tenants never restored from their backups
  ansible.builtin.debug:
    msg:
      no_full: "{{ prod.data.summary.tenants | dict2items | rejectattr('value.last_full_success') | map(attribute='key') | list }}"
      never_drilled: "{{ prod.restores.summary.tenants | dict2items | rejectattr('value.last_success') | map(attribute='key') | list }}"

- name: Only the task summaries, keeping what worked when one part fails
  oceanbase.backup.ocp_backup_compliance_info:
    ocp_url: https://ocp.example.com:8080
    ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
    ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
    cluster_id: 1000005
    gather: [data, log]
  register: tasks
  failed_when: tasks.failed_parts | default([]) | length == 2

- name: A cluster of thousands of tenants, its result held under a name instead of registered
  oceanbase.backup.ocp_backup_compliance_info:
    ocp_url: https://ocp.example.com:8080
    ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
    ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
    cluster_name: prod
    start_time: -48h
    result_var: prod
  # The result is large: not printed, and kept as a failure when the cluster cannot be read.
  no_log: true
  failed_when: false
'''

RETURN = r'''
cluster:
  description: The cluster queried, as resolved once for every part.
  returned: success, and when a part failed
  type: dict
  sample: {id: 1000005, name: prod}
tenant:
  description: The tenant queried, or null for every tenant of the cluster.
  returned: success, and when a part failed
  type: dict
  sample: null
queried_at:
  description: When the query started, in UTC; every age in every part is counted from it.
  returned: success, and when a part failed
  type: str
  sample: "2026-12-01T08:00:00Z"
data:
  description:
    - The result M(oceanbase.backup.ocp_data_backup_tasks_info) returns with O(oceanbase.backup.ocp_data_backup_tasks_info#module:return_tasks=false)
      (C(summary), C(cluster), C(tenant), C(queried_at)), or the failure of this part.
  returned: when V(data) is in O(gather)
  type: dict
  sample: {summary: {total: 30, last_full_success: {task_id: 4512, age_seconds: 86400}}}
log:
  description: The result M(oceanbase.backup.ocp_log_backup_tasks_info) returns without the task list, or the failure of this part.
  returned: when V(log) is in O(gather)
  type: dict
  sample: {summary: {total: 1, active: true, max_delay_seconds: 12.5}}
strategy:
  description:
    - The result M(oceanbase.backup.ocp_backup_strategy_info) returns without its C(strategies) list (C(summary), C(cluster),
      C(tenant), C(queried_at)), or the failure of this part. The summaries are what the checks read; on a cluster of
      hundreds of tenants the rows would be most of the result.
    - Use M(oceanbase.backup.ocp_backup_strategy_info) for the rows themselves.
  returned: when V(strategy) is in O(gather)
  type: dict
  sample: {summary: {tenants: {sales: {configured: true, schedule_enabled: true, max_days_between_full: 7}}}}
restores:
  description:
    - The result M(oceanbase.backup.ocp_restore_tasks_info) returns without the task list, or the failure of this part.
    - Its summary is keyed by the source of each restore (the backup's cluster and tenant), not by this cluster.
  returned: when V(restores) is in O(gather)
  type: dict
  sample: {summary: {total: 0, tenants: {}}}
failed_parts:
  description: The parts that failed, when any did (the module then fails).
  returned: failure of a part
  type: list
  elements: str
  sample: [strategy]
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_compliance import COMPLIANCE_ARGSPEC, collect_compliance
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES


def main():
    module = BackupInfoModule(COMPLIANCE_ARGSPEC, **TARGET_RULES)
    module.run(lambda: collect_compliance(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
