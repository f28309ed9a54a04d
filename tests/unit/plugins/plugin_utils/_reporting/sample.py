# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reports shaped like the compliance engine's, for the rendering tests and the browser test.

Every status, a tenant never backed up (its data checks fail for that reason), a failed query (every
check of the tenant an error with one message), a waiver, and hostile names and messages.
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


def _tenant_records(cluster, tenant, index):
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
    return out


def _error_tenant(cluster, tenant, message):
    return [record(check, cluster, tenant, 'error', None, threshold, message) for check, threshold, _unit in OCP_CHECKS]


def sample_report(clusters=3, tenants=12, hostile=True, generated_at=GENERATED_AT, mode='audit'):
    checks = []
    for c in range(clusters):
        cluster = 'cluster-%02d' % c
        for t in range(tenants):
            checks.extend(_tenant_records(cluster, 'tenant_%03d' % t, c * tenants + t))
    if hostile:
        checks.extend(_tenant_records('cluster-00', HOSTILE_TENANT, 1))
        checks[-1]['message'] = HOSTILE_MESSAGE
        checks.extend(_error_tenant('edge|<i>x</i>', 'app', 'GET /api/v2/ob/clusters: HTTP 401, code 10004: ' + HOSTILE_MESSAGE))
        checks.extend(_error_tenant('edge|<i>x</i>', 'billing', 'GET /api/v2/ob/clusters: HTTP 401, code 10004: ' + HOSTILE_MESSAGE))
    summary = dict.fromkeys(('pass', 'fail', 'waived', 'error'), 0)
    for item in checks:
        summary[item['status']] += 1
    return {'generated_at': generated_at, 'mode': mode, 'summary': summary, 'checks': checks}
