# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backup task queries go row by row from the page to the summary: what that keeps in memory, and that the
summary built one task at a time answers exactly as before (ties included)."""

from __future__ import annotations

import gc
import tracemalloc
from datetime import datetime, timedelta, timezone

from ansible_collections.oceanbase.backup.plugins.module_utils._facts import DataSummary, LogSummary, summarize_data
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp import collect_backup_tasks

UTC = timezone.utc
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=UTC)
ROWS = 20000


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
    """Builds each row only when the module asks for it, as pages arriving one after another would."""

    def __init__(self, params, warn=None):
        self.request_count = 0

    def list_tenants(self, cluster_id):
        return [{'id': 11, 'name': 'sales', 'cluster_name': 'c1'}]

    def iter_backup_tasks(self, kind, cluster_id, tenant_id=None, params=None, page_size=None):
        for index in range(ROWS):
            yield raw_row(index)

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
    result, peak = peak_bytes(lambda: collect_backup_tasks(params(return_tasks=False), 'data', now=NOW, client_factory=LazyClient))
    assert 'tasks' not in result
    assert result['summary']['total'] == ROWS
    # Every 7th row (index 0, 7, ...) is a full backup; task ids are index + 1.
    assert result['summary']['tenants']['sales']['last_full_success']['task_id'] == (ROWS - 1) - (ROWS - 1) % 7 + 1
    # 20,000 rows kept would need well over 20 MB; one row at a time stays far below 2 MB.
    assert peak < 2 * 1024 * 1024, peak


def test_returning_tasks_keeps_one_copy_of_them():
    result, peak = peak_bytes(lambda: collect_backup_tasks(params(), 'data', now=NOW, client_factory=LazyClient))
    tasks = result['tasks']
    assert len(tasks) == ROWS and tasks[0]['start_time'].endswith('Z') and 'backup_dimension' in tasks[0]
    _, held = peak_bytes(lambda: [dict(task) for task in tasks])
    # The normalized list is all that grows: a second list of raw rows would double the peak.
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
    summary = LogSummary()
    summary.add({'status': 'RUNNING', 'create_time': '2024-08-01T00:00:00Z', 'checkpoint': '2024-08-09T23:59:00Z',
                 'delay': 3, 'tenant_name': 'sales'})
    tenants = [{'id': 11, 'name': 'sales'}, {'id': 12, 'name': 'hr'}]
    assert summary.result(NOW, tenants) == summary.result(NOW, tenants)
    assert summary.result(NOW, tenants)['tenants']['hr']['total'] == 0
    assert DataSummary().result(NOW)['total'] == 0
