# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fast path of parse_timestamp and time_key (datetime.fromisoformat for the shape OCP sends) answers
exactly like the general parser, for every string the general parser accepts or rejects."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.oceanbase.backup.plugins.module_utils import _timeutil

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# One field out of range, or none: month 13, day 31 in a 30-day month, hour 24, second 60, offset +24:00, offset minutes 60.
WRONG = {'month': 13, 'day': 31, 'hour': 24, 'minute': 60, 'second': 60, 'offset_hour': 24, 'offset_minute': 60}


@st.composite
def common_shape(draw):
    """The shape OCP sends, with at most one field out of range, so that the fast path meets every rejection."""
    values = {'year': draw(st.integers(1, 9999)), 'month': draw(st.sampled_from([4, 6, 9, 11] + list(range(1, 13)))),
              'day': draw(st.integers(1, 30)), 'hour': draw(st.integers(0, 23)), 'minute': draw(st.integers(0, 59)),
              'second': draw(st.integers(0, 59)), 'offset_hour': draw(st.integers(0, 23)), 'offset_minute': draw(st.integers(0, 59))}
    if values['month'] == 2:
        values['day'] = min(values['day'], 28)
    wrong = draw(st.sampled_from([None] + sorted(WRONG)))
    if wrong == 'day':
        values['month'] = draw(st.sampled_from([2, 4, 6, 9, 11]))
    if wrong:
        values[wrong] = WRONG[wrong]
    fraction = draw(st.one_of(st.just(''), st.text('0123456789', min_size=1, max_size=9).map(lambda x: '.' + x)))
    offset = draw(st.sampled_from(['Z', 'colon', 'plain']))
    if offset != 'Z':
        offset = '%s%02d%s%02d' % (draw(st.sampled_from('+-')), values['offset_hour'], ':' if offset == 'colon' else '',
                                   values['offset_minute'])
    return '%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d' % values + fraction + offset


def test_the_fast_path_is_on():
    # Every Python the tests run on (3.11 and 3.12) has it; without it the comparisons below compare a path with itself.
    assert _timeutil._FROMISOFORMAT == datetime.fromisoformat


def outcome(text):
    try:
        return _timeutil.parse_timestamp(text), _timeutil.format_utc(text)
    except ValueError:
        return 'ValueError', None


def micros(text):
    try:
        return (_timeutil.parse_timestamp(text) - EPOCH) // timedelta(microseconds=1)
    except ValueError:
        return None


def general(text):
    fast, _timeutil._FROMISOFORMAT = _timeutil._FROMISOFORMAT, None
    try:
        return outcome(text)
    finally:
        _timeutil._FROMISOFORMAT = fast


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(common_shape(), st.from_regex(_timeutil._ISO_RE, fullmatch=True)))
def test_fast_path_answers_like_the_general_parser(text):
    assert outcome(text) == general(text)
    expected = micros(text)
    assert _timeutil.time_key(text) == (None if expected is None else timedelta(microseconds=expected))


@pytest.mark.parametrize('text, expected', [
    ('2026-11-23T16:02:49.305872917+08:00', '2026-11-23T08:02:49.305872Z'),
    ('2026-11-23T16:02:49+0800', '2026-11-23T08:02:49Z'),
    ('2026-11-23T08:02:49.5Z', '2026-11-23T08:02:49.500000Z'),
    ('0001-01-01T00:30:00-00:30', '0001-01-01T01:00:00Z'),
])
def test_fast_path_results(text, expected):
    assert _timeutil._COMMON_RE.match(text)
    assert _timeutil.format_utc(text) == expected == general(text)[1]


def test_out_of_range_fields_still_fail_naming_the_value():
    with pytest.raises(ValueError):
        _timeutil.parse_timestamp('2024-02-30T00:00:00Z')
    assert _timeutil.format_utc('2024-08-06T24:00:00Z') == '2024-08-06T24:00:00Z'


@pytest.mark.parametrize('value, expected', [
    ('1970-01-01T08:00:00.000001+08:00', 1),
    ('1969-12-31T23:59:59.999999Z', -1),
    (1723000000, 1723000000 * 10 ** 6),
    ('9999-12-31T23:00:00-02:00', None),      # past the year 9999 in UTC
    ('0001-01-01T00:30:00+01:00', None),      # before the year 1 in UTC
    ('2024-13-45T99:99:99Z', None),
    ('', None), (None, None), (True, None), ({'a': 1}, None),
])
def test_time_key(value, expected):
    assert _timeutil.time_key(value) == (None if expected is None else timedelta(microseconds=expected))


def test_time_keys_sort_like_the_instants_and_before_no_time():
    texts = ['2024-08-09T16:00:00.000001+08:00', '2024-08-09T08:00:00Z', '2024-08-09T08:00:00.5+0000', '2024-08-09T03:00:00-0530']
    assert sorted(texts, key=_timeutil.time_key) == [texts[1], texts[0], texts[2], texts[3]]   # -0530: 08:30 UTC
    assert _timeutil.NO_TIME < _timeutil.time_key('0001-01-01T00:00:00Z')


# time_key has two fast paths before the general parser: the first, without a regex, for a string whose offset the
# second (_SPLIT_RE) has read before; the second for the first string of each offset. Both must answer like the
# general parser, the first must answer every string _SPLIT_RE matches, and neither may take a near miss for a time.
NEAR_MISSES = [
    '2026-11-23T16:02:49.305+08',           # offset without minutes
    '2026-11-23T16:02:49.3050000001+0800',  # 10 fraction digits
    '2026-11-23T16:02:49.+0800',            # a point without digits
    '2026-11-23T16:02:49,305+0800',         # a comma: the general parser reads it, the fast paths do not
    '2026-11-23T16:02:49.3\u0663+0800',     # an Arabic-Indic digit (str.isdigit says yes, fromisoformat no)
    '2026-11-23T16:02:49.3+01+0800',        # two offsets
    '2026-11-23T16:02:49.3Z+0800', '2026-11-23T16:02:49+08:00Z',
    '2026-11-23T16:02:-9.1+0800',           # an offset where the seconds are
    '2026-11-23 16:02:49+0800', '20261123T160249.305+0800', '2026-11-23T1602:49+0800', '2026-W47-1T16:02:49Z',
    '2026-11-23T16:02:49z', '2026-11-23T16:02:49+24:00', '2026-11-23T16:02:49+0860', '2026-11-23T16:02:49',
    '2026-02-30T16:02:49.305+0800',         # Feb 30: the shape, but no day
    '2026-13-23T16:02:49.305872+08:00', '2026-11-23T24:00:00Z',
    '0001-01-01T00:30:00+01:00', '9999-12-31T23:00:00-02:00',   # outside the years 1 to 9999 in UTC
    ' 2026-11-23T16:02:49Z', '2026-11-23T16:02:49Z\n', 'Z', '+08:00', '', '2026',
]


def first_path_key(text):
    """time_key(text) once its offset is learnt, and whether its first path answered (no call to the second)."""
    _timeutil.time_key(text)
    calls, second = [], _timeutil._matched_key
    _timeutil._matched_key = lambda value: calls.append(value) or second(value)
    try:
        return _timeutil.time_key(text), not calls
    finally:
        _timeutil._matched_key = second


def second_path_key(text):
    """time_key(text) with no offset learnt: the second path, or the general parser."""
    learnt = dict(_timeutil._OFFSET_BASES)
    _timeutil._OFFSET_BASES.clear()
    try:
        return _timeutil.time_key(text)
    finally:
        _timeutil._OFFSET_BASES.update(learnt)


def expected_key(value):
    """time_key(value) from the general parser alone."""
    fast, _timeutil._FROMISOFORMAT = _timeutil._FROMISOFORMAT, None
    try:
        return _timeutil.time_key(value)
    finally:
        _timeutil._FROMISOFORMAT = fast


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(common_shape(), st.from_regex(_timeutil._ISO_RE, fullmatch=True), st.sampled_from(NEAR_MISSES)))
def test_both_fast_paths_of_time_key_answer_like_the_general_parser(text):
    expected = expected_key(text)
    key, first = first_path_key(text)
    assert key == second_path_key(text) == expected
    if _timeutil._SPLIT_RE.match(text):
        assert first


@pytest.mark.parametrize('text, utc', [
    ('2026-11-23T16:02:49.305+0800', '2026-11-23T08:02:49.305000Z'),        # the three forms of the hostile scenario
    ('2026-11-23T16:02:49.305872+08:00', '2026-11-23T08:02:49.305872Z'),
    ('2026-11-23T08:02:49Z', '2026-11-23T08:02:49Z'),
    ('2026-11-23T16:02:49.305872917-0130', '2026-11-23T17:32:49.305872Z'),  # nanoseconds dropped, a negative offset
    ('2999-01-01T00:00:00+08:00', '2998-12-31T16:00:00Z'),                  # in the future: a key like any other
])
def test_time_key_first_path_forms(text, utc):
    key, first = first_path_key(text)
    assert first
    assert key == second_path_key(text) == _timeutil.parse_timestamp(utc) - EPOCH


@pytest.mark.parametrize('text', NEAR_MISSES)
def test_time_key_near_misses_answer_like_the_general_parser(text):
    key, _first = first_path_key(text)
    assert key == second_path_key(text) == expected_key(text)


@pytest.mark.parametrize('value', [None, '', 1723000000, 1.5, True, {'a': 1}, ['2026-11-23T08:02:49Z']])
def test_time_key_of_other_values_answers_like_the_general_parser(value):
    assert first_path_key(value)[0] == second_path_key(value) == expected_key(value)
    assert (expected_key(value) is None) == (value in (None, '', True) or isinstance(value, (dict, list)))
