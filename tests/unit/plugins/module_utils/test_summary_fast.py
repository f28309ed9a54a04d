# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The summaries' hot paths, written out for speed, answer exactly like the plain code they replace.

Two comparisons on the same rows: the data summary with its written-out add() against the plain add() it had before
(kept below as the reference), and every summary with the fast time paths against the general time parser alone. The
rows have times in each form OCP sends (``+0800`` with milliseconds, ``+08:00`` with microseconds, ``Z``), equal
instants in different forms (ties), unreadable, missing and future times, and odd statuses, ids and tenants.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.oceanbase.backup.plugins.module_utils import _summary, _timeutil
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, LOG_BACKUP_TASKS
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import NO_TIME, time_key

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
# A few instants, so that rows tie on time; the last ones are after NOW (beyond the clock-skew tolerance).
INSTANTS = [NOW - timedelta(days=2), NOW - timedelta(hours=3, microseconds=1), NOW - timedelta(hours=3), NOW - timedelta(seconds=30),
            NOW + timedelta(seconds=100), NOW + timedelta(days=400)]
OFFSETS = [timedelta(0), timedelta(hours=8), timedelta(hours=-5, minutes=-30)]
ODD_TIMES = [None, '', 'not a time', '2026-13-01T00:00:00Z', '2026-02-30T08:00:00.5+0800', '2026-11-23T16:02:49,5+0800',
             '2026-11-23T16:02:49.3+01+0800', '9999-12-31T23:00:00-02:00', 1795000000, 1795000000123, True, ['2026-11-23T08:00:00Z']]


def render(moment, offset, form, digits):
    """``moment`` in the local time of ``offset``, the way an OCP build writes it."""
    local = (moment + offset).replace(tzinfo=None).isoformat(timespec='microseconds')
    text = local[:19] + ('.' + (local[20:] + '123')[:digits] if digits else '')
    if form == 'Z' and not offset:
        return text + 'Z'
    sign, size = ('-' if offset < timedelta(0) else '+'), abs(offset)
    hours, minutes = divmod(size.seconds // 60, 60)
    return text + ('%s%02d:%02d' if form == 'colon' else '%s%02d%02d') % (sign, hours, minutes)


_times = st.one_of(
    st.builds(render, st.sampled_from(INSTANTS), st.sampled_from(OFFSETS), st.sampled_from(['Z', 'colon', 'plain']), st.integers(0, 9)),
    st.sampled_from(ODD_TIMES),
)
_statuses = st.sampled_from(['DONE', 'done', 'FAILED', 'DOING', 'BEGINNING', 'CANCELING', 'CANCELED', 'UNKNOWN', None, 7, ''])
_data_rows = st.lists(st.fixed_dictionaries({
    'status': _statuses, 'startTime': _times, 'finishTime': _times,
    'taskId': st.one_of(st.integers(1, 4), st.sampled_from([None, True, '3', 2.0])),
    'tenantName': st.sampled_from(['t1', 't2', '', None, 5, ['t1']]), 'tenantId': st.sampled_from([0, 1, 2, '0', None]),
    'dataBackupTaskType': st.sampled_from(['FULL_BACKUP', 'full', 'INCREMENTAL_BACKUP', None, '']),
    'backupType': st.sampled_from(['FULL', None]), 'backupSetId': st.integers(1, 3), 'errorMsg': st.sampled_from(['', 'disk full']),
}), max_size=25)
_log_rows = st.lists(st.fixed_dictionaries({
    'status': st.sampled_from(['RUNNING', 'STOPPED', 'doing', None]), 'createTime': _times, 'startTime': _times, 'modifyTime': _times,
    'checkpoint': _times, 'tenantName': st.sampled_from(['t1', 't2', None]), 'tenantId': st.sampled_from([0, 1, 2, None]),
    'delay': st.sampled_from([1.5, -2.0, None, 'x']),
}), max_size=15)
TENANTS = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}, {'id': 3, 'name': 't3'}]


def plain_add(self, values, seq, outcomes):
    """_DataGroup.add as it was before it was written out: the reference."""
    status = _summary._status(values[0])
    self.count(status)
    upper = status.upper()
    start, finish = time_key(values[1]), time_key(values[2])
    task_id = values[3] if isinstance(values[3], int) and not isinstance(values[3], bool) else -1
    key = (_summary._either(start, finish), task_id, -seq)
    if self.latest is None or key > self.latest[0]:
        self.latest = (key, values)
    if upper == outcomes.success or upper == outcomes.failure:
        ended = (finish if finish is not None else NO_TIME if start is None else start, task_id, -seq)
        if upper == outcomes.failure:
            if self.failure is None or ended > self.failure[0]:
                self.failure = (ended, values)
            return
        if self.success is None or ended > self.success[0]:
            self.success = (ended, values)
        if (self.full_success is None or ended > self.full_success[0]) and _summary._is_full(values, outcomes):
            self.full_success = (ended, values)
    elif upper in outcomes.running:
        self.running += 1
        if start is not None and (self.oldest_running is None or (start, seq) < self.oldest_running[0]):
            self.oldest_running = ((start, seq), values)


def plain_add_values(self, rows):
    """_TaskSummary.add_values as it was before _tenant_key was written out in it: the reference."""
    for values in rows:
        self.seq += 1
        key = _summary._tenant_key(values[self.TENANT[0]], values[self.TENANT[1]])
        if key is None:
            self.wide_in_order.add(values, self.seq, self.outcomes)
            self.wide.add(values, self.seq + _summary._AFTER_OWN_TASKS, self.outcomes)
        else:
            self.tenants.setdefault(key, self.GROUP()).add(values, self.seq, self.outcomes)


def summarize(kind, rows, plain=False, general=False, pages=2):
    """The summary of ``rows`` (in ``pages`` pages) with the plain add() and add_values() or the general time parser, if asked."""
    written_out, fast = (_summary._DataGroup.add, _summary._TaskSummary.add_values), _timeutil._FROMISOFORMAT
    if plain:
        _summary._DataGroup.add, _summary._TaskSummary.add_values = plain_add, plain_add_values
    if general:
        _timeutil._FROMISOFORMAT = None
    try:
        summary = kind.summary()
        size = max(1, -(-len(rows) // pages))
        for start in range(0, len(rows), size):
            summary.add_values([summary.read(row) for row in rows[start:start + size]])
        return summary.result(NOW, TENANTS)
    finally:
        (_summary._DataGroup.add, _summary._TaskSummary.add_values), _timeutil._FROMISOFORMAT = written_out, fast


@settings(max_examples=300, deadline=None)
@given(rows=_data_rows, pages=st.integers(1, 3))
def test_the_written_out_data_add_answers_like_the_plain_one(rows, pages):
    assert summarize(DATA_BACKUP_TASKS, rows, pages=pages) == summarize(DATA_BACKUP_TASKS, rows, plain=True, pages=pages)


@settings(max_examples=200, deadline=None)
@given(rows=_data_rows)
def test_data_summary_answers_alike_with_and_without_the_fast_time_paths(rows):
    assert summarize(DATA_BACKUP_TASKS, rows) == summarize(DATA_BACKUP_TASKS, rows, plain=True, general=True)


@settings(max_examples=200, deadline=None)
@given(rows=_log_rows)
def test_log_summary_answers_alike_with_and_without_the_fast_time_paths(rows):
    assert summarize(LOG_BACKUP_TASKS, rows) == summarize(LOG_BACKUP_TASKS, rows, general=True)


def row(task_id, start, finish, status='DONE', kind='INCREMENTAL_BACKUP'):
    return {'status': status, 'startTime': start, 'finishTime': finish, 'taskId': task_id, 'tenantName': 't1', 'tenantId': 1,
            'dataBackupTaskType': kind, 'backupSetId': task_id, 'errorMsg': ''}


@pytest.mark.parametrize('general', [False, True])
def test_each_form_a_bad_a_future_and_a_missing_time(general):
    """Newest first as OCP lists them: a future finish is no success, an unreadable start falls back to the finish."""
    rows = [
        row(6, '2026-11-23T19:00:00.000+0800', '2027-12-23T20:00:00Z'),                 # finishes in the future
        row(5, '2026-13-23T10:00:00Z', '2026-11-23T18:30:00.250000+08:00'),              # a bad start: the finish counts
        row(4, '2026-11-23T10:00:00Z', None, status='DOING'),                            # running, no finish
        row(3, '2026-11-23T17:00:00.123+0800', '2026-11-23T09:30:00Z', kind='FULL_BACKUP'),
        row(2, None, None, status='FAILED'),                                             # no time at all
        row(1, '2026-11-23T08:00:00.000001+08:00', '2026-11-23T08:10:00+0800', status='FAILED'),
    ]
    result = summarize(DATA_BACKUP_TASKS, rows, general=general)
    assert result == summarize(DATA_BACKUP_TASKS, rows, plain=True, general=True)
    assert result['latest']['task_id'] == 6 and result['last_success']['task_id'] == 6
    assert result['last_success']['age_seconds'] is None and 'last_success.age_seconds' in result['future']
    assert result['last_full_success'] == {'task_id': 3, 'backup_set_id': 3, 'type': 'FULL_BACKUP', 'finish_time': '2026-11-23T09:30:00Z',
                                           'age_seconds': 9000}
    assert result['last_failure']['task_id'] == 1 and result['last_failure']['age_seconds'] == 11 * 3600 + 50 * 60
    assert result['running'] == 1 and result['oldest_running_age_seconds'] == 7200
