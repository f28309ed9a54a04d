# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The options every OCP backup task module shares beyond the target (ocp_target); keep in step with TASK_ARGSPEC in
# plugins/module_utils/_ocp_tasks.py. Each module documents its own status values and any option of its own.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
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
