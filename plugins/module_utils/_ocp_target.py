# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an OCP query is about: a cluster, and one tenant or all of them, given by id or by exact name.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

resolve_target() looks up whatever the rows of a query would otherwise have to tell: the names of the cluster and
tenant, and the tenant list of a cluster query, so that every name is known before the first row is read.
Keep TARGET_ARGSPEC in step with plugins/doc_fragments/ocp_target.py.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError, NameResolutionError

TARGET_ARGSPEC = dict(
    cluster_id=dict(type='int'),
    cluster_name=dict(type='str'),
    tenant_id=dict(type='int'),
    tenant_name=dict(type='str'),
)
# The option rules of a module with TARGET_ARGSPEC, for BackupInfoModule(**TARGET_RULES).
TARGET_RULES = dict(
    mutually_exclusive=[('cluster_id', 'cluster_name'), ('tenant_id', 'tenant_name')],
    required_one_of=[('cluster_id', 'cluster_name')],
)


class Target:
    """The cluster {id, name}, the tenant {id, name} or None for the whole cluster, and the tenants the
    summary has an entry for (the one tenant, or every tenant of the cluster), as [{id, name}]."""

    __slots__ = ('cluster', 'tenant', 'tenants')

    def __init__(self, cluster, tenant, tenants):
        self.cluster = cluster
        self.tenant = tenant
        self.tenants = tenants


def validate_target(params):
    """InputError for an id that cannot exist or an empty name; never sends anything."""
    for option in ('cluster_id', 'tenant_id'):
        check_id(params, option)
    for option in ('cluster_name', 'tenant_name'):
        if params.get(option) is not None and not params[option].strip():
            raise InputError(option, 'the name is empty; expected the exact name shown in OCP')


def check_id(params, option):
    value = params.get(option)
    if value is not None and value <= 0:
        raise InputError(option, '%s is not a valid id; expected an integer greater than 0' % value)


def resolve_target(client, params):
    """The Target of the options: one cluster lookup for cluster_name, then the tenant list of the cluster, or the
    one tenant by name, and the cluster details only when nothing else named the cluster."""
    if params.get('cluster_id') is not None:
        cluster = {'id': params['cluster_id'], 'name': None}
    else:
        found = client.find_cluster(params['cluster_name'])
        cluster = {'id': found['id'], 'name': found['name']}
    if params.get('tenant_name') is not None:
        tenants = [client.find_tenant(cluster['id'], params['tenant_name'])]
    else:
        tenants = client.list_tenants(cluster['id'])
        if params.get('tenant_id') is not None:
            tenants = [_tenant_by_id(tenants, cluster['id'], params['tenant_id'])]
    cluster['name'] = cluster['name'] or _first_name(tenants) or client.get_cluster(cluster['id'])['name']
    tenant = None
    if params.get('tenant_id') is not None or params.get('tenant_name') is not None:
        tenant = {'id': tenants[0]['id'], 'name': tenants[0]['name']}
    return Target(cluster, tenant, [{'id': item['id'], 'name': item['name']} for item in tenants])


def _tenant_by_id(tenants, cluster_id, tenant_id):
    match = [item for item in tenants if item['id'] == tenant_id]
    if match:
        return match[0]
    raise NameResolutionError(
        'tenant_id %s is not a tenant of cluster %s (searched GET /api/v2/ob/clusters/%s/tenants); its tenants: %s' % (
            tenant_id, cluster_id, cluster_id, ', '.join('%s (id %s)' % (item['name'], item['id']) for item in tenants[:50]) or 'none'),
        option='tenant_id', candidates=[{'id': item['id'], 'name': item['name']} for item in tenants],
    )


def _first_name(tenants):
    for tenant in tenants:
        if tenant.get('cluster_name') not in (None, ''):
            return tenant['cluster_name']
    return None
