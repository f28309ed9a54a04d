# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP layer against hostile servers on loopback (tests/simulator/obsim/hostile.py): redirects elsewhere,
bodies and headers dripped a byte at a time, a gzip bomb, terminal escapes in error texts, throttling."""

from __future__ import annotations

import re
import threading
import time
import tracemalloc

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _http_transport
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_overview import collect_overview
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, collect_tasks
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, ResponseFormatError, TransportError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient

from obsim.hostile import Hostile, send
from obsim.pki import make_pki

DRIP = 0.25
# Anything a terminal would act on: C0 but tab and newline, DEL, C1.
CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f-\x9f]')
AKSK = {'ocp_access_key_id': 'cqammmxBpfGjFlto', 'ocp_access_key_secret': '2fc0c299cc94c6be266f2ceece765d4d'}


def _start(**options):
    # A drip gives up after 8 s, so that a client without a deadline fails these tests instead of hanging them.
    hostile = Hostile(drip_interval=DRIP, bomb_mb=80, drip_give_up=8, **options)
    hostile.run()
    return hostile


@pytest.fixture(scope='module')
def hostile():
    stubs = _start()
    yield stubs
    stubs.stop()


@pytest.fixture()
def log(hostile):
    hostile.log.reset()
    return hostile.log


def ocp_params(url, **extra):
    params = dict(ocp_url=url, ocp_username='admin', ocp_password='Adm1n-sim!', cluster_id=1003, tenant_id=1301,
                  page_size=2000, return_tasks=True, retries=0, request_timeout=1)
    params.update(extra)
    return params


def agent_params(url, **extra):
    params = dict(obshell_url=url, obshell_root_password='R00t-sim!', tenant_name='t_done', retries=0, request_timeout=1)
    params.update(extra)
    return params


# ---- redirects: no credential, header or request to another origin

@pytest.mark.parametrize('case, path', [('agent_redirect_all', '/api/v1/info'), ('agent_redirect_secret', '/api/v1/secret'),
                                        ('agent_redirect_overview', '/api/v1/tenant/t_done/backup/overview')])
def test_obshell_redirect_is_never_followed(hostile, log, case, path):
    with pytest.raises(ApiError) as info:
        collect_overview(agent_params(hostile.stubs[case].url))
    recorder = hostile.stubs['recorder'].url
    assert info.value.msg.startswith('GET %s failed with HTTP 30' % path)
    assert 'redirected to %s%s; redirects are not followed' % (recorder, path) in info.value.msg
    assert 'recorder' not in log.dump()
    # The key, the header and the request went to the configured agent only.
    assert [r['target'] for r in log.dump()[case]][-1] == path


def test_ocp_redirect_to_another_origin_fails_naming_the_location(hostile, log):
    with pytest.raises(ApiError) as info:
        collect_tasks(DATA_BACKUP_TASKS, ocp_params(hostile.stubs['ocp_redirect_other'].url, **dict(AKSK, ocp_username=None, ocp_password=None)))
    assert 'failed with HTTP 302; redirected to %s/api/v2/ob/clusters/1003/tenants/1301/backup/task/dataBackupTasks?page=1&size=2000' % (
        hostile.stubs['recorder'].url) in info.value.msg
    assert 'another scheme, host or port' in info.value.msg
    assert 'recorder' not in log.dump()


@pytest.mark.parametrize('auth', ['basic', 'aksk'])
def test_ocp_same_origin_redirect_is_followed_and_signed_for_the_hop(hostile, log, auth):
    stub = hostile.stubs['ocp_redirect_same']
    extra = dict(AKSK, ocp_username=None, ocp_password=None) if auth == 'aksk' else {}
    result = collect_tasks(DATA_BACKUP_TASKS, ocp_params(stub.url, status=['DONE'], start_time='-30d', **extra))
    assert len(result['tasks']) == 12
    # The target's names are looked up first; the task query is the request answered with the redirect, then its hop.
    entries = log.dump()['ocp_redirect_same']
    index = [entry['status'] for entry in entries].index(307)
    first, hop = entries[index], entries[index + 1]
    assert (first['status'], hop['status']) == (307, 200) and 'backup/task/dataBackupTasks' in first['target']
    # The hop went where the Location said, canonical again, with this server's Host: the simulator checked the signature.
    assert 'hop=1' in hop['target'] and hop['target'].split('?')[1] == '&'.join(sorted(hop['target'].split('?')[1].split('&')))
    assert hop['host'] == stub.url.split('//')[1] and hop['authorization']


def test_redirect_loop_on_the_same_origin_stops(hostile):
    stub = hostile.stubs['recorder']
    client = HttpClient(stub.url, retries=0, same_origin_redirects=True)
    recording, stub.behave = stub.behave, _loop
    try:
        with pytest.raises(ApiError) as info:
            client.get('/api/v2/loop')
    finally:
        stub.behave = recording
    assert 'more than 5 redirects in a row' in info.value.msg
    assert client.request_count == 6


def _loop(stub, handler, req):
    send(handler, 302, b'', {'Location': req.path + '?again=1'})
    return True


# ---- request_timeout bounds the whole answer

@pytest.mark.parametrize('case, part', [('ocp_drip_body', 'the body was still arriving'), ('ocp_drip_headers', 'the status line and headers had not arrived')])
def test_dripping_answer_fails_at_the_timeout(hostile, log, case, part):
    with pytest.raises(TransportError) as info:
        collect_tasks(DATA_BACKUP_TASKS, ocp_params(hostile.stubs[case].url))
    assert 'no answer within request_timeout=1s (1 attempt): ' + part in info.value.msg
    record = _settled(log, case)[-1]
    # One byte every 0.25 s over a body of several KB: the client hung up after a handful, not at the end.
    assert record['hung_up'] and not record['finished'] and record['sent'] < 40 < record['total']


def test_each_retry_of_a_dripping_body_has_its_own_deadline(hostile, log):
    client = HttpClient(hostile.stubs['agent_drip_body'].url, retries=1, timeout=0.5)
    with pytest.raises(TransportError) as info:
        client.get('/api/v1/tenant/t_done/backup/overview')
    assert 'no answer within request_timeout=0.5s (2 attempts): the body was still arriving' in info.value.msg
    records = _settled(log, 'agent_drip_body')
    assert len(records) == 2 and all(r['hung_up'] and r['sent'] < 40 for r in records)
    assert client.request_count == 2


def test_dripping_body_over_tls_fails_at_the_timeout(tmp_path):
    pki = make_pki(str(tmp_path))
    stubs = _start(tls={'cert': pki['server_cert'], 'key': pki['server_key']})
    try:
        with pytest.raises(TransportError) as info:
            collect_overview(agent_params(stubs.stubs['agent_drip_body'].url, ca_path=pki['ca']))
        assert 'request_timeout=1s (1 attempt): the body was still arriving' in info.value.msg
        record = _settled(stubs.log, 'agent_drip_body')[-1]
        assert record['hung_up'] and record['sent'] < 40
    finally:
        stubs.stop()


def _settled(log, case):
    """The records of a dripping case once the server has seen the client hang up (it notices at its next write)."""
    for dummy in range(100):
        records = [r for r in log.dump().get(case, []) if 'total' in r]
        if records and all('seconds' in r for r in records):
            return records
        time.sleep(0.1)
    raise AssertionError('the stub never saw the end of %s: %s' % (case, log.dump().get(case)))


def _watchdogs():
    return [t for t in threading.enumerate() if t.name == 'request-deadline']


def test_the_deadline_keeps_connections_and_ends_its_threads(hostile):
    client = HttpClient(hostile.stubs['recorder'].url, retries=0)
    for dummy in range(5):
        client.get('/api/v1/info')
    for thread in _watchdogs():
        thread.join(2)
    assert not _watchdogs()
    # Keep-alive still works: one pooled connection served all five requests.
    manager = client.session.get_adapter('http://').poolmanager
    pools = [manager.pools[key] for key in manager.pools.keys()]
    assert [(pool.num_connections, pool.num_requests) for pool in pools] == [(1, 5)]


# ---- the size of one answer

def test_gzip_bomb_fails_naming_the_limit_and_the_path_without_inflating_it(hostile):
    tracemalloc.start()
    try:
        with pytest.raises(ResponseFormatError) as info:
            collect_tasks(DATA_BACKUP_TASKS, ocp_params(hostile.stubs['ocp_gzip_bomb'].url))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.msg == ('GET /api/v2/ob/clusters/1003/tenants/1301/backup/task/dataBackupTasks: the answer exceeds the limit of '
                              '64 MiB for one answer (after decompression); reading stopped there')
    assert info.value.details['limit_bytes'] == _http_transport.MAX_ANSWER_BYTES
    # The 80 MiB answer was never held whole: at most the limit and one step of zlib output.
    assert peak < _http_transport.MAX_ANSWER_BYTES + 8 * 1024 * 1024


def test_an_obshell_bomb_fails_the_same_way(hostile):
    with pytest.raises(ResponseFormatError) as info:
        collect_overview(agent_params(hostile.stubs['agent_gzip_bomb'].url))
    assert info.value.msg.startswith('GET /api/v1/tenant/t_done/backup/overview: the answer exceeds the limit of 64 MiB')


# ---- server texts lose terminal controls

def test_escapes_in_an_ocp_error_are_removed(hostile):
    with pytest.raises(ApiError) as info:
        collect_tasks(DATA_BACKUP_TASKS, ocp_params(hostile.stubs['ocp_escapes'].url))
    failure = info.value.to_fail_kwargs()
    assert failure['msg'].endswith('failed with HTTP 400; server said code COM10500all checks passedrest, '
                                   'message "backup query failed all checks passedrest"; traceId a1b2all checks passedrest')
    assert failure['error_message'] == 'backup query failed all checks passedrest'
    assert not [text for text in _texts(failure) if CONTROL.search(text)]


def test_escapes_in_an_obshell_error_and_in_a_location_are_removed(hostile):
    for case in ('agent_escapes', 'agent_redirect_escapes'):
        with pytest.raises(ApiError) as info:
            collect_overview(agent_params(hostile.stubs[case].url))
        failure = info.value.to_fail_kwargs()
        assert 'all checks passed' in failure['msg'] and 'pwned' not in failure['msg'], failure['msg']
        assert not [text for text in _texts(failure) if CONTROL.search(text)]


def _texts(value):
    """Every string in a nested structure, keys included."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in _texts(key) + _texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    return [value] if isinstance(value, str) else []
