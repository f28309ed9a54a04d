# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Backup task summaries, built a page at a time so that a module never keeps the tasks to summarise them.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A summary reads the ROLES of each task, as a tuple that Fields(summary.fields) reads from a row; ``fields`` names
the row's fields that play those roles (by default the roles' own names, those of OCP's rows) and the outcome
record says what the statuses mean, so that another backend's task list is a new pair of these, not a new class.
No I/O here: the summaries depend only on the tasks and on ``now``.

An age more than FUTURE_TOLERANCE_SECONDS below zero (a time after ``now``) and a delay below zero are no evidence
of a recent backup: _future.mark_future() reports them as null and moves their value under the summary's ``future``.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._future import mark_future, with_tenants_future
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import Fields, normalize, to_float
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import FUTURE_TOLERANCE_SECONDS, NO_TIME, age_seconds, time_key

# A row without a tenant name: keyed by its tenant id until result() names it from the tenant list.
_BY_ID = object()
# Added to the arrival number of a cluster-dimension task in the tenant groups: a tenant's own task wins a tie.
_AFTER_OWN_TASKS = 1 << 62
# The age and delay fields of each summary, as mark_future() paths.
DATA_AGES = ('last_success.age_seconds', 'last_full_success.age_seconds', 'last_failure.age_seconds', 'oldest_running_age_seconds')
# How many fields a warning names before it says how many more there are.
_WARN_FIELDS = 5


class DataOutcomes:
    """What the statuses and types of a data backup task list mean (upper-case values)."""

    __slots__ = ('success', 'failure', 'running', 'full_types')

    def __init__(self, success, failure, running, full_types):
        self.success = success
        self.failure = failure
        self.running = frozenset(running)
        self.full_types = frozenset(full_types)


class LogOutcomes:
    """What the statuses of a log backup (archiving) task list mean: which ones are an active archive."""

    __slots__ = ('active',)

    def __init__(self, active):
        self.active = frozenset(active)


class _Group:
    """Counts of the tasks of one tenant (or of the whole answer), by status."""

    __slots__ = ('total', 'by_status')

    def __init__(self):
        self.total = 0
        self.by_status = {}

    def count(self, status):
        self.total += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1

    def absorb_counts(self, other):
        self.total += other.total
        for status, count in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count


class _DataGroup(_Group):
    """Running aggregate of data tasks. Every comparison key ends with the task's arrival number (negated where the
    largest key wins), so a tie goes to the task that came first whatever order groups are merged in."""

    __slots__ = ('running', 'latest', 'success', 'full_success', 'failure', 'oldest_running')

    def __init__(self):
        super().__init__()
        self.running = 0
        self.latest = self.success = self.full_success = self.failure = self.oldest_running = None

    def add(self, values, seq, outcomes):
        """Add one task: ``values`` in DataSummary.ROLES order.

        This runs for every task, so _status, count() and _either are written out, and a comparison key is built only
        when its time is not below the time of the key it is compared with (the rows mostly come newest first).
        """
        status = values[0]
        if status.__class__ is not str:
            status = _status(status)
        self.total += 1
        by_status = self.by_status
        by_status[status] = by_status.get(status, 0) + 1
        upper = status.upper()
        start, finish = time_key(values[1]), time_key(values[2])
        moment = start if start is not None else NO_TIME if finish is None else finish
        if self.latest is None or moment >= self.latest[0][0]:
            self.latest = _larger(self.latest, moment, values, seq)
        if upper == outcomes.success or upper == outcomes.failure:
            ended = finish if finish is not None else NO_TIME if start is None else start
            if upper == outcomes.failure:
                if self.failure is None or ended >= self.failure[0][0]:
                    self.failure = _larger(self.failure, ended, values, seq)
                return
            if self.success is None or ended >= self.success[0][0]:
                self.success = _larger(self.success, ended, values, seq)
            if (self.full_success is None or ended >= self.full_success[0][0]) and _is_full(values, outcomes):
                self.full_success = _larger(self.full_success, ended, values, seq)
        elif upper in outcomes.running:
            self.running += 1
            if start is not None and (self.oldest_running is None or (start, seq) < self.oldest_running[0]):
                self.oldest_running = ((start, seq), values)

    def absorb(self, other, counts=True):
        """Add every task of ``other`` to this group (``counts=False``: only to its comparisons)."""
        if counts:
            self.absorb_counts(other)
            self.running += other.running
        for name in ('latest', 'success', 'full_success', 'failure'):
            theirs = getattr(other, name)
            if theirs is not None and (getattr(self, name) is None or theirs[0] > getattr(self, name)[0]):
                setattr(self, name, theirs)
        if other.oldest_running is not None and (self.oldest_running is None or other.oldest_running[0] < self.oldest_running[0]):
            self.oldest_running = other.oldest_running

    def summary(self, now):
        latest, success, full, failure, running = (_task(entry, DataSummary.ROLES) for entry in (
            self.latest, self.success, self.full_success, self.failure, self.oldest_running))
        return mark_future({
            'total': self.total,
            'by_status': dict(self.by_status),
            'latest': latest and {'task_id': latest.get('task_id'), 'status': latest.get('status'), 'type': task_type(latest),
                                  'start_time': latest.get('start_time'), 'finish_time': latest.get('finish_time')},
            'last_success': success and _success(success, now),
            'last_full_success': full and _success(full, now),
            'last_failure': failure and {'task_id': failure.get('task_id'), 'finish_time': failure.get('finish_time'),
                                         'error_msg': failure.get('error_msg'), 'age_seconds': _age(failure, now)},
            'running': self.running,
            'oldest_running_age_seconds': running and age_seconds(running.get('start_time'), now),
        }, DATA_AGES)


class _LogGroup(_Group):
    """The newest log backup task of one tenant, plus counts."""

    __slots__ = ('latest',)

    def __init__(self):
        super().__init__()
        self.latest = None

    def add(self, values, seq, outcomes):
        """Add one task: ``values`` in LogSummary.ROLES order."""
        self.count(_status(values[0]))
        key = (_either(time_key(values[1]), time_key(values[2])), _either(time_key(values[3]), None),
               _either(time_key(values[4]), None), -seq)
        if self.latest is None or key > self.latest[0]:
            self.latest = (key, values)

    def absorb(self, other, counts=True):
        if counts:
            self.absorb_counts(other)
        if other.latest is not None and (self.latest is None or other.latest[0] > self.latest[0]):
            self.latest = other.latest

    def summary(self, now, outcomes):
        task = _task(self.latest, LogSummary.ROLES) or {}
        status, checkpoint = task.get('status'), task.get('checkpoint')
        return mark_future({
            'total': self.total,
            'by_status': dict(self.by_status),
            'status': status,
            'active': isinstance(status, str) and status.upper() in outcomes.active,
            'delay_seconds': to_float(task.get('delay')),
            'checkpoint': checkpoint,
            'checkpoint_age_seconds': age_seconds(checkpoint, now),
        }, ('checkpoint_age_seconds',), ('delay_seconds',))


class _TaskSummary:
    """Tasks grouped by tenant as they arrive; result(now, tenants) gives the summary with an entry per tenant.

    Subclasses set GROUP, ROLES and TENANT (the positions of the tenant name and id roles).
    """

    __slots__ = ('outcomes', 'fields', 'read', 'seq', 'tenants', 'wide', 'wide_in_order')
    GROUP = None
    ROLES = ()
    TENANT = (None, None)

    def __init__(self, outcomes, fields=None):
        self.outcomes = outcomes
        # The row fields that play the roles: by default the roles' own names.
        self.fields = tuple(fields or self.ROLES)
        self.read = Fields(self.fields)
        self.seq = 0
        # Tenant name, or (_BY_ID, tenant id) for a row without a name.
        self.tenants = {}
        # Cluster-dimension tasks (tenantId 0) back up every tenant: result() adds them to each tenant's group, where
        # a tenant's own task wins a tie; in the whole answer they count in the order they came.
        self.wide = self.GROUP()
        self.wide_in_order = self.GROUP()

    def add(self, task):
        """Add one task (a row, or a normalized task)."""
        self.add_values((self.read(task),))

    def add_values(self, rows):
        """Add tasks given as tuples of their role values (``self.read(row)``), in the order the server sent them."""
        outcomes, groups, seq = self.outcomes, self.tenants, self.seq
        name_at, id_at = self.TENANT
        for values in rows:
            seq += 1
            # _tenant_key written out for the usual row, which names its tenant.
            key = values[name_at]
            if key.__class__ is not str or key == '':
                key = _tenant_key(key, values[id_at])
            if key is None:
                self.wide_in_order.add(values, seq, outcomes)
                self.wide.add(values, seq + _AFTER_OWN_TASKS, outcomes)
                continue
            group = groups.get(key)
            if group is None:
                group = groups[key] = self.GROUP()
            group.add(values, seq, outcomes)
        self.seq = seq

    def _overall(self):
        """One group of every task: counts and comparisons merged from the tenant groups."""
        overall = self.GROUP()
        for group in list(self.tenants.values()) + [self.wide_in_order]:
            overall.absorb(group)
        return overall

    def _groups(self, tenants):
        """{tenant name: group} with an entry for every tenant in ``tenants`` ([{id, name}]), in name order."""
        names = dict((tenant.get('id'), tenant.get('name')) for tenant in tenants or ())
        groups = dict((name, self.GROUP()) for name in names.values() if name not in (None, ''))
        for key, group in self.tenants.items():
            if isinstance(key, tuple) and key[0] is _BY_ID:
                key = names.get(key[1]) or str(key[1])
            groups.setdefault(key, self.GROUP()).absorb(group)
        ordered = {}
        for name in sorted(groups, key=str):
            ordered[name] = groups[name]
            ordered[name].absorb(self.wide)
        return ordered


class DataSummary(_TaskSummary):
    """Data backup summary: counts, latest task, last success and full success, last failure, running tasks,
    and the same per tenant under ``tenants``."""

    __slots__ = ()
    GROUP = _DataGroup
    ROLES = ('status', 'start_time', 'finish_time', 'task_id', 'tenant_name', 'tenant_id',
             'data_backup_task_type', 'backup_type', 'task_type', 'backup_set_id', 'error_msg')
    TENANT = (4, 5)

    def result(self, now, tenants=None):
        """The summary; ``tenants`` (list of {id, name}) seeds an entry for every tenant, tasks or not."""
        result = self._overall().summary(now)
        result['tenants'] = dict((name, group.summary(now)) for name, group in self._groups(tenants).items())
        return with_tenants_future(result)


class LogSummary(_TaskSummary):
    """Log backup summary: per tenant the state of its newest task, and the worst over the tenants.

    ``active`` is true when the newest task of every tenant that has tasks is active; ``max_delay_seconds`` is the
    largest delay and ``latest_checkpoint`` the oldest checkpoint among those newest tasks, that is the latest point
    in time up to which the logs of every such tenant are archived.
    """

    __slots__ = ()
    GROUP = _LogGroup
    ROLES = ('status', 'create_time', 'start_time', 'modify_time', 'checkpoint', 'tenant_name', 'tenant_id', 'delay')
    TENANT = (5, 6)

    def result(self, now, tenants=None):
        summaries = dict((name, group.summary(now, self.outcomes)) for name, group in self._groups(tenants).items())
        current = [item for item in summaries.values() if item['total']]
        if not current and self.wide.total:
            current = [self.wide.summary(now, self.outcomes)]
        delays = [item['delay_seconds'] for item in current if item['delay_seconds'] is not None]
        checkpoints = [item['checkpoint'] for item in current if time_key(item['checkpoint']) is not None]
        checkpoint = min(checkpoints, key=time_key) if checkpoints else None
        overall = self._overall()
        return with_tenants_future(mark_future({
            'total': overall.total,
            'by_status': dict(overall.by_status),
            'active': bool(current) and all(item['active'] for item in current),
            'max_delay_seconds': max(delays) if delays else None,
            'latest_checkpoint': checkpoint,
            'checkpoint_age_seconds': age_seconds(checkpoint, now),
            'tenants': summaries,
        }, ('checkpoint_age_seconds',), ('max_delay_seconds',)))


def future_warning(future, server):
    """The warning for a summary's ``future`` fields, None when there are none; ``server`` names whose clock it is."""
    if not future:
        return None
    shown = ['%s (%s)' % (path, value) for path, value in sorted(future.items())[:_WARN_FIELDS]]
    if len(future) > _WARN_FIELDS:
        shown.append('and %d more' % (len(future) - _WARN_FIELDS))
    return ('%d time(s) more than %d s after queried_at or negative delay(s), reported as null with their value under summary.future '
            '(is the %s clock ahead of this controller?): %s' % (len(future), FUTURE_TOLERANCE_SECONDS, server, ', '.join(shown)))


def task_type(task):
    """The backup type of a normalized data task: data_backup_task_type, else backup_type, else task_type."""
    for key in ('data_backup_task_type', 'backup_type', 'task_type'):
        value = task.get(key)
        if value not in (None, ''):
            return value
    return None


def _is_full(values, outcomes):
    for value in values[6:9]:
        if value not in (None, ''):
            return isinstance(value, str) and value.upper() in outcomes.full_types
    return False


def _status(value):
    return 'UNKNOWN' if value is None else value if isinstance(value, str) else str(value)


def _larger(entry, moment, values, seq):
    """Of ``entry`` and the task's (key, values), the one with the larger key: its time, task id, then -seq."""
    task_id = values[3] if isinstance(values[3], int) and not isinstance(values[3], bool) else -1
    key = (moment, task_id, -seq)
    return (key, values) if entry is None or key > entry[0] else entry


def _either(first, second):
    """The first time key that is there, NO_TIME when neither is."""
    if first is not None:
        return first
    return NO_TIME if second is None else second


def _tenant_key(name, tenant_id):
    """The tenant a row belongs to; None for a cluster-wide row (cluster-dimension backups carry tenantId 0)."""
    if name is not None and name != '':
        return name if isinstance(name, str) else _hashable(name)
    if tenant_id is None or tenant_id == 0 or tenant_id == '0':
        return None
    return (_BY_ID, _hashable(tenant_id))


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return str(value)
    return value


def _task(entry, roles):
    """The normalized task of a (key, values) entry, None for none: its values are as the server sent them."""
    return None if entry is None else normalize(dict(zip(roles, entry[1])))


def _age(task, now):
    return age_seconds(task.get('finish_time') or task.get('start_time'), now)


def _success(task, now):
    return {
        'task_id': task.get('task_id'), 'backup_set_id': task.get('backup_set_id'), 'type': task_type(task),
        'finish_time': task.get('finish_time'), 'age_seconds': _age(task, now),
    }
