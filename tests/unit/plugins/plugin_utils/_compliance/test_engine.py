# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The engine end to end: healthy input passes with the right record shape, a check and a state added the way
new checks are, and server text in messages. The properties over arbitrary input run through the filters
(tests/unit/plugins/filter/test_compliance.py)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY, check
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import SOURCES, Input, tenant_states
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import number
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    OBSHELL_CHECKS, OCP_CHECKS, RECORD_KEYS, checks, data_summary, obshell, ocp, overview)


# ---------------------------------------------------------------------------------------------------------------
# Healthy input, record shape, defaults


def test_healthy_ocp_tenant_passes_every_default_check_and_sys_is_left_out():
    records = checks(ocp())
    assert {r['tenant'] for r in records} == {'t1'}
    assert sorted(r['check'] for r in records) == OCP_CHECKS
    assert {r['status'] for r in records} == {'pass'}
    for record in records:
        assert set(record) == RECORD_KEYS
        assert record['cluster'] == 'c1' and record['source'] == 'ocp'
        json.dumps(record)


def test_healthy_obshell_tenant_passes_every_default_check():
    records = checks(obshell(overview('t1')))
    assert sorted(r['check'] for r in records) == OBSHELL_CHECKS
    assert {r['status'] for r in records} == {'pass'} and {r['source'] for r in records} == {'obshell'}
    assert all(set(r) == RECORD_KEYS for r in records)


# ---------------------------------------------------------------------------------------------------------------
# Adding a check: one function, one entry; a new state: one Input


@pytest.fixture
def policy_state(monkeypatch):
    """The registry and the OCP inputs with a policy state and a check on it, restored afterwards."""
    monkeypatch.setattr(REGISTRY, 'entries', list(REGISTRY.entries))
    monkeypatch.setattr(REGISTRY, 'defaults', dict(REGISTRY.defaults))
    others = tuple(item for item in SOURCES['ocp'] if item.key != 'ocp_policy')
    monkeypatch.setitem(SOURCES, 'ocp', others + (Input('ocp_policy', 'policy', 'backup strategy', 'cluster', (), required=False),))

    @check('retention_floor', 'policy', 'days', audit={'enabled': False, 'min_days': 0})
    def _retention_floor(policy, rule):
        days = number(policy.get('retention_days'))
        if days is None:
            return 'fail', None, 'the retention is not reported (at least %s)' % rule.limit
        return ('pass' if days >= rule.threshold else 'fail'), days, 'backups are kept %s days (at least %s)' % (days, rule.limit)


@pytest.mark.usefixtures('policy_state')
def test_a_new_check_and_state_reach_presets_validation_records_and_waivers():
    gathered = dict(ocp(), ocp_policy={'summary': {'tenants': {'t1': {'retention_days': 3}}}})
    assert 'retention_floor' not in {r['check'] for r in checks(gathered)}
    policy = {'retention_floor': {'enabled': True, 'min_days': 7}}
    record = {r['check']: r for r in checks(gathered, policy)}['retention_floor']
    assert (record['status'], record['observed'], record['threshold']) == ('fail', 3, 7)
    assert record['message'] == 'backups are kept 3 days (at least 7d)'
    waived = checks(gathered, dict(policy, waivers=[{'check': 'retention_floor', 'tenant': 't1', 'reason': 'r'}]))
    assert {r['check']: r['status'] for r in waived}['retention_floor'] == 'waived'
    with pytest.raises(ComplianceError, match=r"policy.retention_floor: unknown key\(s\) max_days; accepted: enabled, min_days"):
        checks(gathered, {'retention_floor': {'max_days': 1}})
    failed = {r['check']: r for r in checks(dict(gathered, ocp_policy={'failed': True, 'msg': 'HTTP 404'}), policy)}
    assert (failed['retention_floor']['status'], failed['full_backup_age']['status']) == ('error', 'pass')
    assert {r['check'] for r in checks(obshell(overview('t1')), policy)} == set(OBSHELL_CHECKS)
    # Not gathered (an optional input): the state is not given and its check is absent, not failed.
    assert 'retention_floor' not in {r['check'] for r in checks(ocp(), policy)}
    assert tenant_states(ocp())[0].given == {'data', 'log'}


# ---------------------------------------------------------------------------------------------------------------
# Server text in messages


def test_server_text_reaches_messages_without_control_characters():
    data = {'t1': data_summary(latest={'task_id': 4, 'status': 'FAILED'},
                               last_failure={'task_id': 4, 'error_msg': 'disk \x1b[31mfull\x1b[0m\r\n\x9b2Jnext\x00'})}
    record = {r['check']: r for r in checks(ocp(data=data))}['latest_backup_failed']
    assert record['message'] == 'latest data backup task 4 failed: disk full\nnext'
    failed = overview('t1', status='FAILED', succeeded=False, failed=True, result=-1)
    failed['backup_task']['comment'] = '\x1b]0;pwned\x07device full'
    assert {r['check']: r for r in checks(obshell(failed))}['latest_backup_failed']['message'].endswith(': device full')
    error = checks(ocp(data_result={'failed': True, 'msg': 'HTTP 500; server said message "\x1b[1mboom\x1b[0m"'}))
    assert {r['message'] for r in error if r['status'] == 'error'} == {'the data backup query failed: HTTP 500; server said message "boom"'}
