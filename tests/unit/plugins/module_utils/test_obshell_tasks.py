# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell backup history: jobs and archive rounds summarised with the OCP keys, every tenant in one run, the traps."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, UnsupportedError
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_tasks import collect_data_jobs, collect_log_rounds, log_result
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import parse_timestamp
from obsim.testing import running_simulator

PASSWORD = 'R00t-sim!'
TENANTS = [
    {'name': 'full_then_inc', 'id': 1002,
     'jobs': [{'type': 'FULL', 'status': 'COMPLETED', 'start': '-9d', 'end': '-9d'},
              {'type': 'INC', 'status': 'COMPLETED', 'start': '-2h', 'end': '-1h'}],
     'archive': [{'round_id': 1, 'status': 'STOP', 'checkpoint': '-20d'}, {'round_id': 2, 'status': 'DOING', 'checkpoint': '-30s'}]},
    {'name': 'inc_only', 'id': 1004,
     'jobs': [{'type': 'INCREMENTAL', 'status': 'COMPLETED', 'start': '-3h', 'end': '-2h'}],
     'archive': [{'status': 'INTERRUPTED', 'checkpoint': '-6h'}]},
    {'name': 'failing', 'id': 1006,
     'jobs': [{'type': 'FULL', 'status': 'FAILED', 'start': '-5h', 'end': '-4h', 'comment': 'device full'},
              {'type': 'FULL', 'status': 'DOING', 'start': '-30m'}]},
    {'name': 'never', 'id': 1008},
]
DOC = {'obshell': {'agents': [
    {'name': 'new', 'version': '4.3.2.0', 'root_password': PASSWORD, 'tenants': TENANTS},
    {'name': 'old', 'version': '4.3.1.0', 'root_password': PASSWORD, 'tenants': TENANTS},
]}}


@pytest.fixture(scope='module')
def sim():
    with running_simulator(doc=DOC) as running:
        yield running


def params(sim, agent='new', **options):
    result = {'obshell_url': sim.obshell_urls[agent], 'obshell_root_password': PASSWORD, 'validate_certs': True,
              'request_timeout': 5, 'retries': 0, 'tenant_name': None, 'start_time': None, 'end_time': None, 'status': None,
              'page_size': 2000, 'return_tasks': True}
    result.update(options)
    return result


def counts(sim):
    return sim.stats()['by_path']


def test_every_user_tenant_in_one_run_with_one_tenant_list(sim):
    sim.set_faults([])
    result = collect_data_jobs(params(sim, page_size=1))
    tenants = result['summary']['tenants']
    assert sorted(tenants) == ['failing', 'full_then_inc', 'inc_only', 'never']
    assert counts(sim)['GET /api/v1/tenants/overview'] == 1
    # Two jobs on pages of one: two pages, never a third.
    assert counts(sim)['GET /api/v1/tenant/full_then_inc/backup/tasks'] == 2
    assert not any('/tenant/sys/' in path for path in counts(sim))
    assert result['tenant'] is None and result['summary']['total'] == 5


def test_full_backup_comes_from_backup_type_and_inc_is_incremental(sim):
    tenants = collect_data_jobs(params(sim))['summary']['tenants']
    full = tenants['full_then_inc']
    assert full['last_full_success']['type'] == 'FULL'
    assert 9 * 86400 - 5 <= full['last_full_success']['age_seconds'] <= 9 * 86400 + 60
    assert full['last_success']['type'] == 'INC' and full['last_success']['age_seconds'] < 2 * 3600
    assert tenants['inc_only']['last_success'] is not None
    assert tenants['inc_only']['last_full_success'] is None
    assert tenants['never']['total'] == 0 and tenants['never']['last_success'] is None


def test_failures_and_running_jobs(sim):
    failing = collect_data_jobs(params(sim, tenant_name='failing'))
    summary = failing['summary']
    assert list(summary['tenants']) == ['failing']
    assert summary['last_failure']['error_msg'] == 'device full'
    assert summary['last_success'] is None and summary['running'] == 1
    assert 1700 <= summary['oldest_running_age_seconds'] <= 1900
    running = [task for task in failing['tasks'] if task['status'] == 'DOING'][0]
    assert 'end_timestamp' not in running


def test_times_are_utc_whatever_the_agent_sent(sim):
    tasks = collect_data_jobs(params(sim, tenant_name='full_then_inc'))['tasks']
    for task in tasks:
        assert task['start_timestamp'].endswith('Z')
        parse_timestamp(task['start_timestamp'])
    assert tasks[0]['tenant_name'] == 'full_then_inc'


def test_time_window_is_sent_as_rfc3339_and_applied(sim):
    sim.set_faults([])
    result = collect_data_jobs(params(sim, tenant_name='full_then_inc', start_time='2020-01-01T08:00:00+08:00', end_time='-1d'))
    assert [task['backup_type'] for task in result['tasks']] == ['FULL']
    sent = [seen for seen in sim.requests if seen.path.endswith('/backup/tasks')][0]
    assert sent.query['start_time'] == '2020-01-01T00:00:00Z'


def test_status_filter_is_sent_and_checked(sim):
    sim.set_faults([])
    warnings = []
    result = collect_data_jobs(params(sim, tenant_name='failing', status=['failed', 'odd']), warn=warnings.append)
    assert [task['status'] for task in result['tasks']] == ['FAILED']
    assert 'odd' in warnings[0]
    sent = [seen for seen in sim.requests if seen.path.endswith('/backup/tasks')][0]
    assert sent.query['status'] == 'FAILED,odd'


def test_interrupted_archive_is_an_empty_round_list_and_not_active(sim):
    summary = collect_log_rounds(params(sim))['summary']
    inc_only = summary['tenants']['inc_only']
    assert inc_only['total'] == 0 and inc_only['active'] is False and inc_only['status'] is None
    # backup/info still gives the checkpoint of the interrupted round.
    assert 6 * 3600 - 5 <= inc_only['checkpoint_age_seconds'] <= 6 * 3600 + 60
    assert summary['tenants']['full_then_inc']['active'] is True
    assert summary['tenants']['full_then_inc']['status'] == 'DOING'
    assert summary['tenants']['never']['checkpoint'] is None
    # One tenant not archiving makes the whole answer not active.
    assert summary['active'] is False
    assert summary['checkpoint_age_seconds'] >= 6 * 3600 - 5


def test_log_rounds_of_one_active_tenant(sim):
    result = collect_log_rounds(params(sim, tenant_name='full_then_inc'))
    assert result['summary']['active'] is True
    assert [task['round_id'] for task in result['tasks']] == [2]
    assert result['tasks'][0]['tenant_name'] == 'full_then_inc'
    assert result['summary']['max_delay_seconds'] < 120


def test_tenants_sharing_an_id_keep_their_own_entries(sim):
    doc = {'obshell': {'agents': [{'name': 'dup', 'version': '4.3.2.0', 'root_password': PASSWORD, 'tenants': [
        {'name': 'a', 'id': 7}, {'name': 'b', 'id': 7, 'archive': [{'status': 'INTERRUPTED', 'checkpoint': '-1h'}]}]}]}}
    with running_simulator(doc=doc) as dup:
        log = collect_log_rounds(params(dup, 'dup'))['summary']['tenants']
        data = collect_data_jobs(params(dup, 'dup'))['summary']['tenants']
    assert sorted(log) == sorted(data) == ['a', 'b']
    assert not log['a']['active'] and not log['b']['active'] and data['a']['total'] == 0


def test_log_result_counts_every_tenant():
    result = {'tenants': {'a': {'total': 1, 'active': True, 'delay_seconds': 1.0, 'checkpoint': '2026-01-01T00:00:00Z',
                                'checkpoint_age_seconds': 10},
                          'b': {'total': 0, 'active': False, 'delay_seconds': None, 'checkpoint': None, 'checkpoint_age_seconds': None}}}
    assert log_result(result, {}, None)['active'] is False
    assert log_result({'tenants': {}}, {}, None)['active'] is False


@pytest.mark.parametrize('collect', [collect_data_jobs, collect_log_rounds])
def test_agent_without_the_routes_names_its_version(sim, collect):
    with pytest.raises(UnsupportedError) as info:
        collect(params(sim, 'old', tenant_name='inc_only'))
    assert '4.3.1.0' in info.value.msg and '404' in info.value.msg


@pytest.mark.parametrize('name, code', [('sys', None), ('nobody', 'OB.Tenant.NotExist')])
def test_tenant_errors(sim, name, code):
    if code is None:
        with pytest.raises(InputError):
            collect_data_jobs(params(sim, tenant_name=name))
        return
    with pytest.raises(ApiError) as info:
        collect_log_rounds(params(sim, tenant_name=name))
    assert 'does not exist' in info.value.msg


@pytest.mark.parametrize('option, value', [('start_time', 'yesterday'), ('end_time', '2024-13-01T00:00:00Z'), ('page_size', 0),
                                           ('tenant_name', 'a#b'), ('status', [''])])
def test_bad_input_fails_before_any_request(sim, option, value):
    sim.set_faults([])
    with pytest.raises(InputError) as info:
        collect_data_jobs(params(sim, **{option: value}))
    assert option in info.value.msg
    assert sim.stats()['requests'] == 0


def test_end_before_start_is_refused(sim):
    with pytest.raises(InputError, match='end_time'):
        collect_data_jobs(params(sim, start_time='-1d', end_time='-2d'))
