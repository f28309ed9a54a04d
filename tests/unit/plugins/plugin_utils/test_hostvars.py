# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Host variables in the actions: names checked, variables set as set_fact and register set them (never as cached
facts). ``Recording`` and ``variable_set`` serve the tests of the actions that set variables."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import VariableLayer, is_variable_name, set_host_variables


class Recording:
    """Mixed into an action: what it passes to ansible-core's register_host_variables, layer by layer."""

    registered = None

    def register_host_variables(self, variables, layer=None):
        self.registered = dict(self.registered or {}, **{str(layer): variables})


def variable_set(outcome, action, name, layer='EPHEMERAL_FACT'):
    """The value of ``name`` as ansible-core gets it from the action: at ``layer`` (2.21 and later), or as a fact in
    the result. Nothing may become a cached fact: that layer is set, and empty."""
    if VariableLayer is None:
        return outcome['ansible_facts'][name]
    assert 'ansible_facts' not in outcome
    assert action.registered[str(VariableLayer.CACHEABLE_FACT)] == {}
    return action.registered[str(VariableLayer[layer])][name]


@pytest.mark.parametrize('name', ['q', '_private', 'prod_2', '__backup_compliance_query'])
def test_variable_names(name):
    assert is_variable_name(name)


@pytest.mark.parametrize('name', ['1st', 'with-dash', 'a b', '', None, ['list'], 'yield', 'none', 'True', 'caf\u00e9'])
def test_what_cannot_name_a_variable(name):
    assert not is_variable_name(name)


def test_set_fact_and_register_precedence_and_no_cached_fact():
    action, outcome = Recording(), {}
    set_host_variables(action, outcome, ephemeral={'records': [1]}, registered={'query': None})
    assert variable_set(outcome, action, 'records') == [1]
    assert variable_set(outcome, action, 'query', 'REGISTER_VARS') is None
    # Nothing asked at a layer: that layer is not touched (only the cached facts are set, empty).
    action, outcome = Recording(), {}
    set_host_variables(action, outcome, registered={'query': 2})
    if VariableLayer is not None:
        assert sorted(action.registered) == sorted([str(VariableLayer.REGISTER_VARS), str(VariableLayer.CACHEABLE_FACT)])
    assert variable_set(outcome, action, 'query', 'REGISTER_VARS') == 2
