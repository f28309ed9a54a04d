# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API rows to module rows: snake_case keys, UTC times, delay as a float; and Fields, which reads a few of them."""

from __future__ import annotations

import time

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _normalize
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import Fields, normalize, snake_case


@pytest.mark.parametrize('name, expected', [
    ('dataBackupTaskType', 'data_backup_task_type'),
    ('obClusterId', 'ob_cluster_id'),
    ('taskId', 'task_id'),
    ('status', 'status'),
    ('errorMsg', 'error_msg'),
    ('agentServerIp', 'agent_server_ip'),
    ('backupURI', 'backup_uri'),
    ('URLPath', 'url_path'),
    ('dataSecondaryBackupTaskIds', 'data_secondary_backup_task_ids'),
    ('already_snake', 'already_snake'),
    ('start_timestamp', 'start_timestamp'),
    ('x-ocp-data', 'x_ocp_data'),
])
def test_snake_case(name, expected):
    assert snake_case(name) == expected


@pytest.mark.parametrize('sent, expected', [
    ('2024-08-09T08:02:57.715753Z', '2024-08-09T08:02:57.715753Z'),
    ('2024-08-09T16:04:21.810084+08:00', '2024-08-09T08:04:21.810084Z'),
    ('2021-09-23T14:33:17.357+0800', '2021-09-23T06:33:17.357000Z'),
    ('2021-09-23T14:33:17+0800', '2021-09-23T06:33:17Z'),
    ('2021-09-23T14:33:17+08:00', '2021-09-23T06:33:17Z'),
    ('2021-09-23T01:33:17-05:00', '2021-09-23T06:33:17Z'),
    ('2024-08-09T08:02:57Z', '2024-08-09T08:02:57Z'),
    ('2024-08-09T08:02:57.1Z', '2024-08-09T08:02:57.100000Z'),
    ('2024-08-09T08:02:57.000Z', '2024-08-09T08:02:57Z'),
    ('2024-08-09T16:02:57.123456789+08:00', '2024-08-09T08:02:57.123456Z'),
    ('2024-08-09T08:02:57', '2024-08-09T08:02:57Z'),
])
def test_normalize_converts_every_time_shape_to_utc(sent, expected):
    row = normalize({'startTime': sent, 'finishTime': sent, 'checkpoint': sent, 'createTime': sent,
                     'snapshotVersionTime': sent, 'latestLogBackupCheckpoint': sent})
    assert row == {'start_time': expected, 'finish_time': expected, 'checkpoint': expected, 'create_time': expected,
                   'snapshot_version_time': expected, 'latest_log_backup_checkpoint': expected}


def test_normalize_keeps_unknown_fields_and_types():
    raw = {
        'taskId': 7, 'tenantName': 'ww1144', 'delay': 77.6421, 'errorMsg': '', 'finishTime': None,
        'someNewField': {'innerValue': 1, 'whenTime': '2024-01-01T08:00:00+08:00'},
        'dataSecondaryBackupTaskIds': [3, 4], 'successful': True, 'startTime': 'not a time',
    }
    assert normalize(raw) == {
        'task_id': 7, 'tenant_name': 'ww1144', 'delay': 77.6421, 'error_msg': '', 'finish_time': None,
        'some_new_field': {'inner_value': 1, 'when_time': '2024-01-01T00:00:00Z'},
        'data_secondary_backup_task_ids': [3, 4], 'successful': True, 'start_time': 'not a time',
    }


@pytest.mark.parametrize('sent, expected', [('77.6421', 77.6421), (100, 100.0), (None, None), ('n/a', 'n/a')])
def test_normalize_delay_is_a_float(sent, expected):
    value = normalize({'delay': sent})['delay']
    assert value == expected
    if expected is not None and not isinstance(expected, str):
        assert isinstance(value, float)


def test_normalize_epoch_milliseconds_time():
    assert normalize({'createTime': 1723190577000})['create_time'] == '2024-08-09T08:02:57Z'


def test_normalize_is_fast_enough_for_large_answers():
    row = {'taskId': 1, 'tenantName': 't', 'status': 'DONE', 'startTime': '2024-08-09T16:00:52.151857+0800',
           'finishTime': '2024-08-09T08:02:57.715753Z', 'dataBackupTaskType': 'FULL_BACKUP', 'backupSetId': 3}
    rows = [dict(row, taskId=i) for i in range(5000)]
    started = time.perf_counter()
    result = [normalize(item) for item in rows]
    # Generous bound (shared 2-core machine): a regression to per-call regex compilation or similar shows up.
    assert time.perf_counter() - started < 2.0
    assert result[4999]['task_id'] == 4999 and result[0]['start_time'] == '2024-08-09T08:00:52.151857Z'


def test_normalize_takes_the_last_of_two_keys_with_one_name_and_normalizes_nested_values():
    row = {'startTime': '2024-08-01T08:00:00+08:00', 'start_time': 'not a time', 'nested': [{'innerTime': 0}], 'delay': '2'}
    assert normalize(row) == {'start_time': 'not a time', 'nested': [{'inner_time': '1970-01-01T00:00:00Z'}], 'delay': 2.0}


def test_fields_read_by_snake_case_name_as_normalize_picks_them():
    read = Fields(('start_time', 'task_id', 'delay', 'missing'))
    row = {'startTime': '2024-08-01T08:00:00+08:00', 'start_time': 'last', 'taskId': 7, 'delay': '2.5', 'nested': {'innerTime': 0}}
    # As sent: no time rewritten, no float made; the last of two keys with one name; None for a missing field.
    assert read(row) == ('last', 7, '2.5', None)
    assert read({'taskId': 8, 'startTime': 'x', 'delay': 1}) == ('x', 8, 1, None)
    assert Fields(('task_id',))({'taskId': 9}) == (9,)
    assert read({}) == (None, None, None, None)


@pytest.mark.parametrize('rows', [
    [],
    [{'startTime': 'a', 'taskId': 1, 'delay': 2}, {'startTime': 'b', 'taskId': 2, 'delay': 3}],               # one shape: no call per row
    [{'startTime': 'a', 'start_time': 'last', 'taskId': 1}, {'startTime': 'b', 'start_time': 'last2', 'taskId': 2}],
    [{'startTime': 'a', 'taskId': 1}, {'taskId': 2, 'startTime': 'b'}, {'start_time': 'c'}, {}],               # several shapes
])
@pytest.mark.parametrize('names', [('start_time', 'task_id', 'delay', 'missing'), ('task_id',), ('start_time', 'task_id')])
def test_fields_many_reads_each_row_as_one_call_would(rows, names):
    read = Fields(names)
    assert read.many(rows) == [Fields(names)(row) for row in rows]


def test_key_cache_is_used():
    snake_case('someCachedKeyName')
    assert _normalize._KEY_CACHE['someCachedKeyName'] == ('some_cached_key_name', None)


ESCAPES = '\x1b]0;pwned\x07\x1b[2J\x1b[32mall checks passed\x1b[0m\x9b31m\r!'


def test_free_text_fields_lose_terminal_escapes_and_nothing_else_changes():
    row = {'errorMsg': ESCAPES, 'comment': 'ok\tthen\nnext\x1b[1m', 'resultMessage': '\x07bell', 'tenantName': 'sales\x1b[2J',
           'status': 'FAILED', 'delay': '7', 'taskId': 3, 'nested': [{'errorMsg': '\x1b[2Jin a list'}], 'comment_count': 2}
    result = normalize(row)
    assert result['error_msg'] == 'all checks passed!'
    assert result['comment'] == 'ok\tthen\nnext' and result['result_message'] == 'bell'
    assert result['nested'] == [{'error_msg': 'in a list'}]
    # Only free text is cleaned: names, numbers and other fields are as sent.
    assert result['tenant_name'] == 'sales\x1b[2J' and result['status'] == 'FAILED' and result['task_id'] == 3
    assert result['delay'] == 7.0 and result['comment_count'] == 2
    assert normalize({'errorMsg': None, 'comment': 5}) == {'error_msg': None, 'comment': 5}
