# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.filter.compliance import (
    backup_compliance_checks as checks,
    backup_compliance_report,
    backup_compliance_summary,
    human,
)

H = 3600
HEALTHY_DATA = {
    'total': 10, 'running': 0, 'oldest_running_age_seconds': None,
    'latest': {'task_id': 9, 'status': 'DONE'},
    'last_success': {'task_id': 9, 'age_seconds': 2 * H},
    'last_full_success': {'task_id': 7, 'age_seconds': 50 * H},
    'last_failure': None,
}
HEALTHY_LOG = {'status': 'RUNNING', 'active': True, 'delay_seconds': 12.5, 'checkpoint': '2026-11-23T00:00:00Z', 'checkpoint_age_seconds': 20}
EMPTY_DATA = {'total': 0, 'running': 0, 'oldest_running_age_seconds': None, 'latest': None, 'last_success': None,
              'last_full_success': None, 'last_failure': None}


def ocp(data=None, log=None, tenants=None, data_result=None, log_result=None):
    data = {'t1': copy.deepcopy(HEALTHY_DATA), 'sys': copy.deepcopy(HEALTHY_DATA)} if data is None else data
    log = {'t1': dict(HEALTHY_LOG), 'sys': dict(HEALTHY_LOG)} if log is None else log
    return {
        'source': 'ocp', 'cluster': 'c1', 'tenants': tenants,
        'ocp_data': data_result if data_result is not None else {'summary': {'tenants': data}},
        'ocp_log': log_result if log_result is not None else {'summary': {'tenants': log}},
    }


def by_check(records, tenant='t1'):
    return {r['check']: r for r in records if r['tenant'] == tenant}


def test_healthy_ocp_tenant_passes_every_default_check_and_sys_is_skipped():
    records = checks(ocp())
    assert {r['tenant'] for r in records} == {'t1'}
    assert {r['check']: r['status'] for r in records} == {
        'full_backup_age': 'pass', 'backup_age': 'pass', 'latest_backup_failed': 'pass', 'backup_running_too_long': 'pass',
        'log_backup_active': 'pass', 'log_backup_delay': 'pass', 'log_checkpoint_age': 'pass', 'never_backed_up': 'pass'}
    assert all(set(r) >= {'check', 'cluster', 'tenant', 'status', 'observed', 'threshold', 'message'} for r in records)


@pytest.mark.parametrize('age, status', [(168 * H, 'pass'), (168 * H + 1, 'fail'), (0, 'pass')])
def test_full_backup_age_threshold_is_inclusive(age, status):
    data = {'t1': dict(HEALTHY_DATA, last_full_success={'age_seconds': age})}
    record = by_check(checks(ocp(data=data)))['full_backup_age']
    assert (record['status'], record['observed'], record['threshold']) == (status, age, 168 * H)


@pytest.mark.parametrize('delay, status', [(600, 'pass'), (600.01, 'fail')])
def test_log_delay_boundary(delay, status):
    log = {'t1': dict(HEALTHY_LOG, delay_seconds=delay)}
    assert by_check(checks(ocp(log=log)))['log_backup_delay']['status'] == status


def test_a_tenant_without_any_task_fails_everything_that_needs_data():
    records = by_check(checks(ocp(data={'t1': EMPTY_DATA}, log={'t1': {'status': None, 'active': False}})))
    for check in ('full_backup_age', 'backup_age', 'latest_backup_failed', 'never_backed_up', 'log_backup_active',
                  'log_backup_delay', 'log_checkpoint_age'):
        assert records[check]['status'] == 'fail', check


def test_a_listed_tenant_absent_from_the_results_fails_not_passes():
    records = checks(ocp(tenants=['ghost']))
    assert records and all(r['status'] == 'fail' and r['tenant'] == 'ghost' for r in records if r['check'] != 'backup_running_too_long')
    assert by_check(records, 'ghost')['backup_running_too_long']['status'] == 'fail'


def test_a_failed_query_gives_errors_naming_the_failure():
    records = checks(ocp(data_result={'failed': True, 'msg': 'GET /x failed with HTTP 401'}))
    data_checks = [r for r in records if not r['check'].startswith('log_')]
    assert data_checks and all(r['status'] == 'error' and '401' in r['message'] for r in data_checks)
    assert {r['status'] for r in records if r['check'].startswith('log_')} == {'pass'}


def test_a_query_registered_with_failed_when_false_is_still_an_error():
    records = checks(ocp(data_result={'failed': False, 'changed': False, 'msg': 'GET /x failed with HTTP 503'}))
    assert {r['status'] for r in records if not r['check'].startswith('log_')} == {'error'}


def test_both_queries_failed_and_no_tenant_known_still_reports_errors():
    failed = {'failed': True, 'msg': 'connection refused'}
    records = checks(ocp(data_result=failed, log_result=failed))
    assert records and {r['status'] for r in records} == {'error'}
    assert {r['tenant'] for r in records} == {'*'}


def test_latest_failed_and_running_too_long():
    data = {'t1': dict(HEALTHY_DATA, latest={'task_id': 11, 'status': 'FAILED'}, last_failure={'error_msg': 'disk full'},
                       running=1, oldest_running_age_seconds=25 * H)}
    records = by_check(checks(ocp(data=data)))
    assert records['latest_backup_failed']['status'] == 'fail' and 'disk full' in records['latest_backup_failed']['message']
    assert records['backup_running_too_long']['status'] == 'fail'


def test_gate_policy_backup_running():
    data = {'t1': dict(HEALTHY_DATA, running=1, oldest_running_age_seconds=60)}
    policy = {'backup_running': {'enabled': True}, 'backup_age': {'enabled': False}}
    records = by_check(checks(ocp(data=data), policy))
    assert records['backup_running']['status'] == 'fail'
    assert 'backup_age' not in records


def test_obshell_results():
    results = [
        {'tenant': {'name': 'ok'}, 'found': True,
         'summary': {'status': 'COMPLETED', 'succeeded': True, 'in_progress': False, 'failed': False, 'age_seconds': H, 'encryption_mode': 'NONE'}},
        {'tenant': {'name': 'never'}, 'found': False, 'summary': None},
        {'invocation': {'module_args': {'tenant_name': 'broken'}}, 'failed': True, 'msg': 'wrong password'},
        {'tenant': {'name': 'running'}, 'found': True,
         'summary': {'status': 'DOING', 'succeeded': False, 'in_progress': True, 'failed': False, 'age_seconds': None, 'duration_seconds': 30 * H}},
    ]
    policy = {'encryption_mode': {'enabled': True, 'allowed': ['PASSWORD']}}
    records = checks({'source': 'obshell', 'cluster': 'edge', 'obshell': results, 'tenants': ['ok', 'never', 'broken', 'running', 'lost']}, policy)
    assert by_check(records, 'ok')['backup_age']['status'] == 'pass'
    assert by_check(records, 'ok')['encryption_mode']['status'] == 'fail'
    assert {r['status'] for r in by_check(records, 'never').values()} == {'fail'}
    assert {r['status'] for r in by_check(records, 'broken').values()} == {'error'}
    assert {r['status'] for r in by_check(records, 'lost').values()} == {'error'}
    running = by_check(records, 'running')
    assert running['backup_age']['status'] == 'fail' and running['backup_running_too_long']['status'] == 'fail'
    assert 'full_backup_age' not in by_check(records, 'ok') and 'log_backup_active' not in by_check(records, 'ok')


def test_waivers_apply_expire_and_never_touch_pass_or_error():
    data = {'t1': dict(HEALTHY_DATA, last_full_success={'age_seconds': 200 * H}), 't2': dict(HEALTHY_DATA)}
    log = {'t1': HEALTHY_LOG, 't2': HEALTHY_LOG}
    waiver = {'check': 'full_backup_age', 'tenant': 't1', 'reason': 'migration', 'expires': '2026-12-01'}
    now = '2026-11-23T00:00:00Z'
    record = by_check(checks(ocp(data=data, log=log), {'waivers': [waiver]}, now))['full_backup_age']
    assert record['status'] == 'waived' and record['waiver']['reason'] == 'migration'
    expired = by_check(checks(ocp(data=data, log=log), {'waivers': [waiver]}, '2026-12-02T00:00:00Z'))['full_backup_age']
    assert expired['status'] == 'fail' and 'expired' in expired['message']
    other = by_check(checks(ocp(data=data, log=log), {'waivers': [dict(waiver, tenant='t2')]}, now))['full_backup_age']
    assert other['status'] == 'fail'
    everything = checks(ocp(data=data, log=log), {'waivers': [{'check': '*', 'reason': 'all'}]}, now)
    assert by_check(everything, 't2')['backup_age']['status'] == 'pass'
    errors = checks(ocp(data_result={'failed': True, 'msg': 'x'}, tenants=['t1']), {'waivers': [{'check': '*', 'reason': 'all'}]}, now)
    assert by_check(errors)['backup_age']['status'] == 'error'


def test_custom_checks():
    policy = {'custom': [{'id': 'two_fulls', 'expression': 'data.last_full_success.task_id', 'expected': 7},
                         {'id': 'missing', 'expression': 'data.nothing.here', 'expected': 1}]}
    records = by_check(checks(ocp(), policy))
    assert records['two_fulls']['status'] == 'pass'
    assert records['missing']['status'] == 'fail'
    with pytest.raises(AnsibleFilterError, match='invalid JMESPath'):
        checks(ocp(), {'custom': [{'id': 'bad', 'expression': 'data.[', 'expected': 1}]})


@pytest.mark.parametrize('policy, match', [
    ({'nope': {}}, 'unknown check ids nope'),
    ({'backup_age': {'max_hours': 0}}, 'greater than 0'),
    ({'backup_age': {'max_hours': 'x'}}, 'greater than 0'),
    ({'waivers': [{'check': 'backup_age'}]}, 'needs check and reason'),
    ({'waivers': [{'check': 'backup_age', 'reason': 'r', 'expires': 'soon'}]}, 'not an ISO 8601'),
    ({'custom': [{'id': 'backup_age', 'expression': 'a', 'expected': 1}]}, 'clashes'),
])
def test_bad_policy_names_the_key(policy, match):
    with pytest.raises(AnsibleFilterError, match=match):
        checks(ocp(), policy)


def test_tenant_summaries_of_the_wrong_shape_fail():
    records = checks({'source': 'ocp', 'cluster': 'c', 'tenants': ['t1'], 'ocp_data': {'summary': {'tenants': [{'x': 1}]}},
                      'ocp_log': {'summary': {'tenants': 'junk'}}})
    assert records and {r['status'] for r in records if r['check'] != 'backup_running_too_long'} == {'fail'}


def test_summary_report_and_human():
    records = checks(ocp(data={'t1': EMPTY_DATA}))
    summary = backup_compliance_summary(records)
    assert summary['fail'] >= 4 and sum(summary.values()) == len(records)
    report = backup_compliance_report(records, 'audit', '2026-11-23T00:00:00Z')
    assert report == {'generated_at': '2026-11-23T00:00:00Z', 'mode': 'audit', 'summary': summary, 'checks': records}
    assert human(3725) == '1h 2m' and human(9 * 86400 + 2 * H) == '9d 2h' and human(0) == '0s'


_json = st.recursive(st.none() | st.booleans() | st.integers(-10 ** 6, 10 ** 6) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
_summary_keys = st.fixed_dictionaries({}, optional={
    'total': st.none() | st.integers(0, 5), 'running': st.none() | st.integers(0, 2),
    'latest': st.none() | st.fixed_dictionaries({}, optional={'status': st.none() | st.sampled_from(['DONE', 'FAILED', 'DOING'])}),
    'last_success': st.none() | st.fixed_dictionaries({}, optional={'age_seconds': st.none() | st.integers(0, 10 ** 6)}),
    'last_full_success': st.none() | st.fixed_dictionaries({}, optional={'age_seconds': st.none() | st.integers(0, 10 ** 6)}),
    'oldest_running_age_seconds': st.none() | st.integers(0, 10 ** 6),
    'status': st.none() | st.sampled_from(['RUNNING', 'INTERRUPTED']), 'active': st.none() | st.booleans(),
    'delay_seconds': st.none() | st.floats(0, 10 ** 5), 'checkpoint_age_seconds': st.none() | st.integers(0, 10 ** 5),
})


@settings(max_examples=200, deadline=None)
@given(data=st.none() | st.dictionaries(st.sampled_from(['t1', 't2', 'sys']), _summary_keys | _json, max_size=3),
       log=st.none() | st.dictionaries(st.sampled_from(['t1', 't2']), _summary_keys | _json, max_size=2),
       tenants=st.none() | st.lists(st.sampled_from(['t1', 't2', 'ghost']), max_size=2, unique=True))
def test_property_missing_data_never_passes(data, log, tenants):
    gathered = {'source': 'ocp', 'cluster': 'c', 'tenants': tenants, 'ocp_data': {'summary': {'tenants': data}},
                'ocp_log': {'summary': {'tenants': log}}}
    try:
        records = checks(gathered)
    except AnsibleFilterError:
        return
    needs = {'full_backup_age': ('last_full_success', 'age_seconds'), 'backup_age': ('last_success', 'age_seconds'),
             'latest_backup_failed': ('latest', 'status'), 'log_backup_delay': ('delay_seconds',), 'log_checkpoint_age': ('checkpoint_age_seconds',)}
    for record in records:
        if record['status'] != 'pass' or record['check'] not in needs:
            continue
        source = (log if record['check'].startswith('log_') else data) or {}
        value = source.get(record['tenant'])
        for key in needs[record['check']]:
            value = value.get(key) if isinstance(value, dict) else None
        assert value is not None, record


@settings(max_examples=100, deadline=None)
@given(_json)
def test_property_arbitrary_input_raises_only_filter_errors(junk):
    for gathered in ({'source': 'ocp', 'ocp_data': junk, 'ocp_log': junk}, {'source': 'obshell', 'obshell': [junk]}, junk):
        try:
            checks(gathered)
        except AnsibleFilterError:
            pass
