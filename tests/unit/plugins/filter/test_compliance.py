# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The compliance filters: every check at its threshold and one second over, missing data, failed queries,
tenant selection, custom JMESPath checks, waivers, policy validation, summary and report; and properties."""

from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import math
import pathlib
import re
import sys

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Loaded from its file so that plain pytest in a checkout and ansible-test units both find it.
_PATH = pathlib.Path(__file__).resolve().parents[4] / 'plugins' / 'filter' / 'compliance.py'
_SPEC = importlib.util.spec_from_file_location('oceanbase_backup_filter_compliance', str(_PATH))
compliance = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(compliance)
checks = compliance.backup_compliance_checks
summary_of = compliance.backup_compliance_summary
report_of = compliance.backup_compliance_report

H = 3600
D = 86400
NOW = '2026-11-23T00:00:00Z'
OCP_CHECKS = ['backup_age', 'backup_running_too_long', 'full_backup_age', 'latest_backup_failed', 'log_backup_active',
              'log_backup_delay', 'log_checkpoint_age', 'never_backed_up']
OBSHELL_CHECKS = ['backup_age', 'backup_running_too_long', 'latest_backup_failed', 'never_backed_up']
RECORD_KEYS = {'check', 'cluster', 'tenant', 'source', 'status', 'observed', 'threshold', 'message'}
GATE_POLICY = {
    'full_backup_age': {'enabled': True, 'max_hours': 24},
    'backup_age': {'enabled': False},
    'latest_backup_failed': {'enabled': False},
    'backup_running_too_long': {'enabled': False},
    'backup_running': {'enabled': True},
    'log_backup_active': {'enabled': True},
    'log_backup_delay': {'enabled': True, 'max_seconds': 60},
    'log_checkpoint_age': {'enabled': False},
    'never_backed_up': {'enabled': False},
    'encryption_mode': {'enabled': False},
}


def data_summary(**changes):
    """A healthy per-tenant data summary as ocp_data_backup_tasks_info gives it."""
    summary = {
        'total': 10, 'by_status': {'DONE': 10},
        'latest': {'task_id': 9, 'status': 'DONE', 'type': 'INCREMENTAL_BACKUP', 'start_time': '2026-11-22T21:00:00Z',
                   'finish_time': '2026-11-22T22:00:00Z'},
        'last_success': {'task_id': 9, 'backup_set_id': 19, 'type': 'INCREMENTAL_BACKUP', 'finish_time': '2026-11-22T22:00:00Z',
                         'age_seconds': 2 * H},
        'last_full_success': {'task_id': 7, 'backup_set_id': 17, 'type': 'FULL_BACKUP', 'finish_time': '2026-11-21T00:00:00Z',
                              'age_seconds': 2 * D},
        'last_failure': None, 'running': 0, 'oldest_running_age_seconds': None,
    }
    summary.update(changes)
    return summary


def log_summary(**changes):
    summary = {'status': 'DOING', 'active': True, 'delay_seconds': 12.5, 'checkpoint': '2026-11-22T23:59:40Z', 'checkpoint_age_seconds': 20}
    summary.update(changes)
    return summary


NO_TASK_DATA = {'total': 0, 'by_status': {}, 'latest': None, 'last_success': None, 'last_full_success': None, 'last_failure': None,
                'running': 0, 'oldest_running_age_seconds': None}
NO_TASK_LOG = {'status': None, 'active': False, 'delay_seconds': None, 'checkpoint': None, 'checkpoint_age_seconds': None}


def result(kind, tenants):
    """A registered cluster-endpoint result of an OCP info module."""
    return {'changed': False, 'failed': False, 'cluster': {'id': 1, 'name': 'c1'}, 'tenant': None, 'queried_at': NOW,
            'summary': {'total': 1, 'tenants': tenants}, 'invocation': {'module_args': {'return_tasks': False, 'kind': kind}}}


_HEALTHY = object()


def ocp(data=None, log=None, tenants=None, cluster='c1', data_result=_HEALTHY, log_result=_HEALTHY):
    data = {'t1': data_summary(), 'sys': data_summary()} if data is None else data
    log = {'t1': log_summary(), 'sys': log_summary()} if log is None else log
    return {'source': 'ocp', 'cluster': cluster, 'tenants': tenants,
            'ocp_data': result('data', data) if data_result is _HEALTHY else data_result,
            'ocp_log': result('log', log) if log_result is _HEALTHY else log_result}


def overview(name, **summary_changes):
    """A registered obshell_tenant_backup_overview result (loop item) of a completed latest task."""
    summary = {'status': 'COMPLETED', 'succeeded': True, 'in_progress': False, 'failed': False, 'result': 0, 'age_seconds': 2 * H,
               'duration_seconds': 600, 'progress': {'finished': 5, 'total': 5, 'percent': 100.0}, 'encryption_mode': 'PASSWORD',
               'backup_set_id': 3}
    summary.update(summary_changes)
    return {'changed': False, 'failed': False, 'found': True, 'item': name, 'tenant': {'name': name},
            'backup_task': {'status': summary['status'], 'comment': '', 'end_timestamp': '2026-11-22T22:00:00Z'},
            'summary': summary, 'agent': {'version': '4.2.4.0', 'identity': 'CLUSTER AGENT'}}


def never(name):
    return {'changed': False, 'failed': False, 'found': False, 'item': name, 'tenant': {'name': name}, 'backup_task': None, 'summary': None}


def obshell(*results, tenants=None, cluster='edge'):
    return {'source': 'obshell', 'cluster': cluster, 'tenants': tenants, 'obshell': list(results)}


def by_check(records, tenant='t1'):
    found = {}
    for record in records:
        if record['tenant'] == tenant:
            assert record['check'] not in found, 'duplicate record %r' % record
            found[record['check']] = record
    return found


def one(gathered, check, policy=None, tenant='t1', now=None):
    return by_check(checks(gathered, policy, now), tenant)[check]


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


def test_default_thresholds_are_the_audit_defaults_in_seconds():
    records = by_check(checks(ocp()))
    assert {check: records[check]['threshold'] for check in ('full_backup_age', 'backup_age', 'backup_running_too_long',
                                                             'log_backup_delay', 'log_checkpoint_age')} == {
        'full_backup_age': 168 * H, 'backup_age': 26 * H, 'backup_running_too_long': 24 * H, 'log_backup_delay': 600, 'log_checkpoint_age': 900}
    assert compliance.AUDIT_POLICY['backup_running'] == {'enabled': False}
    assert compliance.AUDIT_POLICY['encryption_mode']['enabled'] is False


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


def test_a_listed_tenant_absent_from_the_results_fails_everything():
    records = checks(ocp(tenants=['ghost']))
    assert sorted(r['check'] for r in records) == OCP_CHECKS
    assert {(r['tenant'], r['status']) for r in records} == {('ghost', 'fail')}
    assert 'tenant ghost is not in the data backup results of cluster c1' in by_check(records, 'ghost')['backup_age']['message']
    assert 'tenant ghost is not in the log backup results' in by_check(records, 'ghost')['log_backup_delay']['message']


def test_a_tenant_missing_from_the_log_results_only_fails_the_log_checks():
    records = by_check(checks(ocp(log={'other': log_summary()}, tenants=['t1'])))
    assert {c: r['status'] for c, r in records.items() if c.startswith('log_')} == dict.fromkeys(
        ['log_backup_active', 'log_backup_delay', 'log_checkpoint_age'], 'fail')
    assert {r['status'] for c, r in records.items() if not c.startswith('log_')} == {'pass'}


def test_a_tenant_summary_that_is_not_a_dict_fails():
    records = by_check(checks(ocp(data={'t1': [1, 2]}, log={'t1': 'junk'})))
    assert {r['status'] for r in records.values()} == {'fail'}
    assert 'is not a dict' in records['backup_age']['message']


def test_a_failed_data_query_gives_errors_naming_it_and_log_checks_still_run():
    failed = {'failed': True, 'changed': False, 'msg': 'GET /api/v2/ob/clusters/1/backup/dataBackupTasks failed: HTTP 401, traceId abc'}
    records = checks(ocp(data_result=failed))
    data_checks = [r for r in records if not r['check'].startswith('log_')]
    assert {r['tenant'] for r in records} == {'t1'}
    assert data_checks and {r['status'] for r in data_checks} == {'error'}
    assert all(r['message'] == 'the data backup query failed: ' + failed['msg'] for r in data_checks)
    assert {r['status'] for r in records if r['check'].startswith('log_')} == {'pass'}


@pytest.mark.parametrize('bad, text', [
    ({'failed': False, 'changed': False, 'msg': 'HTTP 503'}, 'the log backup query failed: HTTP 503'),
    ({'failed': True}, 'the log backup query failed: no message'),
    ({'skipped': True, 'changed': False}, 'the log backup query was skipped'),
    (None, 'no log backup result was gathered'),
    ('oops', 'no log backup result was gathered'),
    ({'summary': {'total': 3}}, 'no per-tenant summary'),
    ({'summary': None}, 'no per-tenant summary'),
])
def test_unusable_log_results_are_errors(bad, text):
    records = checks(ocp(log_result=bad))
    log_checks = [r for r in records if r['check'].startswith('log_')]
    assert len(log_checks) == 3 and {r['status'] for r in log_checks} == {'error'}
    assert all(text in r['message'] for r in log_checks)
    assert {r['status'] for r in records if not r['check'].startswith('log_')} == {'pass'}


def test_both_queries_failed_and_no_tenant_known_still_reports_errors_for_tenant_star():
    failed = {'failed': True, 'msg': 'connection refused'}
    records = checks(ocp(data_result=failed, log_result=failed))
    assert sorted(r['check'] for r in records) == OCP_CHECKS
    assert {(r['tenant'], r['status']) for r in records} == {('*', 'error')}


def test_a_failed_query_with_listed_tenants_reports_errors_for_each_of_them():
    failed = {'failed': True, 'msg': 'timeout'}
    records = checks(ocp(data_result=failed, log_result=failed, tenants=['a', 'b']))
    assert {(r['tenant'], r['status']) for r in records} == {('a', 'error'), ('b', 'error')}


def test_a_cluster_with_only_sys_gives_no_records():
    assert checks(ocp(data={'sys': data_summary()}, log={'sys': log_summary()})) == []


# ---------------------------------------------------------------------------------------------------------------
# Tenant selection


def test_tenant_list_selects_and_orders_and_may_name_sys():
    data = {'a': data_summary(), 'b': data_summary(), 'sys': data_summary()}
    log = {'a': log_summary(), 'b': log_summary(), 'sys': log_summary()}
    assert {r['tenant'] for r in checks(ocp(data=data, log=log))} == {'a', 'b'}
    assert {r['tenant'] for r in checks(ocp(data=data, log=log, tenants=['b']))} == {'b'}
    assert {r['tenant'] for r in checks(ocp(data=data, log=log, tenants=['sys', 'b', 'b']))} == {'sys', 'b'}
    assert len(checks(ocp(data=data, log=log, tenants=['b', 'b']))) == len(OCP_CHECKS)
    assert {r['tenant'] for r in checks(ocp(data=data, log=log, tenants=[]))} == {'a', 'b'}


def test_tenants_seen_only_in_one_result_are_evaluated():
    records = checks(ocp(data={'a': data_summary()}, log={'b': log_summary()}))
    assert {r['tenant'] for r in records} == {'a', 'b'}
    assert by_check(records, 'a')['log_backup_active']['status'] == 'fail'
    assert by_check(records, 'b')['backup_age']['status'] == 'fail'


def test_records_are_sorted_by_cluster_tenant_check():
    data = {'zeta': data_summary(), 'alpha': data_summary()}
    log = {'zeta': log_summary(), 'alpha': log_summary()}
    records = checks(ocp(data=data, log=log), {'custom': [{'id': 'aaa', 'expression': 'tenant', 'expected': 'x'}]})
    keys = [(r['cluster'], r['tenant'], r['check']) for r in records]
    assert keys == sorted(keys) and keys[0] == ('c1', 'alpha', 'aaa')


@pytest.mark.parametrize('tenants', ['t1', {'t1': 1}, 5])
def test_tenants_of_the_wrong_type_are_rejected(tenants):
    with pytest.raises(AnsibleFilterError, match='gathered.tenants must be a list'):
        checks(ocp(tenants=tenants))


@pytest.mark.parametrize('gathered, match', [
    ({'source': 'ocpx'}, "gathered.source must be 'ocp' or 'obshell'"),
    ({}, "gathered.source must be 'ocp' or 'obshell'"),
    ([1], 'expects a dict'),
    ({'source': 'obshell', 'obshell': {'tenant': 1}}, 'gathered.obshell must be the list'),
])
def test_gathered_of_the_wrong_shape_is_rejected(gathered, match):
    with pytest.raises(AnsibleFilterError, match=match):
        checks(gathered)


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


def test_obshell_failed_and_missing_overviews_are_errors():
    broken = {'failed': False, 'changed': False, 'item': 'broken', 'invocation': {'module_args': {'tenant_name': 'broken'}},
              'msg': 'obshell rejected obshell_root_password: GET /api/v1/tenant/broken/backup/overview HTTP 401'}
    records = checks(obshell(overview('ok'), broken, tenants=['ok', 'broken', 'lost']))
    assert {r['status'] for r in by_check(records, 'ok').values()} == {'pass'}
    assert {r['status'] for r in by_check(records, 'broken').values()} == {'error'}
    assert by_check(records, 'broken')['backup_age']['message'] == 'the obshell backup overview query failed: ' + broken['msg']
    lost = by_check(records, 'lost')
    assert sorted(lost) == OBSHELL_CHECKS and {r['status'] for r in lost.values()} == {'error'}
    assert lost['never_backed_up']['message'] == 'no obshell backup overview was gathered for this tenant'


def test_obshell_tenant_name_comes_from_the_invocation_or_the_loop_item():
    by_invocation = {'failed': True, 'msg': 'x', 'invocation': {'module_args': {'tenant_name': 'inv'}}}
    by_item = {'failed': True, 'msg': 'x', 'item': 'itm'}
    assert {r['tenant'] for r in checks(obshell(by_invocation, by_item))} == {'inv', 'itm'}


def test_obshell_tenants_select_results_and_null_leaves_sys_out():
    results = [overview('a'), overview('b'), overview('sys')]
    assert {r['tenant'] for r in checks(obshell(*results))} == {'a', 'b'}
    assert {r['tenant'] for r in checks(obshell(*results, tenants=['b']))} == {'b'}
    assert {r['tenant'] for r in checks(obshell(*results, tenants=['sys']))} == {'sys'}


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
# Custom checks


def test_custom_checks_match_mismatch_and_null():
    policy = {'custom': [
        {'id': 'full_set', 'description': 'last full backup set', 'expression': 'data.last_full_success.backup_set_id', 'expected': 17},
        {'id': 'full_type', 'expression': 'data.last_full_success.type', 'expected': 'FULL'},
        {'id': 'missing', 'expression': 'data.nothing.here', 'expected': 1},
        {'id': 'log_state', 'expression': "log.status == 'DOING' && tenant == 't1'", 'expected': True},
        {'id': 'source', 'expression': '[source, cluster]', 'expected': ['ocp', 'c1']},
    ]}
    records = by_check(checks(ocp(), policy))
    assert (records['full_set']['status'], records['full_set']['observed'], records['full_set']['threshold']) == ('pass', 17, 17)
    assert records['full_set']['message'] == 'last full backup set: observed 17, expected 17'
    assert (records['full_type']['status'], records['full_type']['observed']) == ('fail', 'FULL_BACKUP')
    assert (records['missing']['status'], records['missing']['observed']) == ('fail', None)
    assert 'found no data' in records['missing']['message']
    assert records['log_state']['status'] == 'pass' and records['source']['status'] == 'pass'


def test_custom_checks_see_the_obshell_overview():
    policy = {'custom': [{'id': 'set', 'expression': 'obshell.summary.backup_set_id', 'expected': 3},
                         {'id': 'no_ocp', 'expression': 'data', 'expected': None}]}
    records = by_check(checks(obshell(overview('t1')), policy))
    assert records['set']['status'] == 'pass'
    assert records['no_ocp']['status'] == 'fail'


@pytest.mark.parametrize('expected, status', [(True, 'pass'), (1, 'fail'), ('true', 'fail')])
def test_custom_true_is_not_one(expected, status):
    policy = {'custom': [{'id': 'active', 'expression': 'log.active', 'expected': expected}]}
    assert one(ocp(), 'active', policy)['status'] == status


def test_custom_zero_is_not_false():
    policy = {'custom': [{'id': 'running', 'expression': 'data.running', 'expected': False}]}
    assert one(ocp(), 'running', policy)['status'] == 'fail'


def test_custom_expression_failing_on_this_tenants_data_fails_the_record():
    policy = {'custom': [{'id': 'n', 'expression': 'length(data.last_failure)', 'expected': 0}]}
    record = one(ocp(), 'n', policy)
    assert record['status'] == 'fail' and 'cannot be evaluated' in record['message']


def test_custom_null_after_a_failed_query_is_an_error_but_available_data_still_counts():
    policy = {'custom': [{'id': 'needs_data', 'expression': 'data.total', 'expected': 10},
                         {'id': 'needs_log', 'expression': 'log.status', 'expected': 'DOING'}]}
    records = by_check(checks(ocp(data_result={'failed': True, 'msg': 'HTTP 500'}), policy))
    assert records['needs_data']['status'] == 'error' and 'HTTP 500' in records['needs_data']['message']
    assert records['needs_log']['status'] == 'pass'


def test_invalid_custom_expression_is_a_policy_error_even_without_tenants():
    with pytest.raises(AnsibleFilterError, match=r"policy.custom\[0\] \(bad\): invalid JMESPath expression 'data.\['"):
        checks(ocp(data={}, log={}), {'custom': [{'id': 'bad', 'expression': 'data.[', 'expected': 1}]})


def test_custom_checks_without_jmespath_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, 'jmespath', None)
    with pytest.raises(AnsibleFilterError, match='pip install jmespath'):
        checks(ocp(), {'custom': [{'id': 'x', 'expression': 'data.total', 'expected': 1}]})
    assert len(checks(ocp())) == len(OCP_CHECKS)


# ---------------------------------------------------------------------------------------------------------------
# Waivers


def stale():
    return ocp(data={'t1': data_summary(last_full_success={'age_seconds': 200 * H}), 't2': data_summary()},
               log={'t1': log_summary(), 't2': log_summary()})


WAIVER = {'check': 'full_backup_age', 'tenant': 't1', 'reason': 'CHG-1234 storage migration', 'expires': '2026-12-01'}


def test_a_waiver_turns_a_fail_into_waived_and_says_why():
    record = one(stale(), 'full_backup_age', {'waivers': [WAIVER]}, now=NOW)
    assert record['status'] == 'waived'
    assert record['waiver'] == {'reason': 'CHG-1234 storage migration', 'expires': '2026-12-01'}
    assert record['message'].endswith('(waived until 2026-12-01: CHG-1234 storage migration)')
    assert record['observed'] == 200 * H and set(record) == RECORD_KEYS | {'waiver'}


@pytest.mark.parametrize('changes', [{'tenant': 't2'}, {'check': 'backup_age'}, {'cluster': 'other'}])
def test_a_waiver_for_something_else_does_not_apply(changes):
    record = one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, **changes)]}, now=NOW)
    assert record['status'] == 'fail' and 'waiver' not in record and 'waive' not in record['message']


@pytest.mark.parametrize('changes', [{'cluster': 'c1'}, {'cluster': '*'}, {'tenant': '*'}, {'check': '*'}])
def test_a_waiver_matches_by_cluster_and_wildcards(changes):
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, **changes)]}, now=NOW)['status'] == 'waived'


@pytest.mark.parametrize('expires, now, status', [
    ('2026-12-01', '2026-12-01T23:59:59Z', 'waived'),
    ('2026-12-01', '2026-12-02T00:00:00Z', 'fail'),
    ('2026-12-01T12:00:00Z', '2026-12-01T11:59:59Z', 'waived'),
    ('2026-12-01T12:00:00Z', '2026-12-01T12:00:00Z', 'fail'),
    ('2026-12-01T20:00:00+08:00', '2026-12-01T11:59:59Z', 'waived'),
    ('2026-12-01T20:00:00+08:00', '2026-12-01T12:00:01+00:00', 'fail'),
    ('2026-12-01T12:00:00', '2026-12-01T11:59:59Z', 'waived'),
    (datetime.date(2026, 12, 1), '2026-12-01T23:00:00Z', 'waived'),
    (datetime.date(2026, 12, 1), '2026-12-02T00:00:01Z', 'fail'),
    (None, '2099-01-01T00:00:00Z', 'waived'),
])
def test_waiver_expiry(expires, now, status):
    record = one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires=expires)]}, now=now)
    assert record['status'] == status
    if status == 'fail':
        assert 'waiver expired %s: CHG-1234' % (expires.isoformat() if isinstance(expires, datetime.date) else expires) in record['message']
    else:
        assert record['waiver']['expires'] == (expires.isoformat() if isinstance(expires, datetime.date) else expires)
        json.dumps(record)


def test_now_may_be_a_datetime():
    moment = datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc)
    assert one(stale(), 'full_backup_age', {'waivers': [WAIVER]}, now=moment)['status'] == 'fail'


def test_an_expired_waiver_does_not_hide_a_valid_one():
    waivers = [dict(WAIVER, expires='2020-01-01', reason='old'), dict(WAIVER, expires='2099-01-01', reason='new')]
    record = one(stale(), 'full_backup_age', {'waivers': waivers}, now=NOW)
    assert record['status'] == 'waived' and record['waiver']['reason'] == 'new'


def test_waivers_never_touch_pass_or_error():
    waivers = [{'check': '*', 'tenant': '*', 'reason': 'everything'}]
    records = checks(stale(), {'waivers': waivers}, NOW)
    assert {r['status'] for r in by_check(records, 't2').values()} == {'pass'}
    assert by_check(records, 't1')['full_backup_age']['status'] == 'waived'
    errors = checks(ocp(data_result={'failed': True, 'msg': 'HTTP 502'}, tenants=['t1']), {'waivers': waivers}, NOW)
    assert {r['status'] for r in errors if not r['check'].startswith('log_')} == {'error'}
    assert not any('waiver' in r for r in errors if r['status'] != 'waived')


def test_a_waiver_for_a_custom_check():
    policy = {'custom': [{'id': 'typed', 'expression': 'data.latest.type', 'expected': 'FULL_BACKUP'}],
              'waivers': [{'check': 'typed', 'tenant': 't1', 'reason': 'incrementals this week'}]}
    assert one(ocp(), 'typed', policy, now=NOW)['status'] == 'waived'


def test_the_waiver_clock_defaults_to_now():
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires='2000-01-01')]})['status'] == 'fail'
    assert one(stale(), 'full_backup_age', {'waivers': [dict(WAIVER, expires='2999-01-01')]})['status'] == 'waived'


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
    with pytest.raises(AnsibleFilterError, match=match):
        checks(ocp(), policy)


def test_bad_policy_fails_even_when_there_is_nothing_to_evaluate():
    with pytest.raises(AnsibleFilterError, match='unknown check id'):
        checks(ocp(data={}, log={}), {'nope': {}})


def test_bad_now_is_rejected():
    with pytest.raises(AnsibleFilterError, match="now: 'yesterday' is not an ISO 8601"):
        checks(ocp(), None, 'yesterday')


def test_the_policy_is_not_modified():
    policy = {'backup_age': {'max_hours': 2}, 'waivers': [dict(WAIVER)], 'custom': [{'id': 'x', 'expression': 'tenant', 'expected': 't1'}]}
    before = copy.deepcopy(policy)
    checks(stale(), policy, NOW)
    assert policy == before


# ---------------------------------------------------------------------------------------------------------------
# Summary and report


def test_summary_counts_every_status():
    records = checks(stale(), {'waivers': [WAIVER], 'custom': [{'id': 'x', 'expression': 'data.nothing', 'expected': 1}]}, NOW)
    records += checks(ocp(data_result={'failed': True, 'msg': 'x'}, cluster='c2'))
    counts = summary_of(records)
    assert list(counts) == ['pass', 'fail', 'waived', 'error']
    assert counts == {status: sum(1 for r in records if r['status'] == status) for status in ('pass', 'fail', 'waived', 'error')}
    assert counts['waived'] == 1 and counts['error'] == 5 and counts['fail'] == 2
    assert summary_of([]) == {'pass': 0, 'fail': 0, 'waived': 0, 'error': 0}


@pytest.mark.parametrize('records', [[{'status': 'ok'}], [None], 'pass', {'status': 'pass'}])
def test_summary_rejects_what_is_not_a_record_list(records):
    with pytest.raises(AnsibleFilterError, match='check record|list of check records'):
        summary_of(records)


def test_report_shape():
    merged = checks(ocp(cluster='zz')) + checks(stale())
    report = report_of(merged, 'audit', '2026-11-23T00:00:00Z')
    assert list(report) == ['generated_at', 'mode', 'summary', 'checks']
    assert report['generated_at'] == '2026-11-23T00:00:00Z' and report['mode'] == 'audit'
    assert report['summary'] == summary_of(merged)
    assert [r['cluster'] for r in report['checks']][0] == 'c1' and report['checks'][-1]['cluster'] == 'zz'
    assert sorted(map(json.dumps, report['checks'])) == sorted(map(json.dumps, merged))
    json.dumps(report)


def test_report_defaults_generated_at_to_utc_now():
    report = report_of([], 'gate')
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', report['generated_at'])
    moment = datetime.datetime.strptime(report['generated_at'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - moment).total_seconds()) < 60
    assert report['summary'] == {'pass': 0, 'fail': 0, 'waived': 0, 'error': 0} and report['checks'] == []


@pytest.mark.parametrize('mode, generated_at, match', [('check', None, 'mode must be audit or gate'), ('audit', 5, 'generated_at must be')])
def test_report_rejects_bad_arguments(mode, generated_at, match):
    with pytest.raises(AnsibleFilterError, match=match):
        report_of([], mode, generated_at)


def test_filter_module_exposes_the_three_filters():
    assert compliance.FilterModule().filters() == {
        'backup_compliance_checks': checks, 'backup_compliance_summary': summary_of, 'backup_compliance_report': report_of}


@pytest.mark.parametrize('seconds, text', [
    (0, '0s'), (12.5, '12.5s'), (59, '59s'), (60, '1m'), (3725, '1h 2m'), (9 * D + 2 * H + 13, '9d 2h'), (7 * D + 1, '7d'),
    (D + 59, '1d'), (-90, '-1m 30s'), (None, 'unknown'), (0.004, '0s'),
])
def test_human(seconds, text):
    assert compliance.human(seconds) == text


# ---------------------------------------------------------------------------------------------------------------
# Properties


_keys = st.sampled_from(['summary', 'tenants', 't1', 'sys', 'failed', 'found', 'msg', 'status', 'age_seconds', 'x']) | st.text(max_size=6)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 20, 10 ** 20) | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=15)
_number = st.none() | st.integers(-10, 10 ** 7) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans() | st.text(max_size=3)
_status = st.none() | st.sampled_from(['DONE', 'FAILED', 'failed', 'DOING', 'RUNNING', 'STOPPED', 'COMPLETED', 'CANCELED', '']) | st.integers()
_flag = st.none() | st.booleans() | st.integers(0, 1) | st.text(max_size=3)
_age_holder = st.none() | _json | st.fixed_dictionaries({}, optional={'task_id': st.integers(0, 5), 'age_seconds': _number})
_data = st.fixed_dictionaries({}, optional={
    'total': _number, 'running': _number, 'oldest_running_age_seconds': _number, 'last_success': _age_holder, 'last_full_success': _age_holder,
    'latest': st.none() | st.fixed_dictionaries({}, optional={'task_id': st.integers(0, 5), 'status': _status}) | _json,
    'last_failure': st.none() | _json})
_log = st.fixed_dictionaries({}, optional={'status': _status, 'active': _flag, 'delay_seconds': _number, 'checkpoint_age_seconds': _number})
_ocp_result = st.one_of(
    st.fixed_dictionaries({'summary': st.fixed_dictionaries({}, optional={'tenants': st.none() | _json | st.dictionaries(
        st.sampled_from(['t1', 't2', 'sys']), st.none() | _json | _data | _log, max_size=3)})}),
    st.fixed_dictionaries({'failed': st.booleans(), 'msg': st.text(max_size=5)}),
    _json)
_obshell_result = st.one_of(
    st.fixed_dictionaries({'item': st.sampled_from(['t1', 't2', 'sys']), 'found': _flag, 'summary': st.none() | _json | st.fixed_dictionaries({}, optional={
        'status': _status, 'succeeded': _flag, 'in_progress': _flag, 'failed': _flag, 'age_seconds': _number, 'duration_seconds': _number,
        'encryption_mode': st.none() | st.sampled_from(['PASSWORD', 'NONE', 'Password Encryption']) | st.integers()})}),
    st.fixed_dictionaries({'item': st.sampled_from(['t1', 't2']), 'failed': st.booleans(), 'msg': st.text(max_size=5)}),
    _json)
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
    return _num(value) is not None and value <= threshold


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


@settings(max_examples=200, deadline=None)
@given(junk=_json, policy=_json | st.none())
def test_property_arbitrary_input_raises_only_filter_errors(junk, policy):
    for gathered in ({'source': 'ocp', 'ocp_data': junk, 'ocp_log': junk, 'tenants': junk}, {'source': 'obshell', 'obshell': [junk]},
                     {'source': 'obshell', 'obshell': junk}, junk):
        for pol in (None, policy, {'waivers': junk}, {'custom': junk}, {'backup_age': junk}):
            try:
                records = checks(gathered, pol, NOW)
            except AnsibleFilterError:
                continue
            assert all(r['status'] != 'pass' or r['observed'] is not None for r in records if r['check'] != 'never_backed_up')
    for records in (junk, [junk]):
        try:
            report_of(records, 'audit')
        except AnsibleFilterError:
            pass


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
