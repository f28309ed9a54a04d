# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rows OCP sends: clusters, tenants and backup tasks, built from scenario specs (README.md, "Scenario schema").

Keys starting with '_' are the simulator's own (start and end instants for the time filters); they never go out.
"""
from datetime import datetime

from obsim import scenario

# The task lists a cluster has, by the last segment of their path.
TASK_ENDPOINTS = ('dataBackupTasks', 'logBackupTasks', 'restoreTasks')
_RUNNING = ('BEGINNING', 'INITIALIZING', 'DOING', 'CANCELING')
# time_format per_row: how OCP builds differ, one row after the other (form, fraction digits).
_PER_ROW = (('offset_nocolon', 3), ('offset_colon', 6), ('zulu', 0))


def cluster_row(spec, start, offset):
    return {
        'id': spec['id'], 'name': spec['name'], 'obClusterId': spec.get('ob_cluster_id', _modulo(spec['id'], 1000)),
        'obVersion': spec.get('ob_version', '4.3.5.1'), 'status': spec.get('status', 'RUNNING'),
        'type': spec.get('type', 'PRIMARY'), 'createTime': scenario.render(start - 400 * 86400, 'offset_colon', offset, 0),
        'tenantCount': 0, '_quirks': tuple(spec.get('quirks') or ()),
    }


def tenant_row(spec, cluster):
    return {
        'id': spec['id'], 'name': spec['name'], 'clusterName': cluster['name'], 'clusterId': cluster['id'],
        'obClusterId': cluster['obClusterId'], 'clusterType': cluster['type'], 'mode': spec.get('mode', 'MYSQL'),
        'status': spec.get('status', 'NORMAL'), 'locked': False, 'readonly': False,
        'obTenantId': spec.get('ob_tenant_id', 1000 + _modulo(spec['id'], 1000)),
        'obVersion': cluster['obVersion'], 'primaryZone': 'zone1', 'zoneList': ['zone1'],
    }


def _modulo(value, base):
    return value % base if isinstance(value, int) else 0


def data_rows(spec, cluster, tenant, start, fmt, offset, first_id):
    """One row, or `count` rows `every` apart (every `full_every`-th a FULL_BACKUP) from `start`."""
    count = int(spec.get('count', 1))
    every = scenario.seconds(spec.get('every', '1d'))
    begin = start + scenario.seconds(spec.get('start', '-1d'))
    duration = scenario.seconds(spec.get('duration', '20m'))
    full_every = spec.get('full_every')
    status = spec.get('status', 'DONE')
    running = status in _RUNNING
    for i in range(count):
        t0 = begin + i * every
        kind = spec.get('type', 'FULL_BACKUP')
        if full_every and i % int(full_every) == 0:
            kind = 'FULL_BACKUP'
        form, digits = _form(fmt, i, spec.get('digits', 6 if (first_id + i) % 3 else 9))
        yield {
            'backupDimension': 'TENANT', 'taskId': first_id + i, 'backupType': kind, 'taskType': 'BACKUP',
            'clusterName': cluster['name'], 'clusterId': cluster['id'], 'obClusterId': cluster['obClusterId'],
            'obTenantId': tenant['obTenantId'], 'clusterType': cluster['type'], 'tenantId': tenant['id'], 'tenantName': tenant['name'],
            'startTime': scenario.render(t0, form, offset, digits),
            'finishTime': None if running else scenario.render(t0 + duration, form, offset, digits),
            'status': status, 'errorMsg': spec.get('error', 'ObBackupError: backup destination unreachable' if status == 'FAILED' else ''),
            'dataVersion': 0, 'backupUri': 'file:///obbackup/%s/%s/data' % (cluster['name'], tenant['name']), 'dataType': 'DATA',
            'schemaVersion': 0, 'backupSetId': int(spec.get('backup_set_id', first_id + i)), 'backupMode': 'PHYSICAL_BACKUP',
            'dataBackupTaskType': kind, 'dataSecondaryBackupTaskIds': [], 'duration': int(duration),
            '_start': t0,
        }


def log_row(spec, cluster, tenant, start, fmt, offset):
    created = start + scenario.seconds(spec.get('create', '-30d'))
    checkpoint = start + scenario.seconds(spec.get('checkpoint', '-30s'))
    form, digits = _form(fmt, 0, 3)
    return {
        'backupDimension': 'TENANT', 'agentServerIp': '127.0.0.1', 'backupMode': 'PHYSICAL_BACKUP',
        'backupUri': 'file:///obbackup/%s/%s/clog' % (cluster['name'], tenant['name']),
        'checkpoint': scenario.render(checkpoint, form, offset, digits), 'clusterId': cluster['id'], 'clusterName': cluster['name'],
        'clusterType': cluster['type'], 'createTime': scenario.render(created, form, offset, digits),
        'modifyTime': scenario.render(checkpoint, form, offset, digits), 'delay': float(spec.get('delay', 30.0)),
        'obClusterId': cluster['obClusterId'], 'obTenantId': tenant['obTenantId'], 'status': spec.get('status', 'RUNNING'),
        'errorMsg': spec.get('error', ''), 'tenantId': tenant['id'], 'tenantName': tenant['name'],
        '_start': created, '_last': checkpoint,
    }


def literal_row(endpoint, row):
    """A row given as the API sends it; its times (when they parse) place it in a startTime/endTime window."""
    first = row.get('createTime') if endpoint in ('logBackupTasks', 'restoreTasks') else row.get('startTime')
    last = row.get('checkpoint') if endpoint == 'logBackupTasks' else first
    return dict(row, _start=_instant(first), _last=_instant(last))


def _instant(value):
    if not isinstance(value, str):
        return None
    text = value.replace('Z', '+00:00')
    if len(text) > 5 and text[-5] in '+-' and text[-3] != ':':
        text = text[:-2] + ':' + text[-2:]
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def _form(fmt, index, digits):
    """The (form, fraction digits) of the index-th time a list writes in time_format ``fmt``."""
    if fmt == 'mixed':
        return ('offset_colon', 'offset_nocolon', 'zulu')[index % 3], digits
    if fmt == 'per_row':
        return _PER_ROW[index % 3]
    return fmt, digits
