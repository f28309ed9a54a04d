# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Gathered results -> TenantState: tenant selection, failed or unusable queries as errors, tenants missing from the
results, and gathered input of the wrong shape."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import tenant_states
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    OBSHELL_CHECKS, OCP_CHECKS, checks, by_check, data_summary, log_summary, obshell, ocp, overview)


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
    with pytest.raises(ComplianceError, match='gathered.tenants must be a list'):
        checks(ocp(tenants=tenants))


@pytest.mark.parametrize('gathered, match', [
    ({'source': 'ocpx'}, "gathered.source must be 'ocp' or 'obshell'"),
    ({}, "gathered.source must be 'ocp' or 'obshell'"),
    ([1], 'expects a dict'),
    ({'source': 'obshell', 'obshell': {'tenant': 1}}, 'gathered.obshell must be the list'),
])
def test_gathered_of_the_wrong_shape_is_rejected(gathered, match):
    with pytest.raises(ComplianceError, match=match):
        checks(gathered)


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


# ---------------------------------------------------------------------------------------------------------------
# TenantState


def test_each_source_gives_its_states_and_only_those():
    ocp_tenant = tenant_states(ocp())[0]
    assert (ocp_tenant.name, ocp_tenant.given) == ('t1', {'data', 'log'})
    assert ocp_tenant.data['total'] == 10 and ocp_tenant.overview is None and not ocp_tenant.errors and not ocp_tenant.problems
    obshell_tenant = tenant_states(obshell(overview('t1')))[0]
    assert obshell_tenant.given == {'overview'} and set(obshell_tenant.overview) == {'found', 'summary', 'backup_task'}


def test_a_failed_query_and_a_missing_tenant_are_kept_per_state():
    tenant = tenant_states(ocp(data_result={'failed': True, 'msg': 'HTTP 401'}, log={'other': log_summary()}, tenants=['t1']))[0]
    assert tenant.given == {'data', 'log'} and tenant.data is None and tenant.log is None
    assert tenant.errors == {'data': 'the data backup query failed: HTTP 401'}
    assert tenant.problems == {'log': 'tenant t1 is not in the log backup results of cluster c1 (no such tenant?)'}
    assert tenant.error() == 'the data backup query failed: HTTP 401'


def test_the_facts_custom_checks_see():
    facts = tenant_states(obshell(overview('t1')))[0].facts()
    assert set(facts) == {'source', 'cluster', 'tenant', 'data', 'log', 'obshell', 'policy', 'restore'}
    assert (facts['source'], facts['cluster'], facts['tenant'], facts['data']) == ('obshell', 'edge', 't1', None)
    assert facts['obshell']['summary']['backup_set_id'] == 3
