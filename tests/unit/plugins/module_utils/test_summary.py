# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The data and log backup summaries, with the meaning OCP's statuses have (the summaries of the OCP task kinds)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, LOG_BACKUP_TASKS
from ansible_collections.oceanbase.backup.plugins.module_utils._summary import future_warning, task_type

UTC = timezone.utc
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=UTC)


def iso(delta):
    """A UTC time string ``delta`` before NOW, the way normalize writes it."""
    return (NOW - delta).strftime('%Y-%m-%dT%H:%M:%SZ')


def summarize(kind, tasks, now, tenants=None):
    summary = kind.summary()
    for task in tasks:
        summary.add(task)
    return summary.result(now, tenants)


def summarize_data(tasks, now, tenants=None):
    """The data backup summary of normalized tasks, with ``tenants`` keyed by tenant name.

    ``tenants`` (list of {id, name}) seeds an entry for every tenant, so a tenant without tasks
    still shows up with ``total: 0``, ``running: 0`` and nulls.
    """
    return summarize(DATA_BACKUP_TASKS, tasks, now, tenants)


def summarize_log(tasks, now, tenants=None):
    return summarize(LOG_BACKUP_TASKS, tasks, now, tenants)


@pytest.mark.parametrize('task, expected_type, full', [
    ({'data_backup_task_type': 'FULL_BACKUP', 'backup_type': 'X'}, 'FULL_BACKUP', True),
    ({'data_backup_task_type': 'INCREMENTAL_BACKUP'}, 'INCREMENTAL_BACKUP', False),
    ({'backup_type': 'full'}, 'full', True),
    ({'data_backup_task_type': '', 'task_type': 'FULL'}, 'FULL', True),
    ({'backup_type': 'INC'}, 'INC', False),
    ({}, None, False),
])
def test_task_type_and_full(task, expected_type, full):
    assert task_type(task) == expected_type
    done = dict(task, task_id=1, status='DONE', start_time=iso(timedelta(hours=2)), finish_time=iso(timedelta(hours=1)))
    assert (summarize_data([done], NOW)['last_full_success'] is not None) is full


def data_task(task_id, status, start, finish=None, kind='FULL_BACKUP', tenant='t1', tenant_id=1, **extra):
    task = {'task_id': task_id, 'status': status, 'start_time': start, 'finish_time': finish,
            'data_backup_task_type': kind, 'tenant_name': tenant, 'tenant_id': tenant_id, 'backup_set_id': task_id * 10,
            'error_msg': ''}
    task.update(extra)
    return task


EMPTY_DATA = {
    'total': 0, 'by_status': {}, 'latest': None, 'last_success': None, 'last_full_success': None,
    'last_failure': None, 'running': 0, 'oldest_running_age_seconds': None, 'future': {},
}


def test_summarize_data_empty():
    assert summarize_data([], NOW) == dict(EMPTY_DATA, tenants={})


def test_summarize_data_picks_latest_success_full_and_failure():
    tasks = [
        data_task(1, 'DONE', iso(timedelta(days=9)), iso(timedelta(days=8, hours=23))),
        data_task(2, 'DONE', iso(timedelta(days=2)), iso(timedelta(days=1, hours=23)), kind='INCREMENTAL_BACKUP'),
        data_task(3, 'FAILED', iso(timedelta(hours=10)), iso(timedelta(hours=9)), kind='FULL_BACKUP', error_msg='disk full'),
        data_task(4, 'DOING', iso(timedelta(hours=3))),
        data_task(5, 'BEGINNING', iso(timedelta(hours=1))),
        data_task(6, 'CANCELED', iso(timedelta(days=20)), iso(timedelta(days=19))),
        data_task(7, 'WEIRD_NEW', iso(timedelta(days=30)), iso(timedelta(days=30))),
    ]
    summary = summarize_data(tasks, NOW)
    assert summary['total'] == 7
    assert summary['by_status'] == {'DONE': 2, 'FAILED': 1, 'DOING': 1, 'BEGINNING': 1, 'CANCELED': 1, 'WEIRD_NEW': 1}
    assert summary['latest'] == {'task_id': 5, 'status': 'BEGINNING', 'type': 'FULL_BACKUP',
                                 'start_time': iso(timedelta(hours=1)), 'finish_time': None}
    assert summary['last_success'] == {'task_id': 2, 'backup_set_id': 20, 'type': 'INCREMENTAL_BACKUP',
                                       'finish_time': iso(timedelta(days=1, hours=23)), 'age_seconds': 47 * 3600}
    assert summary['last_full_success'] == {'task_id': 1, 'backup_set_id': 10, 'type': 'FULL_BACKUP',
                                            'finish_time': iso(timedelta(days=8, hours=23)), 'age_seconds': (8 * 24 + 23) * 3600}
    assert summary['last_failure'] == {'task_id': 3, 'finish_time': iso(timedelta(hours=9)), 'error_msg': 'disk full',
                                       'age_seconds': 9 * 3600}
    assert summary['running'] == 2
    assert summary['oldest_running_age_seconds'] == 3 * 3600
    assert list(summary['tenants']) == ['t1']
    assert dict((k, v) for k, v in summary['tenants']['t1'].items()) == dict((k, v) for k, v in summary.items() if k != 'tenants')


@pytest.mark.parametrize('status', ['BEGINNING', 'INITIALIZING', 'DOING', 'CANCELING', 'doing'])
def test_running_statuses(status):
    summary = summarize_data([data_task(1, status, iso(timedelta(minutes=90)))], NOW)
    assert summary['running'] == 1
    assert summary['oldest_running_age_seconds'] == 5400
    assert summary['last_success'] is None and summary['last_failure'] is None


def test_success_is_case_insensitive_and_order_uses_the_instant_not_the_text():
    # '...00.5Z' sorts before '...00Z' as text, but is later in time.
    tasks = [
        data_task(1, 'done', '2024-08-09T00:00:00Z', '2024-08-09T01:00:00Z'),
        data_task(2, 'DONE', '2024-08-09T00:00:00Z', '2024-08-09T01:00:00.500000Z'),
    ]
    summary = summarize_data(tasks, NOW)
    assert summary['last_success']['task_id'] == 2
    assert summary['last_success']['age_seconds'] == 22 * 3600 + 59 * 60 + 59


def test_latest_tie_on_time_prefers_higher_task_id():
    tasks = [data_task(9, 'DONE', '2024-08-09T00:00:00Z', '2024-08-09T01:00:00Z'),
             data_task(3, 'FAILED', '2024-08-09T00:00:00Z', '2024-08-09T02:00:00Z')]
    assert summarize_data(tasks, NOW)['latest']['task_id'] == 9


def test_failure_without_finish_time_ages_from_start():
    summary = summarize_data([data_task(1, 'FAILED', iso(timedelta(hours=2)))], NOW)
    assert summary['last_failure']['age_seconds'] == 7200
    assert summary['last_failure']['finish_time'] is None


def test_summarize_data_per_tenant_with_seeded_tenants():
    tenants = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}, {'id': 3, 'name': 'sys'}]
    tasks = [
        data_task(1, 'DONE', iso(timedelta(hours=5)), iso(timedelta(hours=4)), tenant='t1', tenant_id=1),
        # Same task id in another tenant: OCP task ids are per tenant.
        data_task(1, 'FAILED', iso(timedelta(hours=3)), iso(timedelta(hours=2)), tenant='t2', tenant_id=2),
        # A row without tenantName is attributed through the tenant list.
        data_task(2, 'DONE', iso(timedelta(hours=1)), iso(timedelta(minutes=30)), tenant=None, tenant_id=2),
        # A tenant that OCP no longer lists still gets its entry.
        data_task(5, 'DONE', iso(timedelta(days=3)), iso(timedelta(days=3)), tenant='gone', tenant_id=99),
    ]
    summary = summarize_data(tasks, NOW, tenants)
    assert sorted(summary['tenants']) == ['gone', 'sys', 't1', 't2']
    assert summary['total'] == 4
    assert summary['tenants']['sys'] == EMPTY_DATA
    assert summary['tenants']['t1']['last_success']['age_seconds'] == 4 * 3600
    t2 = summary['tenants']['t2']
    assert t2['total'] == 2 and t2['by_status'] == {'FAILED': 1, 'DONE': 1}
    assert t2['last_success']['task_id'] == 2 and t2['last_failure']['task_id'] == 1
    assert t2['latest']['task_id'] == 2
    assert summary['tenants']['gone']['total'] == 1


def test_cluster_dimension_rows_count_for_every_tenant():
    tenants = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}]
    tasks = [
        data_task(1, 'DONE', iso(timedelta(hours=5)), iso(timedelta(hours=4)), tenant=None, tenant_id=0, backup_dimension='CLUSTER'),
        data_task(2, 'FAILED', iso(timedelta(hours=3)), iso(timedelta(hours=2)), tenant='t2', tenant_id=2),
    ]
    summary = summarize_data(tasks, NOW, tenants)
    assert summary['total'] == 2
    assert summary['tenants']['t1']['total'] == 1
    assert summary['tenants']['t1']['last_full_success']['task_id'] == 1
    assert summary['tenants']['t2']['total'] == 2
    assert summary['tenants']['t2']['last_failure']['task_id'] == 2
    assert summary['tenants']['t2']['last_success']['task_id'] == 1


def log_task(status, checkpoint, delay, created, tenant='t1', tenant_id=1, **extra):
    task = {'status': status, 'checkpoint': checkpoint, 'delay': delay, 'create_time': created,
            'tenant_name': tenant, 'tenant_id': tenant_id}
    task.update(extra)
    return task


def test_summarize_log_empty():
    assert summarize_log([], NOW) == {
        'total': 0, 'by_status': {}, 'active': False, 'max_delay_seconds': None, 'latest_checkpoint': None,
        'checkpoint_age_seconds': None, 'tenants': {}, 'future': {},
    }


@pytest.mark.parametrize('status, active', [
    ('STARTING', True), ('INPROGRESS', True), ('RUNNING', True), ('DOING', True), ('running', True),
    ('STOPPING', False), ('STOPPED', False), ('FAILED', False), ('INTERRUPTED', False), ('UNKNOWN', False),
    ('SOMETHING_NEW', False), (None, False),
])
def test_log_active_statuses(status, active):
    summary = summarize_log([log_task(status, iso(timedelta(seconds=40)), 12.5, iso(timedelta(days=1)))], NOW)
    assert summary['active'] is active
    assert summary['tenants']['t1']['active'] is active


def test_summarize_log_uses_newest_task_per_tenant_and_worst_over_tenants():
    tenants = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}, {'id': 3, 'name': 'sys'}]
    tasks = [
        log_task('STOPPED', iso(timedelta(days=10)), 5000.0, iso(timedelta(days=30)), modify_time=iso(timedelta(days=10))),
        log_task('INPROGRESS', iso(timedelta(seconds=70)), 70.25, iso(timedelta(days=9))),
        log_task('RUNNING', iso(timedelta(seconds=300)), 300.5, iso(timedelta(days=2)), tenant='t2', tenant_id=2),
    ]
    summary = summarize_log(tasks, NOW, tenants)
    assert summary['total'] == 3
    assert summary['by_status'] == {'STOPPED': 1, 'INPROGRESS': 1, 'RUNNING': 1}
    assert summary['active'] is True
    assert summary['max_delay_seconds'] == 300.5
    assert summary['latest_checkpoint'] == iso(timedelta(seconds=300))
    assert summary['checkpoint_age_seconds'] == 300
    assert summary['tenants']['t1'] == {
        'total': 2, 'by_status': {'STOPPED': 1, 'INPROGRESS': 1}, 'status': 'INPROGRESS', 'active': True,
        'delay_seconds': 70.25, 'checkpoint': iso(timedelta(seconds=70)), 'checkpoint_age_seconds': 70, 'future': {},
    }
    assert summary['tenants']['sys'] == {
        'total': 0, 'by_status': {}, 'status': None, 'active': False, 'delay_seconds': None, 'checkpoint': None,
        'checkpoint_age_seconds': None, 'future': {},
    }


def test_summarize_log_inactive_when_any_tenant_with_tasks_is_stopped():
    tasks = [
        log_task('INPROGRESS', iso(timedelta(seconds=10)), 10, iso(timedelta(days=1))),
        log_task('STOPPED', iso(timedelta(hours=5)), None, iso(timedelta(days=1)), tenant='t2', tenant_id=2),
    ]
    summary = summarize_log(tasks, NOW)
    assert summary['active'] is False
    assert summary['max_delay_seconds'] == 10.0
    assert summary['checkpoint_age_seconds'] == 5 * 3600


def test_summarize_log_cluster_wide_rows_apply_to_every_tenant():
    tenants = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}]
    task = log_task('RUNNING', iso(timedelta(seconds=20)), '77.6421', iso(timedelta(days=1)), tenant=None, tenant_id=None)
    summary = summarize_log([task], NOW, tenants)
    assert summary['active'] is True
    assert summary['max_delay_seconds'] == 77.6421
    assert summary['tenants']['t1']['checkpoint_age_seconds'] == 20
    assert summary['tenants']['t2']['active'] is True


def test_summarize_log_cluster_wide_rows_without_tenant_list():
    task = log_task('RUNNING', iso(timedelta(seconds=20)), 3, iso(timedelta(days=1)), tenant=None, tenant_id=0)
    summary = summarize_log([task], NOW)
    assert summary['tenants'] == {}
    assert summary['active'] is True and summary['checkpoint_age_seconds'] == 20


# ---------------------------------------------------------------------------------------------------------------
# Times in the future: null, with their value under ``future``; a small clock skew is 0


def test_a_full_backup_in_the_future_is_null_and_listed_under_future():
    ahead = iso(-timedelta(days=30))
    summary = summarize_data([data_task(1, 'DONE', ahead, ahead)], NOW)
    t1 = summary['tenants']['t1']
    assert t1['last_full_success']['age_seconds'] is None and t1['last_success']['age_seconds'] is None
    assert t1['last_full_success']['finish_time'] == ahead
    assert t1['future'] == {'last_success.age_seconds': -30 * 86400, 'last_full_success.age_seconds': -30 * 86400}
    assert summary['future'] == dict(t1['future'], **{'tenants.t1.last_success.age_seconds': -30 * 86400,
                                                      'tenants.t1.last_full_success.age_seconds': -30 * 86400})


@pytest.mark.parametrize('seconds, age', [(300, 0), (1, 0), (0, 0), (301, None)])
def test_a_small_clock_skew_is_age_zero(seconds, age):
    ahead = iso(-timedelta(seconds=seconds))
    t1 = summarize_data([data_task(1, 'DONE', ahead, ahead)], NOW)['tenants']['t1']
    assert t1['last_full_success']['age_seconds'] == age
    assert t1['future'] == ({} if age == 0 else {'last_success.age_seconds': -seconds, 'last_full_success.age_seconds': -seconds})


def test_a_running_task_started_in_the_future_is_null():
    t1 = summarize_data([data_task(1, 'DOING', iso(-timedelta(hours=2)))], NOW)['tenants']['t1']
    assert t1['oldest_running_age_seconds'] is None and t1['future'] == {'oldest_running_age_seconds': -7200}


def test_a_checkpoint_in_the_future_and_a_negative_delay_are_null():
    tenants = [{'id': 1, 'name': 't1'}, {'id': 2, 'name': 't2'}]
    tasks = [log_task('RUNNING', iso(-timedelta(days=3)), -50.0, iso(timedelta(days=1))),
             log_task('RUNNING', iso(timedelta(seconds=30)), 30.0, iso(timedelta(days=1)), tenant='t2', tenant_id=2)]
    summary = summarize_log(tasks, NOW, tenants)
    t1 = summary['tenants']['t1']
    assert (t1['checkpoint_age_seconds'], t1['delay_seconds'], t1['checkpoint']) == (None, None, iso(-timedelta(days=3)))
    assert t1['future'] == {'checkpoint_age_seconds': -3 * 86400, 'delay_seconds': -50.0}
    assert summary['tenants']['t2']['future'] == {}
    # The whole answer: t2's own values, and t1's listed so that one look at summary.future finds them.
    assert summary['max_delay_seconds'] == 30.0 and summary['checkpoint_age_seconds'] == 30
    assert summary['future'] == {'tenants.t1.checkpoint_age_seconds': -3 * 86400, 'tenants.t1.delay_seconds': -50.0}


@pytest.mark.parametrize('delay', [-0.5, -50.0])
def test_any_negative_delay_is_null(delay):
    t1 = summarize_log([log_task('RUNNING', iso(timedelta(seconds=30)), delay, iso(timedelta(days=1)))], NOW)['tenants']['t1']
    assert t1['delay_seconds'] is None and t1['future'] == {'delay_seconds': delay}


def test_the_warning_names_the_fields_and_the_clock():
    assert future_warning({}, 'OCP') is None
    future = dict(('tenants.t%d.delay_seconds' % index, -1.0) for index in range(7))
    warning = future_warning(future, 'OCP')
    assert warning.startswith('7 time(s) more than 300 s after queried_at') and 'is the OCP clock ahead' in warning
    assert 'tenants.t0.delay_seconds (-1.0)' in warning and warning.endswith('and 2 more')


def test_the_last_failure_quotes_its_error_without_escapes():
    task = data_task(1, 'FAILED', iso(timedelta(hours=2)), iso(timedelta(hours=1)),
                     error_msg='\x1b]0;pwned\x07\x1b[2Jdestination \x1b[31mfull\x1b[0m')
    assert summarize_data([task], NOW)['tenants']['t1']['last_failure']['error_msg'] == 'destination full'
