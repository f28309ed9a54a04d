# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every obshell part in one run against the simulator: each part equal to its own module's result, the agent and
its tenants asked once, an old agent's missing API as each part's failure, bad input before any request."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_compliance import PARTS, collect_compliance
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_restore import collect_restores
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_tasks import collect_data_jobs, collect_log_rounds
from ansible_collections.oceanbase.backup.plugins.module_utils._parts import PartsFailed
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import utcnow
from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_obshell_tasks import DOC, params
from obsim.testing import running_simulator

NAMES = [part.name for part in PARTS]


def gather_params(sim, agent='new', **options):
    result = params(sim, agent, bare_time_offset='+00:00', gather=NAMES)
    for option in ('end_time', 'status', 'return_tasks'):
        result.pop(option)
    result.update(options)
    return result


@pytest.fixture()
def sim():
    with running_simulator(doc=DOC) as running:
        yield running


def test_each_part_is_what_its_module_returns_asking_the_agent_and_tenants_once(sim):
    # One time for every call: the ages then agree to the second.
    now = utcnow()
    gathered = collect_compliance(gather_params(sim, start_time='-30d'), now=now)
    by_path = sim.stats()['by_path']
    single = params(sim, return_tasks=False)
    assert gathered['data'] == collect_data_jobs(dict(single, start_time='-30d'), now=now)
    log = collect_log_rounds(single, now=now)
    # The simulated archive's delay moves with the clock: everything else must be equal.
    assert gathered['log']['summary']['by_status'] == log['summary']['by_status'] and gathered['log']['agent'] == log['agent']
    assert dict((name, entry['active']) for name, entry in gathered['log']['summary']['tenants'].items()) == dict(
        (name, entry['active']) for name, entry in log['summary']['tenants'].items())
    assert gathered['restores'] == collect_restores(dict(single, bare_time_offset='+00:00'), now=now)
    assert by_path['GET /api/v1/tenants/overview'] == 1 and by_path['GET /api/v1/info'] == 1
    assert gathered['agent']['version'] == '4.3.2.0' and gathered['tenant'] is None
    assert sorted(gathered['data']['summary']['tenants']) == ['failing', 'full_then_inc', 'inc_only', 'never']


def test_an_old_agent_fails_each_part_naming_what_it_lacks(sim):
    with pytest.raises(PartsFailed) as caught:
        collect_compliance(gather_params(sim, 'old', gather=['data', 'log']))
    details = caught.value.to_fail_kwargs()
    assert details['failed_parts'] == ['data', 'log']
    assert details['data']['missing_api'] == 'backup history' and details['data']['agent_version'] == '4.3.1.0'
    assert sorted(details['data']['tenant_names']) == ['failing', 'full_then_inc', 'inc_only', 'never']
    assert details['agent']['version'] == '4.3.1.0'


@pytest.mark.parametrize('options, option', [
    ({'gather': []}, 'gather'),
    ({'start_time': 'yesterday'}, 'start_time'),
    ({'page_size': 0}, 'page_size'),
    ({'bare_time_offset': '8 hours'}, 'bare_time_offset'),
    ({'tenant_name': 'sys'}, 'tenant_name'),
])
def test_bad_input_fails_before_any_request(sim, options, option):
    with pytest.raises(InputError) as caught:
        collect_compliance(gather_params(sim, **options))
    assert caught.value.option == option
    assert sim.stats()['requests'] == 0
