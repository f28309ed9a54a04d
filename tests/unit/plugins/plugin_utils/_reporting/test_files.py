# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A report set on disk: written whole or not at all, every file of one run, nothing left of an older run."""

from __future__ import annotations

import json
import os
import time

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import files, view as view_module
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import sample

ALL = list(files.FORMATS)
NAME = 'compliance-report'


def listing(where):
    return sorted(os.listdir(where))


def test_every_file_is_written_and_carries_generated_at(tmp_path):
    written = files.write_set(sample.sample_report(), str(tmp_path), NAME, ALL)
    assert written['files'] == [str(tmp_path / ('%s.%s' % (NAME, ext))) for ext in ('json', 'md', 'html', 'xml', 'prom')]
    assert listing(tmp_path) == sorted(os.path.basename(path) for path in written['files'])
    for path in written['files'][:4]:
        with open(path, encoding='utf-8') as handle:
            assert sample.GENERATED_AT in handle.read(), path
    with open(written['files'][4], encoding='utf-8') as handle:
        assert 'oceanbase_backup_audit_timestamp_seconds 1795420800.0' in handle.read()
    assert all(os.stat(path).st_mode & 0o777 == files.FILE_MODE for path in written['files'])


def test_a_later_run_with_fewer_formats_removes_the_others(tmp_path):
    files.write_set(sample.sample_report(), str(tmp_path), NAME, ALL)
    (tmp_path / 'other-report.md').write_text('not ours')
    written = files.write_set(sample.sample_report(generated_at='2026-11-24T08:00:00Z'), str(tmp_path), NAME, ['json'])
    assert written['files'] == [str(tmp_path / (NAME + '.json'))]
    assert sorted(map(os.path.basename, written['removed'])) == ['%s.%s' % (NAME, ext) for ext in ('html', 'md', 'prom', 'xml')]
    assert listing(tmp_path) == [NAME + '.json', 'other-report.md']


def test_a_run_that_fails_half_way_leaves_the_old_set_whole(tmp_path, monkeypatch):
    files.write_set(sample.sample_report(), str(tmp_path), NAME, ALL)
    before = dict((name, (tmp_path / name).read_bytes()) for name in listing(tmp_path))

    def broken(view, out):
        out.write('<testsuites')
        raise RuntimeError('disk full')

    monkeypatch.setitem(files.FORMATS, 'junit', ('xml', broken))
    report = sample.sample_report(generated_at='2026-11-24T08:00:00Z')
    for item in report['checks']:
        item['status'] = 'error'
    with pytest.raises(RuntimeError, match='disk full'):
        files.write_set(report, str(tmp_path), NAME, ALL)
    assert dict((name, (tmp_path / name).read_bytes()) for name in listing(tmp_path)) == before


def test_since_last_run_reads_the_previous_json_at_the_same_path(tmp_path):
    first = sample.sample_report(hostile=False, generated_at='2026-11-22T08:00:00Z')
    files.write_set(first, str(tmp_path), NAME, ALL)
    second = sample.sample_report(hostile=False)
    second['checks'][1].update(status='fail', observed=900000)
    written = files.write_set(second, str(tmp_path), NAME, ALL)
    since = json.loads((tmp_path / (NAME + '.json')).read_text())['since_last_run']
    assert since['previous_generated_at'] == '2026-11-22T08:00:00Z' and since['resolved'] == []
    assert [(item['tenant'], item['check']) for item in since['new']] == [('tenant_000', 'full_backup_age')]
    assert written['view'].since_last_run['new'] == [second['checks'][1]]


@pytest.mark.parametrize('content', ['{"truncated": ', '[1, 2]', '{"checks": "x"}'])
def test_an_unreadable_previous_report_is_a_warning(tmp_path, content):
    (tmp_path / (NAME + '.json')).write_text(content)
    written = files.write_set(sample.sample_report(), str(tmp_path), NAME, ['json'])
    assert len(written['warnings']) == 1 and 'since_last_run is null' in written['warnings'][0]
    assert json.loads((tmp_path / (NAME + '.json')).read_text())['since_last_run'] is None


def test_prepare_writes_nothing(tmp_path):
    where = tmp_path / 'not-yet'
    plan = files.prepare(sample.sample_report(), str(where), NAME, ALL)
    assert plan['files'] == [] and plan['view'].summary == sample.sample_report()['summary']
    assert not where.exists()


def test_old_temporary_files_of_this_report_are_cleaned(tmp_path):
    stale, fresh, other = tmp_path / ('.%s.abc.json.tmp' % NAME), tmp_path / ('.%s.def.md.tmp' % NAME), tmp_path / '.other.x.json.tmp'
    for path in (stale, fresh, other):
        path.write_text('x')
    old = time.time() - 2 * files.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    files.write_set(sample.sample_report(), str(tmp_path), NAME, ['json'])
    assert not stale.exists() and fresh.exists() and other.exists()


@pytest.mark.parametrize('name', ['', 'a/b', '../x', '.hidden', 'a\nb', None])
def test_report_name_must_be_a_plain_file_name(tmp_path, name):
    with pytest.raises(view_module.ReportError, match='report_name must be a file name'):
        files.write_set(sample.sample_report(), str(tmp_path), name, ALL)
    assert listing(tmp_path) == []


def test_unknown_formats_are_refused(tmp_path):
    with pytest.raises(view_module.ReportError, match="formats: 'pdf' not known; accepted: json, markdown, html, junit, openmetrics"):
        files.write_set(sample.sample_report(), str(tmp_path), NAME, ['json', 'pdf'])
    assert listing(tmp_path) == []
