# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine end to end: healthy input passes with the right record shape, and properties over arbitrary input
(missing data never passes, waivers only turn fail into waived, bad input is a ComplianceError)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY, check
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import SOURCES, Input
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import number
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    JSON, NOW, OBSHELL_CHECKS, OCP_CHECKS, RECORD_KEYS, checks, data_summary, obshell, ocp, overview)


# ---------------------------------------------------------------------------------------------------------------
# Healthy input, record shape, defaults


def test_healthy_ocp_tenant_passes_every_default_check_and_sys_is_left_out():
    records = checks(ocp())
    assert {r['tenant'] for r in records} == {'t1'}
    assert sorted(r['check'] for r in records) == OCP_CHECKS
    assert {r['status'] for r in records} == {'pass'}
    for record in records:
        assert set(record) == RECORD_KEYS
        assert record['cluster'] == 'c1' and record['source'] == 'ocp'
        json.dumps(record)


def test_healthy_obshell_tenant_passes_every_default_check():
    records = checks(obshell(overview('t1')))
    assert sorted(r['check'] for r in records) == OBSHELL_CHECKS
    assert {r['status'] for r in records} == {'pass'} and {r['source'] for r in records} == {'obshell'}
    assert all(set(r) == RECORD_KEYS for r in records)


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
def test_property_ocp_never_passes_without_data_and_raises_only_compliance_errors(data, log, tenants, policy):
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
def test_property_obshell_never_passes_without_data_and_raises_only_compliance_errors(results, tenants, policy):
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


# ---------------------------------------------------------------------------------------------------------------
# Adding a check: one function, one entry; a new state: one Input


@pytest.fixture
def stage_two(monkeypatch):
    """The registry and the OCP inputs with a policy state and a check on it, restored afterwards."""
    monkeypatch.setattr(REGISTRY, 'entries', list(REGISTRY.entries))
    monkeypatch.setattr(REGISTRY, 'defaults', dict(REGISTRY.defaults))
    monkeypatch.setitem(SOURCES, 'ocp', SOURCES['ocp'] + (Input('ocp_policy', 'policy', 'backup strategy', 'cluster', ()),))

    @check('retention_days', 'policy', 'days', audit={'enabled': False, 'min_days': 0})
    def _retention_days(policy, rule):
        days = number(policy.get('retention_days'))
        if days is None:
            return 'fail', None, 'the retention is not reported (at least %s)' % rule.limit
        return ('pass' if days >= rule.threshold else 'fail'), days, 'backups are kept %s days (at least %s)' % (days, rule.limit)


@pytest.mark.usefixtures('stage_two')
def test_a_new_check_and_state_reach_presets_validation_records_and_waivers():
    gathered = dict(ocp(), ocp_policy={'summary': {'tenants': {'t1': {'retention_days': 3}}}})
    assert 'retention_days' not in {r['check'] for r in checks(gathered)}
    policy = {'retention_days': {'enabled': True, 'min_days': 7}}
    record = {r['check']: r for r in checks(gathered, policy)}['retention_days']
    assert (record['status'], record['observed'], record['threshold']) == ('fail', 3, 7)
    assert record['message'] == 'backups are kept 3 days (at least 7d)'
    waived = checks(gathered, dict(policy, waivers=[{'check': 'retention_days', 'tenant': 't1', 'reason': 'r'}]))
    assert {r['check']: r['status'] for r in waived}['retention_days'] == 'waived'
    with pytest.raises(ComplianceError, match=r"policy.retention_days: unknown key\(s\) max_days; accepted: enabled, min_days"):
        checks(gathered, {'retention_days': {'max_days': 1}})
    failed = {r['check']: r for r in checks(dict(gathered, ocp_policy={'failed': True, 'msg': 'HTTP 404'}), policy)}
    assert (failed['retention_days']['status'], failed['full_backup_age']['status']) == ('error', 'pass')
    assert {r['check'] for r in checks(obshell(overview('t1')), policy)} == set(OBSHELL_CHECKS)


# ---------------------------------------------------------------------------------------------------------------
# Server text in messages


def test_server_text_reaches_messages_without_control_characters():
    data = {'t1': data_summary(latest={'task_id': 4, 'status': 'FAILED'},
                               last_failure={'task_id': 4, 'error_msg': 'disk \x1b[31mfull\x1b[0m\r\n\x9b2Jnext\x00'})}
    record = {r['check']: r for r in checks(ocp(data=data))}['latest_backup_failed']
    assert record['message'] == 'latest data backup task 4 failed: disk full\nnext'
    failed = overview('t1', status='FAILED', succeeded=False, failed=True, result=-1)
    failed['backup_task']['comment'] = '\x1b]0;pwned\x07device full'
    assert {r['check']: r for r in checks(obshell(failed))}['latest_backup_failed']['message'].endswith(': device full')
    error = checks(ocp(data_result={'failed': True, 'msg': 'HTTP 500; server said message "\x1b[1mboom\x1b[0m"'}))
    assert {r['message'] for r in error if r['status'] == 'error'} == {'the data backup query failed: HTTP 500; server said message "boom"'}
