# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A registered compliance module result -> the gathered dict: each part in its place, a failed run standing for
every part, the restores of the play, and what is not a result."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.filter.compliance import backup_compliance_restores
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.gathered import gathered_from, play_restores
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    by_check, checks, data_summary, log_summary, overview, result)

FAILED = {'changed': False, 'failed': False, 'msg': 'OCP login failed: HTTP 401', 'invocation': {'module_args': {'gather': ['data', 'log', 'restores']}}}


def compliance(**parts):
    """An ocp_backup_compliance_info result with the given parts."""
    found = {'changed': False, 'failed': False, 'cluster': {'id': 1, 'name': 'obprod'}}
    found.update(parts)
    return found


def test_each_part_goes_to_its_key_and_the_cluster_name_of_ocp_wins():
    data, log, strategy = result('data', {'t1': data_summary()}), result('log', {'t1': log_summary()}), {'summary': {}}
    gathered = gathered_from('ocp', compliance(data=data, log=log, strategy=strategy), ['data', 'log', 'strategy'], '7', ['t1'])
    assert gathered == {'source': 'ocp', 'cluster': 'obprod', 'tenants': ['t1'], 'ocp_data': data, 'ocp_log': log, 'ocp_policy': strategy}
    assert 'ocp_policy' not in gathered_from('ocp', compliance(data=data, log=log, strategy=strategy), ['data', 'log'], '7')
    assert gathered_from('ocp', {'data': data, 'log': log}, ['data', 'log'], '7')['cluster'] == '7'
    assert gathered_from('obshell', {'cluster': {'name': 'other'}, 'data': data, 'log': log}, ['data', 'log'], 'edge')['cluster'] == 'edge'


def test_a_run_that_read_no_part_stands_for_every_part_and_its_checks_are_errors():
    gathered = gathered_from('ocp', FAILED, ['data', 'log', 'strategy', 'restores'], 'obprod', restores=play_restores([FAILED], ['restores']))
    assert gathered['ocp_data'] is FAILED and gathered['ocp_log'] is FAILED and gathered['ocp_policy'] is FAILED
    assert gathered['restores'] == [FAILED]
    records = checks(dict(gathered, tenants=['t1']), {'restore_drill_age': {'enabled': True}})
    assert {record['status'] for record in records} == {'error'}
    assert 'HTTP 401' in by_check(records)['restore_drill_age']['message']


def test_overviews_replace_the_obshell_data_part():
    loop = {'results': [overview('t1')], 'changed': False}
    missing = {'failed': False, 'msg': 'the agent has no backup history API', 'missing_api': 'backup history'}
    gathered = gathered_from('obshell', {'data': missing, 'log': missing}, ['data', 'log'], 'edge', overviews=loop)
    assert gathered['obshell'] == [overview('t1')] and 'obshell_data' not in gathered and gathered['obshell_log'] is missing
    with pytest.raises(ComplianceError, match='overviews replace the data part of an obshell agent; the source is ocp'):
        gathered_from('ocp', {}, ['data', 'log'], 'c', overviews=loop)


def test_play_restores_keeps_what_was_read_and_the_failures_that_were_asked_for():
    drills = {'summary': {'tenants': {'obprod/t1': {'total': 1}}}}
    no_restores = {'changed': False, 'msg': 'login failed', 'invocation': {'module_args': {'gather': ['data', 'log']}}}
    bad_arguments = {'failed': True, 'msg': 'unsupported parameter'}
    results = [compliance(data={}, log={}, restores=drills), compliance(data={}, log={}), FAILED, no_restores, bad_arguments,
               {'skipped': True}, 'a template string', None]
    assert play_restores(results, ['data', 'log', 'restores']) == [drills, FAILED, bad_arguments]
    # A run without its invocation (its arguments were refused) counts as this host would ask.
    assert play_restores([bad_arguments], ['data', 'log']) == []


def test_what_is_not_a_result_fails_naming_it():
    with pytest.raises(ComplianceError, match="source must be one of obshell, ocp; got 'nfs'"):
        gathered_from('nfs', {}, ['data'], 'c')
    with pytest.raises(ComplianceError, match='the ocp result must be the registered result of ocp_backup_compliance_info; got list'):
        gathered_from('ocp', [], ['data'], 'c')


def test_the_restores_filter_is_play_restores():
    drills = {'summary': {'tenants': {}}}
    assert backup_compliance_restores([compliance(data={}, log={}, restores=drills), FAILED, None]) == [drills, FAILED]
    assert backup_compliance_restores([{'msg': 'refused'}], ['data']) == []
