# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator speaks the documented protocols: AK/SK vectors, paging, errors, obshell header checks,
and the official obshell SDK reads from it unchanged."""
import base64
import json
import time
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import padding
from obsim import ocp
from obsim.obshell import make_key
from obsim.testing import running_simulator

ADMIN = ('admin', 'Adm1n-sim!')


@pytest.fixture(scope='module')
def sim():
    with running_simulator('integration') as handle:
        yield handle


def test_aksk_documented_vectors():
    sk = '2fc0c299cc94c6be266f2ceece765d4d'
    get = 'GET\n\napplication/json;charset=utf-8\nTue, 17 Jan 2023 04:14:02 GMT\nocp.alibaba.net:8080\n\n/api/v2/compute/idcs?size=100'
    assert ocp.aksk_signature(sk, get) == 'TsQD6HDOuZuJ409m0wdnZPmijlc='
    post = ('POST\n186974DB33A090A16D3E2CA35F547B56\napplication/json\nTue, 17 Jan 2023 09:13:57 GMT\nocp.alibaba.net:8080\n'
            'x-ocp-data:A,1\n/api/v2/compute/idcs')
    assert ocp.content_md5(b'{"name":"test01","description":"test","regionId":1}') == '186974DB33A090A16D3E2CA35F547B56'
    assert ocp.aksk_signature(sk, post) == 'XN8P+O+v3vUabB16ZCooq5wMJoY='


def test_string_to_sign_canonicalises_the_query():
    headers = {'Content-Type': 'application/json', 'Date': 'd', 'Host': 'h:1'}
    text = ocp.string_to_sign('get', headers, '/p', 'status=FAILED&status=DONE&a=x%20y')
    assert text.endswith('\n/p?a=x%20y&status=DONE%2CFAILED')


def test_basic_auth_and_substring_name_filter(sim):
    body = requests.get(sim.ocp_url + '/api/v2/ob/clusters', params={'name': 'OBDEV'}, auth=ADMIN).json()
    assert sorted(c['name'] for c in body['data']['contents']) == ['obdev', 'obdev_quirky']
    assert body['successful'] and len(body['traceId']) == 16


@pytest.mark.parametrize('auth, status, code', [(('admin', 'wrong'), 401, 'IAM10004'), (('auditor', 'Aud1tor-sim!'), 403, 'IAM11000'), (None, 401, 'IAM10000')])
def test_auth_failures(sim, auth, status, code):
    answer = requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=auth)
    assert answer.status_code == status and answer.json()['error']['code'] == code and answer.json()['successful'] is False


def test_paging_caps_and_quirks(sim):
    url = sim.ocp_url + '/api/v2/ob/clusters/1001/tenants/1101/backup/task/dataBackupTasks'
    first = requests.get(url, params={'page': 1, 'size': 7}, auth=ADMIN).json()['data']
    assert len(first['contents']) == 7 and first['page']['totalPages'] == 5 and first['page']['totalElements'] == 30
    assert len(requests.get(url, params={'page': 1, 'size': 5000}, auth=ADMIN).json()['data']['contents']) == 30
    quirky = sim.ocp_url + '/api/v2/ob/clusters/1004/backup/task/dataBackupTasks'
    page = requests.get(quirky, params={'page': 1, 'size': 5}, auth=ADMIN).json()['data']['page']
    assert page == {'number': 1, 'size': 2000, 'totalElements': 12, 'totalPage': 3}


def test_cluster_task_endpoint_requires_paging_and_valid_times(sim):
    url = sim.ocp_url + '/api/v2/ob/clusters/1001/backup/task/dataBackupTasks'
    assert requests.get(url, auth=ADMIN).status_code == 400
    bad = requests.get(url + '?page=1&size=5&startTime=2024-08-06T00:00:00+08:00', auth=ADMIN)  # '+' arrives as a space
    assert bad.status_code == 400 and 'OffsetDateTime' in bad.json()['error']['message']


def test_unknown_ids(sim):
    assert requests.get(sim.ocp_url + '/api/v2/ob/clusters/999/backup/task/logBackupTasks?page=1&size=1', auth=ADMIN).status_code == 404
    answer = requests.get(sim.ocp_url + '/api/v2/ob/clusters/1001/tenants/999/backup/task/dataBackupTasks', auth=ADMIN)
    assert answer.status_code == 400 and answer.json()['error']['code'] == 'OBE21003'


def test_faults_are_served_and_counted(sim):
    requests.post(sim.ocp_url + '/__sim__/reset')
    sim.set_faults([{'kind': 'status', 'status': 503, 'count': 1}, {'kind': 'body', 'body': 'html', 'count': 1}])
    assert requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=ADMIN).status_code == 503
    assert requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=ADMIN).text.startswith('<!DOCTYPE html>')
    assert requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=ADMIN).status_code == 200
    assert sim.stats()['requests'] == 3


def _header(pub_der_b64, payload, chunk=None):
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_der_public_key(base64.b64decode(pub_der_b64))
    raw = json.dumps(payload).encode()
    size = chunk or (key.key_size // 8 - 11)
    return base64.b64encode(b''.join(key.encrypt(raw[i:i + size], padding.PKCS1v15()) for i in range(0, len(raw), size))).decode()


@pytest.mark.parametrize('agent, password', [('agent431', 'R00t-sim!'), ('agent424', '0ld-R00t-sim!')])
def test_obshell_header_verification(sim, agent, password):
    url = sim.obshell_urls[agent]
    pub = requests.get(url + '/api/v1/secret').json()['data']['public_key']
    uri = '/api/v1/tenant/t_done/backup/overview'
    good = {'auth': password, 'ts': str(int(time.time()) + 60), 'uri': uri, 'keys': base64.b64encode(b'k' * 32).decode()}
    answer = requests.get(url + uri, headers={'X-OCS-Header': _header(pub, good, chunk=53)})
    assert answer.status_code == 200 and answer.json()['data']['status']['status'] == 'COMPLETED'
    assert answer.json()['data']['status']['start_scn'] > 2 ** 53
    cases = [dict(good, uri=uri + '?x=1'), dict(good, ts=str(int(time.time()) - 5)), dict(good, auth='nope')]
    for case in cases:
        assert requests.get(url + uri, headers={'X-OCS-Header': _header(pub, case)}).status_code == 401
    numeric = dict(good, ts=int(time.time()) + 60)
    error = requests.get(url + uri, headers={'X-OCS-Header': _header(pub, numeric)}).json()['error']
    assert error['code'] == 1
    upper = {k.capitalize(): v for k, v in good.items()}
    assert requests.get(url + uri, headers={'X-OCS-Header': _header(pub, upper)}).status_code == 200


def test_obshell_error_shapes(sim):
    new = requests.get(sim.obshell_urls['agent431'] + '/api/v1/tenant/t_done/backup/overview').json()
    assert new['status'] == 400 and new['error']['errCode'] == 'Request.Header.NotFound'
    old = requests.get(sim.obshell_urls['agent424'] + '/api/v1/tenant/t_done/backup/overview').json()
    assert old['status'] == 401 and old['error'] == {'message': 'Verification failed', 'code': 10008}
    assert requests.get(sim.obshell_urls['agent422'] + '/api/v1/tenant/t_done/backup/overview').status_code == 404


def test_small_keys_are_real_rsa():
    key = make_key(512)
    assert key.key_size == 512
    assert key.decrypt(key.public_key().encrypt(b'x' * 53, padding.PKCS1v15()), padding.PKCS1v15()) == b'x' * 53


@pytest.mark.parametrize('agent, password', [('agent431', 'R00t-sim!'), ('agent424', '0ld-R00t-sim!')])
def test_official_sdk_reads_the_overview(sim, agent, password):
    from obshell import ClientV1
    from obshell.auth.password import PasswordAuth
    parts = urlsplit(sim.obshell_urls[agent])
    client = ClientV1(parts.hostname, parts.port, auth=PasswordAuth(password))
    overview = client.get_tenant_backup_overview('t_done')
    assert overview.status['status'] == 'COMPLETED'
    assert overview.status['tenant_id'] == 1002


def test_official_sdk_rejects_a_wrong_password(sim):
    from obshell import ClientV1
    from obshell.auth.password import PasswordAuth
    parts = urlsplit(sim.obshell_urls['agent431'])
    with pytest.raises(Exception) as info:
        ClientV1(parts.hostname, parts.port, auth=PasswordAuth('not-the-password')).get_tenant_backup_overview('t_done')
    assert 'password' in str(info.value).lower() or '10008' in str(info.value)
