# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The options every OCP backup task module shares; keep in step with TARGET_ARGSPEC in
# plugins/module_utils/_ocp_target.py and TASK_ARGSPEC in plugins/module_utils/_ocp_tasks.py.
# Each module documents its own status values and any option of its own.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  cluster_id:
    description:
      - OCP ID of the cluster (the C(id) OCP shows, not the OceanBase C(obClusterId)).
      - Exactly one of O(cluster_id) and O(cluster_name) is required.
      - Costs no lookup request, unlike O(cluster_name).
    type: int
  cluster_name:
    description:
      - Name of the cluster in OCP, matched exactly (OCP itself searches by substring).
      - When a primary and a standby cluster share the name, the module fails and lists the candidates with
        their IDs; use O(cluster_id) then.
    type: str
  tenant_id:
    description:
      - OCP ID of the tenant. Omit both O(tenant_id) and O(tenant_name) to query every tenant of the cluster.
    type: int
  tenant_name:
    description:
      - Name of the tenant in the cluster, matched exactly.
    type: str
  start_time:
    description:
      - Only tasks from this time on.
      - ISO 8601 with C(Z) or any UTC offset (V(2024-08-06T00:00:00Z), V(2024-08-06T08:00:00+08:00)), V(now),
        or a time relative to now such as V(-30m), V(-24h), V(-7d), V(-2w).
      - Sent to OCP in UTC as C(YYYY-MM-DDTHH:MM:SSZ).
      - A log backup task (an archiving round) matches a window it overlaps, and can run for months; a data backup task
        matches by its start time.
    type: str
  end_time:
    description:
      - Only tasks up to this time. Same forms as O(start_time); must not be before O(start_time).
    type: str
  page_size:
    description:
      - Tasks fetched per request, from 1 to 2000 (the OCP maximum). All pages are always fetched.
    type: int
    default: 2000
  return_tasks:
    description:
      - Return the task list in RV(tasks). Set to V(false) when only RV(summary) is needed; carrying tens of
        thousands of tasks back through Ansible takes seconds by itself.
    type: bool
    default: true
notes:
  - The cluster and the tenant, and with the cluster endpoint every tenant of the cluster, are looked up before the
    tasks are read, so that RV(cluster), RV(tenant) and RV(summary.tenants) are named even when no task is in the
    time range.
  - Needs read permission on backup and restore of the cluster (and CLUSTER_VIEWER for O(cluster_name)).
'''
