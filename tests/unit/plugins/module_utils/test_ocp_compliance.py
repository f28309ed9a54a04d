# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every part of a compliance gathering in one run against the simulator: each part equal to its own module's
result, one target lookup for all, a failed part beside the others, and bad input refused before any request."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_compliance import PARTS, collect_compliance
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_strategy import collect_strategy
from ansible_collections.oceanbase.backup.plugins.module_utils._parts import PartsFailed
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, LOG_BACKUP_TASKS, RESTORE_TASKS, collect_tasks
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_recoverability import WEEKLY
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_tasks import params

PART_NAMES = [part.name for part in PARTS]
NOW = datetime(2024, 8, 10, 0, 0, 0, tzinfo=timezone.utc)


def gather_params(url, **extra):
    base = params(url, gather=list(PART_NAMES))
    for option in ('end_time', 'status', 'backup_set_id', 'return_tasks'):
        base.pop(option)
    base.update(extra)
    return base


def fleet(sim):
    sim.add_cluster(1, 'prod', tenants=[{'id': 11, 'name': 'app', 'backup_strategy': WEEKLY}, {'id': 12, 'name': 'crm'}])
    sim.add_tasks('dataBackupTasks', 1, [
        {'taskId': task, 'tenantId': 11, 'tenantName': 'app', 'clusterName': 'prod', 'status': 'DONE', 'backupSetId': task,
         'dataBackupTaskType': 'FULL_BACKUP' if task == 1 else 'INCREMENTAL_BACKUP',
         'startTime': '2024-08-0%dT01:00:00Z' % task, 'finishTime': '2024-08-0%dT02:00:00Z' % task} for task in range(1, 6)])
    sim.add_tasks('logBackupTasks', 1, [
        {'tenantId': 11, 'tenantName': 'app', 'clusterName': 'prod', 'status': 'RUNNING', 'delay': 3.5,
         'checkpoint': '2024-08-09T23:59:00Z', 'createTime': '2024-08-01T00:00:00Z'}])
    sim.ocp.add_restores(1, {'source': 'prod/app', 'tenant': 'app_drill', 'create': '-3d', 'count': 3, 'every': '1d'})


def test_each_part_is_what_its_module_returns_over_one_target_lookup(ocp):
    fleet(ocp)
    gathered = collect_compliance(gather_params(ocp.ocp_url, cluster_name='prod', start_time='-30d', page_size=2), now=NOW)
    lookups = [seen.path for seen in ocp.requests if not seen.path.endswith(('Tasks', 'backupStrategy'))]
    single = dict(page_size=2, return_tasks=False, cluster_name='prod')
    assert gathered['data'] == collect_tasks(DATA_BACKUP_TASKS, params(ocp.ocp_url, start_time='-30d', **single), now=NOW)
    assert gathered['log'] == collect_tasks(LOG_BACKUP_TASKS, params(ocp.ocp_url, **single), now=NOW)
    single_strategy = collect_strategy(params(ocp.ocp_url, cluster_name='prod'), now=NOW)
    assert single_strategy.pop('strategies') and gathered['strategy'] == single_strategy
    assert gathered['restores'] == collect_tasks(RESTORE_TASKS, params(ocp.ocp_url, **single), now=NOW)
    assert gathered['data']['summary']['total'] == 5 and 'tasks' not in gathered['data']
    # The cluster by name and its tenant list, once for the four parts.
    assert lookups == ['/api/v2/ob/clusters', '/api/v2/ob/clusters/1/tenants']
    assert gathered['cluster'] == {'id': 1, 'name': 'prod'} and gathered['tenant'] is None


def test_only_the_parts_asked_for_are_read(ocp):
    fleet(ocp)
    gathered = collect_compliance(gather_params(ocp.ocp_url, cluster_id=1, tenant_name='app', gather=['strategy']), now=NOW)
    assert sorted(gathered) == ['cluster', 'queried_at', 'strategy', 'tenant']
    assert gathered['strategy']['summary']['configured'] is True
    assert not [seen for seen in ocp.requests if seen.path.endswith('Tasks')]


def test_a_failed_part_is_kept_beside_the_others(ocp):
    fleet(ocp)
    ocp.set_faults([{'kind': 'status', 'status': 500, 'count': 1, 'path': 'logBackupTasks'}])
    with pytest.raises(PartsFailed) as caught:
        collect_compliance(gather_params(ocp.ocp_url, cluster_id=1), now=NOW)
    details = caught.value.to_fail_kwargs()
    assert details['failed_parts'] == ['log'] and caught.value.msg.startswith('log: GET /api/v2/ob/clusters/1/backup/task/logBackupTasks')
    assert details['log']['failed'] is True and details['log']['http_status'] == 500
    assert details['data']['summary']['total'] == 5 and details['restores']['summary']['total'] == 3
    assert details['strategy']['summary']['tenants']['app']['configured'] is True


def test_after_a_credential_failure_the_other_parts_are_not_tried(ocp):
    fleet(ocp)
    ocp.set_faults([{'kind': 'status', 'status': 401, 'count': 1, 'path': 'dataBackupTasks'}])
    with pytest.raises(PartsFailed) as caught:
        collect_compliance(gather_params(ocp.ocp_url, cluster_id=1), now=NOW)
    details = caught.value.to_fail_kwargs()
    assert details['failed_parts'] == list(PART_NAMES)
    assert details['log']['msg'].startswith('not queried after an earlier part failed: GET /api/v2/ob/clusters/1/backup/task/dataBackupTasks')
    assert not [seen for seen in ocp.requests if seen.path.endswith(('logBackupTasks', 'restoreTasks', 'backupStrategy'))]


@pytest.mark.parametrize('extra, option', [
    ({'gather': []}, 'gather'),
    ({'start_time': 'yesterday'}, 'start_time'),
    ({'page_size': 0}, 'page_size'),
    ({'cluster_id': 0}, 'cluster_id'),
    ({'ocp_url': 'ftp://ocp.example.com'}, 'ocp_url'),
])
def test_bad_input_fails_before_any_request(ocp, extra, option):
    fleet(ocp)
    values = dict({'cluster_id': 1}, **extra)
    url = values.pop('ocp_url', ocp.ocp_url)
    with pytest.raises(InputError) as caught:
        collect_compliance(gather_params(url, **values), now=NOW)
    assert caught.value.option == option
    assert ocp.requests == []
