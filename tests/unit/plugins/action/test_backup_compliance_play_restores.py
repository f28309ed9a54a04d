# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""backup_compliance_play_restores: the restores parts of the named hosts' results, read as they hold them, set once."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.oceanbase.backup.plugins.action.backup_compliance_play_restores import ActionModule
from ansible_collections.oceanbase.backup.plugins.filter.compliance import backup_compliance_restores
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils.test_hostvars import Recording, variable_set

DRILL_A = {'summary': {'tenants': {'a/t1': {'total': 1}}}}
DRILL_B = {'summary': {'tenants': {'b/t1': {'total': 2}}}}
REFUSED = {'failed': True, 'msg': 'HTTP 401'}


class HostVars(dict):
    """ansible-core's hostvars as far as the action reads them: membership and raw_get, never a templating get."""

    def raw_get(self, host):
        return dict.__getitem__(self, host)

    def __getitem__(self, host):
        raise AssertionError('hostvars[%s] templates the variables again' % host)


class Action(Recording, ActionModule):
    pass


def run(args, hosts):
    task = MagicMock(args=args, check_mode=False, async_val=0, action='oceanbase.backup.backup_compliance_play_restores')
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = Action(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    outcome = action.run(task_vars={'hostvars': HostVars(hosts)})
    return outcome, collected(outcome, action, args.get('restores_var', 'backup_compliance_play_restores'))


def collected(outcome, action, name):
    """The list as ansible-core gets it: set like set_fact does (2.21 and later), or as a fact."""
    return variable_set(outcome, action, name)


def test_the_restores_of_the_named_hosts_as_the_filter_picks_them():
    hosts = {'a': {'q': {'restores': DRILL_A, 'data': {}}}, 'b': {'q': {'restores': DRILL_B}}, 'c': {'q': REFUSED},
             'd': {'other': 1}, 'e': {'q': {'restores': {'summary': {}}}}}
    args = {'from_hosts': ['a', 'b', 'c', 'd', 'not-in-inventory'], 'result_var': 'q', 'gather': ['data', 'restores'], 'restores_var': 'drills'}
    outcome, restores = run(args, hosts)
    assert restores == [DRILL_A, DRILL_B, REFUSED]
    assert restores == backup_compliance_restores([hosts['a']['q'], hosts['b']['q'], hosts['c']['q']], ['data', 'restores'])
    assert outcome['changed'] is False and outcome['hosts'] == 3 and outcome['restores'] == 3


def test_a_failed_run_that_was_not_asked_for_restores_is_left_out():
    outcome, restores = run({'from_hosts': ['a', 'c'], 'result_var': 'q', 'gather': ['data']}, {'a': {'q': {'restores': DRILL_A}}, 'c': {'q': REFUSED}})
    assert restores == [DRILL_A] and outcome['hosts'] == 2


def test_a_value_that_is_not_a_result_fails_naming_the_host_and_the_variable():
    with pytest.raises(AnsibleActionFail, match='q of host b must be a compliance module result .a dict.; got str'):
        run({'from_hosts': ['a', 'b'], 'result_var': 'q'}, {'a': {'q': {'restores': DRILL_A}}, 'b': {'q': '{{ other }}'}})


@pytest.mark.parametrize('args, message', [
    ({'result_var': 'q'}, 'missing required arguments: from_hosts'),
    ({'from_hosts': ['a'], 'result_var': 'q', 'gather': ['archive']}, 'gather must be one or more of'),
    ({'from_hosts': ['a'], 'result_var': 'q', 'restores_var': 'my-drills'}, "restores_var must be a valid variable name .*got 'my-drills'"),
    ({'from_hosts': ['a'], 'result_var': '1st'}, "result_var must be a valid variable name .*got '1st'"),
])
def test_bad_options_fail_naming_them(args, message):
    with pytest.raises(AnsibleActionFail, match='backup_compliance_play_restores: .*' + message):
        run(args, {'a': {'q': {'restores': DRILL_A}}})
