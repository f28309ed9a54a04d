# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything the compliance checks read from one OCP cluster, in one module run.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A fleet audit used to start four modules per cluster (data, log, strategy, restores), each with its own Python
process, login and target lookup; most of its time went to starting them. Here each part is the same reader the
single-purpose module uses, over one client and one resolved target, so each part's result is exactly what that
module returns (the parts machinery is in _parts.py).
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import OCP_ARGSPEC, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import DEFAULT_PAGE_SIZE, OcpClient, validate_page_size
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_strategy import read_strategy
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_ARGSPEC, resolve_target, validate_target
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import (
    DATA_BACKUP_TASKS, LOG_BACKUP_TASKS, RESTORE_TASKS, read_tasks, validate_query)
from ansible_collections.oceanbase.backup.plugins.module_utils._parts import RESULT_VAR_ARGSPEC, Part, gather_argspec, prepare_parts, read_parts
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_utc, utcnow


def _task_part(name, kind, windowed):
    """A task list read as its module reads it with return_tasks false; only the data tasks take start_time."""
    def prepare(params, warn, now):
        query_params = dict(params, end_time=None, status=None, return_tasks=False, start_time=params.get('start_time') if windowed else None)
        query_params.update((option.name, None) for option in kind.options)
        query = validate_query(kind, query_params, warn, now)
        return lambda client, target: read_tasks(client, kind, target, query, query_params, now, warn)
    return Part(name, prepare)


def _strategy_part(params, warn, now):
    return lambda client, target: read_strategy(client, target, now, warn, rows=False)


PARTS = (
    _task_part('data', DATA_BACKUP_TASKS, windowed=True),
    _task_part('log', LOG_BACKUP_TASKS, windowed=False),
    Part('strategy', _strategy_part),
    _task_part('restores', RESTORE_TASKS, windowed=False),
)

COMPLIANCE_ARGSPEC = dict(OCP_ARGSPEC, **TARGET_ARGSPEC)
COMPLIANCE_ARGSPEC.update(
    start_time=dict(type='str'),
    page_size=dict(type='int', default=DEFAULT_PAGE_SIZE),
    gather=gather_argspec(PARTS),
    **RESULT_VAR_ARGSPEC
)


def collect_compliance(params, warn=None, now=None, client_factory=OcpClient):
    """The whole work of ocp_backup_compliance_info: the result to exit with, or an OceanBaseError."""
    warn = warn or (lambda message: None)
    now = now or utcnow()
    validate_connection(params)
    validate_target(params)
    validate_page_size(params.get('page_size'))
    readers = prepare_parts(PARTS, params, warn, now)
    client = client_factory(params, warn=warn)
    try:
        target = resolve_target(client, params)
        return read_parts(readers, {'cluster': target.cluster, 'tenant': target.tenant, 'queried_at': format_utc(now)}, client, target)
    finally:
        client.close()
