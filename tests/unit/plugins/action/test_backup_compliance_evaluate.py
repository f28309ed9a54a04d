# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The backup_compliance_evaluate action: the records of the filter, read without templating, the verdict, the
restores of other hosts, and bad input; the checks have their own tests."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.oceanbase.backup.plugins.action.backup_compliance_evaluate import ActionModule
from ansible_collections.oceanbase.backup.plugins.filter.compliance import backup_compliance_checks
from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import VariableLayer
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    data_summary, log_summary, result)
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils.test_hostvars import Recording, variable_set

STALE = {'t1': data_summary(last_full_success={'age_seconds': 900000}), 't2': data_summary()}
QUERY = {'changed': False, 'failed': False, 'cluster': {'id': 1, 'name': 'c1'},
         'data': result('data', STALE), 'log': result('log', {'t1': log_summary(), 't2': log_summary()})}


class Action(Recording, ActionModule):
    """The action with ansible-core's register_host_variables recorded, where this core has it."""


def run(args, variables=None):
    outcome, action = run_action(args, variables)
    return outcome, records_of(outcome, action, args.get('checks_var', 'backup_compliance_checks'))


def run_action(args, variables=None):
    task = MagicMock(args=dict({'source': 'ocp', 'result_var': 'query', 'cluster': 'c1'}, **args), check_mode=False, async_val=0,
                     action='oceanbase.backup.backup_compliance_evaluate')
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = Action(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    task_vars = dict({'query': QUERY, 'inventory_hostname': 'c1'}, **(variables or {}))
    return action.run(task_vars=task_vars), action


def records_of(outcome, action, name):
    """The records as ansible-core gets them: set like set_fact does (2.21 and later), or as facts."""
    return variable_set(outcome, action, name)


def test_the_records_are_the_filters_and_the_verdict_follows_the_mode():
    outcome, records = run({'policy': {'full_backup_age': {'max_hours': 48}}})
    gathered = {'source': 'ocp', 'cluster': 'c1', 'tenants': None, 'ocp_data': QUERY['data'], 'ocp_log': QUERY['log']}
    assert records == backup_compliance_checks(gathered, {'full_backup_age': {'max_hours': 48}})
    assert outcome['changed'] is False and outcome['summary']['fail'] == 1 and outcome['verdict'] == {'failed': False, 'msg': None}
    gate, dummy = run({'policy': {'full_backup_age': {'max_hours': 48}}, 'mode': 'gate'})
    assert gate['verdict']['failed'] is True and '[t1] full_backup_age: last successful full backup 10d 10h ago' in gate['verdict']['msg']
    strict, dummy = run({'policy': {'full_backup_age': {'max_hours': 48}}, 'fail_on_violation': True})
    assert strict['verdict']['failed'] is True


def test_tenants_and_checks_var():
    dummy, records = run({'tenants': ['t2'], 'checks_var': 'mine'})
    assert {record['tenant'] for record in records} == {'t2'} and len(records) == 8


def test_the_restores_of_the_play_count():
    drill = {'summary': {'tenants': {'c1/t1': {'total': 1, 'by_status': {'SUCCESSFUL': 1}, 'running': 0,
                                               'last_success': {'age_seconds': 3600}, 'last_failure': None}}}}
    other = dict(QUERY, restores=drill)
    args = {'gather': ['data', 'log', 'restores'], 'restores': [drill], 'policy': {'restore_drill_age': {'enabled': True}}}
    dummy, records = run(args)
    drills = dict((record['tenant'], record['status']) for record in records if record['check'] == 'restore_drill_age')
    assert drills == {'t1': 'pass', 't2': 'fail'}
    # Without them, only this host's own restores part counts: here it has none, so no drill is known.
    dummy, alone = run(dict(args, restores=None), variables={'query': other})
    assert dict((record['tenant'], record['status']) for record in alone if record['check'] == 'restore_drill_age') == {'t1': 'pass', 't2': 'fail'}
    dummy, none = run(dict(args, restores=None))
    assert {record['status'] for record in none if record['check'] == 'restore_drill_age'} == {'fail'}


def test_a_missing_or_templated_result_fails_naming_the_variable():
    with pytest.raises(AnsibleActionFail, match='backup_compliance_evaluate: host c1 has no variable nothing'):
        run({'result_var': 'nothing'})
    with pytest.raises(AnsibleActionFail, match='query of host c1 must be a registered module result .a dict.; got str'):
        run({}, variables={'query': '{{ other }}'})
    with pytest.raises(AnsibleActionFail, match='backup_compliance_evaluate: .*source'):
        run({'source': 'nfs'})
    with pytest.raises(AnsibleActionFail, match='backup_compliance_evaluate: .*full_backup_age'):
        run({'policy': {'full_backup_age': {'max_hours': -1}}})


def released(outcome, action):
    """What release_inputs set to null: at the precedence of register (2.21 and later), or as facts."""
    if VariableLayer is None:
        return dict((key, value) for key, value in outcome['ansible_facts'].items() if value is None)
    return (action.registered or {}).get(str(VariableLayer.REGISTER_VARS), {})


def test_release_inputs_sets_what_was_read_by_name_to_null_and_keeps_the_records():
    drills = [{'summary': {'tenants': {}}}]
    args = {'gather': ['data', 'log', 'restores'], 'restores_var': 'drills', 'checks_var': 'mine'}
    outcome, action = run_action(dict(args, release_inputs=True), variables={'drills': drills})
    assert released(outcome, action) == {'query': None, 'drills': None}
    records = records_of(outcome, action, 'mine')
    # Not asked: nothing is released; the records are the same either way.
    outcome, action = run_action(args, variables={'drills': drills})
    assert released(outcome, action) == {}
    assert records_of(outcome, action, 'mine') == records and len(records) == 18
    # The records are never released, even under the name of an input.
    outcome, action = run_action({'checks_var': 'query', 'release_inputs': True})
    assert released(outcome, action) == {} and len(records_of(outcome, action, 'query')) == 16
