# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP backup strategies and restore tasks against the simulator over real HTTP: the schedule arithmetic, the three
ways OCP says "no strategy", restores attributed by their source fields, paging, and unknown statuses."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, NameResolutionError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_strategy import (
    collect_strategy, match_strategies, max_gap, read_strategies, strategy_path, tenant_summary)
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import RESTORE_TASKS, collect_tasks
from ansible_collections.oceanbase.backup.plugins.module_utils._restore_summary import RestoreOutcomes, RestoreSummary
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_tasks import params
from obsim.testing import ocp_doc, running_simulator

NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=timezone.utc)
WEEKLY = {'mode': 'WEEK', 'days': {'1': 'FULL_BACKUP', '4': 'INCREMENTAL_BACKUP'}, 'retention_days': 30}


@pytest.mark.parametrize('days, period, expected', [
    ([1], 7, 7), ([1, 4], 7, 4), ([2, 6], 7, 4), ([7], 7, 7), ([1, 2, 3, 4, 5, 6, 7], 7, 1),
    ([1], 31, 31), ([1, 15], 31, 17), ([28], 31, 31), ([], 7, None),
])
def test_longest_gap_wraps_around_the_period(days, period, expected):
    assert max_gap(days, period) == expected


def strategy(mode, days, **config):
    base = {'backupScheduleMode': mode, 'backupScheduleEnabled': True, 'dayAndDataBackupModelMap': days}
    base.update(config)
    return {'tenantId': 12, 'obBackupScheduleConfig': base}


def test_month_schedule_with_one_full_is_a_31_day_gap():
    warnings = []
    summary = tenant_summary(strategy('MONTH', {'1': 'FULL_BACKUP', '8': 'INCREMENTAL_BACKUP', '15': 'INCREMENTAL_BACKUP'}), warnings.append)
    assert (summary['full_backup_days'], summary['incremental_backup_days'], summary['max_days_between_full']) == ([1], [8, 15], 31)
    assert warnings == []


def test_days_outside_the_mode_and_unknown_kinds_warn_and_do_not_count():
    warnings = []
    summary = tenant_summary(strategy('WEEK', {'1': 'FULL_BACKUP', '9': 'FULL_BACKUP', 'x': 'FULL_BACKUP', '3': 'SNAPSHOT'}), warnings.append)
    assert summary['full_backup_days'] == [1] and summary['max_days_between_full'] == 7
    assert len(warnings) == 3


def test_unknown_mode_gives_no_interval():
    summary = tenant_summary(strategy('DAILY', {'1': 'FULL_BACKUP'}), lambda message: None)
    assert summary['configured'] is True and summary['max_days_between_full'] is None


def test_flags_are_strict():
    summary = tenant_summary(strategy('WEEK', {'1': 'FULL_BACKUP'}, backupScheduleEnabled='yes', startLogBackup='true',
                                      backupDataRetentionDays='-3'), lambda message: None)
    assert summary['schedule_enabled'] is False and summary['log_backup'] is True and summary['retention_days'] is None


def fleet(sim):
    sim.add_cluster(1, 'prod', tenants=[
        {'id': 11, 'name': 'app', 'backup_strategy': WEEKLY},
        {'id': 12, 'name': 'crm', 'backup_strategy': {'mode': 'MONTH', 'days': {'1': 'FULL_BACKUP'}, 'enabled': False}},
        {'id': 13, 'name': 'hr'},
    ])


@pytest.mark.parametrize('answer', ['error', 'null', 'empty'])
def test_no_strategy_is_configured_false_whatever_way_ocp_says_it(answer):
    with running_simulator(doc=ocp_doc(no_strategy=answer)) as sim:
        fleet(sim)
        result = collect_strategy(params(sim.ocp_url, cluster_id=1, tenant_name='hr'), now=NOW)
    assert result['summary']['configured'] is False and result['summary']['schedule_enabled'] is False
    assert result['summary']['max_days_between_full'] is None and result['strategies'] == []
    assert result['summary']['tenants'] == {'hr': dict((k, v) for k, v in result['summary'].items() if k != 'tenants')}


def scan(strategies, tenants):
    """match_strategies as it was written first, one scan of every strategy per tenant: the reference."""
    wide = next((item for item in strategies if item.get('tenantId') in (None, 0) and not item.get('tenantName')), None)
    result = {}
    for tenant in tenants:
        own = [item for item in strategies if item.get('tenantId') == tenant['id'] or (
            item.get('tenantId') in (None, 0) and item.get('tenantName') == tenant['name'])]
        result[tenant['name']] = own[0] if own else wide
    return result


def test_strategies_match_tenants_as_a_scan_would():
    """The first own strategy wins (by id, or by name when it has no id), else the one for every tenant; unhashable
    ids and names from a broken answer are compared one by one."""
    strategies = [
        {'tenantId': 0, 'tenantName': 'crm', 'n': 1}, {'tenantId': 11, 'n': 2}, {'tenantId': 11, 'n': 3},
        {'tenantId': None, 'tenantName': None, 'n': 4}, {'tenantId': 12, 'n': 5}, {'tenantId': [12], 'n': 6},
        {'tenantId': 13, 'tenantName': 'hr', 'n': 7}, {'tenantId': None, 'tenantName': 'app', 'n': 8}, {'tenantName': ['x'], 'n': 9},
    ]
    tenants = [{'id': 11, 'name': 'app'}, {'id': 12, 'name': 'crm'}, {'id': 14, 'name': 'hr'}, {'id': 15, 'name': 'ops'}, {'id': [12], 'name': 'odd'}]
    found = match_strategies(strategies, tenants)
    assert dict((name, item['n']) for name, item in found.items()) == {'app': 2, 'crm': 1, 'hr': 4, 'ops': 4, 'odd': 6}
    assert found == scan(strategies, tenants)
    assert match_strategies(strategies[::-1], tenants) == scan(strategies[::-1], tenants)
    assert match_strategies(strategies[1:3], tenants[2:4]) == {'hr': None, 'ops': None}


def test_cluster_query_has_every_tenant(ocp):
    fleet(ocp)
    result = collect_strategy(params(ocp.ocp_url, cluster_name='prod'), now=NOW)
    tenants = result['summary']['tenants']
    assert sorted(tenants) == ['app', 'crm', 'hr'] and 'configured' not in result['summary']
    assert tenants['app']['max_days_between_full'] == 7 and tenants['app']['retention_days'] == 30
    assert tenants['crm']['schedule_enabled'] is False and tenants['crm']['max_days_between_full'] == 31
    assert tenants['hr']['configured'] is False


def test_unknown_tenant_is_a_failure(ocp):
    fleet(ocp)
    with pytest.raises(NameResolutionError):
        collect_strategy(params(ocp.ocp_url, cluster_id=1, tenant_id=99), now=NOW)
    # Past the lookup (a tenant dropped meanwhile), OCP's OBE21003 is an error, never "no strategy".
    client = OcpClient(params(ocp.ocp_url))
    with pytest.raises(ApiError) as caught:
        read_strategies(client, strategy_path(1, 99))
    client.close()
    assert caught.value.error_code == 'OBE21003'


def test_bad_input_fails_before_any_request(ocp):
    with pytest.raises(InputError):
        collect_strategy(params(ocp.ocp_url, cluster_id=0), now=NOW)
    assert ocp.requests == []


def restore_fleet(sim):
    sim.add_cluster(1, 'prod', tenants=[{'id': 11, 'name': 'app'}, {'id': 12, 'name': 'crm'}])
    sim.add_cluster(2, 'drill', tenants=[{'id': 21, 'name': 'app_drill'}])
    sim.ocp.add_restores(2, {'source': 'prod/app', 'tenant': 'app_drill', 'create': '-60d', 'count': 25, 'every': '1d'})
    sim.ocp.add_restores(2, {'source': 'prod/app', 'status': 'RESTORE_FAIL', 'create': '-2d'})
    # A restore INTO prod/crm from the drill cluster's backups: a drill of drill/app_drill, not of prod/crm.
    sim.ocp.add_restores(1, {'source': 'drill/app_drill', 'tenant': 'crm', 'create': '-5d'})


def test_restores_are_keyed_by_their_source_over_several_pages(ocp):
    restore_fleet(ocp)
    result = collect_tasks(RESTORE_TASKS, params(ocp.ocp_url, cluster_name='drill', page_size=10), now=None)
    tenants = result['summary']['tenants']
    assert list(tenants) == ['prod/app']
    assert tenants['prod/app']['total'] == 26 and tenants['prod/app']['by_status'] == {'RESTORE_SUCCESS': 25, 'RESTORE_FAIL': 1}
    assert tenants['prod/app']['last_success']['restore_cluster_name'] == 'drill'
    assert tenants['prod/app']['last_failure']['age_seconds'] < tenants['prod/app']['last_success']['age_seconds']
    # Two pages may be in flight at once, so the pages arrive in any order; each is asked for once.
    assert sorted(int(seen.query['page']) for seen in ocp.requests if seen.path.endswith('restoreTasks')) == [1, 2, 3]
    assert len(result['tasks']) == 26


def test_tenant_endpoint_lists_restores_of_its_backups_on_any_cluster(ocp):
    restore_fleet(ocp)
    app = collect_tasks(RESTORE_TASKS, params(ocp.ocp_url, cluster_name='prod', tenant_name='app'))
    crm = collect_tasks(RESTORE_TASKS, params(ocp.ocp_url, cluster_name='prod', tenant_name='crm'))
    assert app['summary']['tenants']['prod/app']['total'] == 26
    assert crm['summary']['tenants'] == {}


def test_unknown_status_is_counted_warned_once_and_never_a_success():
    summary = RestoreSummary(RestoreOutcomes(('RESTORE_SUCCESS',), ('RESTORE_FAIL',), ('RESTORING',)))
    for status in ('RESTORE_DONE', 'RESTORE_DONE', None):
        summary.add({'status': status, 'finishTime': '2024-08-09T00:00:00Z', 'backupClusterName': 'prod', 'backupTenantName': 'app'})
    result = summary.result(NOW)
    assert result['tenants']['prod/app']['last_success'] is None
    assert result['tenants']['prod/app']['by_status'] == {'RESTORE_DONE': 2, 'UNKNOWN': 1}
    assert len(summary.warnings('restore tasks')) == 1 and 'RESTORE_DONE, UNKNOWN' in summary.warnings('restore tasks')[0]


def test_a_row_without_source_names_lands_on_no_real_tenant():
    summary = RestoreSummary(RestoreOutcomes(('RESTORE_SUCCESS',), (), ()))
    summary.add({'status': 'RESTORE_SUCCESS', 'finishTime': '2024-08-09T00:00:00Z', 'backupTenantName': 'app'})
    assert list(summary.result(NOW)['tenants']) == ['(unknown)/app']


def test_status_filter_applies_on_the_cluster_endpoint(ocp):
    restore_fleet(ocp)
    warnings = []
    result = collect_tasks(RESTORE_TASKS, params(ocp.ocp_url, cluster_id=2, status=['restore_fail']), warn=warnings.append)
    assert result['summary']['total'] == 1 and warnings == []
