# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Properties (hypothesis) of the parsers that take whatever a server or a user sends: the time parser, the
HTTP envelope and error parsing, camel-to-snake conversion, OCP paging and the obshell overview.

Each property says: any input gives a result or the collection's own error, never another exception, plus
what the result must satisfy. The compliance evaluation has its properties in tests/unit/plugins/filter.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import re
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.module_utils import _obshell_client, _obshell_overview, _ocp_client, _paging, _timeutil
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    InputError,
    NotFoundError,
    OceanBaseError,
    ResponseFormatError,
    TransportError,
    clean_text,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize, snake_case
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import task_key
from obsim.obshell import make_key
from obsim.transport import scripted

UTC = timezone.utc
NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
# Same examples on every run and no example database: a failure reproduces, and no .hypothesis/ is written.
PROFILE = dict(deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
CANONICAL_UTC = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$')

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=16)
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                     max_leaves=10)


# ---- time parser -------------------------------------------------------------------------------

# The right shape with any numbers: year 0000 or 9999, month 13, second 61, offsets up to the limits and past them.
_iso_like = st.builds('{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}'.format, st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32),
                      st.sampled_from(['T', ' ']), st.integers(0, 25), st.integers(0, 60), st.integers(0, 61),
                      st.sampled_from(['', '.5', ',25', '.123456789', '.1234567890']),
                      st.sampled_from(['', 'Z', 'z', '+08:00', '-0530', '+23:59', '-23:59', '+24:00', '+0860', '+08', ' Z']))
_relative_like = st.builds('{}-{}{}'.format, st.sampled_from(['', ' ']), st.integers(0, 10 ** 15), st.sampled_from('smhdwSMHDWy'))
_time_text = st.one_of(
    st.text(max_size=30), _iso_like, _relative_like,
    st.sampled_from(['now', ' NOW ', '-0s', '9999-12-31T23:59:59-23:59', '0001-01-01T00:00:00+23:59', '0001-01-01T00:00:00Z',
                     '\u0662\u0660\u0662\u0664-01-01', '2024-01-01T00:00:00\u2003Z']),   # Arabic-Indic digits, an em space
)
_offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_time_any = _time_text | _json | st.integers() | st.integers(min_value=10 ** 300) | st.floats() | st.datetimes() | st.datetimes(timezones=_offsets)


@settings(max_examples=200, **PROFILE)
@given(value=_time_any)
@example(value=10 ** 400)
@example(value='9999-12-31T23:00:00-02:00')
def test_property_parse_timestamp_gives_utc_or_value_error(value):
    try:
        parsed = _timeutil.parse_timestamp(value)
    except ValueError:
        parsed = None
    else:
        assert parsed.utcoffset() == timedelta(0)
    shown = _timeutil.format_utc(value)
    if parsed is not None:
        assert CANONICAL_UTC.match(shown), shown
        assert _timeutil.parse_timestamp(shown) == parsed
    else:
        assert shown is None if value in (None, '') else shown is value
    age = _timeutil.age_seconds(value, NOW)
    assert (age is None) == (parsed is None)


@settings(max_examples=200, **PROFILE)
@given(value=_time_text | _json | st.integers(min_value=10 ** 300))
@example(value='-99999999999999d')
@example(value='-1000000d')
def test_property_parse_time_option_gives_utc_or_input_error(value):
    try:
        parsed = _timeutil.parse_time_option(value, 'start_time', now=NOW)
    except InputError as exc:
        assert exc.option == 'start_time' and exc.msg.startswith('Invalid value for option start_time:')
        assert 'expected an ISO 8601 time' in exc.msg and 'Traceback' not in exc.msg
    else:
        assert isinstance(parsed, datetime) and parsed.utcoffset() == timedelta(0)


# Years 2..9998: any offset keeps the instant inside what datetime can hold.
_instants = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_offsets)


def _render(moment, digits, nanos, style, separator):
    """``moment`` as a server writes it: ``digits`` fraction digits (7 to 9 add ``nanos``) and the offset in ``style``."""
    if style == 'Z':
        moment = moment.astimezone(UTC)
    text = '%04d-%02d-%02d%s%02d:%02d:%02d' % (moment.year, moment.month, moment.day, separator, moment.hour, moment.minute, moment.second)
    if digits:
        text += '.' + ('%06d%03d' % (moment.microsecond, nanos))[:digits]
    if style == 'Z':
        return text + 'Z'
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign, minutes = ('-', -minutes) if minutes < 0 else ('+', minutes)
    return text + sign + ('%02d:%02d' if style == '+HH:MM' else '%02d%02d') % divmod(minutes, 60)


@settings(max_examples=200, **PROFILE)
@given(moment=_instants, digits=st.integers(0, 9), nanos=st.integers(0, 999), style=st.sampled_from(['Z', '+HH:MM', '+HHMM']),
       separator=st.sampled_from(['T', ' ']))
def test_property_rendered_times_parse_to_the_same_instant(moment, digits, nanos, style, separator):
    text = _render(moment, digits, nanos, style, separator)
    # Microseconds are kept; fraction digits past the sixth (nanoseconds) are dropped, not rounded.
    kept = 10 ** (6 - min(digits, 6))
    expected = moment.replace(microsecond=moment.microsecond // kept * kept)
    parsed = _timeutil.parse_timestamp(text)
    assert parsed == expected and parsed.utcoffset() == timedelta(0), text
    assert _timeutil.parse_timestamp(_timeutil.format_utc(text)) == expected
    assert _timeutil.parse_time_option(' %s ' % text, 'end_time', now=NOW) == expected


@settings(max_examples=100, **PROFILE)
@given(moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_offsets))
@example(moment=datetime(1, 1, 1, 23, 59, tzinfo=timezone(timedelta(hours=-1))))
def test_property_format_utc_round_trips_every_year(moment):
    shown = _timeutil.format_utc(moment)
    assert CANONICAL_UTC.match(shown), shown
    assert _timeutil.parse_timestamp(shown) == moment
    assert _timeutil.format_api_time(moment) == shown[:19] + 'Z'


@settings(max_examples=100, **PROFILE)
@given(seconds=st.integers(-2 * 10 ** 9, 10 ** 10 - 1), millis=st.integers(10 ** 10, 253402300799999))
@example(seconds=0, millis=8796093022206)   # 2248: 8796093022.206 is not exact as a float
def test_property_epoch_seconds_and_milliseconds(seconds, millis):
    assert _timeutil.parse_timestamp(seconds) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    assert _timeutil.parse_timestamp(millis) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)


_UNIT = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}


@settings(max_examples=100, **PROFILE)
@given(count=st.integers(0, 10 ** 6) | st.integers(0, 10 ** 15), unit=st.sampled_from(sorted(_UNIT)), upper=st.booleans(),
       spaces=st.tuples(*[st.sampled_from(['', ' ', '  '])] * 4))
def test_property_relative_times_count_back_from_now(count, unit, upper, spaces):
    text = '%s-%s%d%s%s%s' % (spaces[0], spaces[1], count, spaces[2], unit.upper() if upper else unit, spaces[3])
    seconds = count * _UNIT[unit]
    # NOW is 2026: more than about 2025 years back leaves what a datetime can hold.
    if seconds <= (NOW - datetime(1, 1, 1, tzinfo=UTC)).total_seconds():
        assert _timeutil.parse_time_option(text, 'start_time', now=NOW) == NOW - timedelta(seconds=seconds)
    else:
        with pytest.raises(InputError, match='start_time'):
            _timeutil.parse_time_option(text, 'start_time', now=NOW)
    assert _timeutil.parse_time_option(spaces[0] + ('NOW' if upper else 'now') + spaces[3], 'start_time', now=NOW) == NOW


# ---- HTTP envelope and error parsing -----------------------------------------------------------

_error_object = st.fixed_dictionaries({}, optional={'code': _json, 'errCode': _json, 'message': _json}) | _json
_envelope = st.fixed_dictionaries({}, optional={
    'successful': st.booleans() | _json, 'status': _json, 'traceId': _json, 'data': _json, 'error': _error_object, 'message': _json,
})


def _dump(value, ascii_only):
    return json.dumps(value, ensure_ascii=ascii_only).encode('utf-8')


_json_bodies = st.builds(_dump, _envelope | _json, st.booleans())
_bodies = st.one_of(
    _json_bodies,
    _json_bodies.flatmap(lambda raw: st.integers(0, len(raw)).map(lambda cut: raw[:cut])),   # cut short
    st.builds(lambda value: json.dumps(value).encode('utf-16'), _envelope),
    st.binary(max_size=80),
    st.text(max_size=80).map(lambda text: text.encode('utf-8')),
    st.sampled_from([b'', b'<html><body>502 Bad Gateway</body></html>', b'null', b'[' * 5000]),
)
_content_types = st.sampled_from([None, 'application/json', 'application/json;charset=UTF-8', 'text/html', 'text/plain; charset=latin-1',
                                  'application/json; charset=no-such-codec']) | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
# Statuses that carry a body (1xx, 204 and 304 never do).
_statuses = st.integers(200, 599).filter(lambda code: code not in (204, 304))
_paths = st.sampled_from(['/api/v2/ob/clusters/1/backup/task/dataBackupTasks', '/api/v1/info', '/api/v1/tenant/t1/backup/overview'])


def _headers(content_type, encoding, trace):
    headers = {}
    if content_type is not None:
        headers['Content-Type'] = content_type
    if encoding is not None:
        headers['Content-Encoding'] = encoding
    if trace is not None:
        headers['X-OBSHELL-Trace-ID'] = trace
    return headers


def _check_error(exc, method, path, status):
    assert isinstance(exc.msg, str) and method in exc.msg and path in exc.msg, exc.msg
    assert 'Traceback' not in exc.msg and 'Traceback' not in repr(exc.details)
    if isinstance(exc, ApiError):
        assert exc.http_status == status and (exc.method, exc.path) == (method, path)
        assert isinstance(exc, AuthError) == (status in (401, 403)) and isinstance(exc, NotFoundError) == (status == 404)


@settings(max_examples=200, **PROFILE)
@given(status=st.integers(100, 599), content_type=_content_types, encoding=st.sampled_from([None, None, 'identity', 'gzip']),
       trace=st.none() | st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20),
       body=_bodies, path=_paths)
@example(status=200, content_type=None, encoding=None, trace=None, body=b'[' * 5000, path='/api/v1/info')
def test_property_http_answer_gives_data_or_a_named_error(status, content_type, encoding, trace, body, path):
    client = scripted(HttpClient('http://api.invalid:8080', retries=0), lambda request: (status, _headers(content_type, encoding, trace), body))
    try:
        result = client.request('GET', path)
    except (ApiError, ResponseFormatError, TransportError) as exc:
        event(type(exc).__name__)   # --hypothesis-show-statistics shows how the examples split
        _check_error(exc, 'GET', path, status)
        return
    event('data')
    assert 200 <= status < 300
    assert isinstance(result, dict) and result['successful'] is True


@settings(max_examples=100, **PROFILE)
@given(status=_statuses, content_type=st.sampled_from(['application/json', 'application/json;charset=UTF-8', 'text/plain', None]),
       envelope=st.fixed_dictionaries({'successful': st.just(True)}, optional={'status': _json, 'traceId': _json, 'data': _json}),
       ascii_only=st.booleans())
@example(status=200, content_type='text/plain', envelope={'successful': True, 'data': {'name': '\u79df\u6237\x80'}}, ascii_only=False)
def test_property_successful_envelope_is_returned_as_sent(status, content_type, envelope, ascii_only):
    body = _dump(envelope, ascii_only)
    client = scripted(HttpClient('http://api.invalid:8080', retries=0), lambda request: (status, _headers(content_type, None, None), body))
    if 200 <= status < 300:
        # NaN is not equal to itself: compare the JSON texts.
        assert json.dumps(client.get('/api/v1/info'), sort_keys=True) == json.dumps(envelope, sort_keys=True)
    else:
        with pytest.raises(ApiError) as info:
            client.get('/api/v1/info')
        _check_error(info.value, 'GET', '/api/v1/info', status)


_words = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=('Cs',)), min_size=1, max_size=20)


@settings(max_examples=150, **PROFILE)
@given(status=_statuses, successful=st.sampled_from([False, None, 'false', 0]),
       error=st.fixed_dictionaries({}, optional={'code': st.integers() | _words, 'errCode': _words, 'message': _words}),
       outer_message=st.none() | _words, trace_id=st.none() | _words, header_trace=st.none() | st.text('0123456789abcdef', min_size=1, max_size=16))
def test_property_error_envelope_message_carries_code_message_and_trace_id(status, successful, error, outer_message, trace_id, header_trace):
    envelope = {'successful': successful, 'status': status, 'error': error}
    if outer_message is not None:
        envelope['message'] = outer_message
    if trace_id is not None:
        envelope['traceId'] = trace_id
    body = _dump(envelope, False)
    client = scripted(HttpClient('http://api.invalid:8080', retries=0),
                      lambda request: (status, _headers('application/json', None, header_trace), body))
    with pytest.raises(ApiError) as info:
        client.get('/api/v2/ob/clusters')
    exc = info.value
    _check_error(exc, 'GET', '/api/v2/ob/clusters', status)
    code = error.get('errCode') or error.get('code')
    message = error.get('message') or outer_message
    trace = trace_id or header_trace
    assert exc.error_code == (code if code not in (None, '') else None) and exc.error_message == message and exc.trace_id == trace
    for value in (code, message, trace):
        if value not in (None, ''):
            # Shown without terminal controls (C0, DEL, C1 and escape sequences).
            assert clean_text(str(value)) in exc.msg
    assert exc.server_error == error


# ---- camel-to-snake ----------------------------------------------------------------------------

_ascii_keys = st.text(st.sampled_from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'), max_size=24)
_api_keys = st.from_regex(r'[a-z][a-zA-Z0-9]{0,20}', fullmatch=True) | st.sampled_from(['dataBackupTaskType', 'obClusterId', 'URLPath', 'traceId', 'ID'])
_snake_keys = st.from_regex(r'[a-z0-9_]{1,20}', fullmatch=True)


@settings(max_examples=150, **PROFILE)
@given(key=_ascii_keys | _api_keys)
def test_property_snake_case_of_ascii_keys_only_lowercases_and_inserts_underscores(key):
    snake = snake_case(key)
    assert re.match(r'^[a-z0-9_]*$', snake), snake
    assert snake.replace('_', '') == key.replace('-', '').replace('_', '').lower()
    assert snake_case(snake) == snake


@settings(max_examples=50, **PROFILE)
@given(key=_snake_keys)
def test_property_snake_keys_are_left_alone(key):
    assert snake_case(key) == key


@settings(max_examples=150, **PROFILE)
@given(key=st.text(max_size=24))
def test_property_snake_case_of_any_unicode_key_is_idempotent(key):
    snake = snake_case(key)
    assert isinstance(snake, str) and not re.search('[A-Z-]', snake)
    assert snake_case(snake) == snake


def _plain_key(key):
    """Keys whose values normalize leaves alone: no time field (``*_time`` ...) and not ``delay``."""
    snake = snake_case(key)
    return snake != 'delay' and not snake.endswith(('_time', '_timestamp', '_checkpoint')) and snake not in ('checkpoint', 'timestamp')


def _objects(keys, leaves):
    def nest(inner):
        pairs = st.lists(st.tuples(keys, inner), max_size=4, unique_by=lambda pair: snake_case(pair[0]))
        return st.lists(inner, max_size=3) | pairs.map(dict)
    return st.recursive(leaves, nest, max_leaves=12)


def _assert_converted(before, after):
    """Same shape, every key snake_cased, every leaf the very same object."""
    if isinstance(before, dict):
        assert isinstance(after, dict) and list(after) == [snake_case(key) for key in before]
        for key, value in before.items():
            _assert_converted(value, after[snake_case(key)])
    elif isinstance(before, list):
        assert isinstance(after, list) and len(after) == len(before)
        for old, new in zip(before, after):
            _assert_converted(old, new)
    else:
        assert after is before


@settings(max_examples=100, **PROFILE)
@given(value=_objects((_ascii_keys | _api_keys | st.text(max_size=12)).filter(_plain_key), _scalars))
def test_property_normalize_converts_nested_keys_and_keeps_values(value):
    before = copy.deepcopy(value)
    _assert_converted(value, normalize(value))
    assert json.dumps(value, sort_keys=True) == json.dumps(before, sort_keys=True)


_time_keys = st.sampled_from(['startTime', 'finish_time', 'checkpoint', 'createTimestamp', 'lastCheckpoint', 'delay', 'Timestamp'])


def _assert_normalized(before, after):
    """Time fields are canonical UTC for the same instant or kept as sent; ``delay`` a float or kept; the rest as above."""
    if isinstance(before, dict):
        for key, value in before.items():
            snake = snake_case(key)
            new = after[snake]
            if snake == 'delay' and not isinstance(value, (dict, list)):
                assert isinstance(new, float) or new is value
            elif not _plain_key(key) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                if value == '':
                    assert new is None
                elif new is not value:
                    assert CANONICAL_UTC.match(new) and _timeutil.parse_timestamp(new) == _timeutil.parse_timestamp(value), (value, new)
            else:
                _assert_normalized(value, new)
    elif isinstance(before, list):
        for old, new in zip(before, after):
            _assert_normalized(old, new)
    else:
        assert after is before


@settings(max_examples=100, **PROFILE)
@given(value=_objects(_time_keys | _api_keys, _scalars | _time_text | st.integers(min_value=10 ** 300)))
@example(value={'delay': 10 ** 400, 'lastCheckpoint': 10 ** 400})
@example(value={'delay': {'startTime': None}})
def test_property_normalize_never_raises_on_time_and_delay_fields(value):
    _assert_normalized(value, normalize(value))


# ---- OCP paging --------------------------------------------------------------------------------

PAGE_PATH = '/api/v2/ob/clusters/1/tenants/11/backup/task/dataBackupTasks'
CAP = 12


class PageSource:
    """Stands in for HttpClient.get: page N is ``bodies[N-1]``, then ``tail`` says what comes after."""

    def __init__(self, bodies, tail):
        self.bodies = bodies
        self.tail = tail
        self.calls = []

    def get(self, path, params=None):
        assert path == PAGE_PATH
        page = params['page']
        self.calls.append(page)
        if page <= len(self.bodies):
            return self.bodies[page - 1]
        if self.tail == 'repeat' and self.bodies:
            return self.bodies[-1]
        if self.tail == 'endless':
            # Full pages of new rows, no page count: only the page cap stops this.
            rows = [{'tenantId': 1, 'taskId': 10 ** 6 + page * 100 + i} for i in range(params['size'])]
            return {'successful': True, 'data': {'contents': rows}}
        return {'successful': True, 'data': {'contents': []}}


def ocp_client(source):
    client = _ocp_client.OcpClient({'ocp_url': 'http://ocp.invalid:8080', 'ocp_username': 'u', 'ocp_password': 'p', 'retries': 0})
    client.http = source
    return client


_ids = st.integers(0, 12) | _json
_rows = st.fixed_dictionaries({}, optional={
    'taskId': _ids, 'createTime': st.sampled_from(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']) | _json, 'tenantId': st.integers(1, 2) | _json,
    'id': _ids, 'status': st.sampled_from(['DONE', 'FAILED']),
})
_counts = st.integers(-2, 12) | st.sampled_from(['3', '', 'x', None, True, 1.5, float('inf'), float('-inf'), float('nan')]) | _json
_page_info = st.fixed_dictionaries({}, optional={'totalPages': _counts, 'totalPage': _counts, 'size': _counts, 'number': _counts}) | _json
_page_data = st.fixed_dictionaries({'contents': st.lists(_rows, max_size=8)}, optional={'page': _page_info}) | \
    st.fixed_dictionaries({}, optional={'contents': _json, 'page': _page_info}) | _json
_page_bodies = st.builds(lambda data: {'successful': True, 'status': 200, 'data': data}, _page_data)


@settings(max_examples=150, **PROFILE)
@given(bodies=st.lists(_page_bodies, max_size=6), tail=st.sampled_from(['empty', 'repeat', 'endless']), page_size=st.integers(1, 8),
       key=st.sampled_from([task_key, _ocp_client.id_key]))
@example(bodies=[{'successful': True, 'data': {'contents': [{'taskId': 1}], 'page': {'totalPages': float('inf')}}}], tail='endless', page_size=1,
         key=task_key)
@example(bodies=[{'successful': True, 'data': {'contents': [{'taskId': [1]}, {'taskId': [1]}]}}], tail='empty', page_size=2, key=task_key)
def test_property_paging_terminates_and_yields_each_task_once(bodies, tail, page_size, key):
    source = PageSource(bodies, tail)
    rows = []
    error = None
    with mock.patch.object(_paging, 'MAX_PAGES', CAP):
        try:
            for page in ocp_client(source).iter_pages(PAGE_PATH, {'status': 'DONE'}, page_size=page_size, key=key):
                rows.extend(page)
        except ResponseFormatError as exc:
            error = exc
            event('ResponseFormatError')
            assert PAGE_PATH in exc.msg and exc.details['path'] == PAGE_PATH
    assert source.calls == list(range(1, len(source.calls) + 1)) and len(source.calls) <= CAP
    if tail == 'empty':
        assert len(source.calls) <= len(bodies) + 1
    if tail == 'endless':
        # Either the scripted pages ended the listing, or the cap did, with a message.
        assert len(source.calls) <= len(bodies) or (len(source.calls) == CAP and 'gave up after %d pages' % CAP in error.msg)
    identities = [key(row) for row in rows]
    usable = [identity for identity in identities if _hashable(identity)]
    assert len(usable) == len(set(usable))


def _hashable(identity):
    """Whether an identity can de-duplicate rows (a list or object sent as an id cannot, and is not tried)."""
    try:
        hash(identity)
    except TypeError:
        return False
    return identity is not None


def test_paging_cap_of_the_real_constant_bounds_an_endless_server():
    source = PageSource([], 'endless')
    with pytest.raises(ResponseFormatError, match='gave up after %d pages' % _paging.MAX_PAGES):
        for _page in ocp_client(source).iter_pages(PAGE_PATH, page_size=1, key=task_key):
            pass
    assert len(source.calls) == _paging.MAX_PAGES


def _listing(tasks, page_size, mode):
    """Bodies of a server that honours page and size; ``mode`` is how it reports (or not) the page count."""
    served = page_size - 1 if mode == 'capped' and page_size > 1 else page_size
    pages = -(-len(tasks) // served)
    bodies = []
    for number in range(1, pages + 2):
        start = (number - 1) * served
        if mode == 'overlap' and number > 1:
            start -= 1    # repeats the last row of the previous page
        info = {'number': number, 'size': 7919}   # page.size is never trusted
        if mode in ('totalPages', 'capped', 'overlap'):
            info['totalPages'] = pages
        elif mode == 'totalPage':
            info['totalPage'] = pages
        elif mode == 'inflated':
            info['totalPages'] = pages + 1
        data = {'contents': tasks[start:number * served]}
        if mode != 'none':
            data['page'] = info
        bodies.append({'successful': True, 'data': data})
    return bodies, pages


@settings(max_examples=100, **PROFILE)
@given(count=st.integers(0, 25), page_size=st.integers(1, 7), log=st.booleans(),
       mode=st.sampled_from(['totalPages', 'totalPage', 'none', 'inflated', 'capped', 'overlap']))
def test_property_paging_yields_every_task_of_a_well_formed_listing(count, page_size, log, mode):
    # Task ids repeat across tenants (they are per tenant); log rows have no id, only a creation time.
    if log:
        tasks = [{'tenantId': 1 + i % 3, 'createTime': '2024-01-01T00:00:%02dZ' % (i // 3)} for i in range(count)]
    else:
        tasks = [{'tenantId': 1 + i % 3, 'taskId': 1 + i // 3} for i in range(count)]
    bodies, pages = _listing(tasks, page_size, mode)
    source = PageSource(bodies, 'empty')
    rows = [row for page in ocp_client(source).iter_pages(PAGE_PATH, page_size=page_size, key=task_key) for row in page]
    assert rows == tasks
    assert len(source.calls) <= max(pages, 1) + 1


# ---- obshell -----------------------------------------------------------------------------------

OBSHELL_PARAMS = {'obshell_url': 'http://obshell.invalid:2886', 'obshell_root_password': 'R00t', 'retries': 0, 'tenant_name': 't1'}
OVERVIEW = '/api/v1/tenant/t1/backup/overview'


@pytest.fixture(scope='module')
def agent_key():
    return make_key(1024)


def _secret_body(key):
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    return _dump({'successful': True, 'status': 200, 'data': {'public_key': base64.b64encode(der).decode('ascii')}}, True)


HEALTHY_INFO = _dump({'successful': True, 'status': 200, 'data': {'version': '4.3.1.0-100000012024', 'supportedAuth': ['v1', 'v2']}}, True)


def _answers(status, body):
    return st.tuples(st.just(status), st.just({'Content-Type': 'application/json'}), body)


_versions = st.sampled_from(['4.3.1.0-100000012024', '4.2.4.0', '4.2.2.0', '', '4.x', '4.²', '5']) | _json
_info = st.builds(lambda data: {'successful': True, 'status': 200, 'data': data},
                  st.fixed_dictionaries({'version': _versions}, optional={'supportedAuth': st.sampled_from([['v1', 'v2'], ['v1'], 'v2', 5, [1]]) | _json,
                                                                          'identity': _json}) | _json)
_task = st.fixed_dictionaries({}, optional={
    'status': st.sampled_from(['COMPLETED', 'FAILED', 'CANCELED', 'DOING', 'BACKUP_DATA_MINOR']) | _json,
    'start_timestamp': _time_text | _json, 'end_timestamp': _time_text | _json,
    'tablet_count': st.integers() | _json, 'finish_tablet_count': st.integers() | _json,
    'result': _json, 'encryption_mode': _json, 'backup_set_id': _json,
})
_overview = st.builds(lambda data: {'successful': True, 'status': 200, 'data': data},
                      st.fixed_dictionaries({}, optional={'status': _task | _json}) | _json)
_tasks = _answers(200, _task.map(lambda task: _dump({'successful': True, 'status': 200, 'data': {'status': task}}, False)))
_obshell_codes = st.sampled_from(['Task.NotFound', 'OB.Tenant.NotExist', 'OB.Tenant.SysOperationNotAllowed', 'Agent.Identify.NotSupportOperation',
                                  'Security.Authentication.Header.DecryptFailed', 'Security.IncorrectOceanbasePassword'])
_obshell_errors = st.fixed_dictionaries({}, optional={
    'code': st.sampled_from([1, 1001, 1010, 2300, 10008]) | _json, 'errCode': _obshell_codes | _json,
    'message': st.sampled_from(['tenant t1 not found', 'boom']) | _json,
})
_failure = st.tuples(st.sampled_from([400, 401, 403, 404, 500]), st.just({'Content-Type': 'application/json'}),
                     st.builds(lambda error, trace: _dump({'successful': False, 'error': error, 'traceId': trace}, False), _obshell_errors, _json))
_junk = st.tuples(st.integers(100, 599), st.builds(_headers, _content_types, st.none(), st.none()), _bodies)


@settings(max_examples=120, **PROFILE)
@given(data=st.data())
def test_property_obshell_overview_gives_a_result_or_a_named_error(agent_key, data):
    # A healthy agent with one call answered oddly, so that most examples get as far as the overview.
    by_path = {'/api/v1/secret': (200, {'Content-Type': 'application/json'}, _secret_body(agent_key)),
               '/api/v1/info': (200, {'Content-Type': 'application/json'}, HEALTHY_INFO)}
    odd = data.draw(st.sampled_from(['overview', 'overview', 'overview', 'info', 'secret']), label='odd')
    if odd == 'overview':
        by_path[OVERVIEW] = data.draw(_tasks | _answers(200, _overview.map(lambda body: _dump(body, False))) | _failure | _junk, label='overview')
    else:
        by_path[OVERVIEW] = data.draw(_tasks, label='overview')
        strategy = _answers(200, _info.map(lambda body: _dump(body, False))) | _failure | _junk if odd == 'info' else _junk
        by_path['/api/v1/' + odd] = data.draw(strategy, label=odd)
    seen = []

    def answer(request):
        path = request.path_url
        seen.append(path)
        return by_path[path]

    client = _obshell_client.ObshellClient(OBSHELL_PARAMS)
    scripted(client.http, answer)
    scripted(client.plain, answer)
    try:
        result = _obshell_overview.collect_overview(OBSHELL_PARAMS, now=NOW, client_factory=lambda params, warn=None: client)
    except OceanBaseError as exc:
        event(type(exc).__name__)
        assert isinstance(exc.msg, str) and 'Traceback' not in exc.msg
        if isinstance(exc, (ApiError, ResponseFormatError, TransportError)):
            assert seen and seen[-1] in exc.msg, (seen, exc.msg)
        return
    event('found, with a summary' if result['summary'] else 'found' if result['found'] else 'not found')
    assert seen[0] == '/api/v1/info' and seen[-1] == OVERVIEW and seen.count(OVERVIEW) <= 2
    assert isinstance(result['found'], bool) and result['tenant'] == {'name': 't1'}
    task, summary = result['backup_task'], result['summary']
    assert task is None or isinstance(task, dict)
    if summary is not None:
        assert result['found'] and isinstance(task, dict)
        assert summary['in_progress'] is not (summary['succeeded'] or summary['failed'] or task.get('status') == 'CANCELED')
        percent = summary['progress']['percent']
        assert percent is None or isinstance(percent, float) and not math.isnan(percent)
        for field in ('start_timestamp', 'end_timestamp'):
            value = task.get(field)
            assert value is None or not isinstance(value, str) or CANONICAL_UTC.match(value) or _not_a_time(value)


def _not_a_time(value):
    try:
        _timeutil.parse_timestamp(value)
    except ValueError:
        return True
    return False


@settings(max_examples=100, **PROFILE)
@given(status=st.sampled_from([400, 401, 403, 404, 500]), error=_obshell_errors | st.fixed_dictionaries({}))
def test_property_obshell_error_causes_keep_the_server_details(status, error):
    exc = ApiError('GET', OVERVIEW, status, error_code=error.get('errCode'), error_message=error.get('message'))
    exc.server_error = error
    original = exc.msg
    explained = _obshell_overview.explain(exc, 't1')
    assert explained is exc and exc.msg.endswith(original)
    # The retry after a key change is for the agent's decrypt failure only.
    assert _obshell_client.decrypt_failed(exc) == (status == 401 and (error.get('errCode') == _obshell_client.DECRYPT_FAILED or error.get('code') == 1))
