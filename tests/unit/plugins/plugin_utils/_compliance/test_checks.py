# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The built-in checks: each at its threshold and one second over, messages in human units, missing or malformed values
that fail, the obshell overview entries, negative ages, and the registry itself."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY, UNITS, Check, Registry
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import STATES
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    D, H, NO_TASK_DATA, NO_TASK_LOG, OBSHELL_CHECKS, checks, by_check, data_summary, log_summary, never, obshell, ocp, one, overview)


# ---------------------------------------------------------------------------------------------------------------
# Thresholds: inclusive, and one second over fails


@pytest.mark.parametrize('check, key, default', [
    ('full_backup_age', 'last_full_success', 168 * H),
    ('backup_age', 'last_success', 26 * H),
])
@pytest.mark.parametrize('offset, status', [(-D, 'pass'), (0, 'pass'), (1, 'fail')])
def test_ocp_backup_ages_at_the_threshold(check, key, default, offset, status):
    data = {'t1': data_summary(**{key: {'task_id': 1, 'age_seconds': default + offset}})}
    record = one(ocp(data=data), check)
    assert (record['status'], record['observed'], record['threshold']) == (status, default + offset, default)


def test_age_messages_speak_human_units_and_the_configured_limit():
    data = {'t1': data_summary(last_full_success={'age_seconds': 9 * D + 2 * H})}
    record = one(ocp(data=data), 'full_backup_age')
    assert record['message'] == 'last successful full backup 9d 2h ago, 2d 2h over the limit of 168h'
    record = one(ocp(data={'t1': data_summary(last_full_success={'age_seconds': 168 * H + 1})}), 'full_backup_age')
    assert record['status'] == 'fail' and '1s over the limit of 168h' in record['message']
    assert one(ocp(), 'backup_age')['message'] == 'last successful backup 2h ago (limit 26h)'


def test_custom_thresholds_in_hours_and_seconds():
    policy = {'backup_age': {'max_hours': 1.5}, 'log_checkpoint_age': {'max_seconds': 20}}
    records = by_check(checks(ocp(), policy))
    assert records['backup_age']['threshold'] == 5400 and records['backup_age']['status'] == 'fail'
    assert '(limit 1.5h)' not in records['backup_age']['message'] and 'over the limit of 1.5h' in records['backup_age']['message']
    assert records['log_checkpoint_age']['threshold'] == 20 and records['log_checkpoint_age']['status'] == 'pass'


def test_a_zero_threshold_only_passes_zero():
    policy = {'log_backup_delay': {'max_seconds': 0}}
    assert one(ocp(log={'t1': log_summary(delay_seconds=0)}), 'log_backup_delay', policy)['status'] == 'pass'
    assert one(ocp(log={'t1': log_summary(delay_seconds=0.01)}), 'log_backup_delay', policy)['status'] == 'fail'


@pytest.mark.parametrize('delay, status', [(0, 'pass'), (600, 'pass'), (600.0, 'pass'), (600.01, 'fail'), (601, 'fail')])
def test_log_delay_at_the_threshold(delay, status):
    record = one(ocp(log={'t1': log_summary(delay_seconds=delay)}), 'log_backup_delay')
    assert (record['status'], record['observed'], record['threshold']) == (status, delay, 600)


def test_log_delay_message():
    record = one(ocp(log={'t1': log_summary(delay_seconds=700.5)}), 'log_backup_delay')
    assert record['message'] == 'log backup delay 11m 40s, 1m 40s over the limit of 600s'
    assert one(ocp(), 'log_backup_delay')['message'] == 'log backup delay 12.5s (limit 600s)'


@pytest.mark.parametrize('age, status', [(900, 'pass'), (901, 'fail')])
def test_log_checkpoint_age_at_the_threshold(age, status):
    record = one(ocp(log={'t1': log_summary(checkpoint_age_seconds=age)}), 'log_checkpoint_age')
    assert (record['status'], record['observed'], record['threshold']) == (status, age, 900)


@pytest.mark.parametrize('age, status', [(24 * H, 'pass'), (24 * H + 1, 'fail')])
def test_ocp_running_too_long_at_the_threshold(age, status):
    record = one(ocp(data={'t1': data_summary(running=2, oldest_running_age_seconds=age)}), 'backup_running_too_long')
    assert (record['status'], record['observed'], record['threshold']) == (status, age, 24 * H)
    assert '2 data backup task(s) running' in record['message']


def test_ocp_running_too_long_passes_when_nothing_runs():
    record = one(ocp(), 'backup_running_too_long')
    assert (record['status'], record['observed']) == ('pass', 0)


@pytest.mark.parametrize('running, status', [(0, 'pass'), (1, 'fail'), (3, 'fail')])
def test_ocp_backup_running_gate(running, status):
    data = {'t1': data_summary(running=running, oldest_running_age_seconds=60 if running else None)}
    record = one(ocp(data=data), 'backup_running', {'backup_running': {'enabled': True}})
    assert (record['status'], record['observed'], record['threshold']) == (status, running, 0)


@pytest.mark.parametrize('status, verdict', [('DONE', 'pass'), ('DOING', 'pass'), ('CANCELED', 'pass'), ('FAILED', 'fail'), ('failed', 'fail')])
def test_ocp_latest_backup_failed(status, verdict):
    data = {'t1': data_summary(latest={'task_id': 11, 'status': status, 'finish_time': '2026-11-22T10:00:00Z'},
                               last_failure={'task_id': 11, 'error_msg': 'disk full', 'age_seconds': 50000})}
    record = one(ocp(data=data), 'latest_backup_failed')
    assert (record['status'], record['observed']) == (verdict, status)
    if verdict == 'fail':
        assert record['message'] == 'latest data backup task 11 failed at 2026-11-22T10:00:00Z: disk full'


def test_ocp_latest_failure_does_not_quote_an_older_failure():
    data = {'t1': data_summary(latest={'task_id': 12, 'status': 'FAILED'}, last_failure={'task_id': 3, 'error_msg': 'old error'})}
    record = one(ocp(data=data), 'latest_backup_failed')
    assert record['status'] == 'fail' and 'old error' not in record['message'] and 'no error message' in record['message']


@pytest.mark.parametrize('total, status', [(0, 'fail'), (1, 'pass'), (40, 'pass')])
def test_ocp_never_backed_up(total, status):
    record = one(ocp(data={'t1': data_summary(total=total)}), 'never_backed_up')
    assert (record['status'], record['observed'], record['threshold']) == (status, total, 1)


@pytest.mark.parametrize('status, active, verdict', [('DOING', True, 'pass'), ('STOPPED', False, 'fail'), ('INTERRUPTED', False, 'fail'),
                                                     ('DOING', None, 'fail')])
def test_ocp_log_backup_active(status, active, verdict):
    record = one(ocp(log={'t1': log_summary(status=status, active=active)}), 'log_backup_active')
    assert (record['status'], record['observed']) == (verdict, status)
    assert status in record['message']


# ---------------------------------------------------------------------------------------------------------------
# Missing data never passes; failed queries are errors


def test_a_tenant_without_any_task_fails_every_check_that_needs_one():
    records = by_check(checks(ocp(data={'t1': NO_TASK_DATA}, log={'t1': NO_TASK_LOG})))
    failing = {check for check, r in records.items() if r['status'] == 'fail'}
    assert failing == {'full_backup_age', 'backup_age', 'latest_backup_failed', 'never_backed_up', 'log_backup_active',
                       'log_backup_delay', 'log_checkpoint_age'}
    # Nothing running is a fact the summary states, not missing data.
    assert records['backup_running_too_long']['status'] == 'pass'
    assert records['full_backup_age']['message'] == 'no last successful full backup in the queried period (limit 168h)'
    assert all(records[check]['observed'] is None for check in ('full_backup_age', 'backup_age', 'latest_backup_failed'))


@pytest.mark.parametrize('check, changes', [
    ('full_backup_age', {'last_full_success': {'task_id': 1, 'age_seconds': None}}),
    ('full_backup_age', {'last_full_success': {'task_id': 1}}),
    ('full_backup_age', {'last_full_success': {'task_id': 1, 'age_seconds': '5'}}),
    ('full_backup_age', {'last_full_success': {'task_id': 1, 'age_seconds': True}}),
    ('full_backup_age', {'last_full_success': {'task_id': 1, 'age_seconds': float('nan')}}),
    ('backup_age', {'last_success': 'yesterday'}),
    ('latest_backup_failed', {'latest': {'task_id': 1, 'status': None}}),
    ('latest_backup_failed', {'latest': None}),
    ('backup_running_too_long', {'running': None}),
    ('backup_running_too_long', {'running': 1, 'oldest_running_age_seconds': None}),
    ('backup_running', {'running': None}),
    ('backup_running', {'running': '0'}),
    ('never_backed_up', {'total': None}),
])
def test_null_or_malformed_data_values_fail(check, changes):
    data = {'t1': data_summary(**changes)}
    record = one(ocp(data=data), check, {'backup_running': {'enabled': True}})
    assert record['status'] == 'fail' and record['observed'] is None, record


@pytest.mark.parametrize('check, changes', [
    ('log_backup_delay', {'delay_seconds': None}),
    ('log_backup_delay', {'delay_seconds': 'slow'}),
    ('log_backup_delay', {'delay_seconds': float('inf')}),
    ('log_checkpoint_age', {'checkpoint_age_seconds': None}),
    ('log_backup_active', {'status': None, 'active': True}),
    ('log_backup_delay', {'status': None, 'delay_seconds': 1}),
])
def test_null_or_malformed_log_values_fail(check, changes):
    record = one(ocp(log={'t1': log_summary(**changes)}), check)
    assert record['status'] == 'fail' and record['observed'] is None, record


def test_missing_value_messages_say_what_is_missing():
    record = one(ocp(log={'t1': log_summary(checkpoint_age_seconds=None)}), 'log_checkpoint_age')
    assert record['message'] == 'the age of the log archive checkpoint is not reported (limit 900s)'
    record = one(ocp(data={'t1': data_summary(running=1, oldest_running_age_seconds=None)}), 'backup_running_too_long')
    assert record['message'] == '1 data backup task(s) running; the age of the oldest is not reported (limit 24h)'


# ---------------------------------------------------------------------------------------------------------------
# obshell


def test_obshell_never_backed_up_fails_every_check():
    records = by_check(checks(obshell(never('t1'), tenants=['t1'])))
    assert sorted(records) == OBSHELL_CHECKS
    assert {r['status'] for r in records.values()} == {'fail'}
    assert (records['never_backed_up']['observed'], records['never_backed_up']['threshold']) == (False, True)
    assert records['never_backed_up']['message'] == 'the tenant has never been backed up'
    assert records['backup_age']['message'] == 'the tenant has never been backed up'


@pytest.mark.parametrize('age, status', [(26 * H, 'pass'), (26 * H + 1, 'fail')])
def test_obshell_backup_age_at_the_threshold(age, status):
    record = one(obshell(overview('t1', age_seconds=age)), 'backup_age')
    assert (record['status'], record['observed'], record['threshold']) == (status, age, 26 * H)


@pytest.mark.parametrize('latest', ['FAILED', 'CANCELED', 'DOING'])
def test_obshell_backup_age_fails_when_the_latest_task_did_not_succeed(latest):
    result = overview('t1', status=latest, succeeded=False, failed=latest == 'FAILED', in_progress=latest == 'DOING', age_seconds=None)
    record = one(obshell(result), 'backup_age')
    assert record['status'] == 'fail' and record['observed'] is None
    assert 'the latest backup task is %s' % latest in record['message'] and 'unknown' in record['message']


def test_obshell_latest_failed_quotes_the_comment():
    result = overview('t1', status='FAILED', succeeded=False, failed=True, result=-9082)
    result['backup_task']['comment'] = 'backup destination is not writable'
    record = one(obshell(result), 'latest_backup_failed')
    assert (record['status'], record['observed']) == ('fail', 'FAILED')
    assert record['message'] == 'latest backup task failed with result -9082: backup destination is not writable'


@pytest.mark.parametrize('duration, status', [(24 * H, 'pass'), (24 * H + 1, 'fail')])
def test_obshell_running_too_long_at_the_threshold(duration, status):
    result = overview('t1', status='DOING', succeeded=False, in_progress=True, age_seconds=None, duration_seconds=duration)
    records = by_check(checks(obshell(result), {'backup_running': {'enabled': True}}))
    assert (records['backup_running_too_long']['status'], records['backup_running_too_long']['observed']) == (status, duration)
    assert (records['backup_running']['status'], records['backup_running']['observed']) == ('fail', 1)
    assert records['latest_backup_failed']['status'] == 'pass'


def test_obshell_nothing_running_passes_the_running_checks():
    records = by_check(checks(obshell(overview('t1')), {'backup_running': {'enabled': True}}))
    assert records['backup_running']['status'] == 'pass' and records['backup_running_too_long']['status'] == 'pass'


@pytest.mark.parametrize('check, changes', [
    ('backup_age', {'succeeded': None}),
    ('backup_age', {'age_seconds': None}),
    ('latest_backup_failed', {'failed': None}),
    ('latest_backup_failed', {'failed': 'no'}),
    ('backup_running', {'in_progress': None}),
    ('backup_running_too_long', {'in_progress': None}),
    ('backup_running_too_long', {'in_progress': True, 'duration_seconds': None}),
    ('encryption_mode', {'encryption_mode': None}),
])
def test_obshell_missing_summary_values_fail(check, changes):
    policy = {'backup_running': {'enabled': True}, 'encryption_mode': {'enabled': True, 'allowed': ['PASSWORD']}}
    record = one(obshell(overview('t1', **changes)), check, policy)
    assert record['status'] == 'fail', record


@pytest.mark.parametrize('found', [None, 'yes', 1])
def test_obshell_found_that_is_not_a_boolean_fails(found):
    result = overview('t1')
    result['found'] = found
    assert {r['status'] for r in checks(obshell(result))} == {'fail'}


def test_obshell_summary_missing_fails():
    result = overview('t1')
    result['summary'] = None
    records = by_check(checks(obshell(result)))
    assert records['never_backed_up']['status'] == 'pass'
    assert {r['status'] for c, r in records.items() if c != 'never_backed_up'} == {'fail'}


@pytest.mark.parametrize('mode, allowed, status', [
    ('PASSWORD', ['PASSWORD'], 'pass'),
    ('Password', ['PASSWORD'], 'pass'),
    ('Password Encryption', ['PASSWORD_ENCRYPTION'], 'pass'),
    ('Dual mode Encryption', ['password', 'dual-mode-encryption'], 'pass'),
    ('NONE', ['PASSWORD'], 'fail'),
    ('Password Encryption', ['PASSWORD'], 'fail'),
])
def test_obshell_encryption_mode(mode, allowed, status):
    record = one(obshell(overview('t1', encryption_mode=mode)), 'encryption_mode', {'encryption_mode': {'enabled': True, 'allowed': allowed}})
    assert (record['status'], record['observed'], record['threshold']) == (status, mode, allowed)
    assert mode in record['message'] and ('not allowed' in record['message']) == (status == 'fail')


def test_obshell_encryption_mode_of_a_never_backed_up_tenant_fails():
    record = one(obshell(never('t1')), 'encryption_mode', {'encryption_mode': {'enabled': True, 'allowed': ['PASSWORD']}})
    assert record['status'] == 'fail'


# ---------------------------------------------------------------------------------------------------------------
# Times in the future: a small clock skew counts as 0, more never passes


AGES = [
    ('full_backup_age', lambda age: ocp(data={'t1': data_summary(last_full_success={'task_id': 1, 'age_seconds': age})})),
    ('backup_age', lambda age: ocp(data={'t1': data_summary(last_success={'task_id': 1, 'age_seconds': age})})),
    ('backup_running_too_long', lambda age: ocp(data={'t1': data_summary(running=1, oldest_running_age_seconds=age)})),
    ('log_backup_delay', lambda age: ocp(log={'t1': log_summary(delay_seconds=age)})),
    ('log_checkpoint_age', lambda age: ocp(log={'t1': log_summary(checkpoint_age_seconds=age)})),
    ('backup_age', lambda age: obshell(overview('t1', age_seconds=age))),
    ('backup_running_too_long', lambda age: obshell(overview('t1', status='DOING', succeeded=False, in_progress=True, duration_seconds=age))),
]


@pytest.mark.parametrize('check, gathered', AGES)
@pytest.mark.parametrize('age', [-301, -3600.5, -30 * D])
def test_an_age_or_delay_in_the_future_fails_and_asks_about_the_clock(check, gathered, age):
    record = one(gathered(age), check)
    assert (record['status'], record['observed']) == ('fail', age)
    assert 'is negative (-' in record['message'] and 'a time in the future' in record['message']
    assert 'is the OCP or agent clock ahead of this controller?' in record['message']


@pytest.mark.parametrize('check, gathered', [entry for entry in AGES if entry[0] != 'log_backup_delay'])
@pytest.mark.parametrize('age', [-300, -0.5, 0])
def test_a_small_clock_skew_counts_as_zero(check, gathered, age):
    record = one(gathered(age), check)
    assert (record['status'], record['observed']) == ('pass', 0)
    assert 'future' not in record['message']


@pytest.mark.parametrize('delay', [-0.5, -50, -300])
def test_a_delay_below_zero_fails_whatever_the_skew(delay):
    # The server measures a delay between two of its own times: the controller's clock plays no part.
    record = one(ocp(log={'t1': log_summary(delay_seconds=delay)}), 'log_backup_delay')
    assert (record['status'], record['observed']) == ('fail', delay)
    assert 'is negative (-' in record['message'] and 'a time in the future' in record['message']


# As the modules report them: null, with the value under the summary's future.
FUTURE = [
    ('full_backup_age', ocp(data={'t1': data_summary(last_full_success={'task_id': 1, 'age_seconds': None},
                                                     future={'last_full_success.age_seconds': -30 * D})})),
    ('log_checkpoint_age', ocp(log={'t1': log_summary(checkpoint_age_seconds=None, future={'checkpoint_age_seconds': -3 * D})})),
    ('log_backup_delay', ocp(log={'t1': log_summary(delay_seconds=None, future={'delay_seconds': -50.0})})),
    ('backup_age', obshell(overview('t1', age_seconds=None, future={'age_seconds': -30 * D}))),
]


@pytest.mark.parametrize('check, gathered', FUTURE)
def test_a_time_the_module_found_in_the_future_fails_with_its_value(check, gathered):
    record = one(gathered, check)
    assert record['status'] == 'fail' and record['observed'] < 0
    assert 'a time in the future' in record['message'] and 'not reported' not in record['message']


# ---------------------------------------------------------------------------------------------------------------
# The registry


def test_every_entry_reads_a_known_state_in_a_known_unit_and_each_id_has_its_settings():
    assert REGISTRY.ids()[:2] == ['full_backup_age', 'backup_age'] and len(REGISTRY.ids()) == 14
    for entry in REGISTRY.entries:
        assert entry.state in STATES and entry.unit in UNITS, entry
        audit, gate = REGISTRY.defaults[entry.id]
        assert 'enabled' in audit and set(gate) <= set(audit)
    assert {entry.state for entry in REGISTRY.entries} == {'data', 'log', 'overview', 'policy', 'restore'}


def test_the_presets_are_the_documented_defaults():
    audit, gate = REGISTRY.preset('audit'), REGISTRY.preset('gate')
    assert [check for check, settings in audit.items() if settings['enabled']] == [
        'full_backup_age', 'backup_age', 'latest_backup_failed', 'backup_running_too_long', 'never_backed_up', 'log_backup_active',
        'log_backup_delay', 'log_checkpoint_age', 'backup_policy', 'full_backup_interval', 'restore_drill_age']
    assert sorted(check for check, settings in gate.items() if settings['enabled']) == [
        'backup_running', 'full_backup_age', 'log_backup_active', 'log_backup_delay']
    assert (gate['full_backup_age']['max_hours'], gate['log_backup_delay']['max_seconds']) == (24, 60)
    assert REGISTRY.preset('audit') is not REGISTRY.preset('audit')


@pytest.mark.parametrize('entry, match', [
    (Check('x', 'nowhere', None, 'seconds', {'enabled': True}), 'state must be one of'),
    (Check('x', 'data', None, 'furlongs', {'enabled': True}), 'unit one of'),
    (Check('x', 'data', None, 'count', {'max_hours': 1}), 'audit settings need enabled'),
    (Check('x', 'data', None, 'count', {'enabled': True}, {'allowed': []}), 'the gate may only change them'),
])
def test_a_malformed_entry_is_refused_when_registered(entry, match):
    with pytest.raises(ValueError, match=match):
        Registry().add(entry)


def test_settings_belong_to_the_first_entry_of_an_id():
    registry = Registry()
    registry.add(Check('x', 'data', None, 'count', {'enabled': True}))
    with pytest.raises(ValueError, match='settings belong to its first entry only'):
        registry.add(Check('x', 'overview', None, 'count', {'enabled': False}))
    registry.add(Check('x', 'overview', None, 'count'))
    assert registry.ids() == ['x'] and len(registry.entries) == 2


def test_every_check_has_its_documentation_row_naming_the_states_it_reads():
    doc = yaml.safe_load((pathlib.Path(__file__).resolve().parents[5] / 'plugins' / 'filter' / 'backup_compliance_checks.yml').read_text())
    rows = [line for line in doc['DOCUMENTATION']['description'] if line.startswith('C(')]
    for check_id in REGISTRY.ids():
        states = ' or '.join(entry.state for entry in REGISTRY.entries if entry.id == check_id)
        assert [row for row in rows if row.startswith('C(%s) (%s; ' % (check_id, states))], check_id
    assert len(rows) == len(REGISTRY.ids())
