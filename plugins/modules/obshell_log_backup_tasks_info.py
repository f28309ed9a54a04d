# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: obshell_log_backup_tasks_info
short_description: Log archiving state of OceanBase tenants from the obshell agent, with a summary
version_added: 0.1.0
description:
  - Reads C(GET /api/v1/tenant/{name}/backup/log/tasks) (the current archive log rounds) and
    C(GET /api/v1/tenant/{name}/backup/info) (checkpoint and delay of the newest round) from the obshell agent of a
    cluster without OCP, and returns a summary that has the same keys as the one of
    M(oceanbase.backup.ocp_log_backup_tasks_info).
  - With O(tenant_name), that tenant. Without, every user tenant of the cluster (from C(GET /api/v1/tenants/overview),
    without C(sys)) in one module run.
  - The agent lists only rounds in V(BEGINNING), V(DOING), V(STOPPING), V(PREPARE) or V(SUSPEND). An interrupted or
    stopped archive therefore has no round at all, and reads as not active (C(active=false) and C(status=null) in
    RV(summary.tenants)); its checkpoint and delay still come from C(backup/info).
  - Needs an agent with the backup history API (obshell 4.3.2 or later; the module detects the route). On an older
    agent the module fails naming the agent version.
options:
  tenant_name:
    description:
      - Name of a user tenant. Omit to read every user tenant of the cluster. V(sys) is refused.
      - Letters, digits and C(- _ ~ +).
    type: str
  status:
    description:
      - Only rounds in one of these states, case-insensitive; filtered by the module (the route has no filter).
      - Documented states are V(PREPARE), V(BEGINNING), V(DOING), V(INTERRUPTED), V(STOP), V(STOPPING),
        V(SUSPENDING) and V(SUSPEND). Other values draw a warning.
      - A tenant whose rounds are all filtered out reads as not active.
    type: list
    elements: str
  return_tasks:
    description:
      - Return the rounds in RV(tasks).
    type: bool
    default: true
notes:
  - No time window and no paging, unlike M(oceanbase.backup.ocp_log_backup_tasks_info) - the agent lists only the
    rounds running now, on one page.
  - Active states are V(BEGINNING) and V(DOING).
  - A tenant whose name cannot travel in the URL path is warned about and reported not active.
seealso:
  - module: oceanbase.backup.obshell_data_backup_tasks_info
  - module: oceanbase.backup.ocp_log_backup_tasks_info
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
- name: Log archiving state of every user tenant of the cluster
  oceanbase.backup.obshell_log_backup_tasks_info:
    obshell_url: http://10.0.0.1:2886
    obshell_root_password: "{{ vault_ob_root_password }}"
    return_tasks: false
  register: archive

- name: Tenants whose log archiving is not active (interrupted, stopped or never started)
  ansible.builtin.debug:
    msg: "{{ archive.summary.tenants | dict2items | rejectattr('value.active') | map(attribute='key') | list }}"

- name: Fail unless tenant sales archives and is less than 10 minutes behind
  module_defaults:
    group/oceanbase.backup.obshell:
      obshell_url: http://10.0.0.1:2886
      obshell_root_password: "{{ vault_ob_root_password }}"
  block:
    - name: Archiving of sales
      oceanbase.backup.obshell_log_backup_tasks_info:
        tenant_name: sales
      register: sales_archive

    - name: Assert
      ansible.builtin.assert:
        that:
          - sales_archive.summary.active
          - sales_archive.summary.checkpoint_age_seconds is not none
          - sales_archive.summary.checkpoint_age_seconds <= 600
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
    - The listed rounds, with the fields the agent returned (C(tenant_name) filled in, as the agent leaves it empty) and
      every time in UTC. C(delay) is in seconds.
  returned: when O(return_tasks=true)
  type: list
  elements: dict
  sample:
    - tenant_id: 1002
      tenant_name: sales
      round_id: 3
      status: DOING
      path: file:///obbackup/sales/archive
      delay: 12.5
      checkpoint: "2024-10-12T02:59:47.5Z"
      start_time: "2024-10-01T00:00:00Z"
summary:
  description:
    - The keys of the summary of M(oceanbase.backup.ocp_log_backup_tasks_info). Ages are whole seconds from RV(queried_at).
    - The overall values are taken over every tenant read - RV(summary.active) is false as soon as one tenant does not
      archive.
  returned: always
  type: dict
  contains:
    total:
      description: Number of listed rounds.
      type: int
    by_status:
      description: Number of rounds per state.
      type: dict
    active:
      description: True when every tenant has an active round; false when there is no tenant.
      type: bool
    max_delay_seconds:
      description: Largest delay over the tenants, in seconds.
      type: float
    latest_checkpoint:
      description: The oldest checkpoint over the tenants, that is the time up to which every tenant is archived, UTC.
      type: str
    checkpoint_age_seconds:
      description: Seconds from RV(summary.latest_checkpoint) to RV(queried_at).
      type: int
    tenants:
      description:
        - Per tenant, keyed by tenant name - C(total), C(by_status), C(status) (of its newest listed round, null when
          none is listed), C(active), C(delay_seconds), C(checkpoint), C(checkpoint_age_seconds). For a tenant without a
          listed round, the checkpoint and the delay are those C(backup/info) gives for its newest round.
      type: dict
  sample:
    total: 1
    by_status: {"DOING": 1}
    active: false
    max_delay_seconds: 86400.0
    latest_checkpoint: "2024-10-11T03:03:00Z"
    checkpoint_age_seconds: 86400
    tenants:
      sales: {"total": 1, "by_status": {"DOING": 1}, "status": "DOING", "active": true, "delay_seconds": 12.5,
              "checkpoint": "2024-10-12T03:02:47.5Z", "checkpoint_age_seconds": 12}
      billing: {"total": 0, "by_status": {}, "status": null, "active": false, "delay_seconds": 86400.0,
                "checkpoint": "2024-10-11T03:03:00Z", "checkpoint_age_seconds": 86400}
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_tasks import OBSHELL_LOG_ARGSPEC, collect_log_rounds


def main():
    module = BackupInfoModule(OBSHELL_LOG_ARGSPEC)
    module.run(lambda: collect_log_rounds(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
