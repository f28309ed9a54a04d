# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Gathered inputs as the roles register them, and shortcuts to evaluate them: shared by the engine tests."""

from __future__ import annotations

from hypothesis import strategies as st

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import engine

checks = engine.evaluate

H = 3600
D = 86400
NOW = '2026-11-23T00:00:00Z'
OCP_CHECKS = ['backup_age', 'backup_running_too_long', 'full_backup_age', 'latest_backup_failed', 'log_backup_active',
              'log_backup_delay', 'log_checkpoint_age', 'never_backed_up']
OBSHELL_CHECKS = ['backup_age', 'backup_running_too_long', 'latest_backup_failed', 'never_backed_up']
RECORD_KEYS = {'check', 'cluster', 'tenant', 'source', 'status', 'observed', 'threshold', 'message'}
GATE_POLICY = {
    'full_backup_age': {'enabled': True, 'max_hours': 24},
    'backup_age': {'enabled': False},
    'latest_backup_failed': {'enabled': False},
    'backup_running_too_long': {'enabled': False},
    'backup_running': {'enabled': True},
    'log_backup_active': {'enabled': True},
    'log_backup_delay': {'enabled': True, 'max_seconds': 60},
    'log_checkpoint_age': {'enabled': False},
    'never_backed_up': {'enabled': False},
    'encryption_mode': {'enabled': False},
}


def data_summary(**changes):
    """A healthy per-tenant data summary as ocp_data_backup_tasks_info gives it."""
    summary = {
        'total': 10, 'by_status': {'DONE': 10},
        'latest': {'task_id': 9, 'status': 'DONE', 'type': 'INCREMENTAL_BACKUP', 'start_time': '2026-11-22T21:00:00Z',
                   'finish_time': '2026-11-22T22:00:00Z'},
        'last_success': {'task_id': 9, 'backup_set_id': 19, 'type': 'INCREMENTAL_BACKUP', 'finish_time': '2026-11-22T22:00:00Z',
                         'age_seconds': 2 * H},
        'last_full_success': {'task_id': 7, 'backup_set_id': 17, 'type': 'FULL_BACKUP', 'finish_time': '2026-11-21T00:00:00Z',
                              'age_seconds': 2 * D},
        'last_failure': None, 'running': 0, 'oldest_running_age_seconds': None,
    }
    summary.update(changes)
    return summary


def log_summary(**changes):
    summary = {'status': 'DOING', 'active': True, 'delay_seconds': 12.5, 'checkpoint': '2026-11-22T23:59:40Z', 'checkpoint_age_seconds': 20}
    summary.update(changes)
    return summary


NO_TASK_DATA = {'total': 0, 'by_status': {}, 'latest': None, 'last_success': None, 'last_full_success': None, 'last_failure': None,
                'running': 0, 'oldest_running_age_seconds': None}
NO_TASK_LOG = {'status': None, 'active': False, 'delay_seconds': None, 'checkpoint': None, 'checkpoint_age_seconds': None}


def result(kind, tenants):
    """A registered cluster-endpoint result of an OCP info module."""
    return {'changed': False, 'failed': False, 'cluster': {'id': 1, 'name': 'c1'}, 'tenant': None, 'queried_at': NOW,
            'summary': {'total': 1, 'tenants': tenants}, 'invocation': {'module_args': {'return_tasks': False, 'kind': kind}}}


_HEALTHY = object()


def ocp(data=None, log=None, tenants=None, cluster='c1', data_result=_HEALTHY, log_result=_HEALTHY):
    data = {'t1': data_summary(), 'sys': data_summary()} if data is None else data
    log = {'t1': log_summary(), 'sys': log_summary()} if log is None else log
    return {'source': 'ocp', 'cluster': cluster, 'tenants': tenants,
            'ocp_data': result('data', data) if data_result is _HEALTHY else data_result,
            'ocp_log': result('log', log) if log_result is _HEALTHY else log_result}


def overview(name, **summary_changes):
    """A registered obshell_tenant_backup_overview result (loop item) of a completed latest task."""
    summary = {'status': 'COMPLETED', 'succeeded': True, 'in_progress': False, 'failed': False, 'result': 0, 'age_seconds': 2 * H,
               'duration_seconds': 600, 'progress': {'finished': 5, 'total': 5, 'percent': 100.0}, 'encryption_mode': 'PASSWORD',
               'backup_set_id': 3}
    summary.update(summary_changes)
    return {'changed': False, 'failed': False, 'found': True, 'item': name, 'tenant': {'name': name},
            'backup_task': {'status': summary['status'], 'comment': '', 'end_timestamp': '2026-11-22T22:00:00Z'},
            'summary': summary, 'agent': {'version': '4.2.4.0', 'identity': 'CLUSTER AGENT'}}


def never(name):
    return {'changed': False, 'failed': False, 'found': False, 'item': name, 'tenant': {'name': name}, 'backup_task': None, 'summary': None}


def obshell(*results, tenants=None, cluster='edge'):
    return {'source': 'obshell', 'cluster': cluster, 'tenants': tenants, 'obshell': list(results)}


def by_check(records, tenant='t1'):
    found = {}
    for record in records:
        if record['tenant'] == tenant:
            assert record['check'] not in found, 'duplicate record %r' % record
            found[record['check']] = record
    return found


def one(gathered, check, policy=None, tenant='t1', now=None, **options):
    return by_check(checks(gathered, policy, now, **options), tenant)[check]


def stale():
    return ocp(data={'t1': data_summary(last_full_success={'age_seconds': 200 * H}), 't2': data_summary()},
               log={'t1': log_summary(), 't2': log_summary()})


WAIVER = {'check': 'full_backup_age', 'tenant': 't1', 'reason': 'CHG-1234 storage migration', 'expires': '2026-12-01'}

# Any JSON value, with keys the gathered results use: what a registered result could be in the worst case.
_KEYS = st.sampled_from(['summary', 'tenants', 't1', 'sys', 'failed', 'found', 'msg', 'status', 'age_seconds', 'x']) | st.text(max_size=6)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 20, 10 ** 20) | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=15)
