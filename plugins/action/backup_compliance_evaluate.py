# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Evaluate the compliance checks of a registered result on the controller (documented in
plugins/modules/backup_compliance_evaluate.py)."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import engine
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.gathered import RESULT_PARTS, gathered_from
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.report import Report, summary
from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects
from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import OwnVariables, set_host_variables
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting.view import MODES

NAME = 'backup_compliance_evaluate'
SPEC = {
    'source': {'type': 'str', 'choices': ['ocp', 'obshell'], 'required': True},
    'result_var': {'type': 'str', 'required': True},
    'gather': {'type': 'list', 'elements': 'str', 'choices': list(RESULT_PARTS), 'default': ['data', 'log']},
    'overviews_var': {'type': 'str'},
    'restores': {'type': 'list', 'elements': 'raw'},
    'restores_var': {'type': 'str'},
    'cluster': {'type': 'str', 'required': True},
    'tenants': {'type': 'list', 'elements': 'str'},
    'policy': {'type': 'dict'},
    'preset': {'type': 'str', 'choices': ['audit', 'gate'], 'default': 'audit'},
    'mode': {'type': 'str', 'choices': list(MODES), 'default': 'audit'},
    'fail_on_violation': {'type': 'raw', 'default': False},
    'checks_var': {'type': 'str', 'default': 'backup_compliance_checks'},
    'release_inputs': {'type': 'bool', 'default': False},
}
# The options that name a variable read as the host holds it.
INPUT_VARS = ('result_var', 'overviews_var', 'restores_var')


def _held(variables, name, host, hint):
    """A variable as the host holds it, not templated again: a string there is a template, not a result."""
    value = variables.get(name)
    if value is None:
        raise AnsibleActionFail('%s: host %s has no variable %s (%s)' % (NAME, host, name, hint))
    return value


def _registered(variables, name, host):
    value = _held(variables, name, host, 'register the compliance module result under that name')
    if not isinstance(value, Mapping):
        raise AnsibleActionFail('%s: %s of host %s must be a registered module result (a dict); got %s' % (NAME, name, host, type(value).__name__))
    return value


def _play_restores(variables, name, host):
    """The restores of the play a variable holds (the backup_compliance_restores filter's list)."""
    value = _held(variables, name, host, 'set it to the backup_compliance_restores filter of the play, once')
    if isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple)):
        raise AnsibleActionFail('%s: %s of host %s must be the list the backup_compliance_restores filter returns; got %s'
                                % (NAME, name, host, type(value).__name__))
    return value


class ActionModule(ActionBase):
    """Build the gathered dict from the registered results as they are, run the checks, give the verdict."""

    TRANSFERS_FILES = False
    # Everything happens on the controller: no connection to the host is opened for it.
    _requires_connection = False
    _VALID_ARGS = frozenset(SPEC)

    def _options(self):
        result = ArgumentSpecValidator(SPEC, mutually_exclusive=[('restores', 'restores_var')]).validate(dict(self._task.args))
        if result.error_messages:
            raise AnsibleActionFail('%s: %s' % (NAME, '; '.join(result.error_messages)))
        return result.validated_parameters

    def _gathered(self, options, task_vars):
        host = task_vars.get('inventory_hostname', 'this host')
        # Not through the task's templating proxies: walking a cluster's result and the play's drills that way cost
        # more than the checks themselves.
        held = OwnVariables(task_vars, host)
        own = _registered(held, options['result_var'], host)
        overviews = None if options['overviews_var'] is None else _registered(held, options['overviews_var'], host)
        # Read by name as the host holds them: templated into the arguments, every drill of the play would be
        # copied once per host.
        restores = options['restores'] if options['restores_var'] is None else _play_restores(held, options['restores_var'], host)
        return gathered_from(options['source'], own, options['gather'], options['cluster'], options['tenants'], overviews, restores)

    def run(self, tmp=None, task_vars=None):
        spare_inherited_objects()
        result = super().run(tmp, task_vars)
        del tmp
        options = self._options()
        try:
            records = engine.evaluate(self._gathered(options, task_vars or {}), options['policy'], preset=options['preset'])
            verdict = Report(records, options['mode']).verdict(options['fail_on_violation'])
        except ComplianceError as exc:
            raise AnsibleActionFail('%s: %s' % (NAME, exc.message)) from None
        result.update(changed=False, summary=summary(records), verdict=verdict)
        self._set_records(result, options['checks_var'], records, self._released(options))
        return result

    @staticmethod
    def _released(options):
        """The variables release_inputs sets to null: what was read by name, never the records."""
        if not options['release_inputs']:
            return {}
        return dict((options[key], None) for key in INPUT_VARS if options[key] not in (None, options['checks_var']))

    def _set_records(self, result, name, records, released):
        """The records as set_fact sets them; the released inputs as register does, where they were registered (or
        held with result_var)."""
        set_host_variables(self, result, ephemeral={name: records}, registered=released)
