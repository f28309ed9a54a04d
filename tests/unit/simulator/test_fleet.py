# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated fleets: the obshell agents of fleet:agents=N, and OCP lists built once and sorted once."""
import time
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import requests

from obsim import scenario
from obsim.obshell_history import ROUTES_FROM
from obsim.testing import running_simulator

AGENTS, TENANTS, DAYS = 2, 3, 9


@pytest.fixture(scope='module')
def agents():
    with running_simulator(doc=scenario.fleet('agents=%d,tenants=%d,days=%d' % (AGENTS, TENANTS, DAYS))) as running:
        yield running


def get(sim, agent, path, query=None):
    """A request through the official SDK's own auth header (as tests/unit/simulator/test_obshell_history.py)."""
    from obshell import ClientV1
    from obshell.auth.password import PasswordAuth
    parts = urlsplit(sim.obshell_urls[agent])
    client = ClientV1(parts.hostname, parts.port, auth=PasswordAuth(scenario.FLEET_AGENT_PASSWORD))
    answer = client._execute(client.create_request(path, 'GET', query_param=query))
    assert answer.status_code == 200, answer.text
    return answer.json()['data']


def age_hours(text):
    return (time.time() - datetime.fromisoformat(text).timestamp()) / 3600


def test_agents_have_the_history_routes_and_no_ocp_cluster(agents):
    doc = scenario.fleet('agents=%d,tenants=%d,days=%d' % (AGENTS, TENANTS, DAYS))
    assert doc['ocp']['clusters'] == []
    assert sorted(agents.obshell_urls) == ['agent000', 'agent001']
    assert all(tuple(int(p) for p in spec['version'].split('.')[:3]) >= ROUTES_FROM for spec in doc['obshell']['agents'])
    names = [row['tenant_name'] for row in get(agents, 'agent001', '/api/v1/tenants/overview')['contents']]
    assert names == ['sys', 't000', 't001', 't002']


def test_every_tenant_has_daily_jobs_a_full_every_seventh_and_the_newest_23_hours_old(agents):
    data = get(agents, 'agent000', '/api/v1/tenant/t002/backup/tasks')
    jobs = data['contents']
    assert data['page']['total_elements'] == DAYS == len(jobs)
    assert [job['backup_type'] for job in reversed(jobs)] == ['FULL' if day % 7 == 0 else 'INC' for day in range(DAYS)]
    assert {job['status'] for job in jobs} == {'COMPLETED'}
    assert 22.9 < age_hours(jobs[0]['start_timestamp']) < 23.1
    assert 22.5 < age_hours(jobs[0]['end_timestamp']) < 22.8
    overview = get(agents, 'agent000', '/api/v1/tenant/t002/backup/overview')['status']
    assert overview['status'] == 'COMPLETED' and abs(age_hours(overview['start_timestamp']) - 23) < 0.1


def test_every_tenant_archives_and_every_agent_lists_one_drill_per_tenant(agents):
    rounds = get(agents, 'agent001', '/api/v1/tenant/t000/backup/log/tasks')['contents']
    assert [(row['status'], row['round_id']) for row in rounds] == [('DOING', 1)] and rounds[0]['delay'] < 60
    drills = get(agents, 'agent001', '/api/v1/restore/tasks')['contents']
    assert sorted((row['backup_cluster_name'], row['backup_tenant_name'], row['status']) for row in drills) == [
        ('agent001', 't%03d' % number, 'SUCCESS') for number in range(TENANTS)]


def test_an_ocp_fleet_is_listed_newest_first_across_tenants():
    with running_simulator(doc=scenario.fleet('clusters=2,tenants=3,days=5')) as sim:
        assert 'obshell' not in scenario.fleet('clusters=2,tenants=3,days=5')
        answer = requests.get(sim.ocp_url + '/api/v2/ob/clusters/1001/backup/task/dataBackupTasks', params={'page': 1, 'size': 100},
                              auth=('admin', 'Adm1n-sim'), timeout=10).json()['data']
        rows = answer['contents']
        assert answer['page']['totalElements'] == 15 and {row['clusterId'] for row in rows} == {1001}
        starts = [datetime.fromisoformat(row['startTime']).timestamp() for row in rows]
        assert starts == sorted(starts, reverse=True)
        # Tasks of the same instant keep the order their tenants were added in.
        assert [row['tenantName'] for row in rows[:3]] == ['t000', 't001', 't002']


def test_rows_given_as_they_are_follow_the_generated_rows_in_their_own_order(ocp):
    ocp.add_cluster(1, 'c1', tenants=[{'id': 11, 'name': 'a', 'data_tasks': [{'start': '-3d', 'count': 2}]}])
    ocp.add_tasks('dataBackupTasks', 1, [{'taskId': 901, 'tenantId': 11, 'startTime': '2000-01-01T00:00:00+08:00'},
                                         {'taskId': 902, 'tenantId': 11, 'startTime': '2999-01-01T00:00:00+08:00'}])
    answer = requests.get(ocp.ocp_url + '/api/v2/ob/clusters/1/backup/task/dataBackupTasks', params={'page': 1, 'size': 10},
                          auth=('admin', 'Adm1n-sim!'), timeout=10).json()['data']
    ids = [row['taskId'] for row in answer['contents']]
    assert ids[2:] == [901, 902] and ids[0] > ids[1]


def test_an_ocp_fleet_is_healthy_unless_asked_otherwise():
    cluster = scenario.fleet('clusters=2,tenants=3,days=5')['ocp']['clusters'][1]
    users = cluster['tenants'][1:]
    assert [tenant['backup_strategy']['days']['1'] for tenant in users] == ['FULL_BACKUP'] * 3
    assert [item['source'] for item in cluster['restores']] == ['fleet001/t000', 'fleet001/t001', 'fleet001/t002']
    bare = scenario.fleet('clusters=2,tenants=3,days=5,healthy=0')['ocp']['clusters'][1]
    assert bare['restores'] == [] and not any(tenant.get('backup_strategy') for tenant in bare['tenants'])
    with running_simulator(doc=scenario.fleet('clusters=2,tenants=3,days=5')) as sim:
        rows = requests.get(sim.ocp_url + '/api/v2/ob/clusters/1001/backup/task/restoreTasks', params={'page': 1, 'size': 100},
                            auth=('admin', 'Adm1n-sim'), timeout=10).json()['data']['contents']
    assert sorted((row['backupClusterName'], row['backupTenantName'], row['backupTenantId']) for row in rows) == [
        ('fleet001', 't%03d' % number, 101001 + number) for number in range(3)]
