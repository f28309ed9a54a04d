# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The recoverability checks: is a backup scheduled and kept long enough, and were the backups restored lately.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

They register into checks.REGISTRY like every other check (see checks.py); checks.py imports this module at its
end, so whoever imports the registry gets them too.

Policy: a tenant's entry of a backup strategy summary (configured, schedule_enabled, schedule_mode,
full_backup_days, max_days_between_full, retention_days, ...). Restore: what every host's restore tasks say of
the tenant's own backups (total, last_success, last_failure, running, windowed).
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import details
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import check, compare, flag
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import human, num_text, number


def _strategy(policy):
    configured = flag(policy, 'configured')
    if configured is None:
        return ('fail', None, 'whether the tenant has a backup strategy is not reported')
    if not configured:
        return ('fail', False, 'no backup strategy is configured for the tenant')
    return None


@check('backup_policy', 'policy', 'flag', audit={'enabled': True}, gate={'enabled': False}, threshold=True)
@details.attach(details.policy)
def backup_policy(policy, rule):
    verdict = _strategy(policy)
    if verdict:
        return verdict
    enabled = flag(policy, 'schedule_enabled')
    if enabled is None:
        return 'fail', None, 'a backup strategy is configured; whether its schedule is enabled is not reported'
    if not enabled:
        return 'fail', False, 'a backup strategy is configured, but its schedule is disabled: no backup is scheduled'
    return 'pass', True, 'backup strategy configured, %s schedule enabled' % (policy.get('schedule_mode') or 'its')


@check('full_backup_interval', 'policy', 'days', audit={'enabled': True, 'max_days': 7}, gate={'enabled': False})
@details.attach(details.schedule)
def full_backup_interval(policy, rule):
    verdict = _strategy(policy)
    if verdict:
        return 'fail', None, '%s (limit %s)' % (verdict[2], rule.limit)
    gap = number(policy.get('max_days_between_full'))
    if flag(policy, 'schedule_enabled') is not True:
        return 'fail', gap, 'the backup schedule is not enabled: no full backup is scheduled (limit %s)' % rule.limit
    if gap is None or gap < 1:
        return 'fail', None, 'no full backup is scheduled (days: %r, limit %s)' % (policy.get('full_backup_days'), rule.limit)
    days = '%s schedule, full backup on day(s) %s' % (policy.get('schedule_mode'), ', '.join(map(str, policy.get('full_backup_days') or ())))
    if gap <= rule.threshold:
        return 'pass', gap, 'a full backup at least every %s day(s) (%s; limit %s)' % (num_text(gap), days, rule.limit)
    return 'fail', gap, 'up to %s days between full backups (%s), over the limit of %s' % (num_text(gap), days, rule.limit)


@check('retention_days', 'policy', 'days', audit={'enabled': False, 'min_days': 7})
@details.attach(details.retention)
def retention_days(policy, rule):
    verdict = _strategy(policy)
    if verdict:
        return 'fail', None, '%s (minimum %s)' % (verdict[2], rule.limit)
    days = number(policy.get('retention_days'))
    if days is None or days < 0:
        return 'fail', None, 'no backup retention period is set (minimum %s)' % rule.limit
    if days >= rule.threshold:
        return 'pass', days, 'backups are kept %s day(s) (minimum %s)' % (num_text(days), rule.limit)
    return 'fail', days, 'backups are kept %s day(s), under the minimum of %s' % (num_text(days), rule.limit)


@check('restore_drill_age', 'restore', 'seconds', audit={'enabled': True, 'max_days': 90}, gate={'enabled': False})
@details.attach(details.drill)
def restore_drill_age(restore, rule):
    success, failure = restore.get('last_success'), restore.get('last_failure')
    later = ''
    if isinstance(failure, Mapping) and (not isinstance(success, Mapping) or _sooner(failure, success)):
        later = '; the latest attempt failed %s: %s' % (_ago(failure), failure.get('error_msg') or 'no error message')
    if not isinstance(success, Mapping):
        where = 'none in the queried period' if restore.get('windowed') else 'never restored from its backups'
        return 'fail', None, 'no successful restore from the tenant\'s backups: %s (limit %s)%s' % (where, rule.limit, later)
    what = 'last successful restore from its backups (into %s/%s)' % (success.get('restore_cluster_name') or '?', success.get('restore_tenant_name') or '?')
    status, observed, message = compare(success.get('age_seconds'), rule, what, 'the age of the last successful restore')
    return status, observed, message + later


def _sooner(first, second):
    ages = number(first.get('age_seconds')), number(second.get('age_seconds'))
    return None not in ages and ages[0] < ages[1]


def _ago(task):
    age = number(task.get('age_seconds'))
    return '%s ago' % human(age) if age is not None else 'at an unknown time'
