# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backup_compliance_report action: options, check mode, results; the rendering has its own tests."""

from __future__ import annotations

import json
import os
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.oceanbase.backup.plugins.action.backup_compliance_report import ActionModule
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import sample


def run(args, check_mode=False):
    task = MagicMock(args=args, check_mode=check_mode, async_val=0, action='oceanbase.backup.backup_compliance_report')
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


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


def test_check_mode_writes_and_claims_nothing(tmp_path):
    where = tmp_path / 'reports'
    result = run({'report': sample.sample_report(), 'report_dir': str(where)}, check_mode=True)
    assert result['files'] == [] and result['removed'] == [] and 'no report written' in result['msg']
    assert not where.exists()


@pytest.mark.parametrize('args, message', [
    ({}, 'missing required arguments: report_dir'),
    ({'report_dir': '.'}, 'exactly one of report .* and checks .* is required; got neither'),
    ({'report_dir': '.', 'report': {}, 'checks': []}, 'got report and checks'),
    ({'report_dir': '.', 'checks': [], 'formats': ['pdf']}, 'formats'),
    ({'report_dir': '.', 'checks': [], 'mode': 'strict'}, 'mode'),
    ({'report_dir': '.', 'report': sample.sample_report(), 'mode': 'gate'}, 'mode go with checks'),
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
