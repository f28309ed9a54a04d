# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Restore task summaries keyed by the SOURCE of each restore: the cluster and tenant whose backups it used.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A restore drill usually runs on another cluster than the one backed up, so a restore is attributed by the
backup cluster and tenant fields of its own row, never by which endpoint listed it or which tenant it wrote
into. Only the documented success values count as a success; a status outside the known sets is kept in
``by_status``, named once in ``unknown_statuses`` (for the module to warn about) and never counts as a success.
No I/O here.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import Fields
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import NO_TIME, age_seconds, format_utc, time_key

# Shown for a source field a row lacks, so that such a restore never lands on a real tenant's key.
UNKNOWN_SOURCE = '(unknown)'


class RestoreOutcomes:
    """What the statuses of a restore task list mean (upper-case values)."""

    __slots__ = ('success', 'failure', 'running')

    def __init__(self, success, failure, running):
        self.success = frozenset(success)
        self.failure = frozenset(failure)
        self.running = frozenset(running)

    def known(self, status):
        return status in self.success or status in self.failure or status in self.running


def source_key(cluster, tenant):
    """``<backup cluster name>/<backup tenant name>``, the key of a restore's source."""
    return '%s/%s' % (_name(cluster), _name(tenant))


def _name(value):
    return UNKNOWN_SOURCE if value is None or value == '' else str(value)


class _Source:
    __slots__ = ('total', 'by_status', 'running', 'success', 'failure')

    def __init__(self):
        self.total, self.by_status, self.running = 0, {}, 0
        self.success = self.failure = None

    def add(self, values, seq, status, outcomes):
        self.total += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        upper = status.upper()
        if upper in outcomes.running:
            self.running += 1
            return
        finish = time_key(values[2])
        key = (finish if finish is not None else NO_TIME, -seq)
        if upper in outcomes.success:
            if self.success is None or key > self.success[0]:
                self.success = (key, values)
        elif upper in outcomes.failure and (self.failure is None or key > self.failure[0]):
            self.failure = (key, values)

    def summary(self, now):
        success, failure = (entry and entry[1] for entry in (self.success, self.failure))
        return {
            'total': self.total,
            'by_status': dict(self.by_status),
            'last_success': success and {
                'task_id': success[3], 'restore_cluster_name': success[6], 'restore_tenant_name': success[7],
                'finish_time': format_utc(success[2]), 'age_seconds': age_seconds(success[2], now)},
            'last_failure': failure and {
                'task_id': failure[3], 'finish_time': format_utc(failure[2]), 'error_msg': failure[8],
                'age_seconds': age_seconds(failure[2], now)},
            'running': self.running,
        }


class RestoreSummary:
    """Restores grouped by source as they arrive; result(now) gives the summary.

    ``fields`` names the row fields that play ROLES (OCP's by default); a role a backend lacks is a name no row has.
    """

    __slots__ = ('outcomes', 'read', 'sources', 'seq', 'unknown')
    ROLES = ('status', 'create_time', 'finish_time', 'id', 'backup_cluster_name', 'backup_tenant_name',
             'restore_cluster_name', 'restore_tenant_name', 'error_msg')

    def __init__(self, outcomes, fields=None):
        self.outcomes = outcomes
        self.read = Fields(fields or self.ROLES)
        self.sources = {}
        self.seq = 0
        self.unknown = []

    def add(self, row):
        self.add_values((self.read(row),))

    def add_values(self, rows):
        for values in rows:
            self.seq += 1
            status = 'UNKNOWN' if values[0] is None else str(values[0])
            if not self.outcomes.known(status.upper()) and status not in self.unknown:
                self.unknown.append(status)
            key = source_key(values[4], values[5])
            group = self.sources.get(key)
            if group is None:
                group = self.sources[key] = _Source()
            group.add(values, self.seq, status, self.outcomes)

    def warnings(self, noun):
        """The one warning about the statuses no outcome knows, or none."""
        if not self.unknown:
            return []
        return ['%s status %s %s not documented; counted in by_status, never as a success.' % (
            noun, ', '.join(sorted(self.unknown)), 'is' if len(self.unknown) == 1 else 'are')]

    def result(self, now, tenants=None):
        """The summary; ``tenants`` is accepted for the task-query layer and unused: sources are what rows name."""
        tenants_summary = dict((key, self.sources[key].summary(now)) for key in sorted(self.sources))
        by_status = {}
        for group in self.sources.values():
            for status, count in group.by_status.items():
                by_status[status] = by_status.get(status, 0) + count
        return {
            'total': self.seq,
            'by_status': by_status,
            'running': sum(group.running for group in self.sources.values()),
            'tenants': tenants_summary,
        }
