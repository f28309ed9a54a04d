# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
module: ocp_backup_strategy_info
short_description: Read the backup strategy of an OceanBase tenant or of every tenant of a cluster from OCP
version_added: 0.1.0
description:
  - Reads the backup strategy (schedule, log backup, retention) from the OCP REST API v2 and summarises it per
    tenant, so that a compliance check can ask whether a policy is in place and how often it takes a full backup.
  - With O(tenant_id) or O(tenant_name) the tenant endpoint
    C(/api/v2/ob/clusters/{id}/tenants/{tenantId}/backup/config/backupStrategy) is read; without, the cluster
    endpoint C(/api/v2/ob/clusters/{id}/backup/config/backupStrategy), and every tenant of the cluster gets an entry.
  - A tenant without a strategy (OCP answers the error C(BAK21006), or data null or V({})) is reported with
    C(configured=false); it is not a failure of the module. An unknown tenant is.
notes:
  - C(dayAndDataBackupModelMap) keys a schedule by weekday V(1) (Monday) to V(7) in C(WEEK) mode and by day of the
    month V(1) to V(31) in C(MONTH) mode. The longest gap between full backups wraps around the week or the month;
    a month is taken as 31 days, the longest it can be, so a monthly full backup is a gap of 31 days.
  - A schedule day outside its mode's range, or an unknown mode, draws a warning and is not counted.
  - With the cluster endpoint a strategy that names no tenant covers every tenant without one of its own.
seealso:
  - module: oceanbase.backup.ocp_restore_tasks_info
extends_documentation_fragment:
  - oceanbase.backup.ocp_connection
  - oceanbase.backup.ocp_target
  - oceanbase.backup.connection
  - oceanbase.backup.attributes
  - oceanbase.backup.attributes.info_module
  - oceanbase.backup.attributes.actiongroup_ocp
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Backup policy of one tenant
  oceanbase.backup.ocp_backup_strategy_info:
    ocp_url: https://ocp.example.com:8080
    ocp_username: admin
    ocp_password: "{{ vault_ocp_password }}"
    cluster_name: prod
    tenant_name: sales
  register: sales_policy

- name: Fail unless an enabled schedule takes a full backup at least weekly
  ansible.builtin.assert:
    that:
      - sales_policy.summary.configured
      - sales_policy.summary.schedule_enabled
      - sales_policy.summary.max_days_between_full is not none
      - sales_policy.summary.max_days_between_full <= 7
    fail_msg: "sales has no enabled weekly full backup"

- name: Tenants of a cluster without a backup strategy
  oceanbase.backup.ocp_backup_strategy_info:
    ocp_url: https://ocp.example.com:8080
    ocp_access_key_id: "{{ vault_ocp_access_key_id }}"
    ocp_access_key_secret: "{{ vault_ocp_access_key_secret }}"
    cluster_id: 1000005
  register: cluster_policy

- name: Show them
  ansible.builtin.debug:
    msg: "{{ cluster_policy.summary.tenants | dict2items | rejectattr('value.configured') | map(attribute='key') | list }}"
'''

RETURN = r'''
strategies:
  description: The strategies OCP returned, in snake_case with times in UTC (empty when there is none).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7
      cluster_name: prod
      tenant_name: sales
      tenant_id: 1000012
      backup_dimension: TENANT
      ob_backup_schedule_config:
        backup_schedule_mode: WEEK
        backup_schedule_enabled: true
        backup_schedule_time: "01:00"
        day_and_data_backup_model_map: {"1": "FULL_BACKUP", "4": "INCREMENTAL_BACKUP"}
        start_log_backup: true
        clean_enabled: true
        backup_data_retention_days: 14
summary:
  description:
    - The policy per tenant under C(tenants); with a tenant option that tenant's keys are also at the top.
  returned: always
  type: dict
  contains:
    configured:
      description: Whether the tenant has a backup strategy (one-tenant query).
      type: bool
    schedule_enabled:
      description: Whether its backup schedule is enabled; false without a strategy.
      type: bool
    schedule_mode:
      description: V(WEEK) or V(MONTH) as OCP sent it; null without a strategy.
      type: str
    full_backup_days:
      description: Sorted day numbers with a full backup (weekday 1 to 7, or day of the month 1 to 31).
      type: list
      elements: int
    incremental_backup_days:
      description: Sorted day numbers with an incremental backup.
      type: list
      elements: int
    max_days_between_full:
      description: Longest gap in days between two scheduled full backups, wrapping around; null when none is scheduled.
      type: int
    log_backup:
      description: Whether the strategy starts log backup; null when unknown.
      type: bool
    clean_enabled:
      description: Whether expired backups are cleaned; null when unknown.
      type: bool
    retention_days:
      description: Days backups are kept; null when not set.
      type: int
    tenants:
      description: The same keys per tenant, keyed by tenant name.
      type: dict
  sample:
    configured: true
    schedule_enabled: true
    schedule_mode: WEEK
    full_backup_days: [1]
    incremental_backup_days: [4]
    max_days_between_full: 7
    log_backup: true
    clean_enabled: true
    retention_days: 14
    tenants:
      sales: {"configured": true, "schedule_enabled": true, "schedule_mode": "WEEK", "full_backup_days": [1],
              "incremental_backup_days": [4], "max_days_between_full": 7, "log_backup": true,
              "clean_enabled": true, "retention_days": 14}
cluster:
  description: The cluster queried, C(id) and C(name).
  returned: always
  type: dict
  sample: {"id": 1000005, "name": "prod"}
tenant:
  description: The tenant queried (C(id) and C(name)), or null when the whole cluster was queried.
  returned: always
  type: dict
  sample: {"id": 1000012, "name": "sales"}
queried_at:
  description: When the module queried OCP, UTC.
  returned: always
  type: str
  sample: "2024-08-10T00:00:00.123456Z"
'''

from ansible_collections.oceanbase.backup.plugins.module_utils._module import BackupInfoModule
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_strategy import STRATEGY_ARGSPEC, collect_strategy
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_RULES


def main():
    module = BackupInfoModule(STRATEGY_ARGSPEC, **TARGET_RULES)
    module.run(lambda: collect_strategy(module.params, warn=module.warn))


if __name__ == '__main__':
    main()
