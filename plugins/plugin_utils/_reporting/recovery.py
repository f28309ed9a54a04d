# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Per tenant: the backup policy and the last restore drill, read from the ``details`` of its check records.

The policy checks (backup_policy, full_backup_interval, retention_days) and restore_drill_age carry what
they read; a tenant's row merges them, so it shows the policy whichever of those checks are enabled. A
row is a list of Cells (text in human units, the exact value for a tooltip, the status that colours it);
the HTML and Markdown renderers escape them for their format.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values

POLICY_CHECKS = ('backup_policy', 'full_backup_interval', 'retention_days')
DRILL_CHECK = 'restore_drill_age'
HEADER = ('Backup policy', 'Mode', 'Full backups', 'Incremental backups', 'Max days between fulls', 'Retention',
          'Last restore drill', 'Restored into', 'Failed since')
WEEKDAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
NONE = '\u00b7'


class Cell(namedtuple('Cell', 'text exact status')):
    """What a reader sees, the exact value (None when the text is exact) and a status (None: not coloured)."""

    __slots__ = ()


def _blank(count):
    return [Cell(NONE, None, None)] * count


def _merged(cells):
    """The policy details of a tenant's policy records (the first record of each key wins), and that first record."""
    merged, first = {}, None
    for check in POLICY_CHECKS:
        record = cells.get(check)
        if record is None:
            continue
        first = first or record
        found = record.get('details')
        for key, item in (found.items() if isinstance(found, Mapping) else ()):
            merged.setdefault(key, item)
    return merged, first


def _policy_state(policy, record):
    status = record['status']
    if not policy:
        # No details: the strategy query failed (error) or the tenant is not in its results; the record says which.
        return Cell('query failed' if status == 'error' else 'not reported', values.plain_text(record.get('message')), status)
    configured, enabled = policy.get('configured'), policy.get('schedule_enabled')
    if configured is False:
        text = 'not configured'
    elif configured is None:
        text = 'not reported'
    else:
        text = {True: 'schedule enabled', False: 'schedule disabled'}.get(enabled, 'schedule not reported')
    own = record if record.get('check') == 'backup_policy' else None
    exact = 'configured: %s, schedule_enabled: %s' % (values.plain_text(configured) or 'null', values.plain_text(enabled) or 'null')
    return Cell(text, exact, own and own['status'])


def _days(mode, days, key):
    if not isinstance(days, list) or not days:
        return Cell('none' if isinstance(days, list) else 'not reported', '%s: %s' % (key, values.plain_text(days) or 'null'), None)
    week = values.plain_text(mode).upper() == 'WEEK'
    names = [WEEKDAYS[int(day) - 1] if week and values.is_number(day) and day in range(1, 8) else values.plain_text(day) for day in days]
    text = ', '.join(names) if week else ('day ' if len(names) == 1 else 'days ') + ', '.join(names)
    return Cell(text, '%s: %s%s' % (key, ', '.join(map(values.plain_text, days)), ' (1 is Monday)' if week else ''), None)


def _count_of_days(value, key, missing):
    if not values.is_number(value):
        return Cell(missing, '%s: %s' % (key, values.plain_text(value) or 'null'), None)
    return Cell('%s d' % values.number_text(value), '%s: %s' % (key, values.number_text(value)), None)


def policy_cells(cells):
    """The policy columns of one tenant: a dot each when no policy record is there (a source without strategies)."""
    policy, record = _merged(cells)
    if record is None:
        return _blank(6)
    state = _policy_state(policy, record)
    if not policy or policy.get('configured') is False:
        return [state] + _blank(5)
    interval, retention = cells.get('full_backup_interval'), cells.get('retention_days')
    gap = _count_of_days(policy.get('max_days_between_full'), 'max_days_between_full', 'none scheduled')
    keep = _count_of_days(policy.get('retention_days'), 'retention_days', 'not set')
    return [state, Cell(values.plain_text(policy.get('schedule_mode')) or 'not reported', None, None),
            _days(policy.get('schedule_mode'), policy.get('full_backup_days'), 'full_backup_days'),
            _days(policy.get('schedule_mode'), policy.get('incremental_backup_days'), 'incremental_backup_days'),
            gap._replace(status=interval and interval['status']), keep._replace(status=retention and retention['status'])]


def _age(task):
    age = task.get('age_seconds')
    when = values.plain_text(task.get('finish_time')) or 'finish time not reported'
    exact = 'finished %s, age %s s, task %s' % (when, values.number_text(age) if values.is_number(age) else 'unknown',
                                                values.plain_text(task.get('task_id')) or '?')
    if not values.is_number(age):
        return 'at an unknown time', exact
    return ('%s ago' % values.duration(age) if age >= 0 else 'in the future'), exact


def _later(failure, success):
    """Whether the last failure came after the last success (or there is no success)."""
    if not isinstance(failure, Mapping):
        return False
    if not isinstance(success, Mapping):
        return True
    ages = failure.get('age_seconds'), success.get('age_seconds')
    return all(values.is_number(age) for age in ages) and ages[0] < ages[1]


def drill_cells(cells):
    """The drill columns of one tenant: the last success (when, into which cluster/tenant), a failure after it."""
    record = cells.get(DRILL_CHECK)
    if record is None:
        return _blank(3)
    status, drill = record['status'], record.get('details')
    if not isinstance(drill, Mapping):
        return [Cell('query failed' if status == 'error' else 'not reported', values.plain_text(record.get('message')), status)] + _blank(2)
    success, failure = drill.get('last_success'), drill.get('last_failure')
    if isinstance(success, Mapping):
        into = '%s/%s' % (values.plain_text(success.get('restore_cluster_name')) or '?', values.plain_text(success.get('restore_tenant_name')) or '?')
        out = [Cell(*_age(success), status), Cell(into, None, None)]
    else:
        never = 'none in the queried period' if drill.get('windowed') else 'never restored from its backups'
        out = [Cell(never, None, status), Cell(NONE, None, None)]
    if _later(failure, success):
        text, exact = _age(failure)
        out.append(Cell('%s: %s' % (text, values.plain_text(failure.get('error_msg')) or 'no error message'), exact, 'fail'))
    else:
        out.append(Cell(NONE, None, None))
    return out


def rows(view):
    """(cluster, tenant, cells) of every tenant the matrix lists that has a policy or drill record, in report order;
    in a large report only those where one of them did not pass (the JSON report has every record)."""
    for cluster, tenant, cells in view.matrix_rows():
        records = [cells.get(check) for check in POLICY_CHECKS + (DRILL_CHECK,) if cells.get(check) is not None]
        if records and not (view.large and all(record['status'] == 'pass' for record in records)):
            yield cluster, tenant, policy_cells(cells) + drill_cells(cells)
