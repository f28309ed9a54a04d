# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The compliance filters as Ansible calls them: the adapters over plugin_utils/_compliance, bad input as a filter
error, the plan that the roles resolve before gathering, and a property over arbitrary input."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.filter import compliance
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    H, JSON, NOW, by_check, data_summary, log_summary, obshell, ocp, overview)

FILTERS = compliance.FilterModule().filters()


def test_filter_module_exposes_every_filter_by_its_name():
    assert FILTERS == {
        'backup_compliance_checks': compliance.backup_compliance_checks, 'backup_compliance_plan': compliance.backup_compliance_plan,
        'backup_compliance_summary': compliance.backup_compliance_summary, 'backup_compliance_report': compliance.backup_compliance_report,
        'backup_compliance_lines': compliance.backup_compliance_lines, 'backup_compliance_verdict': compliance.backup_compliance_verdict}


@pytest.mark.parametrize('name, args, match', [
    ('backup_compliance_checks', ([1],), 'expects a dict'),
    ('backup_compliance_checks', (ocp(), {'nope': {}}), 'unknown check id'),
    ('backup_compliance_checks', (ocp(), None, None, 'strict'), 'preset must be audit or gate'),
    ('backup_compliance_plan', ({'backup_age': {'max_hours': -1}},), 'policy.backup_age.max_hours must be a number of 0 or more'),
    ('backup_compliance_plan', (None, 'audit', {'backup_compliance_backup_max_age_hours': 'soon'}),
     'backup_compliance_backup_max_age_hours must be a number of 0 or more'),
    ('backup_compliance_summary', ([{'status': 'ok'}],), 'check record 0 has status'),
    ('backup_compliance_report', ([], 'check'), 'mode must be audit or gate'),
    ('backup_compliance_lines', ('pass', 'audit'), 'list of check records'),
    ('backup_compliance_verdict', ([], 'gate', 'maybe'), 'fail_on_violation must be true or false'),
])
def test_bad_input_is_a_filter_error_with_the_engine_message(name, args, match):
    with pytest.raises(AnsibleFilterError, match=match):
        FILTERS[name](*args)


def test_the_plan_spells_out_the_gate_and_its_query_window():
    plan = compliance.backup_compliance_plan(None, 'gate')
    assert plan['preset'] == 'gate' and plan['lookback_hours'] == 24 * 2 + 24
    enabled = sorted(check for check, settings in plan['policy'].items() if check not in ('custom', 'waivers') and settings['enabled'])
    assert enabled == ['backup_running', 'full_backup_age', 'log_backup_active', 'log_backup_delay']
    assert plan['policy']['full_backup_age'] == {'enabled': True, 'max_hours': 24}
    assert compliance.backup_compliance_plan()['lookback_hours'] == 168 * 2 + 24


def test_the_plans_policy_gives_the_same_records_under_any_preset():
    shortcuts = {'backup_compliance_backup_max_age_hours': 0.5, 'backup_compliance_log_max_delay_seconds': '0.5'}
    plan = compliance.backup_compliance_plan({'waivers': [{'check': 'backup_age', 'tenant': 'x', 'reason': 'r'}]}, 'gate', shortcuts)
    gathered = ocp(data={'t1': data_summary(last_success={'age_seconds': 40 * 60})}, log={'t1': log_summary(delay_seconds=0.8)})
    direct = compliance.backup_compliance_checks(gathered, {'waivers': plan['policy']['waivers']}, NOW, 'gate', shortcuts)
    for preset in ('audit', 'gate'):
        assert compliance.backup_compliance_checks(gathered, plan['policy'], NOW, preset) == direct
    records = by_check(direct)
    assert (records['backup_age']['status'], records['backup_age']['threshold']) == ('fail', 1800)
    assert (records['log_backup_delay']['status'], records['log_backup_delay']['threshold']) == ('fail', 0.5)


def test_lines_and_verdict_through_the_filters():
    records = compliance.backup_compliance_checks(obshell(overview('t1', age_seconds=30 * H)), None, NOW, 'gate')
    assert compliance.backup_compliance_lines(records, 'gate')[0] == 'Backup compliance (gate): 1 pass, 1 fail, 0 waived, 0 error'
    verdict = compliance.backup_compliance_verdict(records, 'gate')
    assert verdict['failed'] and verdict['msg'].startswith('1 blocker(s): [t1] backup_age: last successful backup 1d 6h ago')
    assert compliance.backup_compliance_verdict(records, 'audit', 'yes')['msg'].startswith('1 failed check(s): [t1] backup_age')


@settings(max_examples=200, deadline=None)
@given(junk=JSON, policy=JSON | st.none())
def test_property_arbitrary_input_gives_records_or_a_filter_error(junk, policy):
    for gathered in ({'source': 'ocp', 'ocp_data': junk, 'ocp_log': junk, 'tenants': junk}, {'source': 'obshell', 'obshell': [junk]},
                     {'source': 'obshell', 'obshell': junk}, junk):
        for pol in (None, policy, {'waivers': junk}, {'custom': junk}, {'backup_age': junk}):
            try:
                records = compliance.backup_compliance_checks(gathered, pol, NOW)
            except AnsibleFilterError:
                continue
            assert all(r['status'] != 'pass' or r['observed'] is not None for r in records if r['check'] != 'never_backed_up')
    for name in ('backup_compliance_report', 'backup_compliance_lines', 'backup_compliance_verdict'):
        for records in (junk, [junk]):
            try:
                FILTERS[name](records, 'audit')
            except AnsibleFilterError:
                pass
    for shortcuts in (junk, {'backup_compliance_backup_max_age_hours': junk}, {'backup_compliance_waivers': junk}):
        try:
            compliance.backup_compliance_plan(policy, 'audit', shortcuts)
        except AnsibleFilterError:
            pass
