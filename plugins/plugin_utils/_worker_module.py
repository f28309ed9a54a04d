# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run an API module's work in the worker process ansible-core forked for the task, when the module would run
on the controller, in the controller's Python, anyway.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The compliance modules only talk HTTP to OCP or obshell. With connection local, the module process ansible-core
starts for them is one more Python on the controller: a new interpreter, the AnsiballZ payload compiled again
from a zip on every run, the result encoded to JSON and decoded again. For a fleet that costs more than the
queries. Here the module's own argument spec and its one call run in the worker instead, with the result the
module would return. Wherever the result or the place the requests come from could differ (another connection,
become, another interpreter, an ``environment``, async, a run-time dependency missing from the controller's
Python), the module runs as usual.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

from ansible import constants as C
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import OceanBaseError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects
from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import VariableLayer, set_host_variables, variable_name

display = Display()


def _without_secrets(result, no_log_values):
    """``remove_values(result, no_log_values)``, without walking and copying a result none of them is in.

    Walking a big cluster's result costs as much as reading it. Its JSON text (kept to what JSON has: no bytes, no
    NaN) is searched instead; JSON escapes each character on its own, so a value that holds a secret holds it escaped.
    Anything else, or a secret found (even in a key, or as a number), takes the walk."""
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return remove_values(result, no_log_values)
    if any(json.dumps(str(value), ensure_ascii=False)[1:-1] in text for value in no_log_values):
        return remove_values(result, no_log_values)
    return result


def _as_registered(result):
    """The result as register holds it: ``failed`` always there (the module's own, whatever failed_when says), no
    warnings or deprecations (ansible-core shows them and keeps them out), nothing internal, and before 2.21 no
    invocation. A new top level, as ansible-core may still change the result's."""
    left_out = ('warnings', 'deprecations', 'ansible_facts') + (('invocation',) if VariableLayer is None else ())
    held = dict((key, value) for key, value in result.items() if key not in left_out and not key.startswith('_ansible_'))
    held['failed'] = bool(result.get('failed'))
    return held


def _same_python(interpreter):
    """Whether ``interpreter`` (a path or a command name) is the Python this process runs: the same file in the
    same directory (a virtualenv's python is a link to the base interpreter, which other virtualenvs share)."""
    found = shutil.which(interpreter) if os.path.basename(interpreter) == interpreter else interpreter
    if not found:
        return False
    mine, theirs = os.path.abspath(sys.executable), os.path.abspath(found)
    return os.path.dirname(mine) == os.path.dirname(theirs) and os.path.realpath(mine) == os.path.realpath(theirs)


def _inject_invocation(task_vars):
    """Whether the module would add ``invocation`` to its result: always before ansible-core 2.21, since then as
    the INJECT_INVOCATION setting says."""
    try:
        return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))
    except Exception:   # pylint: disable=broad-exception-caught  # no such setting: an ansible-core before 2.21
        return True


class WorkerModuleAction(ActionBase):
    """The action of an info module: ``ARGSPEC`` and ``RULES`` are its argument spec, ``collect(params, warn)``
    its one call (the result dict, or an OceanBaseError), ``READY`` whether its run-time dependencies import."""

    ARGSPEC = {}
    RULES = {}
    READY = False

    @staticmethod
    def collect(params, warn):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        spare_inherited_objects()
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        name = self._result_var()
        reason = self._module_needed(task_vars)
        if reason:
            display.vvv('%s: running the module (%s)' % (self._task.action, reason), host=task_vars.get('inventory_hostname'))
            result.update(self._execute_module(task_vars=task_vars))
        else:
            display.vvv('%s: running in the worker process (connection local, the controller\'s Python)' % self._task.action,
                        host=task_vars.get('inventory_hostname'))
            result.update(self._run_here(task_vars))
        if name:
            self._hold(result, name)
        return result

    def _result_var(self):
        """The result_var option, checked before anything runs: a variable name, or None."""
        name = self._task.args.get('result_var')
        return None if name is None else variable_name(self._task.action, 'result_var', name)

    def _hold(self, result, name):
        """The result as the host variable ``name``, as register would give it, but not templated again: ansible-core
        2.21 templates a registered result value by value, which for a cluster's result costs about as much as the
        query. Before 2.21, a fact."""
        set_host_variables(self, result, registered={name: _as_registered(result)})

    def _module_needed(self, task_vars):
        """Why the module must run as a module process, or None."""
        if getattr(self._connection, 'transport', None) != 'local':
            return 'the connection is not local'
        if self._play_context.become:
            return 'become'
        if self._task.async_val:
            return 'async'
        if any(self._task.environment or ()):   # ansible-core gives [{}] for none
            return 'the task has an environment'
        if not self.READY:
            return 'a run-time dependency is missing from the controller\'s Python'
        interpreter = self._interpreter(task_vars)
        if not (interpreter.startswith('auto') or _same_python(interpreter)):
            return 'ansible_python_interpreter is %s' % interpreter
        return None

    def _interpreter(self, task_vars):
        variables = task_vars
        if self._task.delegate_to:
            variables = task_vars.get('ansible_delegated_vars', {}).get(self._task.delegate_to, {})
        value = variables.get('ansible_python_interpreter')
        if value is None:
            value = C.config.get_config_value('INTERPRETER_PYTHON', variables=variables)
        return str(self._templar.template(value))

    def _run_here(self, task_vars):
        """What the module returns for these arguments: validated as AnsibleModule validates them, its one call,
        every no_log value taken out of the result and the warnings."""
        validated = ArgumentSpecValidator(self.ARGSPEC, **self.RULES).validate(dict(self._task.args))
        no_log_values = validated._no_log_values
        warnings = ['Both option %s and its alias %s are set.' % (w['option'], w['alias']) for w in validated._warnings]
        if validated.error_messages:
            msg = validated.errors.msg
            if isinstance(validated.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for (%s) module: %s' % (self._task.resolved_action or self._task.action, msg)
            result = dict(failed=True, msg=msg)
        else:
            result = self._collect(validated.validated_parameters, warnings)
            if _inject_invocation(task_vars):
                result['invocation'] = {'module_args': validated.validated_parameters}
        result['changed'] = False
        if warnings:
            result['warnings'] = warnings
        return _without_secrets(result, no_log_values)

    def _collect(self, params, warnings):
        try:
            return dict(self.collect(params, warn=warnings.append))
        except OceanBaseError as exc:
            return dict(failed=True, **exc.to_fail_kwargs())
