# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The oceanbase.backup.ocp inventory plugin against the OCP simulator, over real HTTP."""

from __future__ import annotations

import json
import os
import socket
import sys

import pytest
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from obsim.testing import AK, PASSWORD, SK, USER

ENV = ('OCP_URL', 'OCP_USERNAME', 'OCP_PASSWORD', 'OCP_ACCESS_KEY_ID', 'OCP_ACCESS_KEY_SECRET', 'OCP_VALIDATE_CERTS',
       'ANSIBLE_INVENTORY_CACHE', 'ANSIBLE_CACHE_PLUGIN', 'ANSIBLE_CACHE_PLUGIN_CONNECTION', 'ANSIBLE_INVENTORY_CACHE_PLUGIN',
       'ANSIBLE_INVENTORY_CACHE_CONNECTION')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def ocp(ocp):
    """obprod primary + standby (same name), obdev, obtest (stopped); tenants with sys, an Oracle one."""
    for cid, name, ctype, status in ((11, 'obprod', 'PRIMARY', 'RUNNING'), (12, 'obprod', 'STANDBY', 'RUNNING'),
                                     (13, 'obdev', 'PRIMARY', 'RUNNING'), (14, 'obtest-eu', 'PRIMARY', 'STOPPED')):
        ocp.add_cluster(cid, name, type=ctype, ob_cluster_id=100 + cid % 2, status=status, ob_version='4.3.5.1')
    for cid, tid, name, mode in ((11, 1100, 'sys', 'MYSQL'), (11, 1101, 't_orders', 'MYSQL'), (11, 1102, 't_hist', 'Oracle'),
                                 (12, 1200, 'sys', 'MYSQL'), (12, 1201, 't_orders', 'MYSQL'),
                                 (13, 1300, 'sys', 'MYSQL'), (13, 1301, 'app', 'MYSQL'), (14, 1401, 'app', 'MYSQL')):
        ocp.add_tenant(cid, tid, name, mode=mode, status='NORMAL')
    return ocp


def run(tmp_path, config, cache=True, name='test.ocp.yml'):
    """Parse an inventory file written from ``config`` the way InventoryManager does; returns (inventory, plugin)."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(dict(config, plugin='oceanbase.backup.ocp')))
    inventory = InventoryData()
    plugin = inventory_loader.get('oceanbase.backup.ocp')
    assert plugin.verify_file(str(path))
    plugin.parse(inventory, DataLoader(), str(path), cache=cache)
    if plugin.get_option('cache'):
        plugin.update_cache_if_changed()
    return inventory, plugin


def basic(ocp, **extra):
    return dict(dict(ocp_url=ocp.ocp_url, ocp_username=USER, ocp_password=PASSWORD, retries=0, request_timeout=5), **extra)


def hostvars(inventory, host):
    """The variables the plugin set (without inventory_file and inventory_dir, which Ansible adds)."""
    return dict((key, value) for key, value in inventory.get_host(host).vars.items() if not key.startswith('inventory_'))


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts())


def dump(inventory):
    return json.dumps({host: hostvars(inventory, host) for host in inventory.hosts}, default=str)


# ---- default shape: one host per cluster, as compliance_audit.yml consumes it ---------------------------------

def test_one_host_per_cluster_with_the_audit_contract_vars(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp))
    assert sorted(inventory.hosts) == ['obdev', 'obprod_11', 'obprod_12', 'obtest-eu']
    assert hostvars(inventory, 'obprod_11') == {
        'ocp_url': ocp.ocp_url, 'ocp_username': USER, 'validate_certs': True,
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable, 'oceanbase_source': 'ocp',
        'oceanbase_cluster_id': 11, 'oceanbase_cluster_name': 'obprod', 'oceanbase_cluster_type': 'PRIMARY',
        'oceanbase_cluster_status': 'RUNNING', 'oceanbase_ob_cluster_id': 101, 'oceanbase_ob_version': '4.3.5.1',
        'oceanbase_tenants': ['t_orders', 't_hist'],
    }
    assert hostvars(inventory, 'obdev')['oceanbase_tenants'] == ['app']
    assert hostvars(inventory, 'obprod_12')['oceanbase_cluster_type'] == 'STANDBY'


def test_default_groups_by_cluster_and_type(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp))
    assert members(inventory, 'ocp_clusters') == ['obdev', 'obprod_11', 'obprod_12', 'obtest-eu']
    assert members(inventory, 'ocp_primary') == ['obdev', 'obprod_11', 'obtest-eu']
    assert members(inventory, 'ocp_standby') == ['obprod_12']
    assert members(inventory, 'cluster_obprod_11') == ['obprod_11']
    assert members(inventory, 'cluster_obtest_eu') == ['obtest-eu']
    # Without tenant hosts there is no tenant group.
    assert 'ocp_tenants' not in inventory.groups
    assert not [group for group in inventory.groups if group.startswith('tenant_mode_')]


def test_no_secret_in_host_vars(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, include_tenants=True))
    text = dump(inventory)
    assert PASSWORD not in text
    assert 'ocp_password' not in text


def test_include_sys_tenant(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, include_sys_tenant=True, include_tenants=True))
    assert hostvars(inventory, 'obdev')['oceanbase_tenants'] == ['sys', 'app']
    assert 'obdev.sys' in inventory.hosts


# ---- tenant hosts -----------------------------------------------------------------------------------------------

def test_tenant_hosts_vars_and_groups(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, include_tenants=True))
    assert members(inventory, 'ocp_tenants') == ['obdev.app', 'obprod_11.t_hist', 'obprod_11.t_orders', 'obprod_12.t_orders', 'obtest-eu.app']
    assert members(inventory, 'ocp_clusters') == ['obdev', 'obprod_11', 'obprod_12', 'obtest-eu']
    assert members(inventory, 'cluster_obprod_11') == ['obprod_11', 'obprod_11.t_hist', 'obprod_11.t_orders']
    # OCP samples send "Oracle": the group name does not depend on the case.
    assert members(inventory, 'tenant_mode_oracle') == ['obprod_11.t_hist']
    assert members(inventory, 'tenant_mode_mysql') == ['obdev.app', 'obprod_11.t_orders', 'obprod_12.t_orders', 'obtest-eu.app']
    tenant = hostvars(inventory, 'obprod_11.t_hist')
    assert (tenant['oceanbase_tenant_id'], tenant['oceanbase_tenant_name'], tenant['oceanbase_tenant_mode'], tenant['oceanbase_tenant_status']) == \
        (1102, 't_hist', 'Oracle', 'NORMAL')
    assert tenant['oceanbase_tenants'] == ['t_hist']
    assert (tenant['oceanbase_cluster_id'], tenant['oceanbase_cluster_name'], tenant['ocp_url']) == (11, 'obprod', ocp.ocp_url)
    assert 'oceanbase_tenant_id' not in hostvars(inventory, 'obprod_11')
    assert 'obprod_11.sys' not in inventory.hosts


# ---- requests: paging and filters -------------------------------------------------------------------------------

def test_one_request_per_list_at_the_default_page_size(ocp, tmp_path):
    run(tmp_path, basic(ocp))
    assert ocp.paths() == ['/api/v2/ob/clusters'] + ['/api/v2/ob/clusters/%d/tenants' % cid for cid in (11, 12, 13, 14)]
    assert all(seen.query['size'] == '2000' and seen.query['page'] == '1' for seen in ocp.requests)


@pytest.mark.parametrize('quirks, faults', [((), []), (('total_page_key', 'wrong_page_size'), []), (('no_total',), []),
                                            (('no_total',), [{'kind': 'page_shift'}])])
def test_paging_clusters_and_tenants_across_pages(ocp, tmp_path, quirks, faults):
    ocp.set_quirks(*quirks)
    ocp.set_faults(faults)
    inventory, _plugin = run(tmp_path, basic(ocp, page_size=2, include_tenants=True))
    assert len(inventory.hosts) == 9
    assert hostvars(inventory, 'obprod_11')['oceanbase_tenants'] == ['t_orders', 't_hist']
    cluster_pages = [seen.query['page'] for seen in ocp.requests if seen.path == '/api/v2/ob/clusters']
    # 4 clusters at 2 a page; without page counts a short (here: empty) page ends the list.
    assert cluster_pages == (['1', '2', '3'] if 'no_total' in quirks else ['1', '2'])
    tenant_pages = [seen.query['page'] for seen in ocp.requests if seen.path == '/api/v2/ob/clusters/11/tenants']
    assert tenant_pages[:2] == ['1', '2']
    assert all(seen.query['size'] == '2' for seen in ocp.requests)


def test_filters_by_name_pattern_status_and_type(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, cluster_names=['obprod*', 'obtest-*'], cluster_statuses=['running'], cluster_types=['PRIMARY']))
    assert sorted(inventory.hosts) == ['obprod']
    # The only cluster left keeps its plain name, and no tenant list is read for the others.
    assert hostvars(inventory, 'obprod')['oceanbase_cluster_id'] == 11
    assert ocp.paths() == ['/api/v2/ob/clusters', '/api/v2/ob/clusters/11/tenants']


def test_filter_by_type_standby(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, cluster_types=['STANDBY']))
    assert sorted(inventory.hosts) == ['obprod']
    assert members(inventory, 'ocp_standby') == ['obprod']
    assert 'ocp_primary' not in inventory.groups


def test_filter_by_status_only(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(ocp, cluster_statuses=['STOPPED']))
    assert sorted(inventory.hosts) == ['obtest-eu']


def test_unknown_cluster_type_is_refused_by_the_option_choices(ocp, tmp_path):
    with pytest.raises(AnsibleError, match='cluster_types'):
        run(tmp_path, basic(ocp, cluster_types=['ARBITRATION']))
    assert ocp.requests == []


# ---- Constructable --------------------------------------------------------------------------------------------

def test_keyed_groups_groups_and_compose(ocp, tmp_path):
    inventory, _plugin = run(tmp_path, basic(
        ocp, include_tenants=True,
        keyed_groups=[{'key': 'oceanbase_ob_version', 'prefix': 'ob'}, {'key': 'oceanbase_cluster_status', 'prefix': 'status'}],
        compose={'cluster_label': "oceanbase_cluster_name ~ '/' ~ oceanbase_cluster_type"},
        groups={'oracle_tenants': "oceanbase_tenant_mode is defined and oceanbase_tenant_mode | upper == 'ORACLE'",
                'standby_by_label': "cluster_label is defined and cluster_label.endswith('/STANDBY')"},
    ))
    assert len(members(inventory, 'ob_4_3_5_1')) == 9
    assert members(inventory, 'status_STOPPED') == ['obtest-eu', 'obtest-eu.app']
    assert hostvars(inventory, 'obprod_12')['cluster_label'] == 'obprod/STANDBY'
    assert members(inventory, 'oracle_tenants') == ['obprod_11.t_hist']
    # groups see what compose set
    assert members(inventory, 'standby_by_label') == ['obprod_12', 'obprod_12.t_orders']


def test_strict_compose_error_is_raised(ocp, tmp_path):
    with pytest.raises(AnsibleError):
        run(tmp_path, basic(ocp, strict=True, compose={'broken': 'no_such_variable.attribute'}))


# ---- cache ----------------------------------------------------------------------------------------------------

def cached(ocp, tmp_path, **extra):
    return basic(ocp, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'), **extra)


def test_second_run_is_served_from_the_cache(ocp, tmp_path):
    first, _plugin = run(tmp_path, cached(ocp, tmp_path, include_tenants=True))
    count = len(ocp.requests)
    assert count == 5
    second, _plugin = run(tmp_path, cached(ocp, tmp_path, include_tenants=True))
    assert len(ocp.requests) == count
    assert dump(second) == dump(first)
    assert sorted(second.groups) == sorted(first.groups)
    files = os.listdir(str(tmp_path / 'cache'))
    assert len(files) == 1
    content = (tmp_path / 'cache' / files[0]).read_text()
    assert 't_orders' in content and PASSWORD not in content and USER not in content


def test_flush_cache_reads_ocp_again(ocp, tmp_path):
    run(tmp_path, cached(ocp, tmp_path))
    count = len(ocp.requests)
    # ansible-inventory --flush-cache parses with cache=False
    run(tmp_path, cached(ocp, tmp_path), cache=False)
    assert len(ocp.requests) == 2 * count
    run(tmp_path, cached(ocp, tmp_path))
    assert len(ocp.requests) == 2 * count


def test_cache_key_follows_the_filters(ocp, tmp_path):
    run(tmp_path, cached(ocp, tmp_path))
    count = len(ocp.requests)
    inventory, _plugin = run(tmp_path, cached(ocp, tmp_path, cluster_names=['obdev']))
    assert len(ocp.requests) > count
    assert sorted(inventory.hosts) == ['obdev']


def test_without_cache_every_run_reads_ocp(ocp, tmp_path):
    run(tmp_path, basic(ocp))
    count = len(ocp.requests)
    run(tmp_path, basic(ocp))
    assert len(ocp.requests) == 2 * count


# ---- AK/SK and the environment ----------------------------------------------------------------------------------

def test_aksk_from_the_environment(ocp, tmp_path, monkeypatch):
    monkeypatch.setenv('OCP_URL', ocp.ocp_url + '/')
    monkeypatch.setenv('OCP_ACCESS_KEY_ID', AK)
    monkeypatch.setenv('OCP_ACCESS_KEY_SECRET', SK)
    inventory, _plugin = run(tmp_path, {})
    assert sorted(inventory.hosts) == ['obdev', 'obprod_11', 'obprod_12', 'obtest-eu']
    assert all(seen.headers['Authorization'].startswith('OCP-ACCESS-KEY-HMACSHA1 %s:' % AK) for seen in ocp.requests)
    variables = hostvars(inventory, 'obdev')
    assert variables['ocp_access_key_id'] == AK
    assert variables['ocp_url'] == ocp.ocp_url
    assert 'ocp_username' not in variables
    assert SK not in dump(inventory)


def test_password_from_the_environment(ocp, tmp_path, monkeypatch):
    monkeypatch.setenv('OCP_PASSWORD', PASSWORD)
    monkeypatch.setenv('OCP_VALIDATE_CERTS', 'false')
    inventory, _plugin = run(tmp_path, dict(ocp_url=ocp.ocp_url, ocp_username=USER, ca_path='/etc/ssl/ocp-ca.pem'))
    variables = hostvars(inventory, 'obdev')
    assert (variables['ocp_username'], variables['validate_certs'], variables['ca_path']) == (USER, False, '/etc/ssl/ocp-ca.pem')
    assert PASSWORD not in dump(inventory)


# ---- errors ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('options, option, accepted', [
    (dict(ocp_username=None, ocp_password=None), 'ocp_username', 'expected ocp_username and ocp_password, or ocp_access_key_id'),
    (dict(ocp_access_key_id=AK, ocp_access_key_secret=SK), 'ocp_access_key_id', 'cannot be combined with ocp_username'),
    (dict(ocp_password=None), 'ocp_password', 'not set, but ocp_username is'),
    (dict(ocp_username=None, ocp_password=None, ocp_access_key_id=AK), 'ocp_access_key_secret', 'not set, but ocp_access_key_id is'),
    (dict(ocp_url='ftp://ocp.example.com'), 'ocp_url', 'expected an http:// or https:// URL'),
    (dict(ocp_url=None), 'ocp_url', 'not set; set ocp_url or the OCP_URL environment variable'),
    (dict(ocp_url='http://admin:%s@ocp.example.com' % PASSWORD), 'ocp_url', 'credentials in the URL are not accepted'),
    (dict(page_size=0), 'page_size', 'expected an integer from 1 to 2000'),
    (dict(page_size=2001), 'page_size', 'expected an integer from 1 to 2000'),
    (dict(request_timeout=0), 'request_timeout', 'greater than 0'),
    (dict(retries=-1), 'retries', 'expected 0 or more'),
])
def test_bad_options_fail_before_any_request(ocp, tmp_path, options, option, accepted):
    config = dict((key, value) for key, value in dict(basic(ocp), **options).items() if value is not None)
    with pytest.raises(AnsibleParserError) as info:
        run(tmp_path, config)
    message = str(info.value)
    assert message.startswith('oceanbase.backup.ocp inventory: Invalid value for option %s: ' % option)
    assert accepted in message
    assert PASSWORD not in message
    assert ocp.requests == []


def test_wrong_password_names_the_request_and_hides_the_password(ocp, tmp_path):
    with pytest.raises(AnsibleParserError) as info:
        run(tmp_path, basic(ocp, ocp_password='Wr0ng-pass!'))
    message = str(info.value)
    assert 'GET /api/v2/ob/clusters failed with HTTP 401' in message
    assert 'code IAM10004' in message and 'traceId %s' % ocp.requests[-1].trace_id in message
    assert 'Wr0ng-pass!' not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unreachable_ocp_is_a_clear_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    with pytest.raises(AnsibleParserError) as info:
        run(tmp_path, dict(ocp_url='http://127.0.0.1:%d' % port, ocp_username=USER, ocp_password=PASSWORD, retries=0, request_timeout=2))
    message = str(info.value)
    assert 'GET http://127.0.0.1:%d/api/v2/ob/clusters' % port in message
    assert 'connection failed after 1 attempt' in message
    assert PASSWORD not in message


def test_cluster_row_without_an_id_is_a_format_error(ocp, tmp_path):
    ocp.ocp.clusters[0]['id'] = 'eleven'
    with pytest.raises(AnsibleParserError, match='GET /api/v2/ob/clusters returned a cluster without an integer id'):
        run(tmp_path, basic(ocp))


def test_the_file_name_must_end_in_ocp_yml(tmp_path):
    plugin = inventory_loader.get('oceanbase.backup.ocp')
    for name, expected in (('prod.ocp.yml', True), ('ocp.yaml', True), ('prod.yml', False), ('ocp.yml.bak', False)):
        path = tmp_path / name
        path.write_text('plugin: oceanbase.backup.ocp\n')
        assert plugin.verify_file(str(path)) is expected
