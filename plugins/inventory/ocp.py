# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
name: ocp
short_description: OceanBase clusters (and tenants) managed by OCP as inventory hosts
version_added: 0.1.0
description:
  - Reads the clusters, and the tenants of each cluster, from the OCP REST API v2 and makes one host per cluster,
    shaped for C(playbooks/compliance_audit.yml), so a fleet audit needs no hand-written host list and runs with
    Ansible's forks.
  - "Cluster hosts get C(oceanbase_source=ocp), C(oceanbase_cluster_id), C(oceanbase_cluster_name),
    C(oceanbase_cluster_type), C(oceanbase_cluster_status), C(oceanbase_ob_cluster_id), C(oceanbase_ob_version),
    C(oceanbase_tenants) (the tenant names, without C(sys) unless O(include_sys_tenant)), the connection variables
    the modules read (C(ocp_url), C(ocp_username) or C(ocp_access_key_id), C(validate_certs), C(ca_path) when set),
    C(ansible_connection=local) and C(ansible_python_interpreter) set to the controller's Python, which has
    the C(requests) library the modules need."
  - A primary cluster and its standby share the OceanBase cluster name; when names collide, the host names are
    C(<name>_<id>). The modules get the cluster id, so the name never has to be resolved.
  - With O(include_tenants), every tenant also becomes a host named C(<cluster host>.<tenant>), with the cluster's
    variables plus C(oceanbase_tenant_id), C(oceanbase_tenant_name), C(oceanbase_tenant_mode),
    C(oceanbase_tenant_status), and C(oceanbase_tenants) set to that one tenant. Tenant hosts are in the group
    C(ocp_tenants), cluster hosts in C(ocp_clusters). Use tenant hosts to target one tenant (C(--limit obprod.t_orders))
    or to group by tenant variables; for a full audit run on C(ocp_clusters) (C(--limit ocp_clusters)), because the
    audit checks every tenant of a cluster in one query and would otherwise check each tenant twice.
  - Default groups - C(ocp_clusters), C(cluster_<name>) (the cluster host and its tenant hosts), C(ocp_primary) and
    C(ocp_standby) by cluster type and, for tenant hosts, C(ocp_tenants), C(tenant_mode_mysql) and
    C(tenant_mode_oracle). Group names are lower case with every character other than a letter, digit or C(_)
    replaced by C(_). O(keyed_groups), O(groups) and O(compose) add more, from the host variables above.
  - Secrets are never written into host variables, so C(ansible-inventory --list) and the inventory cache do not
    contain them. The plugin and the modules read the password or the AccessKey secret from the same environment
    variables, E(OCP_PASSWORD) and E(OCP_ACCESS_KEY_SECRET), so exporting one of them serves both. If the inventory
    file holds the secret instead, give the play the same value (for example a vaulted C(ocp_password) in C(group_vars/all)).
  - With O(cache), a run within O(cache_timeout) makes no request to OCP; C(ansible-inventory --flush-cache) or
    C(ansible-playbook --flush-cache) reads OCP again. The cache key covers O(ocp_url), the user or AccessKey ID
    and the cluster filters, so changing them in the file reads OCP again.
  - The file must end in C(ocp.yml) or C(ocp.yaml).
extends_documentation_fragment:
  - oceanbase.backup.ocp_connection
  - oceanbase.backup.connection
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [oceanbase.backup.ocp]
    type: str
  ocp_url:
    env:
      - name: OCP_URL
  ocp_username:
    env:
      - name: OCP_USERNAME
  ocp_password:
    env:
      - name: OCP_PASSWORD
  ocp_access_key_id:
    env:
      - name: OCP_ACCESS_KEY_ID
  ocp_access_key_secret:
    env:
      - name: OCP_ACCESS_KEY_SECRET
  validate_certs:
    env:
      - name: OCP_VALIDATE_CERTS
  page_size:
    description:
      - Rows per request when listing clusters and tenants, from 1 to 2000 (OCP's cap). Listing takes one request
        per page of clusters plus one per page of tenants of each selected cluster.
    type: int
    default: 2000
  include_tenants:
    description: Also make a host per tenant (see the description).
    type: bool
    default: false
  include_sys_tenant:
    description: Count the C(sys) tenant in C(oceanbase_tenants) and, with O(include_tenants), make it a host.
    type: bool
    default: false
  cluster_names:
    description:
      - Only clusters whose name matches one of these shell patterns (case-sensitive), for example V(obprod*).
      - Filters are applied by the plugin before tenants are listed, so filtered-out clusters cost no tenant request.
    type: list
    elements: str
    default: []
  cluster_statuses:
    description: Only clusters in one of these states (case-insensitive), for example V(RUNNING).
    type: list
    elements: str
    default: []
  cluster_types:
    description: Only clusters of these types.
    type: list
    elements: str
    choices: [PRIMARY, STANDBY]
    default: []
notes:
  - When OCP refuses the credentials or cannot be reached, C(ansible-inventory) and C(ansible-playbook) report the
    failure as a warning and go on with an empty inventory; set E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) to make
    it an error.
'''

EXAMPLES = r'''
# audit.ocp.yml - every running primary cluster, with the names of its tenants for the audit.
# Run: OCP_PASSWORD=... ansible-playbook -i audit.ocp.yml playbooks/compliance_audit.yml
plugin: oceanbase.backup.ocp
ocp_url: https://ocp.example.com:8080
ocp_username: auditor
cluster_statuses: [RUNNING]
cluster_types: [PRIMARY]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/oceanbase-inventory
cache_timeout: 3600
keyed_groups:
  - key: oceanbase_ob_version
    prefix: ob

---
# tenants.ocp.yml - AK/SK from OCP_URL, OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET; tenant hosts too.
# ansible-inventory -i tenants.ocp.yml --graph
plugin: oceanbase.backup.ocp
include_tenants: true
cluster_names: ['obprod*']
groups:
  oracle_tenants: oceanbase_tenant_mode is defined and oceanbase_tenant_mode | upper == 'ORACLE'
compose:
  cluster_label: oceanbase_cluster_name ~ '/' ~ oceanbase_cluster_type
'''

import fnmatch
import hashlib
import json
import re
import sys

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import OceanBaseError, ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HAS_REQUESTS
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import validate_connection, validate_ocp_url
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import CLUSTERS, OcpClient, validate_page_size

_CONNECTION = ('ocp_url', 'ocp_username', 'ocp_password', 'ocp_access_key_id', 'ocp_access_key_secret', 'validate_certs',
               'ca_path', 'client_cert', 'client_key', 'request_timeout', 'retries')
# What the fetched data depends on, for the cache key; never a secret.
_CACHE_SCOPE = ('ocp_url', 'ocp_username', 'ocp_access_key_id', 'cluster_names', 'cluster_statuses', 'cluster_types')
_PREFIX = 'oceanbase.backup.ocp inventory: '


def _slug(text):
    return re.sub(r'[^A-Za-z0-9_]', '_', str(text)).lower()


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'oceanbase.backup.ocp'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('ocp.yml', 'ocp.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        scope = json.dumps([self.get_option(name) for name in _CACHE_SCOPE], sort_keys=True)
        cache_key = '%s_%s' % (self.get_cache_key(path), hashlib.sha256(scope.encode('utf-8')).hexdigest()[:12])
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        clusters = None
        if use_cache:
            try:
                clusters = self._cache[cache_key]
            except KeyError:
                update_cache = True
        try:
            if clusters is None:
                clusters = self._fetch()
            if update_cache:
                self._cache[cache_key] = clusters
            self._populate(clusters)
        except OceanBaseError as exc:
            raise AnsibleParserError(_PREFIX + exc.msg) from None

    def _fetch(self):
        """[{cluster record, tenants: [tenant records]}] of the selected clusters: plain data without secrets, so it may be cached."""
        if not HAS_REQUESTS:
            raise AnsibleParserError(_PREFIX + 'the Python library requests is required on the controller (pip install requests)')
        params = dict((name, self.get_option(name)) for name in _CONNECTION)
        page_size = self.get_option('page_size')
        validate_connection(params)
        validate_page_size(page_size)
        client = OcpClient(params)
        try:
            clusters = [cluster for cluster in client.list_clusters(page_size) if self._wanted(cluster)]
            for cluster in clusters:
                if isinstance(cluster['id'], bool) or not isinstance(cluster['id'], int):
                    raise ResponseFormatError('GET %s returned a cluster without an integer id: %r' % (CLUSTERS, cluster['id']),
                                              method='GET', path=CLUSTERS)
                cluster['tenants'] = client.list_tenants(cluster['id'], page_size)
            return clusters
        finally:
            client.close()

    def _wanted(self, cluster):
        names, statuses, types = self.get_option('cluster_names'), self.get_option('cluster_statuses'), self.get_option('cluster_types')
        if names and not any(fnmatch.fnmatchcase(cluster['name'] or '', pattern) for pattern in names):
            return False
        if statuses and str(cluster['status'] or '').upper() not in [str(s).upper() for s in statuses]:
            return False
        return not types or str(cluster['type'] or '').upper() in types

    def _connection_vars(self):
        """What the modules need to reach OCP, except the secret (see DOCUMENTATION)."""
        result = {'ocp_url': validate_ocp_url(self.get_option('ocp_url')), 'validate_certs': self.get_option('validate_certs')}
        if self.get_option('ocp_access_key_id'):
            result['ocp_access_key_id'] = self.get_option('ocp_access_key_id')
        else:
            result['ocp_username'] = self.get_option('ocp_username')
        if self.get_option('ca_path'):
            result['ca_path'] = self.get_option('ca_path')
        return result

    def _populate(self, clusters):
        with_sys = self.get_option('include_sys_tenant')
        with_tenants = self.get_option('include_tenants')
        counts = {}
        for cluster in clusters:
            counts[cluster['name']] = counts.get(cluster['name'], 0) + 1
        # The modules run on the controller and need its Python (with requests), not a discovered one.
        common = dict(self._connection_vars(), ansible_connection='local', ansible_python_interpreter=sys.executable, oceanbase_source='ocp')
        self.inventory.add_group('ocp_clusters')
        if with_tenants:
            self.inventory.add_group('ocp_tenants')
        for cluster in clusters:
            host = cluster['name'] if counts[cluster['name']] == 1 else '%s_%s' % (cluster['name'], cluster['id'])
            tenants = [t for t in cluster['tenants'] if with_sys or t['name'] != 'sys']
            variables = dict(common, oceanbase_cluster_id=cluster['id'], oceanbase_cluster_name=cluster['name'],
                             oceanbase_cluster_type=cluster['type'], oceanbase_cluster_status=cluster['status'],
                             oceanbase_ob_cluster_id=cluster['ob_cluster_id'], oceanbase_ob_version=cluster['ob_version'],
                             oceanbase_tenants=[t['name'] for t in tenants])
            cluster_group = self.inventory.add_group('cluster_%s' % _slug(host))
            self._add(host, variables, ['ocp_clusters', cluster_group, 'ocp_%s' % _slug(cluster['type'] or 'unknown')])
            if not with_tenants:
                continue
            for tenant in tenants:
                tenant_vars = dict(variables, oceanbase_tenants=[tenant['name']], oceanbase_tenant_id=tenant['id'],
                                   oceanbase_tenant_name=tenant['name'], oceanbase_tenant_mode=tenant['mode'],
                                   oceanbase_tenant_status=tenant['status'])
                groups = ['ocp_tenants', cluster_group, 'tenant_mode_%s' % _slug(tenant['mode'] or 'unknown')]
                self._add('%s.%s' % (host, tenant['name']), tenant_vars, groups)

    def _add(self, host, variables, groups):
        strict = self.get_option('strict')
        self.inventory.add_host(host)
        for group in groups:
            self.inventory.add_group(group)
            self.inventory.add_child(group, host)
        for key, value in variables.items():
            self.inventory.set_variable(host, key, value)
        self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
        # Groups may use what compose just set, as with the constructed plugin.
        hostvars = self.inventory.get_host(host).get_vars()
        self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
