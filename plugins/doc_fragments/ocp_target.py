# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# What an OCP module asks about: a cluster, and one tenant or every tenant of it. Keep in step with TARGET_ARGSPEC
# and TARGET_RULES in plugins/module_utils/_ocp_target.py.


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
'''
