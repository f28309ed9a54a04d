# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The obshell tenant backup overview: the running or the latest backup task of a tenant, and its summary.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, NotFoundError, ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._future import mark_future
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import ObshellClient, server_code, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._summary import future_warning
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import age_seconds, format_utc, parse_timestamp, utcnow

SUCCEEDED = ('COMPLETED',)
FAILED = ('FAILED',)
FINISHED = ('COMPLETED', 'FAILED', 'CANCELED')
# obshell's own rule for tenant names, without '#', which cannot travel in the URL path.
_TENANT_NAME_RE = re.compile(r'^[A-Za-z0-9_~+-]+$')


def validate_tenant_name(params):
    """The tenant name, stripped; InputError for a name the backup routes cannot take."""
    tenant = (params.get('tenant_name') or '').strip()
    if not tenant:
        raise InputError('tenant_name', 'the name is empty; expected the name of a user tenant')
    if tenant.lower() == 'sys':
        raise InputError('tenant_name', "'sys' has no tenant backup overview; expected the name of a user tenant")
    if not _TENANT_NAME_RE.match(tenant):
        raise InputError('tenant_name', '%r is not a tenant name; expected letters, digits and - _ ~ +' % tenant)
    return tenant


def tenant_backup_overview(client, tenant_name):
    """(task, found): the overview task as the agent sent it, or (None, False) for a tenant never backed up."""
    path = '/api/v1/tenant/%s/backup/overview' % tenant_name
    try:
        task = client.get_data(path).get('status')
    except NotFoundError as exc:
        if server_code(exc) in ('Task.NotFound', 2300):
            return None, False
        raise
    if task is not None and not isinstance(task, dict):
        raise ResponseFormatError('GET %s returned "data.status" that is not an object' % path, method='GET', path=path)
    return task, True


def explain(exc, tenant_name):
    """A plain cause in front of the server's details for the failures users meet."""
    error = getattr(exc, 'server_error', None) or {}
    # str(): agents send strings here, but an odd value must not turn an explained error into a traceback.
    code, legacy, message = str(error.get('errCode') or ''), error.get('code'), str(error.get('message') or '')
    if code.endswith('IncorrectOceanbasePassword') or (exc.http_status == 401 and legacy == 10008 and not code):
        cause = 'obshell rejected obshell_root_password (the root@sys password of the cluster)'
    elif code == 'OB.Tenant.NotExist' or (legacy == 1001 and 'not found' in message):
        cause = 'tenant %r does not exist in this cluster' % tenant_name
    elif code == 'OB.Tenant.SysOperationNotAllowed':
        cause = 'the sys tenant has no tenant backup overview'
    elif code == 'Agent.Identify.NotSupportOperation' or legacy == 1010:
        cause = 'this obshell agent is not part of a deployed cluster (its identity is not CLUSTER AGENT)'
    elif exc.http_status == 404 and not error:
        cause = 'the agent has no backup overview API (obshell before 4.2.4?)'
    else:
        return exc
    exc.msg = '%s: %s' % (cause, exc.msg)
    return exc


def summarize(task, found, now):
    """The overview task (normalized) reduced to what checks compare; None when there is no task."""
    if not found or not task:
        return None
    status = task.get('status')
    # Any other status (DOING, BACKUP_DATA_MINOR, ... and values newer agents add) is a task still running.
    in_progress = status not in FINISHED
    start, end = task.get('start_timestamp'), task.get('end_timestamp')
    total, done = task.get('tablet_count'), task.get('finish_tablet_count')
    duration = None
    try:
        if start:
            finish = now if in_progress or not end else parse_timestamp(end)
            duration = age_seconds(start, finish)
    except ValueError:
        duration = None
    return mark_future({
        'status': status,
        'succeeded': status in SUCCEEDED,
        'in_progress': in_progress,
        'failed': status in FAILED,
        'result': task.get('result'),
        'age_seconds': None if in_progress else age_seconds(end, now),
        'duration_seconds': duration,
        'progress': {
            'finished': done, 'total': total,
            'percent': round(100.0 * done / total, 1) if isinstance(total, int) and total > 0 and isinstance(done, int) else None,
        },
        'encryption_mode': task.get('encryption_mode'),
        'backup_set_id': task.get('backup_set_id'),
    }, ('age_seconds', 'duration_seconds'))


def _overview(client, tenant):
    try:
        return tenant_backup_overview(client, tenant)
    except ApiError as exc:
        raise explain(exc, tenant) from None


def collect_overview(params, warn=None, now=None, client_factory=ObshellClient):
    """The whole work of obshell_tenant_backup_overview: the result to exit with, or an OceanBaseError."""
    tenant = validate_tenant_name(params)
    validate_connection(params)
    client = client_factory(params, warn=warn)
    try:
        agent = client.info()
        task, found = _overview(client, tenant)
    finally:
        client.close()
    moment = now or utcnow()
    task = normalize(task) if task else task
    summary = summarize(task, found, moment)
    warning = future_warning(summary and summary['future'], 'obshell agent')
    if warning and warn:
        warn(warning)
    return {
        'found': found,
        'backup_task': task,
        'summary': summary,
        'agent': agent,
        'tenant': {'name': tenant},
        'queried_at': format_utc(moment),
    }
