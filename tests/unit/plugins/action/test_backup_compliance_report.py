# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The backup_compliance_report action: options, check mode, results; the rendering has its own tests."""

from __future__ import annotations

import json
import os
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.oceanbase.backup.plugins.action.backup_compliance_report import ActionModule
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import sample


class HostVars:
    """What ansible-core hands an action as hostvars: raw_get gives a host's variables without templating them."""

    def __init__(self, hosts):
        self.hosts = hosts

    def __contains__(self, host):
        return host in self.hosts

    def raw_get(self, host):
        if host not in self.hosts:
            raise AssertionError('ansible-core gives a stand-in for a host not in the inventory that fails on any use')
        return self.hosts[host]

    def __getitem__(self, host):
        raise AssertionError('the records must be read with raw_get, not templated again')


def run(args, check_mode=False, hosts=None):
    task = MagicMock(args=args, check_mode=check_mode, async_val=0, action='oceanbase.backup.backup_compliance_report')
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={'hostvars': HostVars(hosts or {})})


def test_writes_the_set_and_returns_it(tmp_path):
    result = run({'report': sample.sample_report(), 'report_dir': str(tmp_path)})
    assert result['changed'] is True
    assert [os.path.basename(path) for path in result['files']] == [
        'compliance-report.%s' % ext for ext in ('json', 'md', 'html', 'xml', 'prom')]
    assert all(os.path.isfile(path) for path in result['files'])
    assert result['summary'] == sample.sample_report()['summary'] and result['since_last_run'] is None
    again = run({'report': sample.sample_report(generated_at='2026-11-24T08:00:00Z'), 'report_dir': str(tmp_path), 'formats': ['json']})
    assert len(again['removed']) == 4 and again['since_last_run'] == {'previous_generated_at': sample.GENERATED_AT, 'new': 0, 'resolved': 0}


def test_records_mode_and_time_instead_of_a_report(tmp_path):
    records = sample.sample_report(hostile=False)['checks']
    result = run({'checks': records, 'mode': 'gate', 'generated_at': '2026-11-23T09:00:00Z', 'report_dir': str(tmp_path),
                  'report_name': 'gate', 'formats': ['json']})
    written = json.loads((tmp_path / 'gate.json').read_text())
    assert (written['mode'], written['generated_at'], len(written['checks'])) == ('gate', '2026-11-23T09:00:00Z', len(records))
    assert result['generated_at'] == '2026-11-23T09:00:00Z'


def test_from_hosts_merges_every_host_that_has_records(tmp_path):
    records = sample.sample_report(hostile=False)['checks']
    hosts = {'b': {'backup_compliance_checks': records[:100]}, 'a': {'backup_compliance_checks': records[100:]}, 'c': {'other': 1}}
    result = run({'from_hosts': ['b', 'a', 'c', 'unknown'], 'report_dir': str(tmp_path), 'formats': ['json']}, hosts=hosts)
    written = json.loads((tmp_path / 'compliance-report.json').read_text())
    assert written['checks'] == sorted(records, key=lambda record: (record['cluster'], record['tenant'], record['check']))
    assert result['summary'] == sample.sample_report(hostile=False)['summary']
    run({'from_hosts': ['x'], 'checks_var': 'mine', 'report_dir': str(tmp_path / 'x'), 'formats': ['json']},
        hosts={'x': {'mine': records[:3]}})
    assert len(json.loads((tmp_path / 'x' / 'compliance-report.json').read_text())['checks']) == 3
    with pytest.raises(AnsibleActionFail, match='backup_compliance_checks of host a must be the list of check records; got str'):
        run({'from_hosts': ['a'], 'report_dir': str(tmp_path)}, hosts={'a': {'backup_compliance_checks': '{{ oops }}'}})


def test_check_mode_writes_and_claims_nothing(tmp_path):
    where = tmp_path / 'reports'
    result = run({'report': sample.sample_report(), 'report_dir': str(where)}, check_mode=True)
    assert result['files'] == [] and result['removed'] == [] and 'no report written' in result['msg']
    assert not where.exists()


@pytest.mark.parametrize('args, message', [
    ({}, 'missing required arguments: report_dir'),
    ({'report_dir': '.'}, 'exactly one of report .*, checks .* and from_hosts .* is required; got none'),
    ({'report_dir': '.', 'report': {}, 'checks': []}, 'got report and checks'),
    ({'report_dir': '.', 'checks': [], 'from_hosts': ['a']}, 'got checks and from_hosts'),
    ({'report_dir': '.', 'checks': [], 'formats': ['pdf']}, 'formats'),
    ({'report_dir': '.', 'checks': [], 'mode': 'strict'}, 'mode'),
    ({'report_dir': '.', 'report': sample.sample_report(), 'mode': 'gate'}, 'mode and generated_at go with checks or from_hosts'),
    ({'report_dir': '.', 'checks': [{'status': 'bad'}]}, r'report.checks\[0\].status must be one of pass, fail, waived, error'),
    ({'report_dir': '.', 'checks': [], 'report_name': '../x'}, 'report_name must be a file name'),
    ({'report_dir': '.', 'checks': [], 'bogus': 1}, 'Invalid options .*bogus'),
])
def test_bad_options_fail_naming_them(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=message):
        run(args)
    assert os.listdir(tmp_path) == []


def test_an_unwritable_directory_fails_clearly(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    with pytest.raises(AnsibleActionFail, match='cannot write the reports in .*file'):
        run({'checks': [], 'report_dir': str(blocker / 'sub')})


def test_not_passed_is_capped_errors_first_and_counted_in_full(tmp_path):
    records = sample.sample_report(hostile=False)['checks']
    # Two of the failures at the end made errors: they must come first all the same.
    failing = [index for index, record in enumerate(records) if record['status'] == 'fail']
    for index in failing[-2:]:
        records[index] = dict(records[index], status='error')
    bad = [record for record in records if record['status'] in ('fail', 'error')]
    errors = [record for record in bad if record['status'] == 'error']
    assert len(errors) == 2 and len(bad) > len(errors) + 1
    result = run({'checks': records, 'report_dir': str(tmp_path), 'formats': ['json'], 'max_not_passed': len(errors) + 1})
    assert result['not_passed_total'] == len(bad)
    assert [record['status'] for record in result['not_passed']] == ['error'] * len(errors) + ['fail']
    everything = run({'checks': records, 'report_dir': str(tmp_path), 'formats': ['json']})
    assert len(everything['not_passed']) == len(bad) == everything['not_passed_total']
    with pytest.raises(AnsibleActionFail, match='max_not_passed must be 0 or more; got -1'):
        run({'checks': records, 'report_dir': str(tmp_path), 'max_not_passed': -1})
