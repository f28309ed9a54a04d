# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP backup task lists: one TaskKind record per list, and the one query that serves them all.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A record says everything that differs between the task modules: the endpoint, the documented statuses, the
summary, and the options a kind has beyond the shared ones. collect_tasks() runs a query one way: check every
option, resolve the target (every name known), stream the pages into the summary (and the task list), return.
Keep TASK_ARGSPEC in step with plugins/doc_fragments/backup_tasks.py.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import OCP_ARGSPEC, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import DEFAULT_PAGE_SIZE, OcpClient, validate_page_size
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_ARGSPEC, check_id, resolve_target, validate_target
from ansible_collections.oceanbase.backup.plugins.module_utils._paging import cycle_collection_paused, threads_switching_often
from ansible_collections.oceanbase.backup.plugins.module_utils._restore_summary import RestoreOutcomes, RestoreSummary
from ansible_collections.oceanbase.backup.plugins.module_utils._summary import DataOutcomes, DataSummary, LogOutcomes, LogSummary, future_warning
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_api_time, format_utc, parse_time_option, utcnow

TASK_ARGSPEC = dict(
    start_time=dict(type='str'),
    end_time=dict(type='str'),
    status=dict(type='list', elements='str'),
    page_size=dict(type='int', default=DEFAULT_PAGE_SIZE),
    return_tasks=dict(type='bool', default=True),
)


class TaskOption:
    """An option of one task kind beyond the shared ones: its argument spec, the query parameter it is sent as, the
    summary role its tasks are also filtered on here (an endpoint may ignore the parameter), and its check."""

    __slots__ = ('name', 'spec', 'param', 'role', 'check')

    def __init__(self, name, spec, param, role, check):
        self.name, self.spec, self.param, self.role, self.check = name, spec, param, role, check


class TaskKind:
    """One OCP backup task list: ``endpoint`` is the last segment of its cluster and tenant paths."""

    __slots__ = ('noun', 'endpoint', 'statuses', 'summary', 'options', 'key')

    def __init__(self, noun, endpoint, statuses, summary, options=(), key=None):
        self.noun = noun
        # The identity of a row across pages (task_key when None).
        self.key = key
        self.endpoint = endpoint
        # The documented statuses: others draw a warning and are sent as given.
        self.statuses = statuses
        # A callable giving a new summary (_summary) of this kind's rows.
        self.summary = summary
        self.options = options

    def argument_spec(self):
        spec = dict(OCP_ARGSPEC, **TARGET_ARGSPEC)
        spec.update(TASK_ARGSPEC)
        spec.update((option.name, dict(option.spec)) for option in self.options)
        return spec

    def path(self, cluster_id, tenant_id=None):
        if tenant_id is None:
            return '/api/v2/ob/clusters/%d/backup/task/%s' % (cluster_id, self.endpoint)
        return '/api/v2/ob/clusters/%d/tenants/%d/backup/task/%s' % (cluster_id, tenant_id, self.endpoint)


DATA_BACKUP_TASKS = TaskKind(
    'data backup tasks', 'dataBackupTasks',
    ('BEGINNING', 'INITIALIZING', 'DOING', 'DONE', 'FAILED', 'CANCELING', 'CANCELED', 'OVERDUE', 'UNKNOWN'),
    # A data task in a running state has not finished (CANCELING still holds the backup).
    lambda: DataSummary(DataOutcomes(success='DONE', failure='FAILED', running=('BEGINNING', 'INITIALIZING', 'DOING', 'CANCELING'),
                                     full_types=('FULL_BACKUP', 'FULL'))),
    options=(TaskOption('backup_set_id', dict(type='int'), 'backupSetId', 'backup_set_id', check_id),),
)
LOG_BACKUP_TASKS = TaskKind(
    'log backup tasks', 'logBackupTasks',
    # RUNNING and DOING are not in the tenant-level list, but OCP's cluster-level samples return RUNNING.
    ('STARTING', 'INPROGRESS', 'RUNNING', 'DOING', 'STOPPING', 'STOPPED', 'FAILED', 'INTERRUPTED', 'UNKNOWN'),
    lambda: LogSummary(LogOutcomes(active=('STARTING', 'INPROGRESS', 'RUNNING', 'DOING'))),
)

RESTORE_TASKS = TaskKind(
    'restore tasks', 'restoreTasks',
    # Only these two are in OCP's samples; the running and canceled values are undocumented.
    ('RESTORE_SUCCESS', 'RESTORE_FAIL'),
    lambda: RestoreSummary(RestoreOutcomes(success=('RESTORE_SUCCESS',), failure=('RESTORE_FAIL', 'RESTORE_FAILED', 'FAILED'),
                                           running=('RESTORING', 'RUNNING', 'DOING'))),
    key=lambda row: ('restore', row.get('id')) if row.get('id') is not None else task_key(row),
)


class TaskQuery:
    """A checked query: what the tenant endpoint is sent, and the filters applied here too (the cluster endpoints
    have no status filter, and an older server may ignore one): the statuses, and (role, value) of the options."""

    __slots__ = ('send', 'statuses', 'equal')

    def __init__(self, send, statuses, equal):
        self.send, self.statuses, self.equal = send, statuses, equal

    def cluster_send(self):
        return dict(self.send, status=None)

    def matcher(self, roles):
        """A test of a task's role values (in ``roles`` order), None when nothing is filtered."""
        statuses = frozenset(value.upper() for value in self.statuses) if self.statuses else None
        equal = [(roles.index(role), value) for role, value in self.equal]
        if statuses is None and not equal:
            return None
        status_at = roles.index('status')

        def matches(values):
            if statuses is not None and str(values[status_at]).upper() not in statuses:
                return False
            return all(values[index] == value for index, value in equal)
        return matches


def validate_query(kind, params, warn, now):
    """Check every option of a task query before any request; returns the TaskQuery."""
    validate_connection(params)
    validate_target(params)
    for option in kind.options:
        option.check(params, option.name)
    validate_page_size(params.get('page_size'))
    start = parse_time_option(params['start_time'], 'start_time', now) if params.get('start_time') is not None else None
    end = parse_time_option(params['end_time'], 'end_time', now) if params.get('end_time') is not None else None
    if start is not None and end is not None and end < start:
        raise InputError('end_time', '%s is before start_time %s; expected end_time >= start_time' % (format_utc(end), format_utc(start)))
    statuses = validate_statuses(params.get('status'), kind.statuses, 'OCP ' + kind.noun, warn)
    send = {'startTime': format_api_time(start) if start is not None else None,
            'endTime': format_api_time(end) if end is not None else None, 'status': statuses}
    equal = []
    for option in kind.options:
        send[option.param] = params.get(option.name)
        if params.get(option.name) is not None:
            equal.append((option.role, params[option.name]))
    return TaskQuery(send, statuses, equal)


def validate_statuses(values, documented, what, warn):
    """Documented values upper-cased; other values warned about and passed on as given. ``what`` names the list."""
    if not values:
        return None
    result = []
    unknown = []
    for value in values:
        text = str(value).strip()
        if not text:
            raise InputError('status', 'empty status value; expected any of %s' % ', '.join(documented))
        if text.upper() in documented:
            result.append(text.upper())
        else:
            unknown.append(text)
            result.append(text)
    if unknown:
        warn('status %s %s not documented for %s (documented: %s); passed on as given.' % (
            ', '.join(unknown), 'is' if len(unknown) == 1 else 'are', what, ', '.join(documented)))
    return sorted(set(result))


def task_key(row):
    """Identity of a task row for de-duplication across pages; None when a row has no usable identity.

    OCP task ids are per tenant, so the tenant is part of the key. Log rows have no id: their creation
    time stands in for it.
    """
    marker = row.get('taskId')
    if marker is None:
        marker = row.get('createTime')
    if marker is None:
        return None
    return (row.get('tenantId'), row.get('obTenantId'), row.get('tenantName'), row.get('backupSetId'), marker)


def collect_tasks(kind, params, warn=None, now=None, client_factory=OcpClient):
    """The whole work of a task module: the result to exit with, or an OceanBaseError."""
    warn = warn or (lambda message: None)
    now = now or utcnow()
    query = validate_query(kind, params, warn, now)
    client = client_factory(params, warn=warn)
    try:
        return read_tasks(client, kind, resolve_target(client, params), query, params, now, warn)
    finally:
        client.close()


def read_tasks(client, kind, target, query, params, now, warn=None):
    """Stream the target's task pages into the summary, and into the task list unless return_tasks is false."""
    summary = kind.summary()
    matches = query.matcher(summary.ROLES)
    tasks = [] if params.get('return_tasks', True) else None
    tenant_id = target.tenant and target.tenant['id']
    send = query.send if tenant_id is not None else query.cluster_send()
    pages = client.iter_pages(kind.path(target.cluster['id'], tenant_id), send, page_size=params['page_size'],
                              key=kind.key or task_key, prefetch=True)
    with cycle_collection_paused(), threads_switching_often():
        for page in pages:
            # No list of raw rows is kept: each page goes to the summary (and the task list), then is dropped.
            values = summary.read.many(page)
            if matches is not None:
                kept = [index for index, item in enumerate(values) if matches(item)]
                page, values = [page[index] for index in kept], [values[index] for index in kept]
            summary.add_values(values)
            if tasks is not None:
                tasks.extend(map(normalize, page))
            # Dropped before the next page is awaited, which would otherwise arrive while this one is still held.
            page = values = None
    result = {
        'summary': summary.result(now, target.tenants),
        'cluster': target.cluster,
        'tenant': target.tenant,
        'queried_at': format_utc(now),
    }
    if tasks is not None:
        result['tasks'] = tasks
    warn = warn or (lambda text: None)
    for message in getattr(summary, 'warnings', lambda noun: ())(kind.noun):
        warn(message)
    warning = future_warning(result['summary'].get('future') or {}, 'OCP')
    if warning:
        warn(warning)
    return result
