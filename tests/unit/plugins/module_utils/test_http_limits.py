# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Body decoding under the size bound, retry waits with jitter, and terminal controls in error texts."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from email.utils import formatdate

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _http, _http_transport
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    OceanBaseError,
    ResponseFormatError,
    TransportError,
    clean_text,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient, retry_wait, server_wait
from obsim.transport import table_server

ENVELOPE = {'successful': True, 'status': 200, 'data': {'note': 'x' * 3000}}
PLAIN = json.dumps(ENVELOPE).encode()


@pytest.fixture()
def answers():
    """path -> (status, headers, raw body, bytes to send before hanging up or None); the requests seen."""
    with table_server() as table:
        yield table


def _deflate(data, wbits):
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize('encoding, raw', [
    ('gzip', gzip.compress(PLAIN, mtime=0)),
    ('x-gzip', gzip.compress(PLAIN, mtime=0)),
    ('gzip', gzip.compress(PLAIN[:100], mtime=0) + gzip.compress(PLAIN[100:], mtime=0)),         # two members
    ('gzip', gzip.compress(PLAIN, mtime=0) + b'\x00trailing garbage'),                  # ignored, as urllib3 does
    ('deflate', _deflate(PLAIN, zlib.MAX_WBITS)),                              # zlib-wrapped
    ('deflate', _deflate(PLAIN, -zlib.MAX_WBITS)),                             # raw deflate
    ('gzip, identity', gzip.compress(PLAIN, mtime=0)),
    ('gzip, gzip', gzip.compress(gzip.compress(PLAIN, mtime=0), mtime=0)),
    (None, PLAIN),
])
def test_encoded_bodies_decode(answers, encoding, raw):
    answers['/p'] = (200, {'Content-Encoding': encoding} if encoding else {}, raw, None)
    assert HttpClient(answers['url'], retries=0).get('/p') == ENVELOPE


@pytest.mark.parametrize('encoding, raw, needle', [
    ('gzip', b'not gzip at all', 'the gzip body does not decode'),
    ('deflate', b'not deflate', 'the deflate body does not decode'),
    ('br', PLAIN, 'Content-Encoding br is not supported (the client accepts gzip and deflate)'),
])
def test_undecodable_bodies_fail_naming_the_encoding(answers, encoding, raw, needle):
    answers['/p'] = (200, {'Content-Encoding': encoding}, raw, None)
    with pytest.raises(ResponseFormatError) as info:
        HttpClient(answers['url'], retries=0).get('/p')
    assert info.value.msg.startswith('GET /p returned HTTP 200 with a body that is not a JSON envelope (' + needle)
    answers['/p'] = (503, {'Content-Encoding': encoding}, raw, None)
    with pytest.raises(ApiError) as info:
        HttpClient(answers['url'], retries=0).get('/p')
    assert 'HTTP 503; the body is not JSON (' + needle in info.value.msg


def test_the_limit_counts_decoded_bytes_exactly(answers, monkeypatch):
    monkeypatch.setattr(_http_transport, 'MAX_ANSWER_BYTES', len(PLAIN))
    answers['/exact'] = (200, {'Content-Encoding': 'gzip'}, gzip.compress(PLAIN, mtime=0), None)
    assert HttpClient(answers['url'], retries=0).get('/exact') == ENVELOPE
    monkeypatch.setattr(_http_transport, 'MAX_ANSWER_BYTES', len(PLAIN) - 1)
    for path, headers, raw in (('/gz', {'Content-Encoding': 'gzip'}, gzip.compress(PLAIN, mtime=0)), ('/plain', {}, PLAIN)):
        answers[path] = (200, headers, raw, None)
        with pytest.raises(ResponseFormatError) as info:
            HttpClient(answers['url'], retries=3).get(path)
        assert info.value.msg == 'GET %s: the answer exceeds the limit of %d bytes for one answer (after decompression); reading stopped there' % (
            path, len(PLAIN) - 1)
    # Not retried: the same server would send the same answer.
    assert answers['seen'].count('/gz') == 1 and answers['seen'].count('/plain') == 1


def test_a_body_cut_short_is_retried_then_named(answers):
    answers['/cut'] = (200, {}, PLAIN, 100)
    client = HttpClient(answers['url'], retries=1)
    with pytest.raises(TransportError) as info:
        client.get('/cut')
    assert info.value.msg.startswith('GET %s/cut: connection failed after 2 attempts: the connection broke while the body was read: '
                                     'IncompleteRead(100 bytes read' % answers['url'])
    assert answers['seen'] == ['/cut', '/cut'] and client.request_count == 2


def test_a_location_that_is_not_utf8_fails_without_a_traceback(answers):
    answers['/r'] = (302, {'Location': '/x\x9b2J'}, b'', None)
    with pytest.raises(ResponseFormatError) as info:
        HttpClient(answers['url'], retries=0, same_origin_redirects=True).get('/r')
    assert info.value.msg == 'GET /r: the server answered with a redirect whose Location is not UTF-8 text; it is not followed'


def test_a_redirect_keeps_no_userinfo_from_the_server(answers):
    answers['/r'] = (307, {'Location': answers['url'].replace('//', '//intruder:pw@') + '/ok?b=2&a=1'}, b'', None)
    answers['/ok'] = (200, {}, PLAIN, None)
    client = HttpClient(answers['url'], retries=0, same_origin_redirects=True)
    assert client.get('/r') == ENVELOPE
    assert answers['seen'] == ['/r', '/ok?a=1&b=2']


# ---- retry waits: full jitter above what the server asked

@pytest.mark.parametrize('headers, lower', [
    (None, 0.0), ({'Retry-After': '2'}, 2.0), ({'RateLimit-Reset': '3'}, 3.0), ({'Retry-After': '2', 'RateLimit-Reset': '9'}, 2.0),
    ({'Retry-After': 'nan'}, 0.0), ({'Retry-After': '-5'}, 0.0), ({'Retry-After': 'soon'}, 0.0), ({'Retry-After': '3600'}, 60.0),
])
def test_the_wait_starts_where_the_server_says(headers, lower, monkeypatch):
    assert server_wait(headers) == lower
    monkeypatch.setattr(_http.random, 'uniform', lambda low, high: low)
    assert retry_wait(1, headers) == lower
    monkeypatch.setattr(_http.random, 'uniform', lambda low, high: high)
    # Up to as much again (at least the backoff), never past the cap.
    assert retry_wait(1, headers) == min(60.0, lower + max(lower, 0.5))


def test_retry_after_as_an_http_date():
    assert 8 < server_wait({"Retry-After": formatdate(time.time() + 10, usegmt=True)}) <= 10


def test_backoff_without_a_hint_is_full_jitter_and_capped(monkeypatch):
    monkeypatch.setattr(_http.random, 'uniform', lambda low, high: high)
    assert [retry_wait(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert retry_wait(10 ** 6) == 60.0
    monkeypatch.setattr(_http.random, 'uniform', lambda low, high: low)
    assert retry_wait(3) == 0.0


def test_waits_of_a_throttled_fleet_are_spread():
    waits = [retry_wait(1, {'Retry-After': '2'}) for dummy in range(50)]
    assert all(2.0 <= wait <= 4.0 for wait in waits)
    # Lock-step retries would all fall in one 250 ms slot.
    assert len(set(int(wait / 0.25) for wait in waits)) >= 4


# ---- terminal controls

@pytest.mark.parametrize('text, shown', [
    ('a\x1b]0;title\x07b', 'ab'),                    # OSC ended by BEL
    ('a\x1b]2;title\x1b\\b', 'ab'),                  # OSC ended by ST
    ('a\x1bP1;2|data\x1b\\b', 'ab'),                 # DCS
    ('a\x1b[2J\x1b[1;32mb\x1b[0m', 'ab'),            # CSI
    ('a\x9b2Jb\x9d0;t\x9cc', 'abc'),                 # 8-bit CSI and OSC
    ('a\x1b(Bb\x1bcc\x1b7d', 'abcd'),                # other ESC sequences
    ('a\x1b]0;never ended', 'a0;never ended'),      # an open sequence loses its introducer only
    ('a\rb\x00c\x08d\x7fe\x85f\x1b', 'abcdef'),      # C0, DEL, C1, a lone ESC
    ('tab\tand\nnewline stay, é ü 中 too', 'tab\tand\nnewline stay, é ü 中 too'),
])
def test_clean_text(text, shown):
    assert clean_text(text) == shown


def test_every_error_message_and_detail_is_clean():
    exc = OceanBaseError('x\x1b[2Jy', candidates=[{'name': 'c\x1b]0;t\x07d'}], code=5)
    assert exc.msg == 'xy' and str(exc) == 'xy'
    assert exc.to_fail_kwargs() == {'msg': 'xy', 'candidates': [{'name': 'cd'}], 'code': 5}
    exc.msg = 'cause \x9b2J: ' + exc.msg
    assert exc.msg == 'cause : xy'
    api = ApiError('GET', '/p', 500, error_code='E\x1b]0;open', error_message='m\x07', trace_id='t\x1b[1m')
    assert api.msg == 'GET /p failed with HTTP 500; server said code E0;open, message "m"; traceId t'
    # The attributes keep what the server sent, for code that matches on it.
    assert api.error_message == 'm\x07'
