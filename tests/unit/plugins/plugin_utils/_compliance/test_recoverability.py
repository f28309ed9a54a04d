# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The recoverability checks: policy (strategy, full backup interval, retention) and restore drills attributed
across hosts by each restore's own source fields."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import merge_restores
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import D, by_check, checks, obshell, ocp, overview

WEEKLY = {'configured': True, 'schedule_enabled': True, 'schedule_mode': 'WEEK', 'full_backup_days': [1], 'incremental_backup_days': [4],
          'max_days_between_full': 7, 'log_backup': True, 'clean_enabled': True, 'retention_days': 14}
NONE = {'configured': False, 'schedule_enabled': False, 'schedule_mode': None, 'full_backup_days': [], 'incremental_backup_days': [],
        'max_days_between_full': None, 'log_backup': None, 'clean_enabled': None, 'retention_days': None}


def policy(**tenants):
    return {'changed': False, 'failed': False, 'summary': {'tenants': tenants}}


def restores(args=None, **sources):
    return {'changed': False, 'failed': False, 'invocation': {'module_args': args or {}}, 'summary': {'tenants': sources}}


def drill(success_age=None, failure_age=None, cluster='drill'):
    return {'total': 2, 'by_status': {}, 'running': 0,
            'last_success': None if success_age is None else {'task_id': 1, 'restore_cluster_name': cluster, 'restore_tenant_name': 't1_drill',
                                                              'finish_time': 'x', 'age_seconds': success_age},
            'last_failure': None if failure_age is None else {'task_id': 2, 'finish_time': 'y', 'error_msg': 'set 5 incomplete',
                                                              'age_seconds': failure_age}}


def gathered(strategy=None, restore_results=None, **extra):
    base = ocp(cluster='prod', **extra)
    if strategy is not None:
        base['ocp_policy'] = policy(t1=strategy, sys=WEEKLY)
    if restore_results is not None:
        base['restores'] = restore_results
    return base


def record(base, check, settings=None):
    return by_check(checks(base, settings))[check]


@pytest.mark.parametrize('strategy, status, text', [
    (WEEKLY, 'pass', 'WEEK schedule enabled'),
    (NONE, 'fail', 'no backup strategy is configured'),
    (dict(WEEKLY, schedule_enabled=False), 'fail', 'schedule is disabled'),
    (dict(WEEKLY, schedule_enabled=None), 'fail', 'not reported'),
])
def test_backup_policy(strategy, status, text):
    found = record(gathered(strategy), 'backup_policy')
    assert found['status'] == status and text in found['message']


@pytest.mark.parametrize('strategy, status, observed', [
    (WEEKLY, 'pass', 7),
    (dict(WEEKLY, schedule_mode='MONTH', full_backup_days=[1], max_days_between_full=31), 'fail', 31),
    (dict(WEEKLY, max_days_between_full=8), 'fail', 8),
    (dict(WEEKLY, schedule_enabled=False), 'fail', 7),
    (dict(WEEKLY, full_backup_days=[], max_days_between_full=None), 'fail', None),
    (dict(WEEKLY, max_days_between_full='7'), 'fail', None),
    (NONE, 'fail', None),
])
def test_full_backup_interval_is_inclusive_and_never_passes_without_a_schedule(strategy, status, observed):
    found = record(gathered(strategy), 'full_backup_interval')
    assert (found['status'], found['observed'], found['threshold']) == (status, observed, 7)


def test_monthly_full_message_names_the_gap_and_the_limit():
    found = record(gathered(dict(WEEKLY, schedule_mode='MONTH', full_backup_days=[1], max_days_between_full=31)), 'full_backup_interval')
    assert found['message'] == 'up to 31 days between full backups (MONTH schedule, full backup on day(s) 1), over the limit of 7d'


@pytest.mark.parametrize('days, status', [(30, 'pass'), (29, 'fail'), (None, 'fail'), (-1, 'fail')])
def test_retention_days_is_off_unless_enabled(days, status):
    base = gathered(dict(WEEKLY, retention_days=days))
    assert 'retention_days' not in by_check(checks(base))
    assert record(base, 'retention_days', {'retention_days': {'enabled': True, 'min_days': 30}})['status'] == status


def test_policy_checks_are_absent_when_the_strategy_was_not_gathered_and_errors_when_its_query_failed():
    assert not {'backup_policy', 'full_backup_interval'} & set(by_check(checks(gathered())))
    failed = gathered(WEEKLY)
    failed['ocp_policy'] = {'failed': True, 'msg': 'HTTP 500'}
    assert record(failed, 'backup_policy')['status'] == 'error'


def test_a_drill_on_another_cluster_counts_for_its_source():
    base = gathered(restore_results=[restores(), restores(**{'prod/t1': drill(20 * D)})])
    found = record(base, 'restore_drill_age')
    assert (found['status'], found['observed'], found['threshold']) == ('pass', 20 * D, 90 * D)
    assert 'into drill/t1_drill' in found['message']


def test_a_restore_into_the_tenant_is_not_a_drill_of_it():
    base = gathered(restore_results=[restores(**{'drill/t1_drill': drill(D), 'other/t1': drill(D)})])
    found = record(base, 'restore_drill_age')
    assert found['status'] == 'fail' and 'never restored from its backups' in found['message']


def test_none_in_the_queried_period_when_the_query_had_a_window():
    found = record(gathered(restore_results=[restores({'start_time': '-30d'})]), 'restore_drill_age')
    assert 'none in the queried period' in found['message']


def test_a_failed_drill_after_an_old_success_fails_and_says_so():
    found = record(gathered(restore_results=[restores(**{'prod/t1': drill(100 * D, 2 * D)})]), 'restore_drill_age')
    assert found['status'] == 'fail' and 'the latest attempt failed 2d ago: set 5 incomplete' in found['message']
    never = record(gathered(restore_results=[restores(**{'prod/t1': drill(None, 2 * D)})]), 'restore_drill_age')
    assert never['status'] == 'fail' and 'latest attempt failed' in never['message']


def test_the_newest_success_of_any_host_wins():
    merged = merge_restores([drill(50 * D), drill(10 * D, 5 * D), drill(None, 20 * D)])
    assert merged['last_success']['age_seconds'] == 10 * D and merged['last_failure']['age_seconds'] == 5 * D and merged['total'] == 6


def test_a_failed_restore_query_on_any_host_is_an_error_not_a_fail():
    base = gathered(restore_results=[restores(**{'prod/t1': drill(D)}), {'failed': True, 'msg': 'HTTP 503'}])
    found = record(base, 'restore_drill_age')
    assert found['status'] == 'error' and 'HTTP 503' in found['message']


def test_a_future_drill_never_passes():
    assert record(gathered(restore_results=[restores(**{'prod/t1': drill(-2 * D)})]), 'restore_drill_age')['status'] == 'fail'


def test_restore_drill_age_is_off_in_the_gate_and_answers_for_obshell():
    base = gathered(restore_results=[restores(**{'prod/t1': drill(D)})])
    assert 'restore_drill_age' not in by_check(checks(base, preset='gate'))
    edge = dict(obshell(overview('t1'), cluster='edge'), restores=[restores(**{'edge/t1': drill(100 * D)})])
    assert record(edge, 'restore_drill_age')['status'] == 'fail'


def test_restores_must_be_a_list():
    with pytest.raises(ComplianceError, match='gathered.restores must be the list'):
        checks(gathered(restore_results={'summary': {}}))
