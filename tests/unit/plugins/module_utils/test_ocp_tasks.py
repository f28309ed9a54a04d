# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Whole OCP backup task queries against the simulator over real HTTP: the target resolved before any row is read,
the requests each form costs, filters, the summary, and bad input refused before any request."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, NameResolutionError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, LOG_BACKUP_TASKS, collect_tasks, task_key
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_auth import AKSK
from obsim.testing import PASSWORD, USER

UTC = timezone.utc
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=UTC)
TENANTS = '/api/v2/ob/clusters/1/tenants'


def params(url, **extra):
    base = dict(ocp_url=url, ocp_username=USER, ocp_password=PASSWORD, ocp_access_key_id=None, ocp_access_key_secret=None,
                validate_certs=True, ca_path=None, client_cert=None, client_key=None, request_timeout=5.0, retries=0,
                cluster_id=None, cluster_name=None, tenant_id=None, tenant_name=None, start_time=None, end_time=None,
                status=None, backup_set_id=None, page_size=2000, return_tasks=True)
    base.update(extra)
    return base


def aksk(url, **extra):
    return params(url, **dict(AKSK, **extra))


def fleet(ocp):
    ocp.add_cluster(1, 'obcluster', ob_cluster_id=199)
    ocp.add_tenant(1, 11, 'sys')
    ocp.add_tenant(1, 12, 'sales')
    ocp.add_tenant(1, 13, 'hr')
    ocp.add_tasks('dataBackupTasks', 1, [
        {'taskId': 1, 'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'DONE',
         'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 1, 'startTime': '2024-08-09T08:00:00+08:00',
         'finishTime': '2024-08-09T09:00:00.5+0800'},
        {'taskId': 2, 'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'FAILED',
         'dataBackupTaskType': 'INCREMENTAL_BACKUP', 'backupSetId': 2, 'startTime': '2024-08-09T20:00:00Z',
         'finishTime': '2024-08-09T21:00:00Z', 'errorMsg': 'oops'},
        {'taskId': 1, 'tenantId': 11, 'tenantName': 'sys', 'clusterName': 'obcluster', 'status': 'DOING',
         'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 1, 'startTime': '2024-08-09T22:00:00Z'},
    ])
    ocp.add_tasks('logBackupTasks', 1, [
        {'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'RUNNING', 'delay': 77.6421,
         'checkpoint': '2024-08-10T07:58:00+08:00', 'createTime': '2024-08-01T00:00:00Z'},
    ])


def page_requests(ocp):
    return [int(seen.query['page']) for seen in ocp.requests if seen.path.endswith('BackupTasks')]


def test_task_key_of_log_rows_uses_creation_time():
    row = {'tenantId': 1, 'createTime': '2024-01-01T00:00:00Z'}
    assert task_key(row) == task_key(dict(row, status='STOPPED'))
    assert task_key(row) != task_key(dict(row, tenantId=2))
    assert task_key({'tenantId': 1}) is None


def test_cluster_query_by_id_lists_every_tenant_and_costs_one_extra_request(ocp):
    fleet(ocp)
    result = collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, return_tasks=False), now=NOW)
    assert 'tasks' not in result
    assert result['cluster'] == {'id': 1, 'name': 'obcluster'} and result['tenant'] is None
    assert result['queried_at'] == '2024-08-10T00:00:00Z'
    summary = result['summary']
    assert summary['total'] == 3 and sorted(summary['tenants']) == ['hr', 'sales', 'sys']
    assert summary['tenants']['hr']['total'] == 0 and summary['tenants']['hr']['last_success'] is None
    assert summary['tenants']['sales']['last_full_success'] == {
        'task_id': 1, 'backup_set_id': 1, 'type': 'FULL_BACKUP', 'finish_time': '2024-08-09T01:00:00.500000Z', 'age_seconds': 82799}
    assert summary['tenants']['sales']['last_failure']['error_msg'] == 'oops'
    assert summary['running'] == 1 and summary['oldest_running_age_seconds'] == 7200
    assert ocp.paths() == [TENANTS, '/api/v2/ob/clusters/1/backup/task/dataBackupTasks']


def test_cluster_query_filters_status_client_side_and_sends_utc_times(ocp):
    fleet(ocp)
    result = collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_name='obcluster', status=['failed', 'Done'],
                                                     start_time='2024-08-09T08:00:00+08:00', end_time='now'), now=NOW)
    assert sorted(task['task_id'] for task in result['tasks']) == [1, 2]
    assert all(task['tenant_name'] == 'sales' for task in result['tasks'])
    assert result['summary']['by_status'] == {'DONE': 1, 'FAILED': 1}
    seen = ocp.requests[-1]
    assert seen.path == '/api/v2/ob/clusters/1/backup/task/dataBackupTasks'
    assert 'status' not in seen.query
    assert seen.query['startTime'] == '2024-08-09T00:00:00Z' and seen.query['endTime'] == '2024-08-10T00:00:00Z'
    assert ocp.paths() == ['/api/v2/ob/clusters', TENANTS, seen.path]


def test_tenant_query_by_names_sends_status_and_backup_set(ocp):
    fleet(ocp)
    result = collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_name='obcluster', tenant_name='sales', status=['DONE'],
                                                     backup_set_id=1), now=NOW)
    assert [task['task_id'] for task in result['tasks']] == [1]
    assert result['tenant'] == {'id': 12, 'name': 'sales'}
    assert list(result['summary']['tenants']) == ['sales']
    seen = ocp.requests[-1]
    assert seen.path == '/api/v2/ob/clusters/1/tenants/12/backup/task/dataBackupTasks'
    assert seen.query == {'backupSetId': '1', 'page': '1', 'size': '2000', 'status': 'DONE'}
    assert ocp.paths() == ['/api/v2/ob/clusters', TENANTS, seen.path]


def test_tenant_query_by_ids_names_both_before_the_rows(ocp):
    fleet(ocp)
    result = collect_tasks(LOG_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=12), now=NOW)
    assert result['cluster'] == {'id': 1, 'name': 'obcluster'} and result['tenant'] == {'id': 12, 'name': 'sales'}
    assert result['tasks'][0]['delay'] == 77.6421 and result['tasks'][0]['checkpoint'] == '2024-08-09T23:58:00Z'
    assert result['summary']['active'] is True and result['summary']['checkpoint_age_seconds'] == 120
    # One lookup (the tenant list names the tenant and its cluster, and proves the id), then the rows.
    assert ocp.paths() == [TENANTS, '/api/v2/ob/clusters/1/tenants/12/backup/task/logBackupTasks']


def test_tenant_query_by_ids_without_rows_is_named_too(ocp):
    fleet(ocp)
    result = collect_tasks(LOG_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=13), now=NOW)
    assert result['tenant'] == {'id': 13, 'name': 'hr'} and result['cluster']['name'] == 'obcluster'
    assert result['summary']['tenants'] == {'hr': {'total': 0, 'by_status': {}, 'status': None, 'active': False,
                                                   'delay_seconds': None, 'checkpoint': None, 'checkpoint_age_seconds': None,
                                                   'future': {}}}
    assert ocp.paths() == [TENANTS, '/api/v2/ob/clusters/1/tenants/13/backup/task/logBackupTasks']


def test_unknown_tenant_id_fails_naming_the_tenants_before_reading_tasks(ocp):
    fleet(ocp)
    with pytest.raises(NameResolutionError) as info:
        collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=99), now=NOW)
    assert 'tenant_id 99 is not a tenant of cluster 1' in info.value.msg and 'sales (id 12)' in info.value.msg
    assert info.value.details['option'] == 'tenant_id'
    assert ocp.paths() == [TENANTS]


def test_unknown_cluster_id_fails_with_the_server_message(ocp):
    fleet(ocp)
    with pytest.raises(ApiError) as info:
        collect_tasks(LOG_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=42), now=NOW)
    assert 'OBE11001' in info.value.msg and 'HTTP 404' in info.value.msg and 'GET /api/v2/ob/clusters/42/tenants' in info.value.msg


def test_cluster_name_from_cluster_details_as_last_resort(ocp):
    ocp.add_cluster(5, 'lonely')
    result = collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=5), now=NOW)
    assert result['cluster'] == {'id': 5, 'name': 'lonely'}
    assert ocp.paths() == ['/api/v2/ob/clusters/5/tenants', '/api/v2/ob/clusters/5', '/api/v2/ob/clusters/5/backup/task/dataBackupTasks']


def test_log_cluster_query_over_several_pages_with_aksk(ocp):
    fleet(ocp)
    ocp.add_tasks('logBackupTasks', 1, [
        {'tenantId': 13, 'tenantName': 'hr', 'status': 'STOPPED', 'delay': '1.5', 'checkpoint': '2024-08-0%dT00:00:00Z' % (number + 1),
         'createTime': '2024-07-0%dT00:00:00Z' % (number + 1)} for number in range(5)])
    ocp.set_quirks('total_page_key', 'wrong_page_size')
    result = collect_tasks(LOG_BACKUP_TASKS, aksk(ocp.ocp_url, cluster_name='obcluster', page_size=2), now=NOW)
    assert result['summary']['total'] == 6
    assert result['summary']['tenants']['hr']['status'] == 'STOPPED'
    assert result['summary']['tenants']['hr']['checkpoint'] == '2024-08-05T00:00:00Z'
    assert result['summary']['active'] is False
    assert page_requests(ocp) == [1, 2, 3]


def no_client(*args, **kwargs):
    raise AssertionError('a request would be made')


@pytest.mark.parametrize('extra, option', [
    (dict(cluster_id=0), 'cluster_id'),
    (dict(cluster_id=1, tenant_id=-3), 'tenant_id'),
    (dict(cluster_id=1, backup_set_id=0), 'backup_set_id'),
    (dict(cluster_id=1, page_size=0), 'page_size'),
    (dict(cluster_id=1, page_size=2001), 'page_size'),
    (dict(cluster_id=1, start_time='yesterday'), 'start_time'),
    (dict(cluster_id=1, end_time='2024-13-01T00:00:00Z'), 'end_time'),
    (dict(cluster_id=1, start_time='-1h', end_time='-2h'), 'end_time'),
    (dict(cluster_id=1, status=['DONE', ' ']), 'status'),
    (dict(cluster_name='  '), 'cluster_name'),
    (dict(cluster_id=1, tenant_name=''), 'tenant_name'),
    (dict(cluster_id=1, ocp_url='ocp:8080'), 'ocp_url'),
    (dict(cluster_id=1, ocp_url=None), 'ocp_url'),
    (dict(cluster_id=1, request_timeout=0.0), 'request_timeout'),
    (dict(cluster_id=1, retries=-1), 'retries'),
])
def test_bad_input_fails_before_any_request(extra, option):
    with pytest.raises(InputError) as info:
        collect_tasks(DATA_BACKUP_TASKS, params('http://127.0.0.1:9', **extra), now=NOW, client_factory=no_client)
    assert info.value.option == option
    assert 'expected' in info.value.msg


def test_unknown_status_is_warned_and_passed_on(ocp):
    fleet(ocp)
    warnings = []
    collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=12, status=['done', 'Paused']), warn=warnings.append, now=NOW)
    assert len(warnings) == 1 and 'Paused' in warnings[0] and 'not documented' in warnings[0]
    assert ocp.requests[-1].query['status'] == 'DONE,Paused'


def test_log_statuses_are_validated_against_the_log_list(ocp):
    fleet(ocp)
    warnings = []
    collect_tasks(LOG_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=12, status=['inprogress', 'DONE']), warn=warnings.append, now=NOW)
    assert len(warnings) == 1 and 'DONE is not documented for OCP log backup tasks' in warnings[0]


def test_relative_start_time_is_sent_in_utc(ocp):
    fleet(ocp)
    collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, cluster_id=1, tenant_id=12, start_time='-7d'), now=NOW + timedelta(seconds=0.5))
    assert ocp.requests[-1].query['startTime'] == '2024-08-03T00:00:00Z'
