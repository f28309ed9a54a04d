# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure helpers that turn API rows into module facts: snake_case keys, UTC times, backup summaries.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

No I/O here: every function takes plain data (and ``now``, an aware UTC datetime) and returns plain data,
so the summaries can be unit-tested and a module's output only depends on what the server sent.
"""

from __future__ import annotations

import operator
import re

from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import age_seconds, epoch_microseconds, format_utc

# Documented OCP task statuses. Servers may send others: they are counted and kept, never rejected.
DATA_STATUSES = ('BEGINNING', 'INITIALIZING', 'DOING', 'DONE', 'FAILED', 'CANCELING', 'CANCELED', 'OVERDUE', 'UNKNOWN')
# RUNNING and DOING are not in the tenant-level list but OCP's cluster-level samples return RUNNING.
LOG_STATUSES = ('STARTING', 'INPROGRESS', 'RUNNING', 'DOING', 'STOPPING', 'STOPPED', 'FAILED', 'INTERRUPTED', 'UNKNOWN')

# Every key of a normalized task that the summaries, the client-side filters and the name lookups read: with
# return_tasks false a module keeps only these of each row (test_streaming checks that nothing else is read).
SUMMARY_KEYS = frozenset((
    'task_id', 'status', 'start_time', 'finish_time', 'data_backup_task_type', 'backup_type', 'task_type', 'backup_set_id',
    'error_msg', 'tenant_name', 'tenant_id', 'cluster_name', 'create_time', 'modify_time', 'checkpoint', 'delay',
))

# A data task in one of these states has not finished (CANCELING still holds the backup).
DATA_RUNNING = frozenset(('BEGINNING', 'INITIALIZING', 'DOING', 'CANCELING'))
DATA_SUCCESS = 'DONE'
DATA_FAILURE = 'FAILED'
LOG_ACTIVE = frozenset(('STARTING', 'INPROGRESS', 'RUNNING', 'DOING'))
FULL_TYPES = frozenset(('FULL_BACKUP', 'FULL'))

_WORD_RE = re.compile(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])')
# key -> (snake key, kind); kind is 'time', 'float' or None. Rows share few distinct keys, so this stays small.
_KEY_CACHE = {}
_FLOAT_KEYS = frozenset(('delay',))
# (keys of a row in order, keep) -> _Plan. The rows of one answer share one shape.
_PLANS = {}
_MAX_PLANS = 256
# Sorts before every time: the key of a missing or unreadable time.
_NO_TIME = float('-inf')


def snake_case(name):
    """``dataBackupTaskType`` -> ``data_backup_task_type``; ``obClusterId`` -> ``ob_cluster_id``; ``URLPath`` -> ``url_path``."""
    return _key_info(name)[0]


def _key_info(name):
    info = _KEY_CACHE.get(name)
    if info is None:
        snake = _WORD_RE.sub('_', str(name)).replace('-', '_').lower()
        if snake.endswith(('_time', '_timestamp', '_checkpoint')) or snake in ('checkpoint', 'timestamp'):
            kind = 'time'
        elif snake in _FLOAT_KEYS:
            kind = 'float'
        else:
            kind = None
        info = _KEY_CACHE[name] = (snake, kind)
    return info


def normalize(value, keep=None, times=True):
    """Snake_case every key (unknown ones kept), every time field as UTC ISO 8601, ``delay`` as a float.

    ``keep``: a frozenset of snake_case keys; the other keys of ``value`` are left out (SUMMARY_KEYS: what a summary
    reads). ``times=False`` leaves time fields as they came (the summaries read both forms). Values are taken as JSON
    decodes them: a nested ``dict`` or ``list`` is normalized too.
    """
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if not isinstance(value, dict):
        return value
    plan = _plan(value, keep)
    values = plan.get(value)
    result = dict(zip(plan.snakes, values))
    # The hot path of a large query: the row is copied in C, and only the fields that need it are touched.
    types = tuple(map(type, values))
    if dict in types or list in types:
        for position, kind in enumerate(types):
            # "is values[...]": of two keys with one snake_case name the last one's value is the one kept.
            if (kind is dict or kind is list) and result[plan.snakes[position]] is values[position]:
                result[plan.snakes[position]] = normalize(values[position])
    if times:
        for snake in plan.times:
            item = result[snake]
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                result[snake] = format_utc(item)
    for snake in plan.floats:
        item = result[snake]
        if not isinstance(item, (dict, list)):
            result[snake] = _to_float(item, item)
    return result


class _Plan:
    """What normalize does with the rows of one shape: which keys to take, their snake_case names, which are times."""

    __slots__ = ('get', 'snakes', 'times', 'floats')

    def __init__(self, keys, keep):
        taken = [(key,) + _key_info(key) for key in keys]
        taken = [entry for entry in taken if keep is None or entry[1] in keep]
        raw = [entry[0] for entry in taken]
        if len(raw) > 1:
            self.get = operator.itemgetter(*raw)
        else:
            self.get = lambda row: tuple(row[key] for key in raw)
        self.snakes = tuple(entry[1] for entry in taken)
        self.times = tuple(sorted(set(entry[1] for entry in taken if entry[2] == 'time')))
        self.floats = tuple(sorted(set(entry[1] for entry in taken if entry[2] == 'float')))


def _plan(value, keep):
    shape = (tuple(value), keep)
    plan = _PLANS.get(shape)
    if plan is None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[shape] = _Plan(shape[0], keep)
    return plan


def _to_float(value, default=None):
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _either(first, second):
    """The first time that is there, as a sort key."""
    if first is not None:
        return first
    return _NO_TIME if second is None else second


def _id_key(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _status(task):
    status = task.get('status')
    return 'UNKNOWN' if status is None else str(status)


def task_type(task):
    """The backup type of a data task: dataBackupTaskType, else backupType, else taskType."""
    for key in ('data_backup_task_type', 'backup_type', 'task_type'):
        value = task.get(key)
        if value not in (None, ''):
            return value
    return None


def is_full(task):
    value = task_type(task)
    return isinstance(value, str) and value.upper() in FULL_TYPES


def _age(task, now):
    return age_seconds(task.get('finish_time') or task.get('start_time'), now)


def _better(best, key):
    return best is None or key > best[0]


class _Counts:
    """How many tasks a group holds, by status. facts(task, seq)[1] is the task's status."""

    def __init__(self):
        self.total = 0
        self.by_status = {}

    def count(self, facts):
        self.total += 1
        self.by_status[facts[1]] = self.by_status.get(facts[1], 0) + 1

    def absorb_counts(self, other):
        self.total += other.total
        for status, count in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count


class _DataGroup(_Counts):
    """Running aggregate of data tasks for one tenant (or the whole answer).

    Every comparison key ends with the task's arrival number (negated where the largest key wins), so a tie goes to
    the task that came first whatever order the tasks are added or groups are merged in.
    """

    def __init__(self):
        super().__init__()
        self.running = 0
        self.latest = self.success = self.full_success = self.failure = None
        self.oldest_running = None

    @staticmethod
    def facts(task, seq):
        """What add() needs of a task, computed once for every group the task goes to."""
        status = _status(task)
        upper = status.upper()
        return (task, status, upper, epoch_microseconds(task.get('start_time')), epoch_microseconds(task.get('finish_time')),
                _id_key(task.get('task_id')), seq, upper == DATA_SUCCESS and is_full(task))

    def count(self, facts):
        """Count a task without comparing it (the overall group gets its comparisons from the tenant groups)."""
        super().count(facts)
        if facts[2] in DATA_RUNNING:
            self.running += 1

    def add(self, facts):
        task, status, upper, start, finish, task_id, seq, full = facts
        self.count(facts)
        key = (_either(start, finish), task_id, -seq)
        if _better(self.latest, key):
            self.latest = (key, task)
        if upper == DATA_SUCCESS:
            ended = (_either(finish, start), task_id, -seq)
            if _better(self.success, ended):
                self.success = (ended, task)
            if full and _better(self.full_success, ended):
                self.full_success = (ended, task)
        elif upper == DATA_FAILURE:
            ended = (_either(finish, start), task_id, -seq)
            if _better(self.failure, ended):
                self.failure = (ended, task)
        elif upper in DATA_RUNNING:
            if start is not None and (self.oldest_running is None or (start, seq) < self.oldest_running[0]):
                self.oldest_running = ((start, seq), task)

    def absorb(self, other, counts=True):
        """Add every task of ``other`` to this group (``counts=False``: only to its comparisons)."""
        if counts:
            self.absorb_counts(other)
            self.running += other.running
        for name in ('latest', 'success', 'full_success', 'failure'):
            theirs = getattr(other, name)
            if theirs is not None and _better(getattr(self, name), theirs[0]):
                setattr(self, name, theirs)
        if other.oldest_running is not None and (self.oldest_running is None or other.oldest_running[0] < self.oldest_running[0]):
            self.oldest_running = other.oldest_running

    def summary(self, now):
        return {
            'total': self.total,
            'by_status': dict(self.by_status),
            'latest': _pick(self.latest, lambda t: {
                'task_id': t.get('task_id'), 'status': t.get('status'), 'type': task_type(t),
                'start_time': t.get('start_time'), 'finish_time': t.get('finish_time'),
            }),
            'last_success': _pick(self.success, lambda t: _success(t, now)),
            'last_full_success': _pick(self.full_success, lambda t: _success(t, now)),
            'last_failure': _pick(self.failure, lambda t: {
                'task_id': t.get('task_id'), 'finish_time': t.get('finish_time'),
                'error_msg': t.get('error_msg'), 'age_seconds': _age(t, now),
            }),
            'running': self.running,
            'oldest_running_age_seconds': _pick(self.oldest_running, lambda t: age_seconds(t.get('start_time'), now)),
        }


def _pick(entry, render):
    """Render the task of a (key, task) entry; the task may still have its times as the server wrote them."""
    return None if entry is None else render(normalize(entry[1]))


def _success(task, now):
    return {
        'task_id': task.get('task_id'), 'backup_set_id': task.get('backup_set_id'), 'type': task_type(task),
        'finish_time': task.get('finish_time'), 'age_seconds': _age(task, now),
    }


class _LogGroup(_Counts):
    """The newest log backup task of one tenant, plus counts."""

    def __init__(self):
        super().__init__()
        self.latest = None

    @staticmethod
    def facts(task, seq):
        key = (_either(epoch_microseconds(task.get('create_time')), epoch_microseconds(task.get('start_time'))),
               _either(epoch_microseconds(task.get('modify_time')), None), _either(epoch_microseconds(task.get('checkpoint')), None), -seq)
        return task, _status(task), key

    def add(self, facts):
        self.count(facts)
        if _better(self.latest, facts[2]):
            self.latest = (facts[2], facts[0])

    def absorb(self, other, counts=True):
        if counts:
            self.absorb_counts(other)
        if other.latest is not None and _better(self.latest, other.latest[0]):
            self.latest = other.latest

    def summary(self, now):
        task = normalize(self.latest[1]) if self.latest else {}
        status = task.get('status')
        checkpoint = task.get('checkpoint')
        return {
            'total': self.total,
            'by_status': dict(self.by_status),
            'status': status,
            'active': isinstance(status, str) and status.upper() in LOG_ACTIVE,
            'delay_seconds': _to_float(task.get('delay')),
            'checkpoint': checkpoint,
            'checkpoint_age_seconds': age_seconds(checkpoint, now),
        }


_BY_ID = object()
# Added to the arrival number of a cluster-dimension task in the tenant groups: a tenant's own task wins a tie.
_AFTER_OWN_TASKS = 1 << 62


class _Summary:
    """A summary built one task at a time, so that a module need not keep every task (DESIGN section 3).

    add() each normalized task in the order the server sent them, then result(now, tenants). Feeding all tasks
    at once through summarize_data or summarize_log gives the same answer.
    """

    group = None

    def __init__(self):
        self.seq = 0
        # Counts only: the comparisons of the whole answer are those of its tenant groups, merged in _overall().
        self.counts = self.group()
        # Tenant name, or (_BY_ID, tenant id) for a row without a name: the tenant list names it in result().
        self.tenants = {}
        # Cluster-dimension tasks (tenantId 0) back up every tenant: result() adds them to each tenant's group,
        # where a tenant's own task wins a tie; in the whole answer they count in the order they came.
        self.wide = self.group()
        self.wide_in_order = self.group()

    def add(self, task):
        self.seq += 1
        facts = self.group.facts(task, self.seq)
        self.counts.count(facts)
        key = _tenant_key(task)
        if key is None:
            self.wide_in_order.add(facts)
            self.wide.add(self.group.facts(task, self.seq + _AFTER_OWN_TASKS))
            return
        group = self.tenants.get(key)
        if group is None:
            group = self.tenants[key] = self.group()
        group.add(facts)

    def _overall(self):
        overall = self.group()
        overall.absorb(self.counts)
        for group in list(self.tenants.values()) + [self.wide_in_order]:
            overall.absorb(group, counts=False)
        return overall

    def _groups(self, tenants):
        """{tenant name: group} with an entry for every tenant in ``tenants``, in name order."""
        names = dict((tenant.get('id'), tenant.get('name')) for tenant in tenants or ())
        groups = dict((name, self.group()) for name in names.values() if name not in (None, ''))
        for key, group in self.tenants.items():
            if isinstance(key, tuple) and key[0] is _BY_ID:
                key = names.get(key[1]) or str(key[1])
            groups.setdefault(key, self.group()).absorb(group)
        ordered = {}
        for name in sorted(groups, key=str):
            ordered[name] = groups[name]
            ordered[name].absorb(self.wide)
        return ordered


def _tenant_key(task):
    """The tenant a row belongs to; None for a cluster-wide row (cluster-dimension backups carry tenantId 0)."""
    name = task.get('tenant_name')
    if name not in (None, ''):
        return name
    tenant_id = task.get('tenant_id')
    if tenant_id in (None, 0, '0'):
        return None
    return (_BY_ID, tenant_id)


class DataSummary(_Summary):
    """summarize_data one task at a time."""

    group = _DataGroup

    def result(self, now, tenants=None):
        result = self._overall().summary(now)
        result['tenants'] = dict((name, group.summary(now)) for name, group in self._groups(tenants).items())
        return result


class LogSummary(_Summary):
    """summarize_log one task at a time."""

    group = _LogGroup

    def result(self, now, tenants=None):
        tenant_summaries = dict((name, group.summary(now)) for name, group in self._groups(tenants).items())
        current = [item for item in tenant_summaries.values() if item['total']]
        if not current and self.wide.total:
            current = [self.wide.summary(now)]
        delays = [item['delay_seconds'] for item in current if item['delay_seconds'] is not None]
        checkpoints = [item['checkpoint'] for item in current if epoch_microseconds(item['checkpoint']) is not None]
        checkpoint = min(checkpoints, key=epoch_microseconds) if checkpoints else None
        return {
            'total': self.counts.total,
            'by_status': dict(self.counts.by_status),
            'active': bool(current) and all(item['active'] for item in current),
            'max_delay_seconds': max(delays) if delays else None,
            'latest_checkpoint': checkpoint,
            'checkpoint_age_seconds': age_seconds(checkpoint, now),
            'tenants': tenant_summaries,
        }


def _feed(summary, tasks):
    for task in tasks:
        summary.add(task)
    return summary


def summarize_data(tasks, now, tenants=None):
    """Data backup summary of normalized tasks (DESIGN section 3), with ``tenants`` keyed by tenant name.

    ``tenants`` (list of {id, name}) seeds an entry for every tenant, so a tenant without tasks
    still shows up with ``total: 0``, ``running: 0`` and nulls.
    """
    return _feed(DataSummary(), tasks).result(now, tenants)


def summarize_log(tasks, now, tenants=None):
    """Log backup summary of normalized tasks: per tenant the state of its newest task, and the worst over tenants.

    ``active`` is true when the newest task of every tenant that has tasks is active; ``max_delay_seconds``
    is the largest delay and ``latest_checkpoint`` the oldest checkpoint among those newest tasks, that is
    the latest point in time up to which the logs of every such tenant are archived.
    """
    return _feed(LogSummary(), tasks).result(now, tenants)
