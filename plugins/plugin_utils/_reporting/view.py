# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One pass over a report's records: what every rendering needs, held as references to the records.

Input is the JSON report {generated_at, mode, summary, checks: [records]}; the renderers read a View and
never walk the records more than once each, so a report costs O(records) however many formats are written.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.module_utils import _timeutil
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import since, values

MODES = ('audit', 'gate')
# Above this many tenants the HTML and Markdown show passes as counts per cluster and check, and the
# per-tenant matrix lists only tenants with a check that did not pass (every record stays in the JSON).
FULL_LIST_MAX_TENANTS = 1000
MATRIX_MAX_ROWS = 2000


class ReportError(ValueError):
    """The report handed over is not a report; the message names the field and what is accepted."""


class Cluster:
    """One cluster's records: totals, totals per check, and the records of each tenant by check."""

    __slots__ = ('name', 'counts', 'by_check', 'tenants', 'records')

    def __init__(self, name):
        self.name = name
        self.counts = dict.fromkeys(values.STATUSES, 0)
        self.by_check = {}
        self.tenants = {}
        self.records = []

    def add(self, record):
        status, check, tenant = record['status'], values.label(record.get('check')), values.label(record.get('tenant'))
        self.counts[status] += 1
        self.by_check.setdefault(check, dict.fromkeys(values.STATUSES, 0))[status] += 1
        cells = self.tenants.setdefault(tenant, {})
        seen = cells.get(check)
        # Two sources reporting one check of one tenant: the cell shows the worse.
        if seen is None or values.SEVERITY[status] > values.SEVERITY[seen['status']]:
            cells[check] = record
        self.records.append(record)

    def tenant_statuses(self, tenant):
        return set(record['status'] for record in self.tenants[tenant].values())


class Problem:
    """A failing or erroring record shown once, with the records that fail for the same reason folded under it."""

    __slots__ = ('root', 'folded', 'tenants')

    def __init__(self, root):
        self.root = root
        self.folded = []
        self.tenants = [root.get('tenant')]

    def reason(self):
        """Why the folded records fail, in a few words naming the root record."""
        if self.root['status'] == 'error':
            return 'the same error as %s %s' % (values.plain_text(self.root.get('tenant')), values.plain_text(self.root.get('check')))
        return 'follows from %s: never backed up' % values.plain_text(self.root.get('check'))


class View:
    """Everything the renderings show, computed in one pass over the records."""

    def __init__(self, report, previous=None):
        self.report = report
        self.generated_at, self.mode, self.records = _validated(report)
        self.timestamp = _epoch(self.generated_at)
        self.summary = dict.fromkeys(values.STATUSES, 0)
        self.clusters = {}
        self.waived = []
        # folded_ids: the records that fail only because their tenant was never backed up.
        self.problems, self.folded_ids = [], set()
        self._pass(self.records)
        self.checks = sorted(set(check for cluster in self.clusters.values() for check in cluster.by_check), key=values.check_sort_key)
        self.tenant_count = sum(len(cluster.tenants) for cluster in self.clusters.values())
        self.large = self.tenant_count > FULL_LIST_MAX_TENANTS
        self.since_last_run = since.since_last_run(self, previous)

    def _pass(self, records):
        failing, erroring = {}, {}
        for record in records:
            status = record['status']
            self.summary[status] += 1
            cluster = values.label(record.get('cluster'))
            if cluster not in self.clusters:
                self.clusters[cluster] = Cluster(cluster)
            self.clusters[cluster].add(record)
            if status == 'waived':
                self.waived.append(record)
            elif status == 'fail':
                failing.setdefault((cluster, values.label(record.get('tenant'))), []).append(record)
            elif status == 'error':
                erroring.setdefault((cluster, values.clean_text(record.get('message'))), []).append(record)
        self._fold_errors(erroring)
        self._fold_failures(failing)

    def _fold_errors(self, erroring):
        # A failed query gives every check of every tenant it covered the same message: one cause, shown once.
        for records in erroring.values():
            problem = Problem(records[0])
            problem.folded = records[1:]
            problem.tenants = _unique(record.get('tenant') for record in records)
            self.problems.append(problem)

    def _fold_failures(self, failing):
        for records in failing.values():
            root = next((record for record in records if record.get('check') == values.NEVER_BACKED_UP), None)
            if root is None:
                self.problems.extend(Problem(record) for record in records)
                continue
            problem, others = Problem(root), []
            for record in records:
                if record is root:
                    continue
                if record.get('check') in values.DEPENDS_ON_A_BACKUP:
                    problem.folded.append(record)
                    self.folded_ids.add(id(record))
                else:
                    others.append(Problem(record))
            self.problems.append(problem)
            self.problems.extend(others)

    def matrix_rows(self):
        """(cluster, tenant, cells by check) in report order; only tenants with a problem when the report is large."""
        shown = 0
        for cluster in self.clusters.values():
            for tenant, cells in cluster.tenants.items():
                if self.large and all(record['status'] == 'pass' for record in cells.values()):
                    continue
                if shown == MATRIX_MAX_ROWS:
                    return
                shown += 1
                yield cluster, tenant, cells

    def matrix_hidden(self):
        """How many tenants the matrix leaves out (all of their checks passed, or past the row limit)."""
        return self.tenant_count - sum(1 for _row in self.matrix_rows())

    def sorted_problems(self):
        """Errors first (the audit could not see), then failures, each in report order."""
        return sorted(self.problems, key=lambda problem: -values.SEVERITY[problem.root['status']])


def _unique(items):
    seen, out = set(), []
    for item in items:
        key = values.label(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _validated(report):
    if not isinstance(report, Mapping):
        raise ReportError('report must be a dict {generated_at, mode, summary, checks}; got %s' % type(report).__name__)
    generated_at, mode, records = report.get('generated_at'), report.get('mode'), report.get('checks')
    if not isinstance(generated_at, str) or _epoch(generated_at) is None:
        raise ReportError('report.generated_at must be an ISO 8601 time such as 2026-11-23T08:00:00Z; got %r' % (generated_at,))
    if mode not in MODES:
        raise ReportError('report.mode must be one of %s; got %r' % (', '.join(MODES), mode))
    if not isinstance(records, (list, tuple)):
        raise ReportError('report.checks must be the list of check records; got %s' % type(records).__name__)
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise ReportError('report.checks[%d] must be a check record (a dict); got %s' % (index, type(record).__name__))
        if record.get('status') not in values.STATUSES:
            raise ReportError('report.checks[%d].status must be one of %s; got %r' % (index, ', '.join(values.STATUSES), record.get('status')))
    return generated_at, mode, records


def _epoch(text):
    """Seconds since the epoch of an ISO 8601 time (UTC when it has no offset), or None."""
    if not isinstance(text, str):
        return None
    try:
        return _timeutil.parse_timestamp(text.strip()).timestamp()
    except ValueError:
        return None
