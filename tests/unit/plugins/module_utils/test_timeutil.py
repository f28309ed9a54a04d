# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import (
    age_seconds,
    format_api_time,
    format_utc,
    parse_time_option,
    parse_timestamp,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize('text, expected', [
    ('2024-08-09T08:02:57.715753Z', '2024-08-09T08:02:57.715753Z'),
    ('2024-08-09T16:04:21.810084+08:00', '2024-08-09T08:04:21.810084Z'),
    ('2021-09-16T17:25:05.943+0800', '2021-09-16T09:25:05.943000Z'),
    ('2021-09-16T17:25:05+0800', '2021-09-16T09:25:05Z'),
    ('2024-10-12T18:16:17.54002369+08:00', '2024-10-12T10:16:17.540023Z'),
    ('2024-10-12T18:16:17.123456789Z', '2024-10-12T18:16:17.123456Z'),
    ('2024-10-12T18:16:17.1Z', '2024-10-12T18:16:17.100000Z'),
    ('2024-10-12T18:16:17-05:30', '2024-10-12T23:46:17Z'),
    ('2024-10-12T18:16:17+08', '2024-10-12T10:16:17Z'),
    ('2024-10-12T18:16:17', '2024-10-12T18:16:17Z'),
    ('2024-10-12 18:16:17Z', '2024-10-12T18:16:17Z'),
    ('2024-10-12', '2024-10-12T00:00:00Z'),
    ('2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00Z'),
])
def test_format_utc_normalises_every_server_shape(text, expected):
    assert format_utc(text) == expected


def test_format_utc_keeps_none_empty_and_unparseable():
    assert format_utc(None) is None
    assert format_utc('') is None
    assert format_utc('not a time') == 'not a time'


def test_epoch_seconds_and_milliseconds():
    assert format_utc(0) == '1970-01-01T00:00:00Z'
    assert format_utc(1723190577) == '2024-08-09T08:02:57Z'
    assert format_utc(1723190577123) == '2024-08-09T08:02:57.123000Z'


@pytest.mark.parametrize('bad', ['2024-13-01T00:00:00Z', '2024-02-30', '2024-08-09T25:00:00Z', '2024-08-09T10:00:00+2500', 'yesterday', True, [], {}])
def test_parse_timestamp_rejects_junk(bad):
    with pytest.raises(ValueError):
        parse_timestamp(bad)


def test_format_api_time_is_second_precision_utc():
    assert format_api_time('2024-08-09T16:04:21.999+08:00') == '2024-08-09T08:04:21Z'


@pytest.mark.parametrize('text, delta', [
    ('now', timedelta(0)),
    ('-30m', timedelta(minutes=30)),
    ('-24h', timedelta(hours=24)),
    ('-7d', timedelta(days=7)),
    ('-2w', timedelta(days=14)),
    ('-90s', timedelta(seconds=90)),
    (' -7D ', timedelta(days=7)),
])
def test_relative_times(text, delta):
    assert parse_time_option(text, 'start_time', now=NOW) == NOW - delta


def test_absolute_time_option_with_offset():
    assert parse_time_option('2026-11-23T20:00:00+08:00', 'end_time', now=NOW) == NOW


@pytest.mark.parametrize('bad', ['', '   ', '+7d', '-7y', '7d', 'tomorrow', '2024-02-30T00:00:00Z', None, 12])
def test_bad_time_option_names_the_option_and_the_accepted_forms(bad):
    with pytest.raises(InputError) as info:
        parse_time_option(bad, 'start_time', now=NOW)
    assert info.value.option == 'start_time'
    assert 'start_time' in info.value.msg
    assert '-24h' in info.value.msg and 'ISO 8601' in info.value.msg


def test_age_seconds_floors_and_handles_missing():
    assert age_seconds('2026-11-23T11:00:00Z', NOW) == 3600
    assert age_seconds('2026-11-23T19:59:59.400+08:00', NOW) == 0
    assert age_seconds('2026-11-23T12:00:10Z', NOW) == -10
    assert age_seconds(None, NOW) is None
    assert age_seconds('garbage', NOW) is None
