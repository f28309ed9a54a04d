# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell results of the history modules fill the data and log states as OCP's do; an agent without them never passes."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._compliance.gathered import (
    OBSHELL_CHECKS, OCP_CHECKS, by_check, checks, data_summary, log_summary, overview, result)

OLD_AGENT = {'changed': False, 'failed': True, 'missing_api': 'backup history', 'agent_version': '4.3.1.0',
             'msg': 'The obshell agent http://10.0.0.1:2886 (version 4.3.1.0) lacks the backup history API'}


def history(data=None, log=None, **extra):
    gathered = {'source': 'obshell', 'cluster': 'edge', 'tenants': None,
                'obshell_data': result('data', {'t1': data_summary(), 'sys': data_summary()} if data is None else data),
                'obshell_log': result('log', {'t1': log_summary(), 'sys': log_summary()} if log is None else log)}
    gathered.update(extra)
    return gathered


def test_history_results_give_every_check_ocp_gives_without_sys():
    records = checks(history())
    assert sorted(by_check(records)) == OCP_CHECKS
    assert {record['status'] for record in records} == {'pass'}
    assert {record['source'] for record in records} == {'obshell'} and {record['tenant'] for record in records} == {'t1'}


def test_an_interrupted_archive_fails_log_backup_active():
    log = {'t1': log_summary(status=None, active=False, total=0, delay_seconds=6 * 3600.0, checkpoint_age_seconds=6 * 3600)}
    found = by_check(checks(history(log=log)))
    assert found['log_backup_active']['status'] == 'fail'
    assert found['log_backup_delay']['status'] == 'fail'
    assert 'interrupted or stopped' in found['log_backup_active']['message']


def test_only_incremental_backups_fail_full_backup_age():
    found = by_check(checks(history(data={'t1': data_summary(last_full_success=None)})))
    assert found['full_backup_age']['status'] == 'fail'
    assert found['backup_age']['status'] == 'pass'


def test_an_old_agent_reads_the_overview_and_its_log_checks_are_errors_saying_why():
    gathered = {'source': 'obshell', 'cluster': 'edge', 'tenants': None, 'obshell': [overview('t1')], 'obshell_log': OLD_AGENT}
    found = by_check(checks(gathered))
    assert set(OBSHELL_CHECKS) <= set(found)
    for check in ('log_backup_active', 'log_backup_delay', 'log_checkpoint_age'):
        assert found[check]['status'] == 'error'
        assert 'lacks the backup history API' in found[check]['message']
    assert 'pass' not in {found[check]['status'] for check in found if check.startswith('log_')}


def test_gathered_without_any_input_is_refused():
    with pytest.raises(ComplianceError, match='none of the obshell results'):
        checks({'source': 'obshell', 'cluster': 'edge', 'tenants': ['t1']})
