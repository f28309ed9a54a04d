# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A tenant's backup policy and last restore drill as the reports show them, from its records' details."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import recovery, view as view_module
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import sample

D = 86400
DOT = recovery.NONE


def with_details(check, status, details, message='m'):
    return dict(sample.record(check, 'c1', 't1', status, None, None, message), details=details)


def texts(cells):
    return [cell.text for cell in cells]


def test_the_policy_shows_whichever_policy_checks_are_enabled():
    schedule = {'configured': True, 'schedule_enabled': True, 'schedule_mode': 'MONTH', 'full_backup_days': [1], 'incremental_backup_days': [],
                'max_days_between_full': 31}
    interval = with_details('full_backup_interval', 'fail', schedule)
    retention = with_details('retention_days', 'pass', {'configured': True, 'retention_days': 3})
    cells = recovery.policy_cells({'full_backup_interval': interval, 'retention_days': retention})
    assert texts(cells) == ['schedule enabled', 'MONTH', 'day 1', 'none', '31 d', '3 d']
    # Coloured by the check that judged the value; the state has no backup_policy record to colour it.
    assert [cell.status for cell in cells] == [None, None, None, None, 'fail', 'pass']
    assert cells[4].exact == 'max_days_between_full: 31'
    assert texts(recovery.policy_cells({'full_backup_interval': interval}))[5] == 'not set'


@pytest.mark.parametrize('policy, shown', [
    ({'configured': False}, ['not configured'] + [DOT] * 5),
    ({'configured': None}, ['not reported', 'not reported', 'not reported', 'not reported', 'none scheduled', 'not set']),
    ({'configured': True, 'schedule_enabled': False, 'schedule_mode': 'WEEK', 'full_backup_days': [7, 3], 'incremental_backup_days': [8, '2'],
      'max_days_between_full': 4, 'retention_days': 0.5},
     ['schedule disabled', 'WEEK', 'Sun, Wed', '8, 2', '4 d', '0.5 d']),
    ({'configured': True, 'schedule_enabled': None, 'schedule_mode': 'MONTH', 'full_backup_days': [1, 15], 'incremental_backup_days': None},
     ['schedule not reported', 'MONTH', 'days 1, 15', 'not reported', 'none scheduled', 'not set']),
])
def test_policy_values_in_words(policy, shown):
    assert texts(recovery.policy_cells({'backup_policy': with_details('backup_policy', 'fail', policy)})) == shown


def test_no_policy_record_is_a_dot_and_a_failed_query_says_so():
    assert texts(recovery.policy_cells({})) == [DOT] * 6
    error = sample.record('backup_policy', 'c1', 't1', 'error', None, True, 'GET /x failed with HTTP 500')
    cells = recovery.policy_cells({'backup_policy': error})
    assert texts(cells) == ['query failed'] + [DOT] * 5 and cells[0].exact == 'GET /x failed with HTTP 500' and cells[0].status == 'error'
    missing = sample.record('backup_policy', 'c1', 't1', 'fail', None, True, 'tenant t1 is not in the backup strategy results')
    assert texts(recovery.policy_cells({'backup_policy': missing}))[0] == 'not reported'


def task(age, **fields):
    return dict({'task_id': 7, 'finish_time': '2026-11-03T08:00:00Z', 'age_seconds': age}, **fields)


@pytest.mark.parametrize('drill, shown', [
    ({'last_success': task(20 * D, restore_cluster_name='drill', restore_tenant_name='t1_drill'), 'last_failure': None},
     ['20d ago', 'drill/t1_drill', DOT]),
    # A failure older than the last success is not news.
    ({'last_success': task(20 * D, restore_cluster_name='drill'), 'last_failure': task(30 * D, error_msg='old')},
     ['20d ago', 'drill/?', DOT]),
    ({'last_success': task(120 * D, restore_cluster_name='d', restore_tenant_name='t'), 'last_failure': task(4 * D, error_msg='set 12 missing')},
     ['120d ago', 'd/t', '4d ago: set 12 missing']),
    ({'last_success': None, 'last_failure': task(3600, error_msg=None)}, ['never restored from its backups', DOT, '1h ago: no error message']),
    ({'last_success': None, 'last_failure': None, 'windowed': True}, ['none in the queried period', DOT, DOT]),
    ({'last_success': task(None, restore_cluster_name='d', restore_tenant_name='t'), 'last_failure': task(D, error_msg='x')},
     ['at an unknown time', 'd/t', DOT]),
    ({'last_success': task(-2 * D, restore_cluster_name='d', restore_tenant_name='t')}, ['in the future', 'd/t', DOT]),
])
def test_drill_in_words(drill, shown):
    record = with_details('restore_drill_age', 'fail', drill)
    assert texts(recovery.drill_cells({'restore_drill_age': record})) == shown


def test_drill_exact_values_and_colours():
    drill = {'last_success': task(120 * D, restore_cluster_name='d', restore_tenant_name='t'), 'last_failure': task(4 * D, error_msg='e')}
    cells = recovery.drill_cells({'restore_drill_age': with_details('restore_drill_age', 'fail', drill)})
    assert cells[0].exact == 'finished 2026-11-03T08:00:00Z, age 10368000 s, task 7' and cells[0].status == 'fail'
    assert cells[2].status == 'fail' and cells[1].status is None
    assert texts(recovery.drill_cells({})) == [DOT] * 3
    error = sample.record('restore_drill_age', 'c1', 't1', 'error', None, 90 * D, 'the restore tasks query failed: HTTP 503')
    assert texts(recovery.drill_cells({'restore_drill_age': error})) == ['query failed', DOT, DOT]


def test_rows_list_tenants_with_a_policy_or_drill_record():
    records = [sample.record('backup_age', 'c1', 'data_only', 'pass', 60, 93600, 'ok'),
               with_details('restore_drill_age', 'pass', {'last_success': task(D, restore_cluster_name='d', restore_tenant_name='t')})]
    rows = list(recovery.rows(view_module.View({'generated_at': sample.GENERATED_AT, 'mode': 'audit', 'checks': records})))
    assert [(cluster.name, tenant) for cluster, tenant, _cells in rows] == [('c1', 't1')]
    assert texts(rows[0][2]) == [DOT] * 6 + ['1d ago', 'd/t', DOT]
