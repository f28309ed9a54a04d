# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: ocp
short_description: OceanBase clusters (and tenants) managed by OCP as inventory hosts
version_added: 0.1.0
description:
  - Reads the clusters, and the tenants of each cluster, from the OCP REST API v2 and makes one host per cluster,
    shaped for C(playbooks/compliance_audit.yml) - C(oceanbase_source=ocp), the cluster id and name, C(oceanbase_tenants)
    (every tenant but C(sys)), C(ocp_url), C(ansible_connection=local) and C(ansible_python_interpreter) set to the
    controller's Python.
  - With O(include_tenants), tenants become hosts too, in the group C(ocp_tenants); cluster hosts are in C(ocp_clusters).
    Run the audit playbook with C(--limit ocp_clusters) then, since it checks every tenant of a cluster in one query.
  - Default groups - C(cluster_<name>) (the cluster and its tenant hosts), C(ocp_primary) / C(ocp_standby) by cluster type,
    and C(tenant_mode_mysql) / C(tenant_mode_oracle) for tenant hosts. O(keyed_groups), O(groups) and O(compose) add more.
  - Secrets are never written into host variables. Hosts get C(ocp_username) or C(ocp_access_key_id); give the play the
    password or secret through E(OCP_PASSWORD) / E(OCP_ACCESS_KEY_SECRET) (the modules read them) or a vaulted variable.
  - The file must end in C(ocp.yml) or C(ocp.yaml).
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [oceanbase.backup.ocp]
    type: str
  ocp_url:
    description: Base URL of OCP, C(http(s)://host:port).
    type: str
    required: true
    env:
      - name: OCP_URL
  ocp_username:
    description: OCP user for HTTP Basic authentication.
    type: str
    env:
      - name: OCP_USERNAME
  ocp_password:
    description: Password of O(ocp_username).
    type: str
    env:
      - name: OCP_PASSWORD
  ocp_access_key_id:
    description: AccessKey ID for AK/SK request signing.
    type: str
    env:
      - name: OCP_ACCESS_KEY_ID
  ocp_access_key_secret:
    description: AccessKey secret of O(ocp_access_key_id).
    type: str
    env:
      - name: OCP_ACCESS_KEY_SECRET
  validate_certs:
    description: Verify the TLS certificate of OCP.
    type: bool
    default: true
    env:
      - name: OCP_VALIDATE_CERTS
  ca_path:
    description: PEM file of the certificate authorities to trust.
    type: path
  client_cert:
    description: PEM file with a client certificate.
    type: path
  client_key:
    description: PEM file with the key of O(client_cert).
    type: path
  request_timeout:
    description: Seconds to wait for each answer.
    type: float
    default: 30
  retries:
    description: Retries after connection errors and HTTP 429, 502, 503, 504.
    type: int
    default: 3
  page_size:
    description: Rows per page when listing clusters and tenants (OCP caps it at 2000).
    type: int
    default: 2000
  include_tenants:
    description: Also make a host per tenant.
    type: bool
    default: false
  include_sys_tenant:
    description: Count the C(sys) tenant in C(oceanbase_tenants) and, with O(include_tenants), as a host.
    type: bool
    default: false
  cluster_names:
    description: Only clusters whose name matches one of these shell patterns, for example V(obprod*).
    type: list
    elements: str
    default: []
  cluster_statuses:
    description: Only clusters in one of these states, for example V(RUNNING).
    type: list
    elements: str
    default: []
  cluster_types:
    description: Only clusters of these types.
    type: list
    elements: str
    choices: [PRIMARY, STANDBY]
    default: []
'''

EXAMPLES = r'''
# ocp.yml - every running primary cluster, with its tenants listed for the audit
plugin: oceanbase.backup.ocp
ocp_url: https://ocp.example.com:8080
ocp_username: auditor
cluster_statuses: [RUNNING]
cluster_types: [PRIMARY]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/oceanbase-inventory
keyed_groups:
  - key: oceanbase_ob_version
    prefix: ob_version

# Then: OCP_PASSWORD=... ansible-playbook -i ocp.yml playbooks/compliance_audit.yml
'''

import fnmatch
import re
import sys

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import OceanBaseError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp import MAX_PAGE_SIZE, OcpClient, id_key

_CONNECTION = ('ocp_url', 'ocp_username', 'ocp_password', 'ocp_access_key_id', 'ocp_access_key_secret', 'validate_certs',
               'ca_path', 'client_cert', 'client_key', 'request_timeout', 'retries')


def _slug(text):
    return re.sub(r'[^A-Za-z0-9_]', '_', str(text)).lower()


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'oceanbase.backup.ocp'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('ocp.yml', 'ocp.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        clusters = None
        if use_cache:
            try:
                clusters = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if clusters is None:
            clusters = self._fetch()
        if update_cache:
            self._cache[cache_key] = clusters
        self._populate(clusters)

    def _fetch(self):
        """[{cluster fields, tenants: [...]}]: plain data, no secrets, so it may be cached."""
        params = dict((name, self.get_option(name)) for name in _CONNECTION)
        if not params['ocp_username'] and not params['ocp_access_key_id']:
            raise AnsibleParserError('oceanbase.backup.ocp inventory: give ocp_username and ocp_password, or ocp_access_key_id '
                                     'and ocp_access_key_secret (options or the OCP_* environment variables)')
        page_size = self.get_option('page_size')
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise AnsibleParserError('oceanbase.backup.ocp inventory: page_size %s is out of range; expected 1 to %d' % (page_size, MAX_PAGE_SIZE))
        try:
            client = OcpClient(params)
            try:
                clusters = []
                for row in client.iter_pages('/api/v2/ob/clusters', page_size=page_size, key=id_key):
                    if not self._wanted(row):
                        continue
                    tenants = client.iter_pages('/api/v2/ob/clusters/%d/tenants' % row['id'], page_size=page_size, key=id_key)
                    clusters.append({
                        'id': row.get('id'), 'name': row.get('name'), 'type': row.get('type'), 'status': row.get('status'),
                        'ob_cluster_id': row.get('obClusterId'), 'ob_version': row.get('obVersion'),
                        'tenants': [{'id': t.get('id'), 'name': t.get('name'), 'mode': t.get('mode'), 'status': t.get('status')}
                                    for t in tenants],
                    })
                return clusters
            finally:
                client.close()
        except OceanBaseError as exc:
            raise AnsibleParserError('oceanbase.backup.ocp inventory: %s' % exc.msg) from None

    def _wanted(self, row):
        names, statuses, types = self.get_option('cluster_names'), self.get_option('cluster_statuses'), self.get_option('cluster_types')
        if names and not any(fnmatch.fnmatchcase(row.get('name') or '', pattern) for pattern in names):
            return False
        if statuses and (row.get('status') or '').upper() not in [s.upper() for s in statuses]:
            return False
        return not types or (row.get('type') or '').upper() in types

    def _populate(self, clusters):
        strict = self.get_option('strict')
        with_sys = self.get_option('include_sys_tenant')
        counts = {}
        for cluster in clusters:
            counts[cluster['name']] = counts.get(cluster['name'], 0) + 1
        auth = {'ocp_url': self.get_option('ocp_url')}
        # Only the non-secret half of the credentials; the modules read the secret from the environment.
        if self.get_option('ocp_access_key_id'):
            auth['ocp_access_key_id'] = self.get_option('ocp_access_key_id')
        elif self.get_option('ocp_username'):
            auth['ocp_username'] = self.get_option('ocp_username')
        for group in ('ocp_clusters', 'ocp_tenants'):
            self.inventory.add_group(group)
        for cluster in clusters:
            # A primary and its standby share the OceanBase cluster name: keep host names unique.
            host = cluster['name'] if counts[cluster['name']] == 1 else '%s_%s' % (cluster['name'], cluster['id'])
            tenants = [t for t in cluster['tenants'] if with_sys or t['name'] != 'sys']
            # The modules run on the controller and need its Python (with requests), not a discovered one.
            variables = dict(auth, ansible_connection='local', ansible_python_interpreter=sys.executable, oceanbase_source='ocp',
                             oceanbase_cluster_id=cluster['id'],
                             oceanbase_cluster_name=cluster['name'], oceanbase_cluster_type=cluster['type'],
                             oceanbase_cluster_status=cluster['status'], oceanbase_ob_cluster_id=cluster['ob_cluster_id'],
                             oceanbase_ob_version=cluster['ob_version'], oceanbase_tenants=[t['name'] for t in tenants])
            cluster_group = self.inventory.add_group('cluster_%s' % _slug(host))
            self._add(host, variables, ['ocp_clusters', cluster_group, 'ocp_%s' % _slug(cluster['type'] or 'unknown')], strict)
            if not self.get_option('include_tenants'):
                continue
            for tenant in tenants:
                tenant_vars = dict(variables, oceanbase_tenants=[tenant['name']], oceanbase_tenant_id=tenant['id'],
                                   oceanbase_tenant_name=tenant['name'], oceanbase_tenant_mode=tenant['mode'])
                groups = ['ocp_tenants', cluster_group, 'tenant_mode_%s' % _slug(tenant['mode'] or 'unknown')]
                self._add('%s.%s' % (host, tenant['name']), tenant_vars, groups, strict)

    def _add(self, host, variables, groups, strict):
        self.inventory.add_host(host)
        for group in groups:
            self.inventory.add_group(group)
            self.inventory.add_child(group, host)
        for key, value in variables.items():
            self.inventory.set_variable(host, key, value)
        self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)
