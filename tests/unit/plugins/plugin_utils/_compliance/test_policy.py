# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Policies: presets, user overrides, the shortcut variables (exact for fractions), validation that names
the key and what is accepted, and the query window."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.policy import resolve
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    GATE_POLICY, H, NOW, OBSHELL_CHECKS, WAIVER, checks, by_check, data_summary, log_summary, obshell, ocp, one, overview, stale)


def test_default_thresholds_are_the_audit_defaults_in_seconds():
    records = by_check(checks(ocp()))
    assert {check: records[check]['threshold'] for check in ('full_backup_age', 'backup_age', 'backup_running_too_long',
                                                             'log_backup_delay', 'log_checkpoint_age')} == {
        'full_backup_age': 168 * H, 'backup_age': 26 * H, 'backup_running_too_long': 24 * H, 'log_backup_delay': 600, 'log_checkpoint_age': 900}
    assert REGISTRY.preset('audit')['backup_running'] == {'enabled': False}
    assert REGISTRY.preset('audit')['encryption_mode']['enabled'] is False


def test_gate_policy_emits_exactly_the_blockers_it_enables():
    data = {'t1': data_summary(running=1, oldest_running_age_seconds=60, last_full_success={'age_seconds': 25 * H})}
    log = {'t1': log_summary(delay_seconds=61)}
    records = by_check(checks(ocp(data=data, log=log), GATE_POLICY))
    assert sorted(records) == ['backup_running', 'full_backup_age', 'log_backup_active', 'log_backup_delay']
    assert {check: r['status'] for check, r in records.items()} == {
        'backup_running': 'fail', 'full_backup_age': 'fail', 'log_backup_active': 'pass', 'log_backup_delay': 'fail'}
    assert records['full_backup_age']['threshold'] == 24 * H and records['log_backup_delay']['threshold'] == 60
    healthy = by_check(checks(ocp(data={'t1': data_summary(last_full_success={'age_seconds': 24 * H})}), GATE_POLICY))
    assert {r['status'] for r in healthy.values()} == {'pass'}


def test_disabled_checks_are_not_emitted_and_enabled_accepts_ansible_booleans():
    policy = {'backup_age': {'enabled': False}, 'full_backup_age': {'enabled': 'no'}, 'backup_running': {'enabled': 'yes'}}
    records = by_check(checks(ocp(), policy))
    assert 'backup_age' not in records and 'full_backup_age' not in records
    assert records['backup_running']['status'] == 'pass'


def test_a_policy_section_given_as_null_keeps_its_defaults():
    assert one(ocp(), 'backup_age', {'backup_age': None})['threshold'] == 26 * H


def test_obshell_never_gets_full_or_log_checks_and_ocp_never_gets_encryption():
    policy = {'encryption_mode': {'enabled': True, 'allowed': ['PASSWORD']}, 'backup_running': {'enabled': True}}
    ocp_checks = {r['check'] for r in checks(ocp(), policy)}
    obshell_checks = {r['check'] for r in checks(obshell(overview('t1')), policy)}
    assert 'encryption_mode' not in ocp_checks and 'backup_running' in ocp_checks
    assert not obshell_checks & {'full_backup_age', 'log_backup_active', 'log_backup_delay', 'log_checkpoint_age'}
    assert obshell_checks == set(OBSHELL_CHECKS) | {'encryption_mode', 'backup_running'}


# ---------------------------------------------------------------------------------------------------------------
# Policy validation: bad input names the key and what is accepted


@pytest.mark.parametrize('policy, match', [
    ('strict', 'policy must be a dict'),
    ({'nope': {}, 'backup_agee': {}}, 'unknown check id\\(s\\) backup_agee, nope; expected any of full_backup_age, .*, custom, waivers'),
    ({'backup_age': {'max_seconds': 5}}, r'policy.backup_age: unknown key\(s\) max_seconds; accepted: enabled, max_hours'),
    ({'backup_age': 26}, 'policy.backup_age must be a dict'),
    ({'backup_age': {'enabled': 'maybe'}}, 'policy.backup_age.enabled must be true or false'),
    ({'backup_age': {'enabled': 1}}, 'policy.backup_age.enabled must be true or false'),
    ({'backup_age': {'max_hours': -1}}, 'policy.backup_age.max_hours must be a number of 0 or more'),
    ({'backup_age': {'max_hours': '26'}}, 'policy.backup_age.max_hours must be a number of 0 or more'),
    ({'backup_age': {'max_hours': True}}, 'policy.backup_age.max_hours must be a number'),
    ({'log_backup_delay': {'max_seconds': float('nan')}}, 'policy.log_backup_delay.max_seconds must be a number'),
    ({'encryption_mode': {'enabled': True}}, 'policy.encryption_mode.allowed must name at least one encryption mode'),
    ({'encryption_mode': {'enabled': True, 'allowed': 'PASSWORD'}}, 'policy.encryption_mode.allowed must be a list'),
    ({'encryption_mode': {'allowed': [1]}}, 'policy.encryption_mode.allowed must be a list'),
    ({'custom': {'id': 'x'}}, 'policy.custom must be a list'),
    ({'custom': ['x']}, r'policy.custom\[0\] must be a dict'),
    ({'custom': [{'id': 'x', 'expression': 'a'}]}, r'policy.custom\[0\] \(x\) needs expected'),
    ({'custom': [{'expression': 'a', 'expected': 1}]}, r'policy.custom\[0\].id must be a non-empty string'),
    ({'custom': [{'id': 'x', 'expected': 1}]}, r'policy.custom\[0\].expression must be a non-empty string'),
    ({'custom': [{'id': 'x', 'expression': 'a', 'expected': 1, 'expect': 2}]}, r'unknown key\(s\) expect; accepted: id, description'),
    ({'custom': [{'id': 'backup_age', 'expression': 'a', 'expected': 1}]}, 'clashes with a built-in check id'),
    ({'custom': [{'id': 'x', 'expression': 'a', 'expected': 1}, {'id': 'x', 'expression': 'b', 'expected': 1}]}, 'used twice'),
    ({'waivers': [{'check': 'backup_age', 'tenant': 't1'}]}, r'policy.waivers\[0\].reason must be a non-empty string'),
    ({'waivers': [{'check': 'backup_age', 'reason': 'r'}]}, r'policy.waivers\[0\].tenant must be a non-empty string'),
    ({'waivers': [{'tenant': 't1', 'reason': 'r'}]}, r'policy.waivers\[0\].check must be a non-empty string'),
    ({'waivers': [{'check': 'backup_agee', 'tenant': 't1', 'reason': 'r'}]}, r"unknown check id 'backup_agee'; expected one of full_backup_age"),
    ({'waivers': [{'check': 'backup_age', 'tenant': 't1', 'reason': 'r', 'expires': 'soon'}]}, r'policy.waivers\[0\].expires: .* not an ISO 8601'),
    ({'waivers': [{'check': 'backup_age', 'tenant': 't1', 'reason': 'r', 'expires': 20261201}]}, r'policy.waivers\[0\].expires: expected an ISO'),
    ({'waivers': [{'check': 'backup_age', 'tenant': 't1', 'reason': 'r', 'until': '2026-12-01'}]}, r'unknown key\(s\) until; accepted: check'),
    ({'waivers': 'all'}, 'policy.waivers must be a list'),
])
def test_bad_policy_names_the_key_and_what_is_accepted(policy, match):
    with pytest.raises(ComplianceError, match=match):
        checks(ocp(), policy)


def test_bad_policy_fails_even_when_there_is_nothing_to_evaluate():
    with pytest.raises(ComplianceError, match='unknown check id'):
        checks(ocp(data={}, log={}), {'nope': {}})


def test_bad_now_is_rejected():
    with pytest.raises(ComplianceError, match="now: 'yesterday' is not an ISO 8601"):
        checks(ocp(), None, 'yesterday')


def test_the_policy_is_not_modified():
    policy = {'backup_age': {'max_hours': 2}, 'waivers': [dict(WAIVER)], 'custom': [{'id': 'x', 'expression': 'tenant', 'expected': 't1'}]}
    before = copy.deepcopy(policy)
    checks(stale(), policy, NOW)
    assert policy == before


# ---------------------------------------------------------------------------------------------------------------
# Presets, the shortcut variables and the query window


def resolved(policy=None, preset='audit', **shortcuts):
    return resolve(policy, preset, dict(('backup_compliance_' + name, value) for name, value in shortcuts.items()))


@pytest.mark.parametrize('value', [0.5, '0.5', 0.5000])
def test_a_fraction_of_an_hour_is_exact(value):
    policy = resolved(backup_max_age_hours=value)
    assert policy.settings['backup_age'] == {'enabled': True, 'max_hours': 0.5}
    gathered = ocp(data={'t1': data_summary(last_success={'task_id': 1, 'age_seconds': 40 * 60})})
    record = one(gathered, 'backup_age', None, shortcuts={'backup_compliance_backup_max_age_hours': value})
    assert (record['status'], record['observed'], record['threshold']) == ('fail', 2400, 1800)
    assert record['message'] == 'last successful backup 40m ago, 10m over the limit of 0.5h'


def test_a_fraction_of_a_second_is_exact():
    gathered = ocp(log={'t1': log_summary(delay_seconds=0.8)})
    record = one(gathered, 'log_backup_delay', None, shortcuts={'backup_compliance_log_max_delay_seconds': 0.5})
    assert (record['status'], record['observed'], record['threshold']) == ('fail', 0.8, 0.5)
    assert one(gathered, 'log_backup_delay', None, shortcuts={'backup_compliance_log_max_delay_seconds': 0.8})['status'] == 'pass'


def test_limits_convert_without_float_noise():
    assert one(ocp(), 'backup_age', {'backup_age': {'max_hours': 1.1}})['threshold'] == 3960
    assert one(ocp(), 'backup_age', {'backup_age': {'max_hours': 1 / 3600}})['threshold'] == 1


@pytest.mark.parametrize('shortcuts, settings', [
    ({'full_backup_max_age_hours': 0}, ('full_backup_age', {'enabled': False, 'max_hours': 168})),
    ({'full_backup_max_age_hours': '12'}, ('full_backup_age', {'enabled': True, 'max_hours': 12.0})),
    ({'running_max_hours': 2}, ('backup_running_too_long', {'enabled': True, 'max_hours': 2})),
    ({'log_max_checkpoint_age_seconds': 0.0}, ('log_checkpoint_age', {'enabled': False, 'max_seconds': 900})),
    ({'check_latest_failed': 'no'}, ('latest_backup_failed', {'enabled': False})),
    ({'block_on_running_backup': True}, ('backup_running', {'enabled': True})),
    ({'check_log_active': False}, ('log_backup_active', {'enabled': False})),
    ({'check_never_backed_up': 'false'}, ('never_backed_up', {'enabled': False})),
    ({'required_encryption_modes': ['PASSWORD']}, ('encryption_mode', {'enabled': True, 'allowed': ['PASSWORD']})),
    ({'required_encryption_modes': []}, ('encryption_mode', {'enabled': False, 'allowed': []})),
    ({'backup_max_age_hours': None}, ('backup_age', {'enabled': True, 'max_hours': 26})),
])
def test_each_shortcut_sets_its_check(shortcuts, settings):
    check_id, expected = settings
    assert resolved(**shortcuts).settings[check_id] == expected


def test_a_shortcut_turns_a_check_on_in_the_gate_and_the_policy_dict_wins_over_it():
    assert resolved(None, 'gate').settings['backup_age']['enabled'] is False
    assert resolved(None, 'gate', backup_max_age_hours=26).settings['backup_age'] == {'enabled': True, 'max_hours': 26}
    both = resolved({'backup_age': {'max_hours': 2}}, 'audit', backup_max_age_hours=5)
    assert both.settings['backup_age'] == {'enabled': True, 'max_hours': 2}


def test_shortcut_lists_come_before_the_policy_lists():
    extra = {'check': 'backup_age', 'tenant': 't2', 'reason': 'policy'}
    policy = resolved({'waivers': [extra]}, 'audit', waivers=[WAIVER])
    assert [waiver['reason'] for waiver in policy.waivers] == [WAIVER['reason'], 'policy']
    assert policy.as_dict()['waivers'] == [WAIVER, extra]


@pytest.mark.parametrize('shortcuts, match', [
    ({'backup_compliance_backup_max_age_hours': -1}, 'backup_compliance_backup_max_age_hours must be a number of 0 or more'),
    ({'backup_compliance_backup_max_age_hours': 'a day'}, r"must be a number of 0 or more \(0 turns its check off\); got 'a day'"),
    ({'backup_compliance_backup_max_age_hours': True}, 'must be a number of 0 or more'),
    ({'backup_compliance_backup_max_age_hours': 'nan'}, 'must be a number of 0 or more'),
    ({'backup_compliance_check_log_active': 'maybe'}, 'backup_compliance_check_log_active must be true or false'),
    ({'backup_compliance_required_encryption_modes': 'PASSWORD'}, 'backup_compliance_required_encryption_modes must be a list'),
    ({'backup_compliance_waivers': 'all'}, 'policy.waivers must be a list'),
    ({'backup_compliance_max_age': 1}, r'shortcuts: unknown variable\(s\) backup_compliance_max_age; accepted: backup_compliance_full'),
    (['backup_compliance_waivers'], 'shortcuts must be a dict'),
])
def test_bad_shortcuts_name_the_variable(shortcuts, match):
    with pytest.raises(ComplianceError, match=match):
        resolve(None, 'audit', shortcuts)


def test_an_unknown_preset_is_refused():
    with pytest.raises(ComplianceError, match="preset must be audit or gate; got 'strict'"):
        resolve(None, 'strict')


@pytest.mark.parametrize('preset, shortcuts, hours', [
    ('audit', {}, 168 * 2 + 24),
    ('gate', {}, 24 * 2 + 24),
    ('audit', {'full_backup_max_age_hours': 0, 'backup_max_age_hours': 0.5, 'running_max_hours': 0}, 25),
    ('audit', {'full_backup_max_age_hours': 0, 'backup_max_age_hours': 0.3, 'running_max_hours': 0}, 25),
    ('audit', {'full_backup_max_age_hours': 400}, 824),
    # The log limits do not widen the data query.
    ('gate', {'full_backup_max_age_hours': 0, 'log_max_delay_seconds': 100000}, 24),
])
def test_the_query_window_is_twice_the_largest_enabled_data_limit_plus_a_day(preset, shortcuts, hours):
    assert resolved(None, preset, **shortcuts).lookback_hours() == hours


def test_as_dict_spells_out_every_setting_and_resolves_to_the_same_policy():
    policy = resolved({'custom': [{'id': 'x', 'expression': 'tenant', 'expected': 't1'}]}, 'gate', backup_max_age_hours=3)
    explicit = policy.as_dict()
    assert set(explicit) == set(REGISTRY.ids()) | {'custom', 'waivers'}
    for preset in ('audit', 'gate'):
        assert resolve(explicit, preset).settings == policy.settings


# ---------------------------------------------------------------------------------------------------------------
# The gate on a source that cannot tell full backups from incremental ones


def test_the_gate_on_the_obshell_overview_checks_any_backup_against_the_full_backup_limit():
    records = by_check(checks(obshell(overview('t1', age_seconds=25 * H)), None, NOW, 'gate'))
    assert sorted(records) == ['backup_age', 'backup_running']
    assert (records['backup_age']['status'], records['backup_age']['threshold']) == ('fail', 24 * H)
    assert records['backup_age']['message'] == ('last successful backup 1d 1h ago, 1h over the limit of 24h'
                                                ' (in place of full_backup_age, which this source cannot answer)')
    shorter = by_check(checks(obshell(overview('t1', age_seconds=11 * H)), None, NOW, 'gate',
                              {'backup_compliance_full_backup_max_age_hours': 10}))
    assert (shorter['backup_age']['status'], shorter['backup_age']['threshold']) == ('fail', 10 * H)


def test_the_stand_in_takes_the_stricter_limit_when_its_own_check_is_on():
    stricter_full = by_check(checks(obshell(overview('t1')), {'backup_age': {'enabled': True, 'max_hours': 48}}, NOW, 'gate'))
    assert stricter_full['backup_age']['threshold'] == 24 * H and 'in place of full_backup_age' in stricter_full['backup_age']['message']
    stricter_own = by_check(checks(obshell(overview('t1')), {'backup_age': {'enabled': True, 'max_hours': 1}}, NOW, 'gate'))
    assert stricter_own['backup_age']['threshold'] == H and 'in place of' not in stricter_own['backup_age']['message']


def test_no_stand_in_where_the_source_answers_the_check_or_the_check_is_off():
    assert 'in place of' not in one(obshell(overview('t1')), 'backup_age')['message']
    assert 'backup_age' not in by_check(checks(ocp(), None, NOW, 'gate'))
    off = by_check(checks(obshell(overview('t1')), {'full_backup_age': {'enabled': False}}, NOW, 'gate'))
    assert sorted(off) == ['backup_running']
