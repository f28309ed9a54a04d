# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reports shaped like the compliance engine's, for the rendering tests and the browser test.

Every status, a tenant never backed up (its data checks fail for that reason), a failed query (every
check of the tenant an error with one message), a waiver, and hostile names and messages. Every tenant
has a backup policy record and a restore drill record with their details: weekly, monthly or no strategy;
a drill 20 days ago on another cluster, a failed drill after an old success, or none.
"""

from __future__ import annotations

H = 3600
D = 86400
HOSTILE_TENANT = '<img src=x onerror=alert(1)>'
HOSTILE_MESSAGE = 'server said <b>bold</b> & <script>alert(2)</script> | a | pipe\nsecond line\r\nthird \x1b[31mred\x07 "q" \'s\' \x00end'
GENERATED_AT = '2026-11-23T08:00:00Z'
OCP_CHECKS = (('never_backed_up', 1, None), ('full_backup_age', 168 * H, 'h'), ('backup_age', 26 * H, 'h'),
              ('latest_backup_failed', 'not FAILED', None), ('backup_running_too_long', 24 * H, 'h'),
              ('log_backup_active', 'active', None), ('log_backup_delay', 600, 's'), ('log_checkpoint_age', 900, 's'))


def record(check, cluster, tenant, status, observed, threshold, message, source='ocp'):
    return {'check': check, 'cluster': cluster, 'tenant': tenant, 'source': source, 'status': status,
            'observed': observed, 'threshold': threshold, 'message': message}


def _healthy(check, threshold, index):
    return {
        'never_backed_up': (12, '12 data backup task(s) in the queried period'),
        'full_backup_age': (2 * D + index * 997, 'last successful full backup 2d ago (limit 168h)'),
        'backup_age': (5 * H + index * 61, 'last successful backup 5h ago (limit 26h)'),
        'latest_backup_failed': ('DONE', 'latest data backup task 9 is DONE'),
        'backup_running_too_long': (0, 'no data backup task running'),
        'log_backup_active': ('DOING', 'log archiving is DOING'),
        'log_backup_delay': (20 + index % 50, 'log backup delay 20 s (limit 600s)'),
        'log_checkpoint_age': (40 + index % 70, 'log archive checkpoint 40 s ago (limit 900s)'),
    }[check]


WEEKLY = {'configured': True, 'schedule_enabled': True, 'schedule_mode': 'WEEK', 'full_backup_days': [1], 'incremental_backup_days': [3, 5],
          'max_days_between_full': 7, 'retention_days': 30}
MONTHLY = dict(WEEKLY, schedule_mode='MONTH', full_backup_days=[1], incremental_backup_days=[10, 20], max_days_between_full=31, retention_days=45)
NO_POLICY = dict.fromkeys(WEEKLY, None)
NO_POLICY.update(configured=False, full_backup_days=[], incremental_backup_days=[])


def _task(age, into=None, error=None, task_id=1):
    task = {'task_id': task_id, 'finish_time': 'T-%ds' % age, 'age_seconds': age}
    task.update({'restore_cluster_name': into[0], 'restore_tenant_name': into[1]} if into else {'error_msg': error})
    return task


def recoverability(cluster, tenant, index, error_msg='restore failed: backup set 12 is missing a piece', into_tenant=None):
    """The backup_policy and restore_drill_age records of one tenant, with their details."""
    policy = NO_POLICY if index % 9 == 0 else (MONTHLY if index % 9 == 5 else WEEKLY)
    configured = policy['configured']
    out = [dict(record('backup_policy', cluster, tenant, 'pass' if configured else 'fail', configured, True,
                       'backup strategy configured, %s schedule enabled' % policy['schedule_mode'] if configured
                       else 'no backup strategy is configured for the tenant'), details=dict(policy))]
    into = ('drill', into_tenant or '%s_drill' % tenant)
    success, failure = {0: (_task(20 * D, into), None), 1: (_task(120 * D, into), _task(4 * D, error=error_msg, task_id=2)),
                        2: (None, None)}.get(index % 8, (_task(10 * D, into), None))
    status = 'fail' if index % 8 in (1, 2) else 'pass'
    message = 'last successful restore from its backups' if success else 'no successful restore from the tenant\'s backups: never restored from its backups'
    out.append(dict(record('restore_drill_age', cluster, tenant, status, success and success['age_seconds'], 90 * D, message),
                    details={'last_success': success, 'last_failure': failure, 'windowed': False}))
    return out


def _tenant_records(cluster, tenant, index, drills=True):
    out = []
    never = index % 7 == 3
    for check, threshold, _unit in OCP_CHECKS:
        observed, message = _healthy(check, threshold, index)
        status = 'pass'
        if never and check in ('never_backed_up', 'full_backup_age', 'backup_age', 'latest_backup_failed'):
            status, observed, message = 'fail', (0 if check == 'never_backed_up' else None), 'no data backup task in the queried period'
        elif check == 'full_backup_age' and index % 5 == 1:
            status, observed, message = 'fail', 776401, 'last successful full backup 8d 23h ago, 1d 23h over the limit of 168h'
        elif check == 'log_backup_delay' and index % 6 == 2:
            status, observed, message = 'fail', 1200 + index, 'log backup delay 20m 0s, 10m 0s over the limit of 600s'
        out.append(record(check, cluster, tenant, status, observed, threshold, message))
    if index % 11 == 4:
        failed = out[3]
        failed.update(status='waived', observed='FAILED', message='latest data backup task 7 failed: disk full (waived until 2099-01-01: CHG-1234)',
                      waiver={'reason': 'CHG-1234 storage migration', 'expires': '2099-01-01'})
    return out + (recoverability(cluster, tenant, index) if drills else [])


def _error_tenant(cluster, tenant, message):
    checks = OCP_CHECKS + (('backup_policy', True, None), ('restore_drill_age', 90 * D, 'd'))
    return [record(check, cluster, tenant, 'error', None, threshold, message) for check, threshold, _unit in checks]


def sample_report(clusters=3, tenants=12, hostile=True, generated_at=GENERATED_AT, mode='audit', drills=True):
    checks = []
    for c in range(clusters):
        cluster = 'cluster-%02d' % c
        for t in range(tenants):
            checks.extend(_tenant_records(cluster, 'tenant_%03d' % t, c * tenants + t, drills))
    if hostile:
        checks.extend(_tenant_records('cluster-00', HOSTILE_TENANT, 1)[:-2])
        checks[-1]['message'] = HOSTILE_MESSAGE
        # The server's strings in the details: the failed drill's error and the tenant it restored into.
        checks.extend(recoverability('cluster-00', HOSTILE_TENANT, 1, error_msg=HOSTILE_MESSAGE, into_tenant=HOSTILE_TENANT))
        checks.extend(_error_tenant('edge|<i>x</i>', 'app', 'GET /api/v2/ob/clusters: HTTP 401, code 10004: ' + HOSTILE_MESSAGE))
        checks.extend(_error_tenant('edge|<i>x</i>', 'billing', 'GET /api/v2/ob/clusters: HTTP 401, code 10004: ' + HOSTILE_MESSAGE))
    summary = dict.fromkeys(('pass', 'fail', 'waived', 'error'), 0)
    for item in checks:
        summary[item['status']] += 1
    return {'generated_at': generated_at, 'mode': mode, 'summary': summary, 'checks': checks}
