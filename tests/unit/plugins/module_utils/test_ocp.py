# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP client: AK/SK signer, URL validation, paging, name resolution and the backup task queries (over real HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from ansible_collections.oceanbase.backup.plugins.module_utils import _ocp
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    InputError,
    NameResolutionError,
    ResponseFormatError,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp import (
    OcpAkSkAuth,
    OcpClient,
    aksk_signature,
    aksk_string_to_sign,
    collect_backup_tasks,
    task_key,
    validate_ocp_url,
)
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_fakeserver import (
    AK,
    PASSWORD,
    SK,
    USER,
    serve,
)

UTC = timezone.utc
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=UTC)


@pytest.fixture()
def ocp():
    with serve() as fake:
        yield fake


def params(url, **extra):
    base = dict(ocp_url=url, ocp_username=USER, ocp_password=PASSWORD, ocp_access_key_id=None, ocp_access_key_secret=None,
                validate_certs=True, ca_path=None, client_cert=None, client_key=None, request_timeout=5.0, retries=0,
                cluster_id=None, cluster_name=None, tenant_id=None, tenant_name=None, start_time=None, end_time=None,
                status=None, backup_set_id=None, page_size=2000, return_tasks=True)
    base.update(extra)
    return base


def aksk(url, **extra):
    values = dict(ocp_username=None, ocp_password=None, ocp_access_key_id=AK, ocp_access_key_secret=SK)
    values.update(extra)
    return params(url, **values)


# ---- AK/SK signer ------------------------------------------------------------------------------

def test_documented_vector_get():
    message = aksk_string_to_sign('GET', '', 'application/json;charset=utf-8', 'Tue, 17 Jan 2023 04:14:02 GMT',
                                  'ocp.alibaba.net:8080', {}, '/api/v2/compute/idcs?size=100')
    assert message == ('GET\n\napplication/json;charset=utf-8\nTue, 17 Jan 2023 04:14:02 GMT\nocp.alibaba.net:8080\n\n'
                       '/api/v2/compute/idcs?size=100')
    assert aksk_signature(SK, message) == 'TsQD6HDOuZuJ409m0wdnZPmijlc='


def test_documented_vector_post_with_body_and_x_ocp_header():
    message = aksk_string_to_sign('post', '186974DB33A090A16D3E2CA35F547B56', 'application/json',
                                  'Tue, 17 Jan 2023 09:13:57 GMT', 'ocp.alibaba.net:8080', {'x-ocp-data': 'A,1'},
                                  '/api/v2/compute/idcs')
    assert aksk_signature(SK, message) == 'XN8P+O+v3vUabB16ZCooq5wMJoY='


def test_auth_signs_a_prepared_get_like_the_first_vector():
    request = requests.Request('GET', 'http://ocp.alibaba.net:8080/api/v2/compute/idcs?size=100',
                               headers={'Content-Type': 'application/json;charset=utf-8'}).prepare()
    OcpAkSkAuth(AK, SK, clock=lambda: datetime(2023, 1, 17, 4, 14, 2, tzinfo=UTC))(request)
    assert request.headers['Date'] == 'Tue, 17 Jan 2023 04:14:02 GMT'
    assert request.headers['Host'] == 'ocp.alibaba.net:8080'
    assert request.headers['Authorization'] == 'OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:TsQD6HDOuZuJ409m0wdnZPmijlc='


def test_auth_signs_a_prepared_post_like_the_second_vector():
    request = requests.Request('POST', 'http://ocp.alibaba.net:8080/api/v2/compute/idcs',
                               data='{"name":"test01","description":"test","regionId":1}',
                               headers={'Content-Type': 'application/json', 'X-OCP-Data': 'A,1'}).prepare()
    OcpAkSkAuth(AK, SK, clock=lambda: datetime(2023, 1, 17, 9, 13, 57, tzinfo=UTC))(request)
    assert request.headers['Authorization'] == 'OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:XN8P+O+v3vUabB16ZCooq5wMJoY='


def test_auth_keeps_default_port_in_host():
    request = requests.Request('GET', 'https://ocp.example.com:443/api/v2/ob/clusters?page=1').prepare()
    OcpAkSkAuth(AK, SK)(request)
    assert request.headers['Host'] == 'ocp.example.com:443'
    assert request.headers['Date'].endswith(' GMT')


def test_aksk_over_http_is_accepted_and_signs_the_query_as_sent(ocp):
    ocp.add_cluster(1, 'a b,c')
    client = OcpClient(aksk(ocp.url))
    found = client.find_cluster('a b,c')
    assert found['id'] == 1
    path, query, headers = ocp.requests[-1]
    assert query == {'name': 'a b,c', 'page': '1', 'size': '2000'}
    assert headers['Authorization'].startswith('OCP-ACCESS-KEY-HMACSHA1 %s:' % AK)
    assert headers['Content-Type'] == 'application/json' and headers['Accept'] == 'application/json'


def test_aksk_wrong_secret_is_an_auth_error_without_the_secret(ocp):
    ocp.add_cluster(1, 'c1')
    wrong = 'ffffffffffffffffffffffffffffffff'
    client = OcpClient(aksk(ocp.url, ocp_access_key_secret=wrong))
    with pytest.raises(AuthError) as info:
        client.find_cluster('c1')
    text = str(info.value.to_fail_kwargs())
    assert 'GET /api/v2/ob/clusters failed with HTTP 401' in info.value.msg
    assert 'IAM10004' in info.value.msg and 'deadbeefcafe0001' in info.value.msg
    assert wrong not in text and SK not in text


def test_basic_wrong_password_names_method_path_status_trace_and_hides_password(ocp):
    ocp.add_cluster(1, 'c1')
    with pytest.raises(AuthError) as info:
        OcpClient(params(ocp.url, ocp_password='wrong-password')).find_cluster('c1')
    assert info.value.http_status == 401 and info.value.trace_id == 'deadbeefcafe0001'
    assert 'wrong-password' not in str(info.value.to_fail_kwargs())


def test_basic_non_latin1_password_is_sent_as_utf8(ocp):
    ocp.add_cluster(1, 'c1')
    client = OcpClient(params(ocp.url, ocp_password='pässwörd-密码'))
    with pytest.raises(AuthError):
        client.find_cluster('c1')
    assert ocp.requests[-1][2]['Authorization'].startswith('Basic ')


# ---- URL validation ----------------------------------------------------------------------------

@pytest.mark.parametrize('url, expected', [
    ('https://ocp.example.com:8080', 'https://ocp.example.com:8080'),
    ('HTTP://ocp.example.com:8080/', 'http://ocp.example.com:8080'),
    ('  http://10.0.0.1:8080/ocp/  ', 'http://10.0.0.1:8080/ocp'),
    ('http://[::1]:8080', 'http://[::1]:8080'),
])
def test_validate_ocp_url_accepts(url, expected):
    assert validate_ocp_url(url) == expected


@pytest.mark.parametrize('url', ['ocp.example.com:8080', 'ftp://ocp.example.com', 'http://', 'https://:8080', '',
                                 None, 'http://host:99999', 'http://host:8080/?a=1', 'http://host#frag'])
def test_validate_ocp_url_rejects(url):
    with pytest.raises(InputError) as info:
        validate_ocp_url(url)
    assert info.value.option == 'ocp_url'
    assert 'expected an http:// or https:// URL' in info.value.msg


def test_validate_ocp_url_never_echoes_credentials():
    with pytest.raises(InputError) as info:
        validate_ocp_url('https://admin:topsecret@ocp.example.com')
    assert 'topsecret' not in info.value.msg and 'ocp_username' in info.value.msg


# ---- paging ------------------------------------------------------------------------------------

def seed_tasks(ocp, count, kind='data', cid=1, tid=11, tenant='t1'):
    for number in range(1, count + 1):
        ocp.add_task(kind, cid, {'taskId': number, 'tenantId': tid, 'tenantName': tenant, 'status': 'DONE',
                                 'startTime': '2024-08-0%dT08:00:00+08:00' % (1 + number % 9), 'backupSetId': number})


def page_requests(ocp):
    return [int(query['page']) for path, query, headers in ocp.requests if path.endswith('BackupTasks')]


@pytest.mark.parametrize('quirks', [set(), {'total_page'}, {'wrong_size'}, {'no_totals'}, {'total_page', 'wrong_size'}])
def test_paging_collects_every_row_once(ocp, quirks):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 7)
    ocp.quirks = quirks
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert [row['taskId'] for row in rows] == list(range(1, 8))
    assert page_requests(ocp) == [1, 2, 3]


def test_paging_stops_on_total_pages_without_an_extra_request(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 6)
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert len(rows) == 6 and page_requests(ocp) == [1, 2]


def test_paging_without_totals_stops_on_an_empty_page(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 6)
    ocp.quirks = {'no_totals'}
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert len(rows) == 6 and page_requests(ocp) == [1, 2, 3]


def test_paging_empty_answer(ocp):
    ocp.add_cluster(1, 'c1')
    assert list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3)) == []
    assert page_requests(ocp) == [1]


def test_paging_removes_rows_repeated_across_pages(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 7)
    ocp.quirks = {'overlap', 'no_totals'}
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert [row['taskId'] for row in rows] == list(range(1, 8))


def test_same_task_id_in_two_tenants_is_kept(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 2, tid=11, tenant='t1')
    seed_tasks(ocp, 2, tid=12, tenant='t2')
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, page_size=3))
    assert [(row['tenantName'], row['taskId']) for row in rows] == [('t1', 1), ('t1', 2), ('t2', 1), ('t2', 2)]


def test_task_key_of_log_rows_uses_creation_time():
    row = {'tenantId': 1, 'createTime': '2024-01-01T00:00:00Z'}
    assert task_key(row) == task_key(dict(row, status='STOPPED'))
    assert task_key(row) != task_key(dict(row, tenantId=2))
    assert task_key({'tenantId': 1}) is None


def test_paging_fails_when_the_server_ignores_the_page_parameter(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 7)
    ocp.quirks = {'ignore_page', 'no_totals'}
    with pytest.raises(ResponseFormatError) as info:
        list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert 'page 2 only repeats rows' in info.value.msg
    assert page_requests(ocp) == [1, 2]


def test_paging_has_a_hard_bound(ocp, monkeypatch):
    monkeypatch.setattr(_ocp, 'MAX_PAGES', 3)
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 10)
    ocp.quirks = {'no_totals'}
    with pytest.raises(ResponseFormatError) as info:
        list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=2))
    assert 'gave up after 3 pages' in info.value.msg and 'page_size' in info.value.msg
    assert page_requests(ocp) == [1, 2, 3]


def test_server_capping_the_page_size_still_gives_every_row(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 7)
    ocp.max_size = 2           # the server sends fewer rows per page than asked for, and counts pages by its size
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert [row['taskId'] for row in rows] == list(range(1, 8))
    assert page_requests(ocp) == [1, 2, 3, 4]


def test_short_page_ends_the_list_when_there_is_no_page_count(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 7)
    ocp.quirks = {'no_totals'}
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=5))
    assert len(rows) == 7 and page_requests(ocp) == [1, 2]


def test_total_pages_too_high_costs_one_empty_page(ocp):
    ocp.add_cluster(1, 'c1')
    seed_tasks(ocp, 4)
    ocp.quirks = {'inflated_total'}
    rows = list(OcpClient(params(ocp.url)).iter_backup_tasks('data', 1, 11, page_size=3))
    assert len(rows) == 4 and page_requests(ocp) == [1, 2, 3]


def test_malformed_page_is_a_format_error(ocp, monkeypatch):
    client = OcpClient(params(ocp.url))
    monkeypatch.setattr(client.http, 'get', lambda path, params=None: {'successful': True, 'status': 200, 'data': {'contents': 'x'}})
    with pytest.raises(ResponseFormatError) as info:
        list(client.iter_backup_tasks('data', 1, 11))
    assert 'data.contents' in info.value.msg


# ---- name resolution ---------------------------------------------------------------------------

def test_find_cluster_exact_among_substring_matches(ocp):
    ocp.add_cluster(1, 'prod')
    ocp.add_cluster(2, 'prod2')
    ocp.add_cluster(3, 'PROD')
    assert OcpClient(params(ocp.url)).find_cluster('prod') == {'id': 1, 'name': 'prod', 'type': 'PRIMARY', 'ob_cluster_id': 1}


def test_find_cluster_ambiguous_lists_candidates(ocp):
    ocp.add_cluster(1000005, 'obcluster', 'PRIMARY', ob_cluster_id=199)
    ocp.add_cluster(1000006, 'obcluster', 'STANDBY', ob_cluster_id=199)
    with pytest.raises(NameResolutionError) as info:
        OcpClient(params(ocp.url)).find_cluster('obcluster')
    assert info.value.details['candidates'] == [
        {'id': 1000005, 'name': 'obcluster', 'type': 'PRIMARY', 'ob_cluster_id': 199},
        {'id': 1000006, 'name': 'obcluster', 'type': 'STANDBY', 'ob_cluster_id': 199},
    ]
    assert 'ambiguous' in info.value.msg and 'id 1000006' in info.value.msg and 'STANDBY' in info.value.msg
    assert 'cluster_id' in info.value.msg


def test_find_cluster_unknown_names_what_was_searched(ocp):
    ocp.add_cluster(1, 'prod2')
    with pytest.raises(NameResolutionError) as info:
        OcpClient(params(ocp.url)).find_cluster('prod')
    assert "No OCP cluster is named exactly 'prod'" in info.value.msg
    assert 'GET /api/v2/ob/clusters?name=prod' in info.value.msg and "'prod2'" in info.value.msg
    assert info.value.details['option'] == 'cluster_name'


def test_find_tenant_exact(ocp):
    ocp.add_cluster(1, 'c1')
    ocp.add_tenant(1, 11, 'sales')
    ocp.add_tenant(1, 12, 'sales_archive')
    client = OcpClient(params(ocp.url))
    assert client.find_tenant(1, 'sales')['id'] == 11
    with pytest.raises(NameResolutionError) as info:
        client.find_tenant(1, 'sale')
    assert "No OCP tenant is named exactly 'sale'" in info.value.msg and 'sales_archive' in info.value.msg


def test_list_tenants_pages_and_normalizes(ocp):
    ocp.add_cluster(1, 'c1')
    for number in range(5):
        ocp.add_tenant(1, 10 + number, 't%d' % number)
    ocp.max_size = 2
    tenants = OcpClient(params(ocp.url)).list_tenants(1)
    assert [t['name'] for t in tenants] == ['t0', 't1', 't2', 't3', 't4']
    assert tenants[0]['cluster_name'] == 'c1'


# ---- whole queries -----------------------------------------------------------------------------

def fleet(ocp):
    ocp.add_cluster(1, 'obcluster', ob_cluster_id=199)
    ocp.add_tenant(1, 11, 'sys')
    ocp.add_tenant(1, 12, 'sales')
    ocp.add_tenant(1, 13, 'hr')
    ocp.add_task('data', 1, {'taskId': 1, 'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'DONE',
                             'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 1, 'startTime': '2024-08-09T08:00:00+08:00',
                             'finishTime': '2024-08-09T09:00:00.5+0800'})
    ocp.add_task('data', 1, {'taskId': 2, 'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'FAILED',
                             'dataBackupTaskType': 'INCREMENTAL_BACKUP', 'backupSetId': 2, 'startTime': '2024-08-09T20:00:00Z',
                             'finishTime': '2024-08-09T21:00:00Z', 'errorMsg': 'oops'})
    ocp.add_task('data', 1, {'taskId': 1, 'tenantId': 11, 'tenantName': 'sys', 'clusterName': 'obcluster', 'status': 'DOING',
                             'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 1, 'startTime': '2024-08-09T22:00:00Z'})
    ocp.add_task('log', 1, {'tenantId': 12, 'tenantName': 'sales', 'clusterName': 'obcluster', 'status': 'RUNNING', 'delay': 77.6421,
                            'checkpoint': '2024-08-10T07:58:00+08:00', 'createTime': '2024-08-01T00:00:00Z'})


def test_cluster_query_by_id_lists_every_tenant_and_costs_one_extra_request(ocp):
    fleet(ocp)
    result = collect_backup_tasks(params(ocp.url, cluster_id=1, return_tasks=False), 'data', now=NOW)
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
    assert [path for path, query, headers in ocp.requests] == [
        '/api/v2/ob/clusters/1/tenants', '/api/v2/ob/clusters/1/backup/task/dataBackupTasks']


def test_cluster_query_filters_status_client_side_and_sends_utc_times(ocp):
    fleet(ocp)
    result = collect_backup_tasks(params(ocp.url, cluster_name='obcluster', status=['failed', 'Done'],
                                         start_time='2024-08-09T08:00:00+08:00', end_time='now'), 'data', now=NOW)
    assert sorted(task['task_id'] for task in result['tasks']) == [1, 2]
    assert all(task['tenant_name'] == 'sales' for task in result['tasks'])
    assert result['summary']['by_status'] == {'DONE': 1, 'FAILED': 1}
    path, query, headers = ocp.requests[-1]
    assert path == '/api/v2/ob/clusters/1/backup/task/dataBackupTasks'
    assert 'status' not in query
    assert query['startTime'] == '2024-08-09T00:00:00Z' and query['endTime'] == '2024-08-10T00:00:00Z'
    assert [p for p, q, h in ocp.requests] == ['/api/v2/ob/clusters', '/api/v2/ob/clusters/1/tenants', path]


def test_tenant_query_by_names_sends_status_and_backup_set(ocp):
    fleet(ocp)
    result = collect_backup_tasks(params(ocp.url, cluster_name='obcluster', tenant_name='sales', status=['DONE'], backup_set_id=1),
                                  'data', now=NOW)
    assert [task['task_id'] for task in result['tasks']] == [1]
    assert result['tenant'] == {'id': 12, 'name': 'sales'}
    assert list(result['summary']['tenants']) == ['sales']
    path, query, headers = ocp.requests[-1]
    assert path == '/api/v2/ob/clusters/1/tenants/12/backup/task/dataBackupTasks'
    assert query == {'backupSetId': '1', 'page': '1', 'size': '2000', 'status': 'DONE'}


def test_tenant_query_by_ids_takes_names_from_rows(ocp):
    fleet(ocp)
    result = collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=12), 'log', now=NOW)
    assert result['cluster'] == {'id': 1, 'name': 'obcluster'} and result['tenant'] == {'id': 12, 'name': 'sales'}
    assert result['tasks'][0]['delay'] == 77.6421 and result['tasks'][0]['checkpoint'] == '2024-08-09T23:58:00Z'
    assert result['summary']['active'] is True and result['summary']['checkpoint_age_seconds'] == 120
    assert len(ocp.requests) == 1


def test_tenant_query_by_ids_without_rows_looks_the_names_up(ocp):
    fleet(ocp)
    result = collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=13), 'log', now=NOW)
    assert result['tenant'] == {'id': 13, 'name': 'hr'} and result['cluster']['name'] == 'obcluster'
    assert result['summary']['tenants'] == {'hr': {'total': 0, 'by_status': {}, 'status': None, 'active': False,
                                                   'delay_seconds': None, 'checkpoint': None, 'checkpoint_age_seconds': None}}
    assert [p for p, q, h in ocp.requests] == ['/api/v2/ob/clusters/1/tenants/13/backup/task/logBackupTasks',
                                               '/api/v2/ob/clusters/1/tenants']


def test_unknown_tenant_id_without_rows_fails_naming_the_tenants(ocp):
    fleet(ocp)
    with pytest.raises(NameResolutionError) as info:
        collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=99), 'data', now=NOW)
    assert 'tenant_id 99 is not a tenant of cluster 1' in info.value.msg and 'sales (id 12)' in info.value.msg
    assert info.value.details['option'] == 'tenant_id'


def test_unknown_cluster_id_fails_with_the_server_message(ocp):
    fleet(ocp)
    with pytest.raises(ApiError) as info:
        collect_backup_tasks(params(ocp.url, cluster_id=42), 'log', now=NOW)
    assert 'OBE11001' in info.value.msg and 'HTTP 400' in info.value.msg and 'GET /api/v2/ob/clusters/42/tenants' in info.value.msg


def test_cluster_name_from_cluster_details_as_last_resort(ocp):
    ocp.add_cluster(5, 'lonely')
    result = collect_backup_tasks(params(ocp.url, cluster_id=5), 'data', now=NOW)
    assert result['cluster'] == {'id': 5, 'name': 'lonely'}
    assert [p for p, q, h in ocp.requests][-1] == '/api/v2/ob/clusters/5'


def test_log_cluster_query_over_several_pages_with_aksk(ocp):
    fleet(ocp)
    for number in range(5):
        ocp.add_task('log', 1, {'tenantId': 13, 'tenantName': 'hr', 'status': 'STOPPED', 'delay': '1.5',
                                'checkpoint': '2024-08-0%dT00:00:00Z' % (number + 1), 'createTime': '2024-07-0%dT00:00:00Z' % (number + 1)})
    ocp.quirks = {'total_page', 'wrong_size'}
    result = collect_backup_tasks(aksk(ocp.url, cluster_name='obcluster', page_size=2), 'log', now=NOW)
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
    (dict(cluster_id=1, request_timeout=0.0), 'request_timeout'),
    (dict(cluster_id=1, retries=-1), 'retries'),
])
def test_bad_input_fails_before_any_request(extra, option):
    with pytest.raises(InputError) as info:
        collect_backup_tasks(params('http://127.0.0.1:9', **extra), 'data', now=NOW, client_factory=no_client)
    assert info.value.option == option
    assert 'expected' in info.value.msg


def test_unknown_status_is_warned_and_passed_on(ocp):
    fleet(ocp)
    warnings = []
    collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=12, status=['done', 'Paused']), 'data', warn=warnings.append, now=NOW)
    assert len(warnings) == 1 and 'Paused' in warnings[0] and 'not documented' in warnings[0]
    assert ocp.requests[-1][1]['status'] == 'DONE,Paused'


def test_log_statuses_are_validated_against_the_log_list(ocp):
    fleet(ocp)
    warnings = []
    collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=12, status=['inprogress', 'DONE']), 'log', warn=warnings.append, now=NOW)
    assert len(warnings) == 1 and 'DONE is not documented for OCP log backup tasks' in warnings[0]


def test_relative_start_time_is_sent_in_utc(ocp):
    fleet(ocp)
    collect_backup_tasks(params(ocp.url, cluster_id=1, tenant_id=12, start_time='-7d'), 'data', now=NOW + timedelta(seconds=0.5))
    assert ocp.requests[-1][1]['startTime'] == '2024-08-03T00:00:00Z'
