# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Collect the restores parts of the hosts' compliance results on the controller (documented in
plugins/modules/backup_compliance_play_restores.py)."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.gathered import RESULT_PARTS, play_restores
from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects
from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import held_by_hosts, set_host_variables, variable_name

NAME = 'backup_compliance_play_restores'
SPEC = {
    'from_hosts': {'type': 'list', 'elements': 'str', 'required': True},
    'result_var': {'type': 'str', 'required': True},
    'gather': {'type': 'list', 'elements': 'str', 'choices': list(RESULT_PARTS), 'default': ['restores']},
    'restores_var': {'type': 'str', 'default': 'backup_compliance_play_restores'},
}


class ActionModule(ActionBase):
    """Read each named host's result as the host holds it, pick the restores parts, set them once for the task's hosts."""

    TRANSFERS_FILES = False
    # Everything happens on the controller: no connection to the host is opened for it.
    _requires_connection = False
    _VALID_ARGS = frozenset(SPEC)

    def _options(self):
        result = ArgumentSpecValidator(SPEC).validate(dict(self._task.args))
        if result.error_messages:
            raise AnsibleActionFail('%s: %s' % (NAME, '; '.join(result.error_messages)))
        options = result.validated_parameters
        for key in ('result_var', 'restores_var'):
            variable_name(NAME, key, options[key])
        return options

    @staticmethod
    def _results(hosts, name, hostvars):
        """The result each host holds under ``name``, not templated again; a host without one is left out."""
        results = []
        for host, value in held_by_hosts(hostvars, hosts, name):
            if not isinstance(value, Mapping):
                raise AnsibleActionFail('%s: %s of host %s must be a compliance module result (a dict); got %s'
                                        % (NAME, name, host, type(value).__name__))
            results.append(value)
        return results

    def run(self, tmp=None, task_vars=None):
        spare_inherited_objects()
        result = super().run(tmp, task_vars)
        del tmp
        options = self._options()
        results = self._results(options['from_hosts'], options['result_var'], (task_vars or {}).get('hostvars', {}))
        restores = play_restores(results, options['gather'])
        result.update(changed=False, hosts=len(results), restores=len(restores))
        set_host_variables(self, result, ephemeral={options['restores_var']: restores})
        return result
