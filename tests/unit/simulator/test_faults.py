# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault kinds the reliability targets rely on: page counts that cannot end a list, obshell's own
unsuccessful envelope, and a new fault set starting a new request count."""
import pytest
import requests
from obsim.testing import running_simulator

ADMIN = ('admin', 'Adm1n-sim!')
TASKS = '/api/v2/ob/clusters/1003/tenants/1301/backup/task/dataBackupTasks'


@pytest.fixture(scope='module')
def sim():
    with running_simulator('integration') as handle:
        yield handle


def _page(sim, number, size):
    return requests.get(sim.ocp_url + TASKS, params={'page': number, 'size': size}, auth=ADMIN).json()['data']


def test_page_count_missing_leaves_only_number_and_size(sim):
    sim.set_faults([{'kind': 'page_count', 'pages': 'missing'}])
    last, past = _page(sim, 3, 4), _page(sim, 4, 4)
    assert last['page'] == {'number': 3, 'size': 4} and len(last['contents']) == 4
    assert past['page'] == {'number': 4, 'size': 4} and past['contents'] == []


def test_page_count_one_more_claims_a_page_past_the_end(sim):
    sim.set_faults([{'kind': 'page_count', 'pages': 'one_more'}])
    first, past = _page(sim, 1, 5), _page(sim, 4, 5)
    assert first['page']['totalPages'] == 4 and first['page']['totalElements'] == 12
    assert past['page']['totalPages'] == 4 and past['contents'] == []


def test_page_count_also_bends_the_legacy_total_page_key(sim):
    sim.set_faults([{'kind': 'page_count', 'pages': 'one_more'}])
    page = requests.get(sim.ocp_url + '/api/v2/ob/clusters/1004/backup/task/dataBackupTasks',
                        params={'page': 1, 'size': 5}, auth=ADMIN).json()['data']['page']
    assert page['totalPage'] == 4 and 'totalPages' not in page


@pytest.mark.parametrize('agent, error', [
    ('agent431', {'errCode': 'Common.Unexpected', 'code': 1002, 'message': 'Unexpected error: simulated agent-side failure'}),
    ('agent424', {'code': 1002, 'message': 'Unexpected error: simulated agent-side failure'}),
])
def test_unsuccessful_on_an_agent_uses_the_agent_error_shape(sim, agent, error):
    sim.set_faults([{'kind': 'unsuccessful', 'count': 1, 'path': '/api/v1/info'}])
    answer = requests.get(sim.obshell_urls[agent] + '/api/v1/info')
    body = answer.json()
    assert answer.status_code == 200 and body['status'] == 200 and body['successful'] is False
    assert body['error'] == error and len(body['traceId']) == 16
    assert requests.get(sim.obshell_urls[agent] + '/api/v1/info').json()['successful'] is True


def test_unsuccessful_on_ocp_keeps_the_ocp_code(sim):
    sim.set_faults([{'kind': 'unsuccessful', 'count': 1}])
    body = requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=ADMIN).json()
    assert body['successful'] is False and body['error']['code'] == 'COM10500'


def test_posting_faults_starts_a_new_count(sim):
    requests.get(sim.ocp_url + '/api/v2/ob/clusters', auth=ADMIN)
    assert requests.get(sim.ocp_url + '/__sim__/stats').json()['requests'] > 0
    assert requests.post(sim.ocp_url + '/__sim__/faults', json=[]).status_code == 200
    assert requests.get(sim.ocp_url + '/__sim__/stats').json() == {'requests': 0, 'by_path': {}}
