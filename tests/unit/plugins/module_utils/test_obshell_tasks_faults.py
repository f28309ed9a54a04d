# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Faults on the obshell history routes, over real HTTP: retried, or failing naming the request; never a pass."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, OceanBaseError, ResponseFormatError, TransportError
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_tasks import collect_data_jobs, collect_log_rounds
from obsim.testing import running_simulator

PASSWORD = 'R00t-sim!'
DOC = {'obshell': {'agents': [{'name': 'new', 'version': '4.3.2.0', 'root_password': PASSWORD, 'tenants': [
    {'name': 'sales', 'id': 1002, 'jobs': [{'type': 'FULL', 'status': 'COMPLETED', 'start': '-1d', 'end': '-23h'}],
     'archive': [{'status': 'DOING', 'checkpoint': '-20s'}]},
    {'name': 'we#ird', 'id': 1004, 'jobs': [{'type': 'FULL', 'status': 'COMPLETED', 'start': '-1d', 'end': '-23h'}]},
]}]}}


@pytest.fixture(scope='module')
def sim():
    with running_simulator(doc=DOC) as running:
        yield running


def params(sim, **options):
    result = {'obshell_url': sim.obshell_urls['new'], 'obshell_root_password': PASSWORD, 'validate_certs': True,
              'request_timeout': 5, 'retries': 2, 'tenant_name': None, 'start_time': None, 'end_time': None, 'status': None,
              'page_size': 2000, 'return_tasks': False}
    result.update(options)
    return result


def stable(summary):
    """The summary without the values the agent computes at each request (the archive delay, its checkpoint and the ages)."""
    moving = ('delay_seconds', 'max_delay_seconds', 'checkpoint_age_seconds', 'age_seconds', 'checkpoint', 'latest_checkpoint')
    if isinstance(summary, dict):
        return dict((key, stable(value)) for key, value in summary.items() if key not in moving)
    return summary


def requests_to(sim, suffix):
    return sim.stats()['by_path'].get('GET /api/v1/tenant/sales' + suffix, 0)


@pytest.mark.parametrize('collect, suffix, fault', [
    (collect_data_jobs, '/backup/tasks', {'kind': 'status', 'status': 503, 'count': 2}),
    (collect_log_rounds, '/backup/log/tasks', {'kind': 'status', 'status': 502, 'count': 1}),
    (collect_log_rounds, '/backup/info', {'kind': 'ratelimit', 'retry_after': 1, 'count': 1}),
    (collect_data_jobs, '/backup/tasks', {'kind': 'reset', 'count': 1}),
    (collect_data_jobs, '/backup/tasks', {'kind': 'key_rotation', 'count': 1}),
])
def test_passing_faults_are_retried_and_the_answer_is_unchanged(sim, collect, suffix, fault):
    sim.set_faults([])
    expected = stable(collect(params(sim, tenant_name='sales'))['summary'])
    sim.set_faults([dict(fault, path=suffix + '$')])
    try:
        assert stable(collect(params(sim, tenant_name='sales'))['summary']) == expected
        assert requests_to(sim, suffix) == 1 + fault.get('count', 1) or fault['kind'] == 'key_rotation'
    finally:
        sim.set_faults([])


def test_a_reset_tenant_list_is_retried(sim):
    sim.set_faults([{'kind': 'reset', 'count': 1, 'path': '/tenants/overview$'}])
    try:
        assert 'sales' in collect_data_jobs(params(sim))['summary']['tenants']
        assert sim.stats()['by_path']['GET /api/v1/tenants/overview'] == 2
    finally:
        sim.set_faults([])


@pytest.mark.parametrize('fault, error, text', [
    ({'kind': 'status', 'status': 500}, ApiError, 'HTTP 500'),
    ({'kind': 'body', 'body': 'truncated'}, OceanBaseError, 'backup/tasks'),
    ({'kind': 'body', 'body': 'bad_contents'}, ResponseFormatError, 'not a list'),
    ({'kind': 'reset'}, TransportError, 'backup/tasks'),
])
def test_persistent_faults_fail_naming_the_request(sim, fault, error, text):
    sim.set_faults([dict(fault, path='/backup/tasks$')])
    try:
        with pytest.raises(error) as info:
            collect_data_jobs(params(sim, tenant_name='sales', retries=1))
        assert text in info.value.msg and '/api/v1/tenant/sales/backup/tasks' in info.value.msg
    finally:
        sim.set_faults([])


def test_a_persistent_decrypt_failure_is_retried_once(sim):
    sim.set_faults([{'kind': 'key_rotation', 'path': '/backup/log/tasks$'}])
    try:
        with pytest.raises(ApiError, match='DecryptFailed'):
            collect_log_rounds(params(sim, tenant_name='sales'))
        assert requests_to(sim, '/backup/log/tasks') == 2
    finally:
        sim.set_faults([])


def test_a_tenant_name_the_path_cannot_carry_is_warned_about_and_never_passes(sim):
    warnings = []
    sim.set_faults([])
    data = collect_data_jobs(params(sim), warn=warnings.append)['summary']['tenants']
    log = collect_log_rounds(params(sim), warn=warnings.append)['summary']
    assert data['we#ird']['total'] == 0 and data['we#ird']['last_success'] is None
    assert log['tenants']['we#ird']['active'] is False and log['active'] is False
    assert len(warnings) == 2 and "'we#ird'" in warnings[0]
    assert not any('we' in path and 'ird' in path for path in sim.stats()['by_path'])
