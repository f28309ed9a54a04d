# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The compliance filters as Ansible calls them: the adapters over plugin_utils/_compliance, bad input as a filter
error, the plan that the roles resolve before gathering, and properties over arbitrary input: missing data never
passes, waivers only turn fail into waived, and anything else gives records or a filter error."""

from __future__ import annotations

import json
import math

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.filter import compliance
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    H, JSON, NOW, OCP_CHECKS, by_check, data_summary, log_summary, obshell, ocp, overview)

FILTERS = compliance.FilterModule().filters()
checks = compliance.backup_compliance_checks


def test_filter_module_exposes_every_filter_by_its_name():
    assert FILTERS == {
        'backup_compliance_checks': compliance.backup_compliance_checks, 'backup_compliance_plan': compliance.backup_compliance_plan,
        'backup_compliance_summary': compliance.backup_compliance_summary, 'backup_compliance_report': compliance.backup_compliance_report,
        'backup_compliance_lines': compliance.backup_compliance_lines, 'backup_compliance_verdict': compliance.backup_compliance_verdict,
        'backup_compliance_restores': compliance.backup_compliance_restores}


@pytest.mark.parametrize('name, args, match', [
    ('backup_compliance_checks', ([1],), 'expects a dict'),
    ('backup_compliance_checks', (ocp(), {'nope': {}}), 'unknown check id'),
    ('backup_compliance_checks', (ocp(), None, None, 'strict'), 'preset must be audit or gate'),
    ('backup_compliance_plan', ({'backup_age': {'max_hours': -1}},), 'policy.backup_age.max_hours must be a number of 0 or more'),
    ('backup_compliance_plan', (None, 'audit', {'backup_compliance_backup_max_age_hours': 'soon'}),
     'backup_compliance_backup_max_age_hours must be a number of 0 or more'),
    ('backup_compliance_summary', ([{'status': 'ok'}],), 'check record 0 has status'),
    ('backup_compliance_report', ([], 'check'), 'mode must be audit or gate'),
    ('backup_compliance_lines', ('pass', 'audit'), 'list of check records'),
    ('backup_compliance_verdict', ([], 'gate', 'maybe'), 'fail_on_violation must be true or false'),
])
def test_bad_input_is_a_filter_error_with_the_engine_message(name, args, match):
    with pytest.raises(AnsibleFilterError, match=match):
        FILTERS[name](*args)


def test_the_plan_spells_out_the_gate_and_its_query_window():
    plan = compliance.backup_compliance_plan(None, 'gate')
    assert plan['preset'] == 'gate' and plan['lookback_hours'] == 24 * 2 + 24
    enabled = sorted(check for check, settings in plan['policy'].items() if check not in ('custom', 'waivers') and settings['enabled'])
    assert enabled == ['backup_running', 'full_backup_age', 'log_backup_active', 'log_backup_delay']
    assert plan['policy']['full_backup_age'] == {'enabled': True, 'max_hours': 24}
    assert compliance.backup_compliance_plan()['lookback_hours'] == 168 * 2 + 24


def test_the_plans_policy_gives_the_same_records_under_any_preset():
    shortcuts = {'backup_compliance_backup_max_age_hours': 0.5, 'backup_compliance_log_max_delay_seconds': '0.5'}
    plan = compliance.backup_compliance_plan({'waivers': [{'check': 'backup_age', 'tenant': 'x', 'reason': 'r'}]}, 'gate', shortcuts)
    gathered = ocp(data={'t1': data_summary(last_success={'age_seconds': 40 * 60})}, log={'t1': log_summary(delay_seconds=0.8)})
    direct = compliance.backup_compliance_checks(gathered, {'waivers': plan['policy']['waivers']}, NOW, 'gate', shortcuts)
    for preset in ('audit', 'gate'):
        assert compliance.backup_compliance_checks(gathered, plan['policy'], NOW, preset) == direct
    records = by_check(direct)
    assert (records['backup_age']['status'], records['backup_age']['threshold']) == ('fail', 1800)
    assert (records['log_backup_delay']['status'], records['log_backup_delay']['threshold']) == ('fail', 0.5)


def test_lines_and_verdict_through_the_filters():
    records = compliance.backup_compliance_checks(obshell(overview('t1', age_seconds=30 * H)), None, NOW, 'gate')
    assert compliance.backup_compliance_lines(records, 'gate')[0] == 'Backup compliance (gate): 1 pass, 1 fail, 0 waived, 0 error'
    verdict = compliance.backup_compliance_verdict(records, 'gate')
    assert verdict['failed'] and verdict['msg'].startswith('1 blocker(s): [t1] backup_age: last successful backup 1d 6h ago')
    assert compliance.backup_compliance_verdict(records, 'audit', 'yes')['msg'].startswith('1 failed check(s): [t1] backup_age')


@settings(max_examples=200, deadline=None)
@given(junk=JSON, policy=JSON | st.none())
def test_property_arbitrary_input_raises_only_filter_errors(junk, policy):
    for gathered in ({'source': 'ocp', 'ocp_data': junk, 'ocp_log': junk, 'tenants': junk}, {'source': 'obshell', 'obshell': [junk]},
                     {'source': 'obshell', 'obshell': junk}, junk):
        for pol in (None, policy, {'waivers': junk}, {'custom': junk}, {'backup_age': junk}):
            try:
                records = compliance.backup_compliance_checks(gathered, pol, NOW)
            except AnsibleFilterError:
                continue
            assert all(r['status'] != 'pass' or r['observed'] is not None for r in records if r['check'] != 'never_backed_up')
    for name in ('backup_compliance_report', 'backup_compliance_lines', 'backup_compliance_verdict'):
        for records in (junk, [junk]):
            try:
                FILTERS[name](records, 'audit')
            except AnsibleFilterError:
                pass
    for shortcuts in (junk, {'backup_compliance_backup_max_age_hours': junk}, {'backup_compliance_waivers': junk}):
        try:
            compliance.backup_compliance_plan(policy, 'audit', shortcuts)
        except AnsibleFilterError:
            pass


# ---------------------------------------------------------------------------------------------------------------
# Properties


_number = st.none() | st.integers(-10 ** 6, -1) | st.integers(0, 10 ** 7) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans() | st.text(max_size=3)
_status = st.none() | st.sampled_from(['DONE', 'FAILED', 'failed', 'DOING', 'RUNNING', 'STOPPED', 'COMPLETED', 'CANCELED', '']) | st.integers()
_flag = st.none() | st.booleans() | st.integers(0, 1) | st.text(max_size=3)
_age_holder = st.none() | JSON | st.fixed_dictionaries({}, optional={'task_id': st.integers(0, 5), 'age_seconds': _number})
_data = st.fixed_dictionaries({}, optional={
    'total': _number, 'running': _number, 'oldest_running_age_seconds': _number, 'last_success': _age_holder, 'last_full_success': _age_holder,
    'latest': st.none() | st.fixed_dictionaries({}, optional={'task_id': st.integers(0, 5), 'status': _status}) | JSON,
    'last_failure': st.none() | JSON})
_log = st.fixed_dictionaries({}, optional={'status': _status, 'active': _flag, 'delay_seconds': _number, 'checkpoint_age_seconds': _number})
_ocp_result = st.one_of(
    st.fixed_dictionaries({'summary': st.fixed_dictionaries({}, optional={'tenants': st.none() | JSON | st.dictionaries(
        st.sampled_from(['t1', 't2', 'sys']), st.none() | JSON | _data | _log, max_size=3)})}),
    st.fixed_dictionaries({'failed': st.booleans(), 'msg': st.text(max_size=5)}),
    JSON)
_obshell_result = st.one_of(
    st.fixed_dictionaries({'item': st.sampled_from(['t1', 't2', 'sys']), 'found': _flag, 'summary': st.none() | JSON | st.fixed_dictionaries({}, optional={
        'status': _status, 'succeeded': _flag, 'in_progress': _flag, 'failed': _flag, 'age_seconds': _number, 'duration_seconds': _number,
        'encryption_mode': st.none() | st.sampled_from(['PASSWORD', 'NONE', 'Password Encryption']) | st.integers()})}),
    st.fixed_dictionaries({'item': st.sampled_from(['t1', 't2']), 'failed': st.booleans(), 'msg': st.text(max_size=5)}),
    JSON)
_tenants = st.none() | st.lists(st.sampled_from(['t1', 't2', 'sys', 'ghost']), max_size=3)
_policy = st.fixed_dictionaries({}, optional={
    'backup_running': st.fixed_dictionaries({'enabled': st.just(True)}),
    'encryption_mode': st.fixed_dictionaries({'enabled': st.just(True), 'allowed': st.just(['PASSWORD'])}),
    'backup_age': st.fixed_dictionaries({}, optional={'max_hours': st.integers(0, 48) | st.floats(0, 48)}),
    'log_backup_delay': st.fixed_dictionaries({}, optional={'max_seconds': st.integers(0, 1000)}),
    'custom': st.just([{'id': 'c', 'expression': 'data.total', 'expected': 1}, {'id': 'd', 'expression': 'sort(obshell.summary)', 'expected': 1}]),
    'waivers': st.just([{'check': '*', 'tenant': '*', 'reason': 'all'}]),
})


def _path(value, *keys):
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _num(value):
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value) else value


def _within(value, threshold):
    # A time more than the clock-skew tolerance in the future never passes.
    return _num(value) is not None and -300 <= value <= threshold


def _ocp_pass_is_backed_by_data(record, data, log):
    """What a pass record needs from the raw input, restated independently of the filter."""
    check, threshold = record['check'], record['threshold']
    tenants = _path(data if not check.startswith('log_') else log, 'summary', 'tenants')
    summary = tenants.get(record['tenant']) if isinstance(tenants, dict) else None
    assert isinstance(summary, dict), record
    if check == 'full_backup_age':
        return _within(_path(summary, 'last_full_success', 'age_seconds'), threshold)
    if check == 'backup_age':
        return _within(_path(summary, 'last_success', 'age_seconds'), threshold)
    if check == 'latest_backup_failed':
        status = _path(summary, 'latest', 'status')
        return isinstance(status, str) and status != '' and status.upper() != 'FAILED'
    if check == 'backup_running':
        return _num(summary.get('running')) == 0
    if check == 'backup_running_too_long':
        return _num(summary.get('running')) == 0 or _within(summary.get('oldest_running_age_seconds'), threshold)
    if check == 'never_backed_up':
        return _num(summary.get('total')) is not None and summary['total'] >= 1
    if check == 'log_backup_active':
        return summary.get('active') is True and isinstance(summary.get('status'), str) and summary['status'] != ''
    if check == 'log_backup_delay':
        return bool(summary.get('status')) and _within(summary.get('delay_seconds'), threshold)
    if check == 'log_checkpoint_age':
        return bool(summary.get('status')) and _within(summary.get('checkpoint_age_seconds'), threshold)
    return _path(data, 'summary', 'tenants', record['tenant'], 'total') is not None  # custom check 'c' reads data.total


def _name_of(result):
    return str(_path(result, 'tenant', 'name') or _path(result, 'invocation', 'module_args', 'tenant_name') or result.get('item') or '*')


def _obshell_pass_is_backed_by_data(record, results):
    check, threshold = record['check'], record['threshold']
    mine = [r for r in results if isinstance(r, dict) and _name_of(r) == record['tenant']]
    assert mine, record
    found, summary = mine[-1].get('found'), mine[-1].get('summary')
    if check == 'never_backed_up':
        return found is True
    if not (found is True and isinstance(summary, dict)):
        return False
    if check == 'backup_age':
        return summary.get('succeeded') is True and _within(summary.get('age_seconds'), threshold)
    if check == 'latest_backup_failed':
        return summary.get('failed') is False
    if check == 'backup_running':
        return summary.get('in_progress') is False
    if check == 'backup_running_too_long':
        return summary.get('in_progress') is False or (summary.get('in_progress') is True and _within(summary.get('duration_seconds'), threshold))
    if check == 'encryption_mode':
        return isinstance(summary.get('encryption_mode'), str) and summary['encryption_mode'].upper() == 'PASSWORD'
    return False


def _failed_query(result, key):
    return not isinstance(result, dict) or bool(result.get('failed')) or result.get('skipped') or key not in result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_ocp_result, log=_ocp_result, tenants=_tenants, policy=_policy)
def test_property_ocp_never_passes_without_data_and_raises_only_filter_errors(data, log, tenants, policy):
    gathered = {'source': 'ocp', 'cluster': 'c', 'tenants': tenants, 'ocp_data': data, 'ocp_log': log}
    records = checks(gathered, policy, NOW)
    for record in records:
        assert record['status'] in ('pass', 'fail', 'waived', 'error')
        json.dumps(record, allow_nan=True)
        query = log if record['check'].startswith('log_') else data
        if record['check'] in SOURCE_CHECKS_OCP and _failed_query(query, 'summary'):
            assert record['status'] == 'error', record
        if record['status'] == 'pass':
            assert _ocp_pass_is_backed_by_data(record, data, log), record
        if record['status'] == 'waived':
            assert record['waiver'] == {'reason': 'all', 'expires': None}


SOURCE_CHECKS_OCP = frozenset(OCP_CHECKS + ['backup_running'])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(results=st.lists(_obshell_result, max_size=4), tenants=_tenants, policy=_policy)
def test_property_obshell_never_passes_without_data_and_raises_only_filter_errors(results, tenants, policy):
    gathered = {'source': 'obshell', 'cluster': 'edge', 'tenants': tenants, 'obshell': results}
    records = checks(gathered, policy, NOW)
    for record in records:
        json.dumps(record, allow_nan=True)
        if record['status'] == 'pass' and record['check'] not in ('c', 'd'):
            assert _obshell_pass_is_backed_by_data(record, results), record
        if tenants and record['tenant'] not in tenants:
            pytest.fail('record for an unlisted tenant: %r' % record)
        if not tenants:
            assert record['tenant'] != 'sys', record


@settings(max_examples=100, deadline=None)
@given(data=_ocp_result, log=_ocp_result, policy=_policy)
def test_property_waivers_only_turn_fail_into_waived(data, log, policy):
    gathered = {'source': 'ocp', 'cluster': 'c', 'tenants': None, 'ocp_data': data, 'ocp_log': log}
    plain = dict(policy)
    plain.pop('waivers', None)
    before = checks(gathered, plain, NOW)
    after = checks(gathered, dict(plain, waivers=[{'check': '*', 'tenant': '*', 'reason': 'all'}]), NOW)
    assert [(r['check'], r['tenant']) for r in before] == [(r['check'], r['tenant']) for r in after]
    for old, new in zip(before, after):
        assert new['status'] == ('waived' if old['status'] == 'fail' else old['status'])
