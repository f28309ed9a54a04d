# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell restore tasks (GET /api/v1/restore/tasks), summarised per source tenant like OCP's.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The agent scans its timestamps from SQL into Go strings. Its driver parses times (parseTime=true, loc=Local), so
they normally come as RFC 3339 with the offset of the agent host's zone; a driver that does not parse them leaves
the database's bare ``YYYY-MM-DD hh:mm:ss[.ffffff]``, which carries no zone: it is taken at bare_time_offset.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import ObshellClient, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_overview import explain
from ansible_collections.oceanbase.backup.plugins.module_utils._restore_summary import RestoreOutcomes, RestoreSummary
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_api_time, format_utc, parse_time_option, utcnow

PATH = '/api/v1/restore/tasks'
RESTORE_ARGSPEC = dict(
    start_time=dict(type='str'),
    end_time=dict(type='str'),
    status=dict(type='list', elements='str'),
    bare_time_offset=dict(type='str', default='+00:00'),
    return_tasks=dict(type='bool', default=True),
)
# History rows end SUCCESS or FAIL; running rows carry the restore's current step from CDB_OB_RESTORE_PROGRESS.
OUTCOMES = RestoreOutcomes(
    success=('SUCCESS',), failure=('FAIL', 'FAILED'),
    running=('DOING', 'RESTORING', 'CREATE_TENANT', 'CREATE_INIT_LS', 'RESTORE_PRE', 'RESTORE_SYS_LS', 'WAIT_LS',
             'POST_CHECK', 'UPGRADE', 'RESTORE_TENANT', 'WAIT_RESTORE_TENANT_TO_CONSISTENT_SCN', 'WAIT_TENANT_RESTORE_FINISH'))
FIELDS = ('status', 'start_timestamp', 'finish_timestamp', 'job_id', 'backup_cluster_name', 'backup_tenant_name',
          'restore_cluster_name', 'restore_tenant_name', 'comment')
TIME_FIELDS = ('start_timestamp', 'finish_timestamp')
_OFFSET_RE = re.compile(r'^(Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$')
_BARE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$')


def validate_query(params, now):
    """Check every option before any request; returns (query parameters, bare time offset)."""
    validate_connection(params)
    offset = (params.get('bare_time_offset') or '').strip()
    if not _OFFSET_RE.match(offset):
        raise InputError('bare_time_offset', '%r is not a UTC offset; expected Z or +HH:MM / -HH:MM, for example +08:00' % offset)
    times = {}
    for option in ('start_time', 'end_time'):
        if params.get(option) is not None:
            times[option] = parse_time_option(params[option], option, now)
    if len(times) == 2 and times['end_time'] < times['start_time']:
        raise InputError('end_time', '%s is before start_time %s; expected end_time >= start_time' % (
            format_utc(times['end_time']), format_utc(times['start_time'])))
    statuses = [str(value).strip().upper() for value in params.get('status') or ()]
    if any(not value or ',' in value for value in statuses):
        raise InputError('status', 'empty status value or one with a comma; expected values such as SUCCESS or FAIL')
    query = dict((option, format_api_time(value)) for option, value in times.items())
    if statuses:
        query['status'] = ','.join(sorted(set(statuses)))
    return query, offset


def utc_time(value, offset):
    """A timestamp of the agent in UTC: RFC 3339 as sent, a bare one taken at ``offset``; '' (still running) is None."""
    if value is None or value == '':
        return None
    if isinstance(value, str) and _BARE_RE.match(value.strip()):
        value = value.strip().replace(' ', 'T') + ('Z' if offset == 'Z' else offset)
    return format_utc(value)


def restore_rows(data):
    rows = data.get('contents')
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ResponseFormatError('GET %s returned "data.contents" that is not a list of objects' % PATH, method='GET', path=PATH)
    return rows


def _explain(exc):
    if exc.http_status == 404 and not getattr(exc, 'server_error', None):
        exc.msg = 'the agent has no restore task API (%s): %s' % (PATH, exc.msg)
        return exc
    return explain(exc, None)


def collect_restores(params, warn=None, now=None, client_factory=ObshellClient):
    """The whole work of obshell_restore_tasks_info: the result to exit with, or an OceanBaseError."""
    warn = warn or (lambda message: None)
    now = now or utcnow()
    query, offset = validate_query(params, now)
    client = client_factory(params, warn=warn)
    try:
        agent = client.info()
        try:
            rows = restore_rows(client.get_data(PATH, query))
        except ApiError as exc:
            raise _explain(exc) from None
    finally:
        client.close()
    summary = RestoreSummary(OUTCOMES, FIELDS)
    tasks = []
    for row in rows:
        row = dict(row, **dict((key, utc_time(row.get(key), offset)) for key in TIME_FIELDS if key in row))
        summary.add(row)
        tasks.append(normalize(row))
    for message in summary.warnings('obshell restore task'):
        warn(message)
    result = {'summary': summary.result(now), 'agent': agent, 'queried_at': format_utc(now)}
    if params.get('return_tasks', True):
        result['tasks'] = tasks
    return result
