# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Gathered results + a policy -> check records: state, then checks, then custom checks, then waivers.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A record is {check, cluster, tenant, source, status, observed, threshold, message}, plus ``details`` when its
check gives them (the policy checks and restore_drill_age) and ``waiver`` {reason, expires} when waived;
``status`` is pass, fail, waived or error.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.custom import parse_time, run_custom, waive
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.policy import bind, resolve
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import source_of, tenant_states
from ansible_collections.oceanbase.backup.plugins.plugin_utils._text import printable

STAND_IN_NOTE = ' (in place of %s, which this source cannot answer)'


def rules_for(tenant, policy):
    """[(entry, Rule)] to evaluate for one tenant: every enabled check its sources can answer.

    An enabled check they cannot answer is absent, unless an entry stands in for it (the obshell overview's
    backup_age for full_backup_age): that one is evaluated under the stricter of the two limits.
    """
    chosen = {}
    for check_id, settings in policy.enabled():
        entry = REGISTRY.entry_for(check_id, tenant)
        if entry is not None:
            chosen[check_id] = (entry, bind(entry, settings))
    for check_id, settings in policy.enabled():
        stand_in = None if check_id in chosen else REGISTRY.stand_in(check_id, tenant)
        if stand_in is None:
            continue
        rule = bind(stand_in, settings, stand_in.id, STAND_IN_NOTE % check_id)
        own = chosen.get(stand_in.id)
        if own is None or rule.threshold < own[1].threshold:
            chosen[stand_in.id] = (stand_in, rule)
    return list(chosen.values())


def _verdict(entry, rule, tenant):
    """(status, observed, message, details or None): an error or a problem of the state the entry reads comes first."""
    if entry.state in tenant.errors:
        return 'error', None, tenant.errors[entry.state], None
    if entry.state in tenant.problems:
        return 'fail', None, tenant.problems[entry.state], None
    status, observed, message, *rest = entry.function(getattr(tenant, entry.state), rule)
    return status, observed, message + rule.note, (rest[0] if rest else None)


def _record(tenant, check_id, status, observed, threshold, message, details=None):
    record = {'check': check_id, 'cluster': tenant.cluster, 'tenant': tenant.name, 'source': tenant.source, 'status': status,
              'observed': observed, 'threshold': threshold, 'message': message}
    if details is not None:
        record['details'] = details
    return record


def sort_key(record):
    return (str(record.get('cluster')), str(record.get('tenant')), str(record.get('check')))


def evaluate(gathered, policy=None, now=None, preset='audit', shortcuts=None):
    """Check records for one gathered cluster or agent, sorted by cluster, tenant and check id.

    ``policy`` overrides ``preset`` (audit or gate) after the ``shortcuts`` (the role threshold variables); ``now`` (ISO 8601 or a
    datetime, default the current time) is what waivers expire against.
    """
    source_of(gathered)
    resolved = resolve(policy, preset, shortcuts)
    moment = datetime.now(timezone.utc) if now is None else parse_time(now, 'now')
    records, plans = [], {}
    for tenant in tenant_states(gathered):
        # Which checks run depends only on the states the tenant's sources give: one plan per kind of tenant.
        given = frozenset(tenant.given)
        if given not in plans:
            plans[given] = rules_for(tenant, resolved)
        for entry, rule in plans[given]:
            status, observed, message, details = _verdict(entry, rule, tenant)
            records.append(_record(tenant, rule.id, status, observed, rule.threshold, message, details))
        for item in resolved.custom:
            records.append(_record(tenant, item['id'], *run_custom(item, tenant)))
    for record in records:
        waive(record, resolved.waivers, moment)
        # Messages quote what servers stored (error texts, comments, statuses): no escape sequence reaches a terminal or report.
        record['message'] = printable(record['message'])
    return sorted(records, key=sort_key)
