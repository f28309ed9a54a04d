# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a check record says besides its verdict: the facts a reader needs next to it.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A check may return ``details`` as a fourth value; the record keeps them under ``details``, so the reports show
a tenant's backup policy and last restore drill without reading the gathered results again. Only the keys
named here are kept (a record stays small in a report of thousands of tenants), and every text a server
stored loses its control characters, as record messages do.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._text import printable

# The backup_policy record carries the whole policy; the other policy checks carry what they read, so a
# report shows the policy whichever of them are enabled.
POLICY = ('configured', 'schedule_enabled', 'schedule_mode', 'full_backup_days', 'incremental_backup_days',
          'max_days_between_full', 'retention_days')
SCHEDULE = ('configured', 'schedule_enabled', 'schedule_mode', 'full_backup_days', 'incremental_backup_days', 'max_days_between_full')
RETENTION = ('configured', 'retention_days')
SUCCESS = ('task_id', 'restore_cluster_name', 'restore_tenant_name', 'finish_time', 'age_seconds')
FAILURE = ('task_id', 'finish_time', 'error_msg', 'age_seconds')


def _plain(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return printable(value)


def picked(summary, keys):
    """``keys`` of a summary entry (None where it has none), texts without control characters."""
    summary = summary if isinstance(summary, Mapping) else {}
    return dict((key, _plain(summary.get(key))) for key in keys)


def policy(state):
    return picked(state, POLICY)


def schedule(state):
    return picked(state, SCHEDULE)


def retention(state):
    return picked(state, RETENTION)


def drill(restore):
    """The last successful and the last failed restore from a tenant's backups (each None when there is none),
    and whether the query was limited to a period."""
    tasks = dict((key, picked(restore.get(key), keys) if isinstance(restore.get(key), Mapping) else None)
                 for key, keys in (('last_success', SUCCESS), ('last_failure', FAILURE)))
    tasks['windowed'] = bool(restore.get('windowed'))
    return tasks


def attach(describe):
    """Decorate a check function: its verdict gets ``describe(state)`` as the details of its record."""
    def wrap(function):
        @functools.wraps(function)
        def run(state, rule):
            return tuple(function(state, rule)) + (describe(state),)
        return run
    return wrap
