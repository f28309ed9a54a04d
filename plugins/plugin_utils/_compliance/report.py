# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report over check records: its JSON form, its counts, the lines a terminal shows, and the verdict of a host.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.custom import plain
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.engine import sort_key
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.policy import enabled_value
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import get
from ansible_collections.oceanbase.backup.plugins.plugin_utils._text import printable

STATUSES = ('pass', 'fail', 'waived', 'error')
MODES = ('audit', 'gate')
# The summary lines show errors first, then failures, then waivers; past this many a last line says how many more.
SUMMARY_LINES = 20
_ORDER = {'error': 0, 'fail': 1, 'waived': 2}


def check_records(records):
    """``records`` as a list, each with a known status; None is no records."""
    if records is None:
        return []
    if isinstance(records, (str, Mapping)) or not isinstance(records, (list, tuple)):
        raise ComplianceError('expected the list of check records from backup_compliance_checks; got %r' % (records,))
    for index, record in enumerate(records):
        if not isinstance(record, Mapping) or record.get('status') not in STATUSES:
            raise ComplianceError('check record %d has status %r; expected one of %s' % (index, get(record, 'status'), ', '.join(STATUSES)))
    return list(records)


def summary(records):
    """{pass, fail, waived, error}: how many records have each status."""
    counts = dict((status, 0) for status in STATUSES)
    for record in check_records(records):
        counts[record['status']] += 1
    return counts


def _line(record):
    return '[%s] %s: %s' % (printable(record.get('tenant')), record.get('check'), printable(record.get('message')))


class Report:
    """Check records of one play (or one host) in ``mode`` audit or gate."""

    def __init__(self, records, mode, generated_at=None):
        if mode not in MODES:
            raise ComplianceError('mode must be audit or gate; got %r' % (mode,))
        self.records, self.mode = check_records(records), mode
        self.counts = summary(self.records)
        if generated_at is None:
            generated_at = datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        elif isinstance(generated_at, (date, datetime)):
            generated_at = plain(generated_at)
        elif not isinstance(generated_at, str):
            raise ComplianceError('generated_at must be an ISO 8601 time string; got %r' % (generated_at,))
        self.generated_at = generated_at

    def as_dict(self):
        """The JSON report: {generated_at, mode, summary, checks}, the checks sorted by cluster, tenant and check."""
        return {'generated_at': self.generated_at, 'mode': self.mode, 'summary': dict(self.counts),
                'checks': sorted(self.records, key=sort_key)}

    def lines(self, limit=SUMMARY_LINES):
        """A header with the counts, then one line per record that did not pass (errors first), at most ``limit`` of them."""
        counts = self.counts
        lines = ['Backup compliance (%s): %d pass, %d fail, %d waived, %d error' % (
            self.mode, counts['pass'], counts['fail'], counts['waived'], counts['error'])]
        shown = sorted((r for r in self.records if r['status'] != 'pass'), key=lambda r: (_ORDER[r['status']],) + sort_key(r))
        for record in shown[:limit]:
            where = '%s/%s' % (printable(record.get('cluster')), printable(record.get('tenant')))
            lines.append('%s  %s  %s: %s' % (record['status'].upper(), where, record.get('check'), printable(record.get('message'))))
        if len(shown) > limit:
            lines.append('... and %d more checks that did not pass: see the reports' % (len(shown) - limit))
        return lines

    def verdict(self, fail_on_violation=False):
        """{failed, msg} for the host these records belong to.

        A gate fails on every failure and error, listing them all (the blockers). An audit fails when a query
        failed (errors), or on failures when ``fail_on_violation`` is set.
        """
        fail_on_violation = enabled_value(fail_on_violation, 'fail_on_violation')
        errors = [r for r in self.records if r['status'] == 'error']
        failures = [r for r in self.records if r['status'] == 'fail']
        if self.mode == 'gate' and (failures or errors):
            return {'failed': True, 'msg': '%d blocker(s): %s' % (len(failures + errors), '; '.join(map(_line, failures + errors)))}
        if self.mode == 'audit' and errors:
            causes = list(dict.fromkeys(printable(r.get('message')) for r in errors))
            return {'failed': True, 'msg': '%d check(s) could not be evaluated because a query failed: %s' % (len(errors), '; '.join(causes))}
        if self.mode == 'audit' and fail_on_violation and failures:
            return {'failed': True, 'msg': '%d failed check(s): %s' % (len(failures), '; '.join(map(_line, failures)))}
        return {'failed': False, 'msg': None}
