# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The details of the policy and restore drill records: what the reports show per tenant, from the checks."""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import details
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import D, by_check, checks
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.test_recoverability import (
    NONE, WEEKLY, drill, gathered, restores)

ALL = {'retention_days': {'enabled': True, 'min_days': 7}}
MONTHLY = dict(WEEKLY, schedule_mode='MONTH', full_backup_days=[1], incremental_backup_days=[10, 20], max_days_between_full=31)


def found(base):
    return by_check(checks(base, ALL))


def test_the_policy_checks_carry_what_they_read():
    records = found(gathered(MONTHLY))
    assert records['backup_policy']['details'] == {
        'configured': True, 'schedule_enabled': True, 'schedule_mode': 'MONTH', 'full_backup_days': [1], 'incremental_backup_days': [10, 20],
        'max_days_between_full': 31, 'retention_days': 14}
    assert records['full_backup_interval']['details'] == {
        'configured': True, 'schedule_enabled': True, 'schedule_mode': 'MONTH', 'full_backup_days': [1], 'incremental_backup_days': [10, 20],
        'max_days_between_full': 31}
    assert records['retention_days']['details'] == {'configured': True, 'retention_days': 14}
    # The data and log checks say nothing more than their message.
    assert 'details' not in records['full_backup_age'] and 'details' not in records['log_backup_delay']


def test_a_tenant_without_a_strategy_says_so_in_its_details():
    records = found(gathered(NONE))
    assert records['backup_policy']['status'] == 'fail' and records['backup_policy']['details']['configured'] is False
    assert records['backup_policy']['details']['max_days_between_full'] is None


def test_a_failed_or_missing_state_gives_no_details():
    failed = gathered(WEEKLY, restore_results=[{'failed': True, 'msg': 'HTTP 503'}])
    failed['ocp_policy'] = {'failed': True, 'msg': 'HTTP 500'}
    records = found(failed)
    assert all('details' not in records[check] and records[check]['status'] == 'error'
               for check in ('backup_policy', 'full_backup_interval', 'retention_days', 'restore_drill_age'))
    missing = gathered(WEEKLY)
    missing['ocp_policy'] = {'changed': False, 'failed': False, 'summary': {'tenants': {'other': WEEKLY}}}
    assert 'details' not in found(missing)['backup_policy'] and found(missing)['backup_policy']['status'] == 'fail'


def test_the_drill_details_name_the_last_success_and_failure():
    records = found(gathered(restore_results=[restores(**{'prod/t1': drill(100 * D, 2 * D)})]))
    assert records['restore_drill_age']['details'] == {
        'last_success': {'task_id': 1, 'restore_cluster_name': 'drill', 'restore_tenant_name': 't1_drill', 'finish_time': 'x',
                         'age_seconds': 100 * D},
        'last_failure': {'task_id': 2, 'finish_time': 'y', 'error_msg': 'set 5 incomplete', 'age_seconds': 2 * D},
        'windowed': False}
    never = found(gathered(restore_results=[restores({'start_time': '-30d'})]))['restore_drill_age']['details']
    assert never == {'last_success': None, 'last_failure': None, 'windowed': True}


def test_server_strings_in_the_details_lose_their_control_characters():
    entry = drill(D, 0.5 * D)
    entry['last_failure']['error_msg'] = 'bad \x1b[31mred\x07 set'
    entry['last_success']['restore_tenant_name'] = 'x\x00y'
    got = found(gathered(restore_results=[restores(**{'prod/t1': entry})]))['restore_drill_age']['details']
    assert got['last_failure']['error_msg'] == 'bad red set' and got['last_success']['restore_tenant_name'] == 'xy'
    assert details.picked({'full_backup_days': ['1\x1b', 2], 'schedule_mode': 7}, ('full_backup_days', 'schedule_mode', 'absent')) == {
        'full_backup_days': ['1', 2], 'schedule_mode': 7, 'absent': None}


def test_attach_keeps_the_verdict_and_adds_the_details():
    @details.attach(lambda state: {'seen': state['x']})
    def function(state, rule):
        return 'pass', 1, 'ok'
    assert function({'x': 3}, None) == ('pass', 1, 'ok', {'seen': 3})
