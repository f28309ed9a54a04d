# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ocp_data_backup_tasks_info and ocp_log_backup_tasks_info through AnsibleModule: option checks, results, EXAMPLES."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from ansible.module_utils.testing import patch_module_args

from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient
from ansible_collections.oceanbase.backup.plugins.modules import ocp_data_backup_tasks_info, ocp_log_backup_tasks_info
from obsim.testing import AK, PASSWORD, SK, USER

MODULES = {'data': ocp_data_backup_tasks_info, 'log': ocp_log_backup_tasks_info}
ENV = ('OCP_URL', 'OCP_USERNAME', 'OCP_PASSWORD', 'OCP_ACCESS_KEY_ID', 'OCP_ACCESS_KEY_SECRET', 'OCP_VALIDATE_CERTS')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def ocp(ocp):
    """The simulator of tests/unit/conftest.py with two clusters, three tenants and a data and a log task."""
    ocp.add_cluster(1000005, 'obcluster', type='PRIMARY', ob_cluster_id=199)
    ocp.add_cluster(1000007, 'obcluster2')
    ocp.add_tenant(1000005, 1000001, 'sys')
    ocp.add_tenant(1000005, 1000012, 'sales')
    ocp.add_tenant(1000005, 1000013, 'hr')
    ocp.add_tasks('dataBackupTasks', 1000005, [{
        'taskId': 3, 'tenantId': 1000012, 'tenantName': 'sales', 'clusterId': 1000005, 'clusterName': 'obcluster',
        'status': 'DONE', 'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 3,
        'startTime': '2024-08-09T16:00:52.151857+08:00', 'finishTime': '2024-08-09T08:02:57.715753Z'}])
    ocp.add_tasks('logBackupTasks', 1000005, [{
        'tenantId': 1000012, 'tenantName': 'sales', 'clusterId': 1000005, 'clusterName': 'obcluster', 'status': 'RUNNING',
        'checkpoint': '2024-08-09T16:04:21.810084+0800', 'createTime': '2024-08-09T15:58:21.716899+08:00', 'delay': 100.1899}])
    return ocp


@pytest.fixture()
def no_http(monkeypatch):
    calls = []

    def refuse(self, method, path, params=None):
        calls.append(path)
        raise AssertionError('unexpected request %s %s' % (method, path))
    monkeypatch.setattr(HttpClient, 'request', refuse)
    return calls


def run(kind, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            MODULES[kind].main()
    return json.loads(capsys.readouterr().out)


def basic(url, **extra):
    args = dict(ocp_url=url, ocp_username=USER, ocp_password=PASSWORD, retries=0, request_timeout=5)
    args.update(extra)
    return args


@pytest.mark.parametrize('kind', ['data', 'log'])
@pytest.mark.parametrize('extra, needle', [
    (dict(cluster_id=0), 'cluster_id'),
    (dict(cluster_id=1, tenant_id=0), 'tenant_id'),
    (dict(cluster_id=1, page_size=5000), 'page_size'),
    (dict(cluster_id=1, start_time='last tuesday'), 'start_time'),
    (dict(cluster_id=1, start_time='now', end_time='-1d'), 'end_time'),
    (dict(cluster_id=1, ocp_url='ocp.example.com'), 'ocp_url'),
    # Not `required` (module_defaults and the environment may give it), but checked before any request.
    (dict(cluster_id=1, ocp_url=None), 'ocp_url: not set; set ocp_url or the OCP_URL environment variable'),
    (dict(cluster_id=1, cluster_name='x'), 'mutually exclusive: cluster_id|cluster_name'),
    (dict(cluster_id=1, tenant_id=2, tenant_name='x'), 'mutually exclusive: tenant_id|tenant_name'),
    (dict(), 'one of the following is required: cluster_id, cluster_name'),
    (dict(cluster_id=1, ocp_access_key_id=AK, ocp_access_key_secret=SK), 'ocp_access_key_id: cannot be combined with ocp_username'),
    (dict(cluster_id=1, ocp_password=None), 'ocp_password: empty or not set, but ocp_username is'),
    (dict(cluster_id=1, ocp_password=''), 'ocp_password: empty or not set, but ocp_username is'),
    (dict(cluster_id=1, request_timeout=float('nan')), 'request_timeout'),
    (dict(cluster_id=1, unknown_option=1), 'Unsupported parameters'),
])
def test_bad_input_fails_before_any_request(kind, extra, needle, capsys, no_http):
    args = basic('http://127.0.0.1:9')
    args.update(extra)
    args = dict((key, value) for key, value in args.items() if value is not None)
    result = run(kind, args, capsys)
    assert result['failed'] is True
    assert needle in result['msg']
    assert no_http == []
    assert PASSWORD not in json.dumps(result)


def test_backup_set_id_is_a_data_option_only(capsys, no_http):
    result = run('log', basic('http://127.0.0.1:9', cluster_id=1, backup_set_id=3), capsys)
    assert result['failed'] is True and 'backup_set_id' in result['msg']
    result = run('data', basic('http://127.0.0.1:9', cluster_id=1, backup_set_id=-3), capsys)
    assert result['failed'] is True and result['option'] == 'backup_set_id'


def test_no_auth_at_all(capsys, no_http):
    result = run('data', {'ocp_url': 'http://127.0.0.1:9', 'cluster_id': 1}, capsys)
    assert result['msg'] == ('Invalid value for option ocp_username: no credentials given; expected ocp_username and ocp_password, '
                             'or ocp_access_key_id and ocp_access_key_secret (options or the OCP_* environment variables)')


@pytest.mark.parametrize('env, args, needle', [
    (dict(OCP_USERNAME=USER), {}, 'ocp_password: empty or not set, but ocp_username is'),
    (dict(OCP_ACCESS_KEY_SECRET=SK), {}, 'ocp_access_key_id: empty or not set, but ocp_access_key_secret is'),
    (dict(OCP_USERNAME=USER, OCP_PASSWORD=PASSWORD), dict(ocp_access_key_id=AK, ocp_access_key_secret=SK),
     'ocp_access_key_id: cannot be combined with ocp_username'),
    (dict(OCP_URL='ocp.example.com:8080', OCP_USERNAME=USER, OCP_PASSWORD=PASSWORD), {}, "ocp_url: 'ocp.example.com:8080' has no http"),
])
def test_environment_values_count(env, args, needle, capsys, no_http, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = dict(args, cluster_id=1)
    if 'OCP_URL' not in env:
        args['ocp_url'] = 'http://127.0.0.1:9'
    result = run('log', args, capsys)
    assert result['failed'] is True and needle in result['msg']
    assert PASSWORD not in json.dumps(result) and SK not in json.dumps(result)


@pytest.mark.parametrize('check_mode', [False, True])
def test_cluster_query_result(ocp, capsys, check_mode):
    args = basic(ocp.ocp_url, cluster_name='obcluster2')
    ocp.add_tenant(1000007, 2000001, 'only')
    if check_mode:
        args['_ansible_check_mode'] = True
    result = run('data', args, capsys)
    assert result['changed'] is False and 'failed' not in result
    assert result['cluster'] == {'id': 1000007, 'name': 'obcluster2'}
    assert result['tenant'] is None and result['tasks'] == []
    assert result['summary']['tenants']['only']['total'] == 0
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$', result['queried_at'])


def test_tenant_query_with_aksk_from_environment(ocp, capsys, monkeypatch):
    monkeypatch.setenv('OCP_URL', ocp.ocp_url)
    monkeypatch.setenv('OCP_ACCESS_KEY_ID', AK)
    monkeypatch.setenv('OCP_ACCESS_KEY_SECRET', SK)
    result = run('log', {'cluster_id': 1000005, 'tenant_name': 'sales', 'retries': 0}, capsys)
    assert result['tenant'] == {'id': 1000012, 'name': 'sales'}
    assert result['tasks'][0]['checkpoint'] == '2024-08-09T08:04:21.810084Z'
    assert result['summary']['tenants']['sales']['active'] is True
    assert ocp.requests[-1].headers['Authorization'].startswith('OCP-ACCESS-KEY-HMACSHA1 ')
    assert SK not in json.dumps(result)


def test_ambiguous_cluster_name_fails_listing_candidates(ocp, capsys):
    ocp.add_cluster(1000006, 'obcluster', type='STANDBY', ob_cluster_id=199)
    result = run('data', basic(ocp.ocp_url, cluster_name='obcluster'), capsys)
    assert result['failed'] is True
    assert [c['id'] for c in result['candidates']] == [1000005, 1000006]
    assert 'STANDBY' in result['msg'] and 'Traceback' not in json.dumps(result)


def test_wrong_password_fails_cleanly(ocp, capsys):
    result = run('data', basic(ocp.ocp_url, cluster_id=1000005, ocp_password='not-the-password'), capsys)
    assert result['failed'] is True and result['http_status'] == 401
    assert 'GET /api/v2/ob/clusters/1000005/tenants failed with HTTP 401' in result['msg']
    assert ocp.requests[-1].trace_id in result['msg'] and 'IAM10004' in result['msg']
    assert 'not-the-password' not in json.dumps(result)
    assert 'exception' not in result


def test_unknown_status_warns(ocp, capsys):
    result = run('data', basic(ocp.ocp_url, cluster_id=1000005, tenant_id=1000012, status=['done', 'paused']), capsys)
    assert 'status paused is not documented' in json.dumps(result['warnings'])
    assert [task['task_id'] for task in result['tasks']] == [3]


def example_tasks(module):
    """(task args, environment) of every task of EXAMPLES that calls the module, with block-level module_defaults."""
    found = []

    def walk(tasks, defaults):
        for task in tasks:
            group = dict(defaults)
            group.update((task.get('module_defaults') or {}).get('group/oceanbase.backup.ocp') or {})
            if 'block' in task:
                walk(task['block'], group)
                continue
            for name, args in task.items():
                if name.startswith('oceanbase.backup.'):
                    merged = dict(group)
                    merged.update(args)
                    found.append((name.rsplit('.', 1)[1], merged, task.get('environment') or {}))
    walk(yaml.safe_load(module.EXAMPLES), {})
    return found


def render(value, url):
    values = {'vault_ocp_password': PASSWORD, 'vault_ocp_access_key_id': AK, 'vault_ocp_access_key_secret': SK}
    if isinstance(value, str):
        value = re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: values[m.group(1)], value)
        return value.replace('https://ocp.example.com:8080', url)
    if isinstance(value, list):
        return [render(item, url) for item in value]
    return value


@pytest.mark.parametrize('kind', ['data', 'log'])
def test_examples_run(kind, ocp, capsys, monkeypatch):
    tasks = example_tasks(MODULES[kind])
    assert len(tasks) >= 4
    assert any(not env and 'ocp_access_key_id' in args for name, args, env in tasks)    # the module_defaults example
    for name, args, env in tasks:
        assert name == MODULES[kind].__name__.rsplit('.', 1)[1]
        for key in ENV:
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, render(value, ocp.ocp_url))
        args = dict((key, render(value, ocp.ocp_url)) for key, value in args.items())
        args['retries'] = 0
        result = run(kind, args, capsys)
        assert 'failed' not in result, (args, result)
        assert result['cluster']['id'] == 1000005
