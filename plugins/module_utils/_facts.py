# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure helpers that turn API rows into module facts: snake_case keys, UTC times, backup summaries.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

No I/O here: every function takes plain data (and ``now``, an aware UTC datetime) and returns plain data,
so the summaries can be unit-tested and a module's output only depends on what the server sent.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import age_seconds, format_utc

# Documented OCP task statuses. Servers may send others: they are counted and kept, never rejected.
DATA_STATUSES = ('BEGINNING', 'INITIALIZING', 'DOING', 'DONE', 'FAILED', 'CANCELING', 'CANCELED', 'OVERDUE', 'UNKNOWN')
# RUNNING and DOING are not in the tenant-level list but OCP's cluster-level samples return RUNNING.
LOG_STATUSES = ('STARTING', 'INPROGRESS', 'RUNNING', 'DOING', 'STOPPING', 'STOPPED', 'FAILED', 'INTERRUPTED', 'UNKNOWN')

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


def normalize(value):
    """Snake_case every key (unknown ones kept), every time field as UTC ISO 8601, ``delay`` as a float."""
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        snake, kind = _key_info(key)
        if kind == 'time' and isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = format_utc(item)
        elif kind == 'float' and not isinstance(item, (dict, list)):
            item = _to_float(item, item)
        elif isinstance(item, (dict, list)):
            item = normalize(item)
        result[snake] = item
    return result


def _to_float(value, default=None):
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _time_key(value):
    """A string that sorts like the instant, for values written by format_utc; '' for anything else."""
    if not isinstance(value, str) or not value.endswith('Z') or len(value) not in (20, 27):
        return ''
    return value[:19] + (value[19:26] if len(value) == 27 else '.000000')


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


def _later(best, key):
    return best is None or key > best[0]


class _DataGroup:
    """Running aggregate of data tasks for one tenant (or the whole answer)."""

    def __init__(self):
        self.total = 0
        self.by_status = {}
        self.running = 0
        self.latest = self.success = self.full_success = self.failure = None
        self.oldest_running = None

    def add(self, task):
        self.total += 1
        status = _status(task)
        self.by_status[status] = self.by_status.get(status, 0) + 1
        start = _time_key(task.get('start_time'))
        finish = _time_key(task.get('finish_time'))
        task_id = _id_key(task.get('task_id'))
        key = (start or finish, task_id)
        if _later(self.latest, key):
            self.latest = (key, task)
        upper = status.upper()
        ended = (finish or start, task_id)
        if upper == DATA_SUCCESS:
            if _later(self.success, ended):
                self.success = (ended, task)
            if is_full(task) and _later(self.full_success, ended):
                self.full_success = (ended, task)
        elif upper == DATA_FAILURE:
            if _later(self.failure, ended):
                self.failure = (ended, task)
        elif upper in DATA_RUNNING:
            self.running += 1
            if start and (self.oldest_running is None or start < self.oldest_running[0]):
                self.oldest_running = (start, task)

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
    return None if entry is None else render(entry[1])


def _success(task, now):
    return {
        'task_id': task.get('task_id'), 'backup_set_id': task.get('backup_set_id'), 'type': task_type(task),
        'finish_time': task.get('finish_time'), 'age_seconds': _age(task, now),
    }


class _LogGroup:
    """The newest log backup task of one tenant, plus counts."""

    def __init__(self):
        self.total = 0
        self.by_status = {}
        self.latest = None

    def add(self, task):
        self.total += 1
        status = _status(task)
        self.by_status[status] = self.by_status.get(status, 0) + 1
        key = (_time_key(task.get('create_time')) or _time_key(task.get('start_time')),
               _time_key(task.get('modify_time')), _time_key(task.get('checkpoint')))
        if _later(self.latest, key):
            self.latest = (key, task)

    def summary(self, now):
        task = self.latest[1] if self.latest else {}
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


def _tenant_name(task, names):
    """The tenant a row belongs to; None for a cluster-wide row (cluster-dimension backups carry tenantId 0)."""
    name = task.get('tenant_name')
    if name not in (None, ''):
        return name
    tenant_id = task.get('tenant_id')
    if tenant_id in (None, 0, '0'):
        return None
    return names.get(tenant_id) or str(tenant_id)


def _by_tenant(tasks, tenants, factory):
    """({tenant name: group}, cluster-wide group), with an entry for every tenant in ``tenants``.

    A cluster-dimension task backs up every tenant of the cluster, so each tenant's group gets it too.
    """
    names = dict((tenant.get('id'), tenant.get('name')) for tenant in tenants or ())
    rows = dict((name, []) for name in names.values() if name not in (None, ''))
    wide = []
    for task in tasks:
        name = _tenant_name(task, names)
        if name is None:
            wide.append(task)
        else:
            rows.setdefault(name, []).append(task)
    groups = {}
    for name in sorted(rows, key=str):
        group = groups[name] = factory()
        for task in rows[name]:
            group.add(task)
        for task in wide:
            group.add(task)
    wide_group = factory()
    for task in wide:
        wide_group.add(task)
    return groups, wide_group


def summarize_data(tasks, now, tenants=None):
    """Data backup summary of normalized tasks (DESIGN section 3), with ``tenants`` keyed by tenant name.

    ``tenants`` (list of {id, name}) seeds an entry for every tenant, so a tenant without tasks
    still shows up with ``total: 0``, ``running: 0`` and nulls.
    """
    overall = _DataGroup()
    for task in tasks:
        overall.add(task)
    groups = _by_tenant(tasks, tenants, _DataGroup)[0]
    result = overall.summary(now)
    result['tenants'] = dict((name, group.summary(now)) for name, group in groups.items())
    return result


def summarize_log(tasks, now, tenants=None):
    """Log backup summary of normalized tasks: per tenant the state of its newest task, and the worst over tenants.

    ``active`` is true when the newest task of every tenant that has tasks is active; ``max_delay_seconds``
    is the largest delay and ``latest_checkpoint`` the oldest checkpoint among those newest tasks, that is
    the latest point in time up to which the logs of every such tenant are archived.
    """
    overall = _LogGroup()
    for task in tasks:
        overall.add(task)
    groups, wide_group = _by_tenant(tasks, tenants, _LogGroup)
    tenant_summaries = dict((name, group.summary(now)) for name, group in groups.items())
    current = [item for item in tenant_summaries.values() if item['total']]
    if not current and wide_group.total:
        current = [wide_group.summary(now)]
    delays = [item['delay_seconds'] for item in current if item['delay_seconds'] is not None]
    checkpoints = [item['checkpoint'] for item in current if _time_key(item['checkpoint'])]
    checkpoint = min(checkpoints, key=_time_key) if checkpoints else None
    return {
        'total': overall.total,
        'by_status': dict(overall.by_status),
        'active': bool(current) and all(item['active'] for item in current),
        'max_delay_seconds': max(delays) if delays else None,
        'latest_checkpoint': checkpoint,
        'checkpoint_age_seconds': age_seconds(checkpoint, now),
        'tenants': tenant_summaries,
    }
