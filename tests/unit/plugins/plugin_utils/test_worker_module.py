# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The compliance modules' actions: in the worker exactly when the module would run in the controller's Python,
and then the module's result (validation, no_log, warnings, errors, invocation); the module otherwise."""

from __future__ import annotations

import math
import os
import sys
from unittest.mock import MagicMock

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values

import pytest

from ansible_collections.oceanbase.backup.plugins.action.ocp_backup_compliance_info import ActionModule as OcpAction
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import OceanBaseError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_compliance import collect_compliance
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import utcnow
from ansible_collections.oceanbase.backup.plugins.plugin_utils import _worker_module
from ansible_collections.oceanbase.backup.plugins.plugin_utils._worker_module import WorkerModuleAction, _same_python, _without_secrets

from ansible_collections.oceanbase.backup.tests.unit.plugins.module_utils.test_ocp_compliance import fleet, gather_params
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils.test_hostvars import Recording, variable_set
from obsim.testing import PASSWORD, USER

MODULE_RESULT = {'changed': False, 'from': 'the module process'}


class Templar:
    """The task templar: the one template these tests use is ansible_playbook_python."""

    @staticmethod
    def template(value):
        return sys.executable if value == '{{ ansible_playbook_python }}' else value


def action(args, cls=OcpAction, transport='local', become=False, environment=None, delegate_to=None):
    task = MagicMock(args=args, async_val=0, environment=environment if environment is not None else [{}], delegate_to=delegate_to,
                     action='oceanbase.backup.ocp_backup_compliance_info', resolved_action='oceanbase.backup.ocp_backup_compliance_info')
    connection = MagicMock(transport=transport)
    connection._shell.tmpdir = None
    play_context = MagicMock(become=become)
    plugin = cls(task, connection, play_context, loader=None, templar=Templar(), shared_loader_obj=None)
    plugin._execute_module = MagicMock(return_value=dict(MODULE_RESULT))
    return plugin


def here(task_vars=None, **kwargs):
    return dict({'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, **(task_vars or {})), kwargs


def test_the_controllers_python_is_recognised_and_another_virtualenv_is_not(tmp_path):
    assert _same_python(sys.executable)
    assert _same_python(os.path.basename(sys.executable)) == (os.path.dirname(sys.executable) in os.environ['PATH'].split(os.pathsep))
    # A link to the same interpreter elsewhere is another virtualenv (its own pyvenv.cfg, its own packages).
    link = tmp_path / 'python'
    link.symlink_to(os.path.realpath(sys.executable))
    assert not _same_python(str(link))
    assert not _same_python(str(tmp_path / 'missing'))


@pytest.mark.parametrize('kwargs, variables, reason', [
    ({'transport': 'ssh'}, {}, 'the connection is not local'),
    ({'become': True}, {}, 'become'),
    ({'environment': [{'HTTPS_PROXY': 'http://proxy:3128'}]}, {}, 'the task has an environment'),
    ({}, {'ansible_python_interpreter': '/opt/other/bin/python3'}, 'ansible_python_interpreter is /opt/other/bin/python3'),
])
def test_the_module_runs_where_the_result_could_differ(kwargs, variables, reason, ocp):
    plugin = action({'cluster_id': 1, 'ocp_url': ocp.ocp_url}, **kwargs)
    task_vars = dict({'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, **variables)
    assert plugin._module_needed(task_vars) == reason
    assert plugin.run(task_vars=task_vars) == dict(MODULE_RESULT)
    assert not ocp.requests


@pytest.mark.parametrize('variables', [{}, {'ansible_python_interpreter': 'auto_silent'}, here()[0]])
def test_the_default_discovery_and_the_controllers_python_run_in_the_worker(variables):
    assert action({'cluster_id': 1})._module_needed(variables) is None


def test_without_its_dependencies_in_the_controllers_python_the_module_runs():
    class Unready(OcpAction):
        READY = False
    plugin = action({'cluster_id': 1}, cls=Unready)
    assert plugin.run(task_vars=here()[0]) == dict(MODULE_RESULT)


def test_a_delegated_task_reads_the_interpreter_of_the_host_it_is_delegated_to():
    plugin = action({'cluster_id': 1}, delegate_to='jump')
    task_vars = {'ansible_python_interpreter': '{{ ansible_playbook_python }}',
                 'ansible_delegated_vars': {'jump': {'ansible_python_interpreter': '/usr/libexec/platform-python'}}}
    assert plugin._module_needed(task_vars) == 'ansible_python_interpreter is /usr/libexec/platform-python'


def timeless(value):
    """A result without what moves with the clock between two runs (ages, the query time)."""
    if isinstance(value, dict):
        return dict((key, timeless(item)) for key, item in value.items() if not key.endswith(('age_seconds', 'queried_at')))
    if isinstance(value, list):
        return [timeless(item) for item in value]
    return value


def test_in_the_worker_the_result_is_the_modules_over_real_http(ocp):
    fleet(ocp)
    expected = collect_compliance(gather_params(ocp.ocp_url, cluster_name='prod', start_time='2024-07-01T00:00:00Z'), now=utcnow())
    args = {'ocp_url': ocp.ocp_url, 'ocp_username': USER, 'ocp_password': PASSWORD, 'cluster_name': 'prod', 'start_time': '2024-07-01T00:00:00Z',
            'gather': ['data', 'log', 'strategy', 'restores']}
    got = action(args).run(task_vars=here()[0])
    # Before ansible-core 2.21 the module adds its invocation, and so does the worker (its own test is below).
    assert ('invocation' in got) is _worker_module._inject_invocation(here()[0])
    got.pop('invocation', None)
    assert got['changed'] is False and 'failed' not in got
    assert got['data']['summary']['total'] == 5 and got['cluster'] == {'id': 1, 'name': 'prod'}
    assert timeless(got) == timeless(dict(expected, changed=False))
    assert PASSWORD not in repr(got)


@pytest.mark.parametrize('inject', [True, False])
def test_invocation_is_added_as_the_module_would_add_it(monkeypatch, inject):
    monkeypatch.setattr(_worker_module, '_inject_invocation', lambda task_vars: inject)
    plugin = action({'cluster_id': 1, 'ocp_url': 'https://ocp.example.com', 'ocp_username': 'u', 'ocp_password': 'S3cret-pw'})
    plugin.collect = lambda params, warn: {'summary': 'ok'}
    got = plugin.run(task_vars=here()[0])
    assert ('invocation' in got) is inject
    if inject:
        assert got['invocation']['module_args']['ocp_password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
        assert got['invocation']['module_args']['cluster_id'] == 1


def test_bad_arguments_fail_as_the_module_fails_them_before_any_call():
    plugin = action({'cluster_id': 1, 'bogus': 1})
    plugin.collect = MagicMock()
    got = plugin.run(task_vars=here()[0])
    assert got['failed'] and got['changed'] is False
    assert got['msg'].startswith('Unsupported parameters for (oceanbase.backup.ocp_backup_compliance_info) module: bogus.')
    got = action({'cluster_id': 'one'}).run(task_vars=here()[0])
    assert got['failed'] and 'cluster_id' in got['msg']
    plugin.collect.assert_not_called()


def test_errors_and_warnings_are_the_modules_and_no_secret_is_in_them():
    def collect(params, warn):
        warn('the server said %s' % params['ocp_password'])
        raise OceanBaseError('GET /api/v2/x failed for %s' % params['ocp_password'], http_status=500)
    plugin = action({'cluster_id': 1, 'ocp_url': 'https://ocp.example.com', 'ocp_username': 'u', 'ocp_password': 'S3cret-pw'})
    plugin.collect = collect
    got = plugin.run(task_vars=here()[0])
    assert got['failed'] and got['changed'] is False and got['http_status'] == 500
    assert 'S3cret-pw' not in repr(got)
    assert got['msg'] == 'GET /api/v2/x failed for ********'
    assert got['warnings'] == ['the server said ********']


SECRET = 'x"y\\z\n1'    # what JSON escapes: a quote, a backslash, a newline


@pytest.mark.parametrize('result', [
    {'msg': 'a password in it: %s' % SECRET},                       # the secret as JSON escapes it
    {'tenants': {SECRET: {'total': 1}}},                            # in a key: the walk runs (and leaves keys)
    {'summary': {'total': 4711}, 'list': [('a', SECRET)]},          # a number, a tuple
    {'raw': SECRET.encode()},                                       # bytes: not JSON, the walk runs
])
def test_secrets_are_removed_as_remove_values_removes_them(result):
    assert _without_secrets(result, {SECRET, '4711'}) == remove_values(result, {SECRET, '4711'})


def test_a_result_json_cannot_hold_takes_the_walk():
    got = _without_secrets({'ratio': math.nan, 'msg': 'said %s' % SECRET}, {SECRET})
    assert got['msg'] == 'said ********' and math.isnan(got['ratio'])


def test_a_result_without_secrets_is_returned_as_it_is():
    result = {'summary': {'tenants': {'app': {'total': 3, 'by_status': {'DONE': 3}}}}, 'warnings': ['slow'], 'ratio': 0.5}
    assert _without_secrets(result, {'S3cret-pw', '12345'}) is result
    # Found as a number: the walk replaces it, as AnsibleModule would.
    assert _without_secrets({'total': 12345}, {'12345'}) == {'total': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'}


def test_the_base_has_no_call_of_its_own():
    with pytest.raises(NotImplementedError):
        WorkerModuleAction.collect({}, warn=None)


class Holding(Recording, OcpAction):
    """The action with ansible-core's register_host_variables recorded, where this core has it."""


def held(plugin, got, name):
    """The variable result_var set: at the precedence of register (2.21 and later), or as a fact."""
    value = variable_set(got, plugin, name, 'REGISTER_VARS')
    got.pop('ansible_facts', None)
    return value


@pytest.mark.parametrize('transport', ['local', 'ssh'])
def test_result_var_holds_the_result_either_way_it_ran(ocp, transport):
    fleet(ocp)
    args = {'ocp_url': ocp.ocp_url, 'ocp_username': USER, 'ocp_password': PASSWORD, 'cluster_name': 'prod',
            'gather': ['data', 'log'], 'result_var': 'prod_backups'}
    plugin = action(args, cls=Holding, transport=transport)
    got = plugin.run(task_vars=here()[0])
    value = held(plugin, got, 'prod_backups')
    # As register holds it: failed always there; before ansible-core 2.21 without the invocation.
    registered = dict((key, item) for key, item in got.items() if key != 'invocation' or _worker_module.VariableLayer is not None)
    assert value == dict(registered, failed=False) and value is not got
    assert value['data']['summary']['total'] == 5 if transport == 'local' else value == dict(MODULE_RESULT, failed=False)
    assert PASSWORD not in repr(value)


def test_without_result_var_nothing_is_set(ocp):
    fleet(ocp)
    plugin = action({'ocp_url': ocp.ocp_url, 'ocp_username': USER, 'ocp_password': PASSWORD, 'cluster_name': 'prod'}, cls=Holding)
    got = plugin.run(task_vars=here()[0])
    assert plugin.registered is None and 'ansible_facts' not in got and got['data']['summary']['total'] == 5


@pytest.mark.parametrize('name', ['1st', 'with-dash', 'a b', '', ['list'], 'yield', 'none', 'caf\u00e9'])
def test_a_bad_result_var_fails_naming_it_before_anything_runs(name):
    plugin = action({'cluster_id': 1, 'result_var': name}, cls=Holding)
    plugin.collect = MagicMock()
    with pytest.raises(AnsibleActionFail, match='result_var must be a valid variable name'):
        plugin.run(task_vars=here()[0])
    plugin.collect.assert_not_called()
    plugin._execute_module.assert_not_called()
    assert plugin.registered is None
