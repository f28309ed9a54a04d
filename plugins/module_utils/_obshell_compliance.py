# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything the compliance checks read from one obshell agent, in one module run.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The parts (data backup jobs, archive log rounds, restore tasks) are read by the single-purpose modules' own code,
over one agent connection: one key exchange, and the agent's version and tenant list asked for once (_Shared keeps
those answers for the run). So each part's result is exactly what its module returns (parts machinery: _parts.py).
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils import _obshell_restore as restore
from ansible_collections.oceanbase.backup.plugins.module_utils import _obshell_tasks as tasks
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import OBSHELL_ARGSPEC, ObshellClient, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._parts import RESULT_VAR_ARGSPEC, Part, gather_argspec, prepare_parts, read_parts
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_utc, utcnow


class _Shared:
    """The agent connection every part uses: the agent's identity and its tenant list are answered once per run,
    and only the run closes the connection."""

    def __init__(self, client):
        self._client = client
        self.http = client.http
        self._kept = {}

    def info(self):
        if 'info' not in self._kept:
            self._kept['info'] = self._client.info()
        return self._kept['info']

    def get_protected(self, path, params=None):
        if path != tasks.TENANTS or params:
            return self._client.get_protected(path, params)
        if path not in self._kept:
            self._kept[path] = self._client.get_protected(path)
        return self._kept[path]

    def get_data(self, path, params=None):
        return self._client.get_data(path, params)

    def close(self):
        """Closed by the run, after the last part."""


def _connected(shared):
    return lambda params, warn=None: shared


def _data_part(params, warn, now):
    query_params = dict(params, end_time=None, status=None, return_tasks=False)
    tasks.validate_query(query_params, tasks.JOB_STATUSES, 'obshell data backup jobs', warn, now)
    return lambda shared: tasks.collect_data_jobs(query_params, warn, now, client_factory=_connected(shared))


def _log_part(params, warn, now):
    query_params = dict(params, status=None, return_tasks=False)
    tasks.validate_query(query_params, tasks.ROUND_STATUSES, 'obshell archive log rounds', warn, now, paged=False)
    return lambda shared: tasks.collect_log_rounds(query_params, warn, now, client_factory=_connected(shared))


def _restores_part(params, warn, now):
    # Restores are read whole, from every tenant: a drill proves the tenant whose backups it used, wherever it ran.
    query_params = dict(params, start_time=None, end_time=None, status=None, return_tasks=False)
    restore.validate_query(query_params, now)
    return lambda shared: restore.collect_restores(query_params, warn, now, client_factory=_connected(shared))


PARTS = (Part('data', _data_part), Part('log', _log_part), Part('restores', _restores_part))

OBSHELL_COMPLIANCE_ARGSPEC = dict(
    OBSHELL_ARGSPEC,
    tenant_name=dict(type='str'),
    start_time=dict(type='str'),
    page_size=dict(type='int', default=tasks.DEFAULT_PAGE_SIZE),
    bare_time_offset=dict(type='str', default='+00:00'),
    gather=gather_argspec(PARTS),
    **RESULT_VAR_ARGSPEC
)


def collect_compliance(params, warn=None, now=None, client_factory=ObshellClient):
    """The whole work of obshell_backup_compliance_info: the result to exit with, or an OceanBaseError."""
    warn = warn or (lambda message: None)
    now = now or utcnow()
    validate_connection(params)
    readers = prepare_parts(PARTS, params, warn, now)
    client = client_factory(params, warn=warn)
    try:
        shared = _Shared(client)
        result = {'agent': shared.info(), 'tenant': {'name': params['tenant_name']} if params.get('tenant_name') else None,
                  'queried_at': format_utc(now)}
        return read_parts(readers, result, shared)
    finally:
        client.close()
