# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Restore tasks and backup strategies as OCP and obshell send them, built from scenario specs (README.md).

A restore spec names its source (`source: prod/app`, the cluster and tenant whose backups it used) and the tenant
it restores into (`tenant:`); it sits under the cluster (or agent) the restore ran on.
"""
from obsim import scenario

_OCP_RUNNING = ('RESTORING',)
_AGENT_RUNNING = ('RESTORING', 'WAIT_LS', 'RESTORE_SYS_LS')


def _source(spec):
    cluster, _sep, tenant = str(spec.get('source', 'prod/app')).partition('/')
    return cluster, tenant


def ocp_restore_rows(spec, cluster, start, offset, first_id, ids):
    """`count` rows `every` apart from `create`; ``ids(cluster name, tenant name)`` gives the source's OCP ids."""
    source_cluster, source_tenant = _source(spec)
    cluster_id, tenant_id, ob_cluster_id, ob_tenant_id = ids(source_cluster, source_tenant)
    status = spec.get('status', 'RESTORE_SUCCESS')
    every, duration = scenario.seconds(spec.get('every', '1d')), scenario.seconds(spec.get('duration', '1h'))
    for index in range(int(spec.get('count', 1))):
        created = start + scenario.seconds(spec.get('create', '-20d')) + index * every
        finished = None if status in _OCP_RUNNING else created + duration
        yield {
            'id': first_id + index, 'ocpJobId': 9000 + first_id + index, 'backupMode': 'PHYSICAL_BACKUP',
            'createTime': scenario.render(created, 'offset_colon', offset, 3),
            'finishTime': scenario.render(finished, 'offset_colon', offset, 3),
            'backupClusterId': cluster_id, 'backupClusterName': source_cluster, 'backupObClusterId': ob_cluster_id,
            'backupTenantId': tenant_id, 'backupTenantName': source_tenant, 'backupObTenantId': ob_tenant_id,
            'restoreClusterId': cluster['id'], 'restoreClusterName': cluster['name'],
            'restoreTenantName': spec.get('tenant', '%s_restore' % source_tenant), 'restorePoolListStr': 'pool_%s' % source_tenant,
            'restoreUri': 'file:///obbackup/%s/%s/data' % (source_cluster, source_tenant),
            'restoreEndTime': scenario.render(created - 60, 'offset_colon', offset, 3),
            'status': status,
            'errorMsg': spec.get('error', 'restore failed: backup set 5 is not complete' if 'FAIL' in status else ''),
            '_start': created,
        }


def agent_restore_row(spec, start, offset, job_id):
    """One GET /api/v1/restore/tasks row; `bare: true` writes the database's text (no offset, a space before the hour)."""
    source_cluster, source_tenant = _source(spec)
    status = spec.get('status', 'SUCCESS')
    started = start + scenario.seconds(spec.get('start', '-20d'))
    running = status in _AGENT_RUNNING or status not in ('SUCCESS', 'FAIL')

    def when(epoch):
        text = scenario.render(epoch, 'offset_colon', offset, 6)
        return text[:-6].replace('T', ' ') if spec.get('bare') else text
    return {
        'tenant_id': 1, 'job_id': job_id, 'restore_tenant_name': spec.get('tenant', '%s_restore' % source_tenant),
        'restore_tenant_id': 1000 + job_id, 'backup_tenant_name': source_tenant, 'backup_tenant_id': 1002,
        'backup_cluster_name': source_cluster, 'restore_option': 'pool_list=pool_%s' % source_tenant,
        'restore_scn': int(started * 1e9), 'restore_scn_display': when(started - 60), 'status': status,
        'start_timestamp': when(started), 'backup_set_list': '', 'backup_piece_list': '',
        'backup_data_uri': 'file:///obbackup/%s/data' % source_tenant, 'backup_log_uri': 'file:///obbackup/%s/clog' % source_tenant,
        'tablet_count': 596, 'finish_tablet_count': 200 if running else 596, 'total_bytes': 128825794,
        'total_bytes_display': '122.86MB', 'finish_bytes': 128825794, 'finish_bytes_display': '122.86MB', 'description': '',
        'recover_scn': 0, 'recover_scn_display': '', 'recover_progress': '', 'restore_progress': '',
        'backup_cluster_version': 0 if running else 17180000512, 'ls_count': 0 if running else 3, 'finish_ls_count': 0 if running else 3,
        'comment': spec.get('comment', 'restore failed: backup set 5 is not complete' if status == 'FAIL' else ''),
        'finish_timestamp': '' if running else when(started + scenario.seconds(spec.get('duration', '1h'))),
    }


def strategy_row(spec, cluster, tenant, start, offset):
    """The OcpBackupStrategy of a tenant's `backup_strategy` spec."""
    days = spec.get('days', {'1': 'FULL_BACKUP', '4': 'INCREMENTAL_BACKUP'})
    return {
        'id': tenant['id'], 'createTime': scenario.render(start - 100 * 86400, 'offset_colon', offset, 3),
        'updateTime': scenario.render(start - 10 * 86400, 'offset_colon', offset, 3), 'clusterName': cluster['name'],
        'obClusterId': cluster['obClusterId'], 'clusterId': cluster['id'], 'backupDimension': 'TENANT',
        'tenantName': tenant['name'], 'obTenantId': tenant['obTenantId'], 'tenantId': tenant['id'], 'type': 'PHYSICAL',
        'obBackupServiceStorageConfig': {'storageType': 'FILE', 'path': 'file:///obbackup'}, 'backupMode': 'PHYSICAL_BACKUP',
        'serviceConfigName': 'default',
        'obBackupScheduleConfig': {
            'backupScheduleMode': spec.get('mode', 'WEEK'), 'backupScheduleEnabled': spec.get('enabled', True),
            'backupScheduleTime': '01:00', 'dayAndDataBackupModelMap': dict((str(key), value) for key, value in days.items()),
            'startLogBackup': spec.get('log_backup', True), 'cleanEnabled': spec.get('clean_enabled', True),
            'backupDataRetentionDays': spec.get('retention_days', 14), 'cleanScheduleTime': '03:00',
        },
    }
