# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Backup task queries go page by page from the server to the summary: what that keeps in memory, that the summary
answers the same with and without the task list (ties included), and that pages overlap with the caller's work."""

from __future__ import annotations

import gc
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, LOG_BACKUP_TASKS, collect_tasks, task_key
from ansible_collections.oceanbase.backup.plugins.module_utils._summary import DataSummary, LogSummary
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_client import TENANT_TASKS, page_requests, seed_tasks
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_summary import summarize_data, summarize_log
from obsim.testing import PASSWORD, USER

UTC = timezone.utc
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=UTC)
ROWS = 20000
KINDS = {'data': DATA_BACKUP_TASKS, 'log': LOG_BACKUP_TASKS}


def raw_row(index):
    """A data backup task row as OCP sends it: camelCase, +08:00 times, 25 fields."""
    start = NOW - timedelta(minutes=10 * (ROWS - index))
    local = (start + timedelta(hours=8)).strftime('%Y-%m-%dT%H:%M:%S.%f') + '+08:00'
    return {
        'backupDimension': 'TENANT', 'taskId': index + 1, 'backupType': 'FULL_BACKUP' if index % 7 == 0 else 'INCREMENTAL_BACKUP',
        'taskType': 'BACKUP', 'clusterName': 'c1', 'clusterId': 1, 'obClusterId': 10, 'obTenantId': 1001, 'clusterType': 'PRIMARY',
        'tenantId': 11, 'tenantName': 'sales', 'startTime': local, 'finishTime': local, 'status': 'DONE', 'errorMsg': '',
        'dataVersion': 0, 'backupUri': 'file:///backup/c1/sales/data', 'dataType': 'DATA', 'schemaVersion': 0,
        'backupSetId': index + 1, 'backupMode': 'PHYSICAL_BACKUP', 'dataBackupTaskType': 'FULL_BACKUP' if index % 7 == 0 else 'INCREMENTAL_BACKUP',
        'dataSecondaryBackupTaskIds': [], 'duration': 1200, 'extra': 'x' * 20,
    }


class LazyClient:
    """Builds each page only when the module asks for it, as pages arriving one after another would."""

    def __init__(self, params, warn=None):
        pass

    def list_tenants(self, cluster_id):
        return [{'id': 11, 'name': 'sales', 'cluster_name': 'c1'}]

    def iter_pages(self, path, params=None, page_size=None, key=None, prefetch=False):
        for first in range(0, ROWS, page_size):
            yield [raw_row(index) for index in range(first, min(first + page_size, ROWS))]

    def close(self):
        pass


def params(**extra):
    base = dict(ocp_url='http://127.0.0.1:9', ocp_username='u', ocp_password='p', request_timeout=5.0, retries=0,
                cluster_id=1, page_size=2000, return_tasks=True)
    base.update(extra)
    return base


def peak_bytes(call):
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_summaries_only_keeps_no_task_in_memory():
    result, peak = peak_bytes(lambda: collect_tasks(DATA_BACKUP_TASKS, params(return_tasks=False, page_size=100), now=NOW,
                                                    client_factory=LazyClient))
    assert 'tasks' not in result
    assert result['summary']['total'] == ROWS
    # Every 7th row (index 0, 7, ...) is a full backup; task ids are index + 1.
    assert result['summary']['tenants']['sales']['last_full_success']['task_id'] == (ROWS - 1) - (ROWS - 1) % 7 + 1
    # 20,000 rows kept would need well over 20 MB; one page of 100 at a time stays far below 2 MB.
    assert peak < 2 * 1024 * 1024, peak


def test_returning_tasks_keeps_one_copy_of_them():
    result, peak = peak_bytes(lambda: collect_tasks(DATA_BACKUP_TASKS, params(page_size=100), now=NOW, client_factory=LazyClient))
    tasks = result['tasks']
    assert len(tasks) == ROWS and tasks[0]['start_time'].endswith('Z') and 'backup_dimension' in tasks[0]
    held = peak_bytes(lambda: [dict(task) for task in tasks])[1]
    # The normalized list is all that grows (besides one page of 100 rows): a second list of raw rows would double the peak.
    assert peak < 1.4 * held, (peak, held)


def test_a_tie_goes_to_the_task_that_came_first():
    first = {'task_id': 5, 'status': 'DONE', 'start_time': '2024-08-09T00:00:00Z', 'finish_time': '2024-08-09T01:00:00Z',
             'tenant_name': 'sales', 'backup_set_id': 1}
    second = dict(first, backup_set_id=2)
    summary = summarize_data([first, second], NOW)
    assert summary['last_success']['backup_set_id'] == 1
    assert summarize_data([second, first], NOW)['last_success']['backup_set_id'] == 2


def test_a_tenant_task_wins_a_tie_with_a_cluster_dimension_task():
    wide = {'task_id': 5, 'status': 'FAILED', 'start_time': '2024-08-09T00:00:00Z', 'tenant_id': 0}
    own = {'task_id': 5, 'status': 'DONE', 'start_time': '2024-08-09T00:00:00Z', 'tenant_name': 'sales', 'tenant_id': 11}
    summary = summarize_data([wide, own], NOW, [{'id': 11, 'name': 'sales'}, {'id': 12, 'name': 'hr'}])
    assert summary['latest']['status'] == 'FAILED'
    assert summary['tenants']['sales']['latest']['status'] == 'DONE'
    assert summary['tenants']['sales']['total'] == 2
    assert summary['tenants']['hr']['latest']['status'] == 'FAILED' and summary['tenants']['hr']['total'] == 1


def test_rows_without_a_tenant_name_join_their_tenant_in_arrival_order():
    named = {'task_id': 7, 'status': 'DONE', 'start_time': '2024-08-09T00:00:00Z', 'tenant_name': 'sales', 'backup_set_id': 1}
    by_id = {'task_id': 7, 'status': 'DONE', 'start_time': '2024-08-09T00:00:00Z', 'tenant_id': 11, 'backup_set_id': 2}
    tenants = [{'id': 11, 'name': 'sales'}]
    first_by_id = summarize_data([by_id, named], NOW, tenants)['tenants']
    assert list(first_by_id) == ['sales'] and first_by_id['sales']['total'] == 2
    assert first_by_id['sales']['last_success']['backup_set_id'] == 2
    assert summarize_data([named, by_id], NOW, tenants)['tenants']['sales']['last_success']['backup_set_id'] == 1
    # Unknown to the tenant list: named by its id.
    assert list(summarize_data([by_id], NOW)['tenants']) == ['11']


def test_one_task_at_a_time_can_be_summarized_again():
    summary = LOG_BACKUP_TASKS.summary()
    summary.add({'status': 'RUNNING', 'create_time': '2024-08-01T00:00:00Z', 'checkpoint': '2024-08-09T23:59:00Z',
                 'delay': 3, 'tenant_name': 'sales'})
    tenants = [{'id': 11, 'name': 'sales'}, {'id': 12, 'name': 'hr'}]
    assert summary.result(NOW, tenants) == summary.result(NOW, tenants)
    assert summary.result(NOW, tenants)['tenants']['hr']['total'] == 0
    assert DATA_BACKUP_TASKS.summary().result(NOW)['total'] == 0


class Poison:
    """A value that fails whatever is done with it but holding it: a summary that reads it fails."""

    def __getattribute__(self, name):
        raise AssertionError('a summary read a field it does not declare (%s)' % name)


@pytest.mark.parametrize('summary_class', [DataSummary, LogSummary])
def test_summaries_read_only_their_role_fields(summary_class):
    """The query hands a summary only Fields(summary.fields) of each row: a summary that read anything else, through
    the row or a role it does not declare, would fail on the poisoned values."""
    base = {'taskId': 3, 'tenantName': 'sales', 'tenantId': 11, 'clusterName': 'c1', 'backupSetId': 3, 'errorMsg': 'x',
            'startTime': '2024-08-09T00:00:00Z', 'finishTime': '2024-08-09T01:00:00Z', 'backupType': 'FULL_BACKUP',
            'createTime': '2024-08-01T00:00:00Z', 'modifyTime': '2024-08-09T00:00:00Z', 'checkpoint': '2024-08-09T00:00:00Z',
            'delay': 1.0}
    kind = DATA_BACKUP_TASKS if summary_class is DataSummary else LOG_BACKUP_TASKS
    summary = kind.summary()
    assert isinstance(summary, summary_class) and summary.fields == summary_class.ROLES
    rows = [dict(base, status=status) for status in kind.statuses + ('ODD',)]
    rows += [dict(base, tenantName=None), dict(base, tenantName=None, tenantId=0), dict(base, startTime=None)]
    poisoned = [dict(row, backupUri=Poison(), obTenantId=Poison(), duration=Poison(), someNewField=Poison()) for row in rows]
    clean = kind.summary()
    clean.add_values(list(map(clean.read, rows)))
    summary.add_values(list(map(summary.read, poisoned)))
    tenants = [{'id': 11, 'name': 'sales'}, {'id': 12, 'name': 'hr'}]
    assert summary.result(NOW, tenants) == clean.result(NOW, tenants)


TIMES = st.one_of(
    st.none(), st.just(''), st.just('2024-13-45T99:99:99Z'), st.integers(0, 2 * 10 ** 12),
    st.builds(lambda day, hour, micro, zone: '2024-08-%02dT%02d:00:00%s%s' % (day, hour, micro, zone), st.integers(1, 9),
              st.integers(0, 23), st.sampled_from(['', '.5', '.123456789']), st.sampled_from(['Z', '+08:00', '-0530', ''])),
)
ROW = st.fixed_dictionaries({
    'taskId': st.one_of(st.none(), st.integers(1, 4), st.just([1])), 'status': st.sampled_from(['DONE', 'FAILED', 'DOING', 'RUNNING', 'odd', None]),
    'tenantName': st.sampled_from(['sales', 'hr', '', None]), 'tenantId': st.sampled_from([11, 12, 0, None]),
    'startTime': TIMES, 'finishTime': TIMES, 'createTime': TIMES, 'checkpoint': TIMES,
    'modifyTime': TIMES, 'dataBackupTaskType': st.sampled_from(['FULL_BACKUP', 'INCREMENTAL_BACKUP', None]),
    'backupType': st.sampled_from(['FULL', None]), 'taskType': st.sampled_from(['BACKUP', None]), 'delay': st.sampled_from([None, '2.5', 3]),
    'backupSetId': st.integers(1, 3), 'errorMsg': st.sampled_from(['', 'disk full', None]), 'clusterName': st.sampled_from(['c1', None]),
    'extra': st.just({'nestedTime': '2024-08-01T00:00:00+08:00'}),
})


class FixedClient(LazyClient):
    rows = []

    def list_tenants(self, cluster_id):
        return [{'id': 11, 'name': 'sales', 'cluster_name': 'c1'}, {'id': 12, 'name': 'hr', 'cluster_name': 'c1'}]

    def iter_pages(self, path, params=None, page_size=None, key=None, prefetch=False):
        return iter([[dict(row) for row in self.rows]])


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(ROW, max_size=12), kind=st.sampled_from(['data', 'log']), status=st.sampled_from([None, ['DONE', 'RUNNING']]))
def test_summaries_only_answers_like_returning_every_task(rows, kind, status):
    FixedClient.rows = rows
    full = collect_tasks(KINDS[kind], params(status=status), now=NOW, client_factory=FixedClient)
    lean = collect_tasks(KINDS[kind], params(status=status, return_tasks=False), now=NOW, client_factory=FixedClient)
    assert lean['summary'] == full['summary']
    assert lean['cluster'] == full['cluster']
    assert [task['task_id'] for task in full['tasks']] == [row['taskId'] for row in rows if not status or row['status'] in status]


class WatchingClient(FixedClient):
    """Records whether the cycle collector runs while the pages are read."""

    states = []

    def iter_pages(self, path, params=None, page_size=None, key=None, prefetch=False):
        self.states.append(gc.isenabled())
        yield [dict(row) for row in self.rows]


@pytest.mark.parametrize('enabled', [True, False])
def test_the_cycle_collector_is_paused_while_pages_are_read(enabled):
    WatchingClient.rows, WatchingClient.states = [raw_row(0)], []
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = collect_tasks(DATA_BACKUP_TASKS, params(), now=NOW, client_factory=WatchingClient)
        # Paused while the pages are read, and as it was before once the query is done (also after a failure).
        assert WatchingClient.states == [False] and gc.isenabled() is enabled and result['summary']['total'] == 1
        with pytest.raises(ApiError):
            collect_tasks(DATA_BACKUP_TASKS, params(), now=NOW, client_factory=FailingClient)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


class FailingClient(WatchingClient):
    def iter_pages(self, path, params=None, page_size=None, key=None, prefetch=False):
        raise ApiError('GET', path, 500)
        yield   # pylint: disable=unreachable  # a generator, as the real one


def test_a_string_the_parser_rejects_is_no_time():
    garbage = {'task_id': 1, 'status': 'DONE', 'start_time': '2024-13-45T99:99:99Z', 'finish_time': None}
    real = {'task_id': 2, 'status': 'DONE', 'start_time': '2024-08-01T00:00:00Z', 'finish_time': None}
    assert summarize_data([real, garbage], NOW)['latest']['task_id'] == 2
    assert summarize_log([dict(real, create_time=real['start_time']), dict(garbage, create_time=garbage['start_time'])],
                         NOW)['tenants'] == {}


def client_of(ocp):
    return OcpClient(dict(ocp_url=ocp.ocp_url, ocp_username=USER, ocp_password=PASSWORD, request_timeout=5.0, retries=0))


def test_the_next_page_is_fetched_while_this_one_is_used(ocp):
    seed_tasks(ocp, 7)
    client = client_of(ocp)
    pages = client.iter_pages(TENANT_TASKS, page_size=3, key=task_key, prefetch=True)
    first = next(pages)
    deadline = time.monotonic() + 5
    while page_requests(ocp) != [1, 2] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert page_requests(ocp) == [1, 2]
    assert [row['taskId'] for page in [first] + list(pages) for row in page] == list(range(1, 8))
    # Page 3 is the last one the server reports: nothing is asked for past it.
    assert page_requests(ocp) == [1, 2, 3]
    assert client.http.request_count == 3


def test_other_lists_page_only_when_the_caller_needs_the_next_page(ocp):
    seed_tasks(ocp, 7)
    pages = client_of(ocp).iter_pages(TENANT_TASKS, page_size=3, key=task_key)
    next(pages)
    time.sleep(0.2)
    assert page_requests(ocp) == [1]
    assert sum(len(page) for page in pages) == 4 and page_requests(ocp) == [1, 2, 3]


def test_a_page_that_fails_in_the_background_fails_the_query(ocp):
    seed_tasks(ocp, 7)
    ocp.set_faults([{'kind': 'status', 'status': 400, 'code': 'COM10001', 'message': 'bad page', 'query': r'(^|&)page=2(&|$)'}])
    seen = []
    with pytest.raises(ApiError) as info:
        for page in client_of(ocp).iter_pages(TENANT_TASKS, page_size=3, key=task_key, prefetch=True):
            seen.extend(row['taskId'] for row in page)
    assert seen == [1, 2, 3]
    failed = ocp.requests[-1]
    assert failed.query['page'] == '2' and failed.status == 400
    assert 'COM10001' in str(info.value) and 'bad page' in str(info.value) and failed.trace_id in str(info.value)
