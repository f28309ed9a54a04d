# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared HTTP layer against a scripted loopback server (real sockets, real urllib3 retries)."""

from __future__ import annotations

import socket
import time

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _http
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    NotFoundError,
    ResponseFormatError,
    TransportError,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient, canonical_query, redact_url
from obsim.transport import SLOW_BODY

# The scripted server (the `server` fixture, obsim.transport) answers 'slow' with this body.
OK = SLOW_BODY


def test_canonical_query_sorts_encodes_and_drops_none():
    assert canonical_query({'status': ['FAILED', 'DONE'], 'startTime': '2024-08-06T00:00:00Z', 'page': 1, 'size': None}) == \
        'page=1&startTime=2024-08-06T00%3A00%3A00Z&status=DONE%2CFAILED'
    assert canonical_query({'name': 'a b+c/d', 'flag': True, 'empty': []}) == 'flag=true&name=a%20b%2Bc%2Fd'
    assert canonical_query(None) == ''


def test_redact_url_drops_userinfo():
    assert redact_url('http://admin:s3cret@ocp.example:8080/x') == 'http://ocp.example:8080/x'
    assert redact_url('https://ocp.example/x') == 'https://ocp.example/x'


def test_success_returns_body_and_sends_exact_query(server):
    server.answers = [(200, {}, OK)]
    client = HttpClient(server.url, retries=0)
    assert client.get('/api/v2/x', {'b': 2, 'a': 'x y'}) == OK
    assert server.seen[0][1] == '/api/v2/x?a=x%20y&b=2'
    assert client.request_count == 1


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_transient_status_is_retried_until_success(server, status):
    server.answers = [(status, {}, {'successful': False}), (status, {}, {'successful': False}), (200, {}, OK)]
    client = HttpClient(server.url, retries=3)
    assert client.get('/p') == OK
    assert len(server.seen) == 3
    assert client.request_count == 3


def test_persistent_5xx_names_status_and_attempts(server):
    server.answers = [(503, {}, {'successful': False, 'status': 503, 'traceId': 't1', 'error': {'code': 0, 'message': 'busy'}})]
    client = HttpClient(server.url, retries=2)
    with pytest.raises(ApiError) as info:
        client.get('/api/v2/p')
    assert len(server.seen) == 3
    msg = info.value.msg
    assert 'GET /api/v2/p failed with HTTP 503' in msg and 'after 3 attempts' in msg and 'busy' in msg and 'traceId t1' in msg


def test_persistent_500_carries_server_details(server):
    server.answers = [(500, {}, {'successful': False, 'status': 500, 'traceId': 'abc', 'error': {'code': 'COM10001', 'message': 'boom'}})]
    with pytest.raises(ApiError) as info:
        HttpClient(server.url, retries=1).get('/p')
    assert len(server.seen) == 2
    assert (info.value.http_status, info.value.error_code, info.value.error_message, info.value.trace_id) == (500, 'COM10001', 'boom', 'abc')


def test_4xx_never_retried_and_typed(server):
    server.answers = [(401, {}, {'successful': False, 'status': 401, 'error': {'message': 'bad'}})]
    with pytest.raises(AuthError):
        HttpClient(server.url, retries=3).get('/p')
    server.answers = [(404, {}, {'successful': False, 'status': 404, 'error': {'errCode': 'Task.NotFound', 'code': 2300}})]
    with pytest.raises(NotFoundError) as info:
        HttpClient(server.url, retries=3).get('/p')
    assert info.value.error_code == 'Task.NotFound'
    assert info.value.server_error['code'] == 2300
    assert len(server.seen) == 2


def test_429_waits_for_ratelimit_reset(server):
    server.answers = [(429, {'RateLimit-Reset': '1', 'RateLimit-Remaining': '0'}, {'successful': False}), (200, {}, OK)]
    HttpClient(server.url, retries=2).get('/p')
    assert server.seen[1][0] - server.seen[0][0] >= 0.9


def test_429_waits_for_retry_after(server):
    server.answers = [(429, {'Retry-After': '1'}, {'successful': False}), (200, {}, OK)]
    HttpClient(server.url, retries=2).get('/p')
    assert server.seen[1][0] - server.seen[0][0] >= 0.9


def test_retry_wait_is_capped(server, monkeypatch):
    monkeypatch.setattr(_http, 'MAX_RETRY_WAIT', 0.2)
    server.answers = [(429, {'Retry-After': '3600'}, {'successful': False}), (200, {}, OK)]
    started = time.monotonic()
    HttpClient(server.url, retries=1).get('/p')
    assert time.monotonic() - started < 5


def test_successful_false_with_200_is_an_error(server):
    server.answers = [(200, {}, {'successful': False, 'status': 200, 'traceId': 'tt', 'error': {'code': 'X1', 'message': 'nope'}})]
    with pytest.raises(ApiError) as info:
        HttpClient(server.url, retries=0).get('/p')
    assert 'successful=False' in info.value.msg and 'X1' in info.value.msg and 'nope' in info.value.msg


@pytest.mark.parametrize('body, ctype', [(b'<html><body>Login</body></html>', 'text/html'), (b'', 'application/json'), (b'{"data": [1, 2', 'application/json')])
def test_non_json_success_body_is_a_format_error(server, body, ctype):
    server.answers = [(200, {'Content-Type': ctype}, body)]
    with pytest.raises(ResponseFormatError) as info:
        HttpClient(server.url, retries=0).get('/p')
    assert 'GET /p returned HTTP 200' in info.value.msg


@pytest.mark.parametrize('body', [{'buildVersion': '4.3.1'}, [1, 2], 'text'])
def test_json_without_envelope_is_a_format_error(server, body):
    server.answers = [(200, {}, body)]
    with pytest.raises(ResponseFormatError) as info:
        HttpClient(server.url, retries=0).get('/api/v2/info')
    assert 'GET /api/v2/info returned HTTP 200' in info.value.msg


def test_html_error_page_names_status(server):
    server.answers = [(502, {'Content-Type': 'text/html'}, b'<html>Bad gateway</html>')]
    with pytest.raises(ApiError) as info:
        HttpClient(server.url, retries=0).get('/p')
    assert 'HTTP 502' in info.value.msg and 'not JSON' in info.value.msg


def test_dropped_connection_is_retried_then_reported(server):
    server.answers = [(None, {}, None)]
    with pytest.raises(TransportError) as info:
        HttpClient(server.url, retries=1).get('/p')
    assert len(server.seen) == 2
    assert 'connection failed after 2 attempts' in info.value.msg


def test_dropped_connection_then_success(server):
    server.answers = [(None, {}, None), (200, {}, OK)]
    assert HttpClient(server.url, retries=1).get('/p') == OK


def test_timeout_names_the_timeout(server):
    server.answers = [('slow', {}, 1.5)]
    with pytest.raises(TransportError) as info:
        HttpClient(server.url, retries=0, timeout=0.3).get('/p')
    assert 'request_timeout=0.3s' in info.value.msg


def test_connection_refused():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(TransportError) as info:
        HttpClient('http://user:pw@127.0.0.1:%d' % port, retries=0).get('/p')
    assert 'pw' not in info.value.msg and 'refused' in info.value.msg.lower()
    assert 'connection failed after 1 attempt:' in info.value.msg


def test_insecure_mode_warns_once_for_https():
    warnings = []
    HttpClient('https://127.0.0.1:1', validate_certs=False, warn=warnings.append)
    assert len(warnings) == 1 and 'validate_certs is false' in warnings[0]
