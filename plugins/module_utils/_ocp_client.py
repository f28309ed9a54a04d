# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The OCP client: HTTP calls, paging, clusters and tenants (by id or by exact name).

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Clusters and tenants come back as records (cluster_record, tenant_record): the one mapping of those rows that the
modules and the inventory plugin share. Task lists come back as the rows OCP sent, a page at a time, for the query
layer (_ocp_tasks) to summarise and normalize.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError, NameResolutionError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient, envelope_data
from ansible_collections.oceanbase.backup.plugins.module_utils._http_options import http_client_kwargs
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import ocp_auth, validate_ocp_url
from ansible_collections.oceanbase.backup.plugins.module_utils._paging import iter_pages

# OCP caps page size at 2000; one page per 2000 tasks keeps a fleet audit at a few requests per cluster.
MAX_PAGE_SIZE = 2000
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE
# The JSON has totalPages; OCP's docs say totalPage, which some builds may send.
PAGE_COUNT_KEYS = ('totalPages', 'totalPage')
CLUSTERS = '/api/v2/ob/clusters'


def cluster_record(row):
    """An OCP cluster row as the collection uses it."""
    return {'id': row.get('id'), 'name': row.get('name'), 'type': row.get('type'), 'status': row.get('status'),
            'ob_cluster_id': row.get('obClusterId'), 'ob_version': row.get('obVersion')}


def tenant_record(row):
    """An OCP tenant row as the collection uses it."""
    return {'id': row.get('id'), 'name': row.get('name'), 'mode': row.get('mode'), 'status': row.get('status'),
            'cluster_name': row.get('clusterName'), 'cluster_type': row.get('clusterType'), 'ob_tenant_id': row.get('obTenantId')}


def id_key(row):
    return row.get('id')


def validate_page_size(page_size):
    if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InputError('page_size', '%s is out of range; expected an integer from 1 to %d' % (page_size, MAX_PAGE_SIZE))


class OcpClient:
    """The OCP calls the modules and the inventory plugin need."""

    def __init__(self, params, warn=None):
        # OCP documents Content-Type as required even for GET; AK/SK signs it, so it is always the same value.
        headers = {'Content-Type': 'application/json', 'Accept-Language': 'en-US'}
        # Same-origin redirects only: each hop is signed afresh for the URL it goes to; credentials never leave ocp_url's origin.
        self.http = HttpClient(validate_ocp_url(params.get('ocp_url')), auth=ocp_auth(params), headers=headers, warn=warn,
                               same_origin_redirects=True, **http_client_kwargs(params))

    def close(self):
        self.http.close()

    def iter_pages(self, path, params=None, page_size=DEFAULT_PAGE_SIZE, *, key, prefetch=False):
        """The rows of a paged list as OCP sent them, a list per page, each once by ``key`` (see _paging.iter_pages)."""
        return iter_pages(self.http.get, path, params, page_size, PAGE_COUNT_KEYS, key=key, prefetch=prefetch)

    def _rows(self, path, params=None, page_size=MAX_PAGE_SIZE):
        return [row for page in self.iter_pages(path, params, page_size, key=id_key) for row in page]

    def list_clusters(self, page_size=MAX_PAGE_SIZE):
        return [cluster_record(row) for row in self._rows(CLUSTERS, page_size=page_size)]

    def list_tenants(self, cluster_id, page_size=MAX_PAGE_SIZE):
        return [tenant_record(row) for row in self._rows(tenants_path(cluster_id), page_size=page_size)]

    def get_cluster(self, cluster_id):
        path = '%s/%d' % (CLUSTERS, cluster_id)
        return cluster_record(envelope_data(self.http.get(path), path))

    def find_cluster(self, name):
        """The record of the one cluster named exactly ``name``."""
        rows = self._rows(CLUSTERS, {'name': name})
        return exactly_one([cluster_record(row) for row in rows], name, 'cluster', 'GET %s?name=%s' % (CLUSTERS, name))

    def find_tenant(self, cluster_id, name):
        """The record of the tenant named exactly ``name`` in the cluster."""
        path = tenants_path(cluster_id)
        rows = self._rows(path, {'name': name})
        return exactly_one([tenant_record(row) for row in rows], name, 'tenant', 'GET %s?name=%s' % (path, name))


def tenants_path(cluster_id):
    return '%s/%d/tenants' % (CLUSTERS, cluster_id)


def exactly_one(records, name, what, searched):
    """The one record named exactly ``name``; NameResolutionError listing the candidates otherwise.

    OCP's name= filter is a case-insensitive substring match: only an exact name counts.
    """
    option = '%s_name' % what
    matches = [record for record in records if record.get('name') == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NameResolutionError(
            '%s %r is ambiguous: %d %ss have this name: %s. Use %s_id to pick one.' % (
                option, name, len(matches), what, '; '.join(describe(match) for match in matches), what),
            option=option, candidates=matches,
        )
    hint = ' Names that contain it: %s.' % '; '.join(describe(record) for record in records[:20]) if records else ''
    raise NameResolutionError('No OCP %s is named exactly %r (searched %s).%s' % (what, name, searched, hint),
                              option=option, candidates=records)


def describe(record):
    """``id 12 'sales' (mode MYSQL, ...)``: a record in a message."""
    extras = ', '.join('%s %s' % (key, value) for key, value in record.items() if key not in ('id', 'name') and value is not None)
    return 'id %s %r%s' % (record.get('id'), record.get('name'), ' (%s)' % extras if extras else '')
