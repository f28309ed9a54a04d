# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's backup history routes answer as the agent's Go code does; the official SDK reads the tenant list."""
import re
from urllib.parse import urlsplit

import pytest
import requests

from obsim.obshell_history import go_time
from obsim.testing import running_simulator

DOC = {'obshell': {'agents': [
    {'name': 'new', 'version': '4.3.2.0', 'root_password': '', 'tenants': [
        {'name': 'sales', 'id': 1002, 'jobs': [{'type': 'FULL', 'status': 'DOING', 'start': '-1h'}],
         'archive': [{'round_id': 1, 'status': 'DOING', 'checkpoint': '-1d'}, {'round_id': 2, 'status': 'INTERRUPTED', 'checkpoint': '-2h'}]},
    ]},
    {'name': 'old', 'version': '4.3.1.0', 'root_password': '', 'tenants': [{'name': 'sales'}]},
]}}


@pytest.fixture(scope='module')
def sim():
    with running_simulator(doc=DOC) as running:
        yield running


def sdk(sim, agent='new'):
    from obshell import ClientV1
    from obshell.auth.password import PasswordAuth
    parts = urlsplit(sim.obshell_urls[agent])
    return ClientV1(parts.hostname, parts.port, auth=PasswordAuth(''))


def test_official_sdk_lists_every_tenant_sys_included(sim):
    names = sorted(tenant.name for tenant in sdk(sim).get_all_tenants())
    assert names == ['sales', 'sys']


def get(sim, path, query=None):
    """A route the SDK has no call for, through the SDK's own request machinery (its auth header, unchanged)."""
    client = sdk(sim)
    return client._execute(client.create_request(path, 'GET', query_param=query))


def test_jobs_are_paged_and_running_jobs_have_no_end(sim):
    answer = get(sim, '/api/v1/tenant/sales/backup/tasks', {'page': 1, 'size': 1})
    data = answer.json()['data']
    assert data['page'] == {'total_elements': 1, 'total_pages': 1, 'size': 1, 'number': 1}
    assert data['contents'][0]['status'] == 'DOING' and 'end_timestamp' not in data['contents'][0]
    assert data['contents'][0]['start_timestamp'].endswith('+08:00')


@pytest.mark.parametrize('value', ['2024-01-01 00:00:00', '2024-01-01T00:00:00 08:00', '-1d'])
def test_a_time_that_is_not_rfc3339_is_a_400(sim, value):
    answer = get(sim, '/api/v1/tenant/sales/backup/tasks', {'start_time': value})
    assert answer.status_code == 400 and 'parsing time' in answer.json()['error']['message']


def test_round_list_holds_only_listed_statuses_and_info_the_newest_round(sim):
    rounds = get(sim, '/api/v1/tenant/sales/backup/log/tasks').json()['data']
    assert [row['status'] for row in rounds['contents']] == ['DOING']
    assert rounds['contents'][0]['tenant_name'] == ''
    info = get(sim, '/api/v1/tenant/sales/backup/info').json()['data']
    # Round 2 (INTERRUPTED) is the newest: its checkpoint, two hours old, not the one of the listed round.
    assert set(info) == {'tenant_id', 'lastest_archive_log_checkpoint', 'archive_log_delay', 'lastest_data_backup_time'}
    assert 7190 <= info['archive_log_delay'] <= 7300
    assert info['lastest_data_backup_time'] == rounds_start(sim)


def rounds_start(sim):
    return get(sim, '/api/v1/tenant/sales/backup/tasks').json()['data']['contents'][0]['start_timestamp']


def test_sys_is_refused_on_the_history_routes(sim):
    answer = get(sim, '/api/v1/tenant/sys/backup/tasks')
    assert answer.status_code == 400 and answer.json()['error']['errCode'] == 'OB.Tenant.SysOperationNotAllowed'


def test_go_times_trim_the_fraction():
    assert go_time(1700000000.5, '+08:00') == '2023-11-15T06:13:20.5+08:00'
    assert go_time(1700000000.0, '+08:00') == '2023-11-15T06:13:20+08:00'
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,4}\+08:00$', go_time(1700000000.123456, '+08:00', 1e-4))


def test_agent_without_the_routes_answers_gins_plain_404(sim):
    answer = requests.get(sim.obshell_urls['old'] + '/api/v1/tenant/sales/backup/tasks', timeout=5)
    assert answer.status_code == 404 and answer.text == '404 page not found'
    # The tenant list is older than the history (4.2.4): the old agent has it.
    assert sorted(tenant.name for tenant in sdk(sim, 'old').get_all_tenants()) == ['sales', 'sys']
