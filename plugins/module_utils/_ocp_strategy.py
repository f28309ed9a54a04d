# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP backup strategies: whether a tenant has one, its schedule, and the longest gap between full backups.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A tenant without a strategy is an answer (configured: false), not a failure: OCP says so with the error BAK21006
or, in some versions, with data null or {}. An unknown tenant (OBE21003) stays a failure.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import OCP_ARGSPEC, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_target import TARGET_ARGSPEC, resolve_target, validate_target
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_utc, utcnow

STRATEGY_ARGSPEC = dict(OCP_ARGSPEC, **TARGET_ARGSPEC)
NO_STRATEGY_CODES = ('BAK21006',)
# The days a schedule keys its backups by, and the length of the period it repeats over. A month is taken as
# 31 days: the gap that wraps from the last scheduled day to the first is then the longest it can be.
PERIODS = {'WEEK': 7, 'MONTH': 31}
FULL, INCREMENTAL = 'FULL_BACKUP', 'INCREMENTAL_BACKUP'


def strategy_path(cluster_id, tenant_id=None):
    if tenant_id is None:
        return '/api/v2/ob/clusters/%d/backup/config/backupStrategy' % cluster_id
    return '/api/v2/ob/clusters/%d/tenants/%d/backup/config/backupStrategy' % (cluster_id, tenant_id)


def max_gap(days, period):
    """The longest number of days from one scheduled day to the next, wrapping around the period; None for no day."""
    if not days:
        return None
    ordered = sorted(days)
    gaps = [later - earlier for earlier, later in zip(ordered, ordered[1:])]
    gaps.append(period - ordered[-1] + ordered[0])
    return max(gaps)


def schedule_days(config, warn):
    """(mode, full days, incremental days) of an obBackupScheduleConfig; keys outside the period are warned about."""
    mode = config.get('backupScheduleMode')
    period = PERIODS.get(str(mode).upper()) if mode is not None else None
    full, incremental = [], []
    plan = config.get('dayAndDataBackupModelMap') or {}
    if not isinstance(plan, dict):
        warn('dayAndDataBackupModelMap is not an object (%s); no scheduled backup day is counted.' % type(plan).__name__)
        plan = {}
    for key, kind in plan.items():
        try:
            day = int(str(key).strip())
        except ValueError:
            day = None
        if day is None or period is None or not 1 <= day <= period:
            warn('backup schedule day %r is not a day of a %s schedule; it is not counted.' % (key, mode))
            continue
        upper = str(kind).upper()
        if upper in (FULL, 'FULL'):
            full.append(day)
        elif upper in (INCREMENTAL, 'INCREMENTAL', 'INC'):
            incremental.append(day)
        else:
            warn('backup schedule day %s has the unknown backup kind %r; it is not counted.' % (key, kind))
    return mode, period, sorted(set(full)), sorted(set(incremental))


def _flag(value):
    """A boolean of the strategy: true, false, or None when OCP sent something else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ('true', 'false'):
        return value.strip().lower() == 'true'
    return None


def _days(value):
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def tenant_summary(strategy, warn):
    """The summary of one tenant's strategy (an OcpBackupStrategy as OCP sent it, or None for none)."""
    if not strategy:
        return {'configured': False, 'schedule_enabled': False, 'schedule_mode': None, 'full_backup_days': [],
                'incremental_backup_days': [], 'max_days_between_full': None, 'log_backup': None,
                'clean_enabled': None, 'retention_days': None}
    config = strategy.get('obBackupScheduleConfig') or {}
    if not isinstance(config, dict):
        config = {}
    mode, period, full, incremental = schedule_days(config, warn)
    return {
        'configured': True,
        'schedule_enabled': _flag(config.get('backupScheduleEnabled')) is True,
        'schedule_mode': mode,
        'full_backup_days': full,
        'incremental_backup_days': incremental,
        'max_days_between_full': max_gap(full, period) if period else None,
        'log_backup': _flag(config.get('startLogBackup')),
        'clean_enabled': _flag(config.get('cleanEnabled')),
        'retention_days': _days(config.get('backupDataRetentionDays')),
    }


def _strategies(data):
    """The strategy objects of an answer: one object, a list, or a page of them (the cluster endpoint is lenient)."""
    if data is None or data == {}:
        return []
    if isinstance(data, dict) and isinstance(data.get('contents'), list):
        data = data['contents']
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict) and item]
    return None


def read_strategies(client, path):
    """The strategies at ``path``: [] when OCP says there is none."""
    try:
        body = client.http.get(path)
    except ApiError as exc:
        if exc.error_code in NO_STRATEGY_CODES:
            return []
        raise
    found = _strategies(body.get('data') if isinstance(body, dict) else None)
    if found is None:
        raise ResponseFormatError('GET %s returned "data" that is neither a strategy nor a list of them' % path, method='GET', path=path)
    return found


def _own(item, tenant):
    """Whether a strategy is the tenant's own: it names the tenant's id, or no id (None or 0) and the tenant's name."""
    return item.get('tenantId') == tenant['id'] or (item.get('tenantId') in (None, 0) and item.get('tenantName') == tenant['name'])


def _position(index, key):
    try:
        return index.get(key)
    except TypeError:
        return None


def match_strategies(strategies, tenants):
    """{tenant name: strategy or None}: a tenant's first own strategy (_own), else one without a tenant (it covers
    every tenant). Found through an index by id and one by name: a cluster of 500 tenants has 500 strategies, and a
    scan per tenant grew with the square of them. An unhashable id or name (a broken answer) is compared one by one."""
    wide = next((item for item in strategies if item.get('tenantId') in (None, 0) and not item.get('tenantName')), None)
    by_id, by_name, odd = {}, {}, []
    for position, item in enumerate(strategies):
        keys = [(by_id, item.get('tenantId'))] + ([(by_name, item.get('tenantName'))] if item.get('tenantId') in (None, 0) else [])
        for index, key in keys:
            try:
                index.setdefault(key, position)
            except TypeError:
                odd.append(position)
    result = {}
    for tenant in tenants:
        found = [position for position in (_position(by_id, tenant['id']), _position(by_name, tenant['name'])) if position is not None]
        found += [position for position in odd if _own(strategies[position], tenant)]
        result[tenant['name']] = strategies[min(found)] if found else wide
    return result


def collect_strategy(params, warn=None, now=None, client_factory=OcpClient):
    """The whole work of ocp_backup_strategy_info: the result to exit with, or an OceanBaseError."""
    validate_connection(params)
    validate_target(params)
    client = client_factory(params, warn=warn)
    try:
        return read_strategy(client, resolve_target(client, params), now or utcnow(), warn or (lambda message: None))
    finally:
        client.close()


def read_strategy(client, target, now, warn, rows=True):
    """The strategies of a resolved target, summarised per tenant; with ``rows`` false, the summaries alone (what the
    checks read: the rows are most of a big cluster's compliance result, copied again by every later step)."""
    tenant_id = target.tenant and target.tenant['id']
    strategies = read_strategies(client, strategy_path(target.cluster['id'], tenant_id))
    if tenant_id is not None:
        matched = {target.tenant['name']: strategies[0] if strategies else None}
    else:
        matched = match_strategies(strategies, target.tenants)
    summary = {'tenants': dict((name, tenant_summary(matched[name], warn)) for name in sorted(matched))}
    if target.tenant is not None:
        summary.update(summary['tenants'][target.tenant['name']])
    result = {'strategies': [normalize(item) for item in strategies]} if rows else {}
    result.update(summary=summary, cluster=target.cluster, tenant=target.tenant, queried_at=format_utc(now))
    return result
