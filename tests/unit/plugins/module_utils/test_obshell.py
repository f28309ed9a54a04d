# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell client: the header decrypts as the agent decrypts it, the retry after a key change, error causes, summaries."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

from ansible_collections.oceanbase.backup.plugins.module_utils import _obshell_client, _obshell_overview
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, OceanBaseError, UnsupportedError
from obsim.obshell import make_key
from obsim.testing import running_simulator

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def agent_decrypt(private_key, value):
    """The agent's way: base64, k-byte blocks, PKCS#1 v1.5 each, concatenate, JSON."""
    raw = base64.b64decode(value)
    k = private_key.key_size // 8
    assert len(raw) % k == 0
    return json.loads(b''.join(private_key.decrypt(raw[i:i + k], padding.PKCS1v15()) for i in range(0, len(raw), k)))


@pytest.mark.parametrize('bits', [512, 1024])
@pytest.mark.parametrize('password', ['', 'R00t-sim!', 'p' * 300 + '密码'])
def test_header_decrypts_to_the_payload(bits, password):
    key = make_key(bits)
    uri = '/api/v1/tenant/t1/backup/overview?x=1&y=%2F'
    payload = _obshell_client.header_payload(password, uri, now=1000)
    value = _obshell_client.encrypt_header(key.public_key(), payload)
    decoded = agent_decrypt(key, value)
    assert decoded == payload
    assert decoded['ts'] == '1060' and isinstance(decoded['ts'], str)
    assert len(base64.b64decode(decoded['keys'])) == 32
    if len(password) > 100:
        assert len(base64.b64decode(value)) > 2 * (bits // 8)


def test_auth_signs_the_exact_request_target():
    key = make_key(1024)
    auth = _obshell_client.ObshellAuth('pw', key.public_key)
    prepared = requests.Request('GET', 'http://127.0.0.1:2886/api/v1/tenant/t%201/backup/overview?b=2&a=1').prepare()
    auth(prepared)
    assert agent_decrypt(key, prepared.headers['X-OCS-Header'])['uri'] == '/api/v1/tenant/t%201/backup/overview?b=2&a=1'


PARAMS = {'obshell_url': None, 'obshell_root_password': 'R00t-sim!', 'validate_certs': True, 'request_timeout': 5, 'retries': 0}


@pytest.fixture(scope='module')
def sim():
    with running_simulator('integration') as handle:
        yield handle


def test_key_rotation_retries_once_with_a_new_key(sim):
    client = _obshell_client.ObshellClient(dict(PARAMS, obshell_url=sim.obshell_urls['agent431']))
    assert _obshell_overview.tenant_backup_overview(client, 't_done')[1] is True
    sim.set_faults([{'kind': 'key_rotation', 'count': 1, 'path': '/backup/overview'}])
    before = client.http.request_count
    task, found = _obshell_overview.tenant_backup_overview(client, 't_done')
    assert found and task['status'] == 'COMPLETED'
    assert client.http.request_count - before == 2


def test_a_persistent_decrypt_failure_is_not_retried_forever(sim):
    client = _obshell_client.ObshellClient(dict(PARAMS, obshell_url=sim.obshell_urls['agent431']))
    sim.set_faults([{'kind': 'key_rotation', 'path': '/backup/overview'}])
    try:
        with pytest.raises(ApiError) as info:
            _obshell_overview.tenant_backup_overview(client, 't_done')
        assert info.value.http_status == 401 and 'DecryptFailed' in info.value.msg
        assert client.http.request_count == 2
    finally:
        sim.set_faults([])


@pytest.mark.parametrize('agent, tenant, cause', [
    ('agent431', 'nosuch', "tenant 'nosuch' does not exist"),
    ('agent424', 'nosuch', "tenant 'nosuch' does not exist"),
    ('agent_single', 't_done', 'not part of a deployed cluster'),
])
def test_failures_name_the_cause_in_both_error_shapes(sim, agent, tenant, cause):
    params = dict(PARAMS, obshell_url=sim.obshell_urls[agent], tenant_name=tenant)
    if agent == 'agent424':
        params['obshell_root_password'] = '0ld-R00t-sim!'
    with pytest.raises(ApiError) as info:
        _obshell_overview.collect_overview(params)
    assert cause in info.value.msg and 'traceId' in info.value.msg


@pytest.mark.parametrize('agent', ['agent431', 'agent424'])
def test_wrong_password_is_named_and_never_shown(sim, agent):
    params = dict(PARAMS, obshell_url=sim.obshell_urls[agent], tenant_name='t_done', obshell_root_password='S3cret-Wrong')
    with pytest.raises(ApiError) as info:
        _obshell_overview.collect_overview(params)
    assert 'rejected obshell_root_password' in info.value.msg
    assert 'S3cret-Wrong' not in json.dumps(info.value.to_fail_kwargs())


def test_never_backed_up_is_found_false_for_both_shapes(sim):
    new = _obshell_overview.collect_overview(dict(PARAMS, obshell_url=sim.obshell_urls['agent431'], tenant_name='t_never'))
    old = _obshell_overview.collect_overview(dict(PARAMS, obshell_url=sim.obshell_urls['agent424'], tenant_name='t_never',
                                                  obshell_root_password='0ld-R00t-sim!'))
    for result in (new, old):
        assert result['found'] is False and result['summary'] is None and result['backup_task'] is None


def test_old_agent_is_refused_plainly(sim):
    with pytest.raises(UnsupportedError, match='4.2.2.0.*4.2.4 or later'):
        _obshell_overview.collect_overview(dict(PARAMS, obshell_url=sim.obshell_urls['agent422'], tenant_name='t_done'))


@pytest.mark.parametrize('tenant', ['', 'sys', 'SYS', 'a/b', 'x?y'])
def test_bad_tenant_fails_before_any_request(tenant):
    def no_client(*args, **kwargs):
        raise AssertionError('no request may be made')
    with pytest.raises(InputError) as info:
        _obshell_overview.collect_overview(dict(PARAMS, obshell_url='http://127.0.0.1:1', tenant_name=tenant), client_factory=no_client)
    assert info.value.option == 'tenant_name'


def test_summary_of_completed_running_and_failed_tasks():
    done = {'status': 'COMPLETED', 'start_timestamp': '2026-11-23T10:00:00Z', 'end_timestamp': '2026-11-23T11:00:00Z',
            'tablet_count': 4, 'finish_tablet_count': 4, 'result': 0, 'encryption_mode': 'NONE', 'backup_set_id': 3}
    summary = _obshell_overview.summarize(done, True, NOW)
    assert (summary['succeeded'], summary['in_progress'], summary['age_seconds'], summary['duration_seconds']) == (True, False, 3600, 3600)
    assert summary['progress'] == {'finished': 4, 'total': 4, 'percent': 100.0}
    running = dict(done, status='BACKUP_DATA_MINOR', finish_tablet_count=1)
    summary = _obshell_overview.summarize(running, True, NOW)
    assert summary['in_progress'] and summary['age_seconds'] is None and summary['duration_seconds'] == 7200
    assert summary['progress']['percent'] == 25.0
    assert _obshell_overview.summarize(dict(done, status='SOMETHING_NEW'), True, NOW)['in_progress'] is True
    failed = _obshell_overview.summarize(dict(done, status='FAILED', result=-9080), True, NOW)
    assert failed['failed'] and not failed['succeeded'] and failed['result'] == -9080
    assert _obshell_overview.summarize(None, False, NOW) is None


def test_an_overview_task_in_the_future_is_null_with_its_value_under_future():
    ahead = {'status': 'COMPLETED', 'start_timestamp': '2026-12-23T10:00:00Z', 'end_timestamp': '2026-12-23T11:00:00Z'}
    summary = _obshell_overview.summarize(ahead, True, NOW)
    assert summary['age_seconds'] is None and summary['duration_seconds'] == 3600
    assert list(summary['future']) == ['age_seconds'] and summary['future']['age_seconds'] < -29 * 86400
    skewed = _obshell_overview.summarize(dict(ahead, status='DOING', start_timestamp='2026-11-23T12:02:00Z'), True, NOW)
    assert skewed['duration_seconds'] == 0 and skewed['future'] == {}


def test_scns_stay_exact_integers(sim):
    result = _obshell_overview.collect_overview(dict(PARAMS, obshell_url=sim.obshell_urls['agent431'], tenant_name='t_done'))
    assert isinstance(result['backup_task']['start_scn'], int) and result['backup_task']['start_scn'] > 2 ** 53
    assert result['backup_task']['end_timestamp'].endswith('Z')


def ec_public_key_der():
    return ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize('make_der, expected', [
    (ec_public_key_der, 'key of type .* not an RSA public key'),
    (lambda: b'not a key', 'no usable RSA public key'),
], ids=['ec_key', 'not_der'])
def test_an_unusable_agent_key_fails_naming_the_endpoint(make_der, expected):
    der = make_der()
    client = _obshell_client.ObshellClient(dict(PARAMS, obshell_url='http://127.0.0.1:1'))
    client.plain.get = lambda path, params=None: {'successful': True, 'data': {'public_key': base64.b64encode(der).decode()}}
    with pytest.raises(OceanBaseError, match=expected) as caught:
        client.public_key()
    assert caught.value.details['path'] == '/api/v1/secret'
