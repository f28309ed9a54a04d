# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Another host's variables, read in an action plugin as that host holds them.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping

from ansible.errors import AnsibleActionFail

try:  # ansible-core 2.21 and later: variables an action sets, at the precedence it chooses
    from ansible.plugins.action import VariableLayer
except ImportError:
    VariableLayer = None

# Names Jinja reads as constants, beside Python's keywords.
_JINJA_CONSTANTS = ('true', 'false', 'none')


def is_variable_name(name):
    """Whether ``name`` can name a variable: ASCII letters, digits and underscores, not starting with a digit, not a
    Python keyword nor a Jinja constant."""
    return (isinstance(name, str) and name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
            and name not in _JINJA_CONSTANTS)


def variable_name(owner, option, name):
    """``name``, the value of ``option`` of the action ``owner``, if it can name a variable; else the action fails,
    naming the option and what it accepts."""
    if not is_variable_name(name):
        raise AnsibleActionFail('%s: %s must be a valid variable name (letters, digits and underscores, not starting '
                                'with a digit); got %r' % (owner, option, name))
    return name


def held_by_hosts(hostvars, hosts, name):
    """(host, value) for each of ``hosts`` that holds ``name`` (not null), read as it holds it (``raw_host_variables``)."""
    for host in hosts:
        found = raw_host_variables(hostvars, host)
        value = None if found is None else found.get(name)
        if value is not None:
            yield host, value


def raw_host_variables(hostvars, host):
    """The variables of ``host``, not templated again (registered results and records stay as they are), or None
    for a host that is not in the inventory (ansible-core's stand-in for it fails on any use, even isinstance)."""
    if host not in hostvars:
        return None
    found = hostvars.raw_get(host)
    return found if isinstance(found, Mapping) else None


class OwnVariables:
    """The variables of the task's own host as it holds them (``raw_host_variables``), then the task's own for a
    name the host does not hold (a play or task var). The task's variables hand every dict and list out through a
    lazy templating proxy, which costs more than the work over a big registered result."""

    def __init__(self, task_vars, host):
        raw = raw_host_variables(task_vars['hostvars'], host) if 'hostvars' in task_vars else None
        self.raw, self.task_vars = raw or {}, task_vars

    def get(self, name):
        value = self.raw.get(name)
        return self.task_vars.get(name) if value is None else value


def set_host_variables(action, result, ephemeral=None, registered=None):
    """Variables for the task's hosts (with run_once, every host of the task) as set_fact sets them (``ephemeral``)
    and as register does (``registered``): never cached facts, which ansible-core copies whole into the variables of
    every later task of the host. Before 2.21, facts in the result."""
    if VariableLayer is None:
        result['ansible_facts'] = dict(registered or {}, **(ephemeral or {}))
        return
    if registered:
        action.register_host_variables(registered, VariableLayer.REGISTER_VARS)
    if ephemeral:
        action.register_host_variables(ephemeral, VariableLayer.EPHEMERAL_FACT)
    # Without this, ansible-core would also make the (absent) ansible_facts of the result cached facts.
    action.register_host_variables({}, VariableLayer.CACHEABLE_FACT)
