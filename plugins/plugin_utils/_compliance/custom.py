# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Custom JMESPath checks and waivers of a policy.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import ANY

CUSTOM_KEYS = ('id', 'description', 'expression', 'expected')
WAIVER_KEYS = ('check', 'tenant', 'cluster', 'reason', 'expires')


def parse_time(value, what, whole_day=False):
    """An aware datetime from ISO 8601 text (or a date/datetime); a bare date means its start, or its end when whole_day."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
        if whole_day:
            moment += timedelta(days=1)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text[-1:] in ('Z', 'z'):
            text = text[:-1] + '+00:00'
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ComplianceError('%s: %r is not an ISO 8601 date or date and time such as 2026-12-31 or 2026-12-31T18:00:00Z'
                                  % (what, value)) from None
        if whole_day and len(text) == 10:
            moment += timedelta(days=1)
    else:
        raise ComplianceError('%s: expected an ISO 8601 date or date and time such as 2026-12-31T18:00:00Z; got %r' % (what, value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def plain(value):
    """A date, datetime or anything else as a plain JSON value for records."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _list(value, where, example):
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple)):
        raise ComplianceError('%s must be a list of dicts such as %s; got %r' % (where, example, value))
    return list(value)


def _item(item, where, accepted, example):
    if not isinstance(item, Mapping):
        raise ComplianceError('%s must be a dict such as %s; got %r' % (where, example, item))
    unknown = sorted(set(map(str, item)) - set(accepted))
    if unknown:
        raise ComplianceError('%s: unknown key(s) %s; accepted: %s' % (where, ', '.join(unknown), ', '.join(accepted)))


def _name(item, key, where, required=True):
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ComplianceError('%s.%s must be a non-empty string; got %r' % (where, key, value))
    return value


def _jmespath():
    try:
        import jmespath
    except ImportError:
        raise ComplianceError('custom compliance checks need the jmespath Python library on the controller: pip install jmespath') from None
    return jmespath


def _compiled(item, where, check_id):
    expression = _name(item, 'expression', where)
    if 'expected' not in item:
        raise ComplianceError('%s (%s) needs expected: the value the expression must give' % (where, check_id))
    jmespath = _jmespath()
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise ComplianceError('%s (%s): invalid JMESPath expression %r: %s' % (where, check_id, expression, exc)) from None


def custom_checks(items, builtin_ids):
    """[{id, label, compiled, expected}] from the policy's ``custom`` list."""
    example = '{id: my_check, description: ..., expression: data.last_success.type, expected: FULL}'
    custom, seen = [], set()
    for index, item in enumerate(_list(items, 'policy.custom', '[%s]' % example)):
        where = 'policy.custom[%d]' % index
        _item(item, where, CUSTOM_KEYS, example)
        check_id = _name(item, 'id', where)
        if check_id in builtin_ids or check_id == ANY:
            raise ComplianceError('%s.id %r clashes with a built-in check id; choose another id' % (where, check_id))
        if check_id in seen:
            raise ComplianceError('%s.id %r is used twice; custom check ids must be unique' % (where, check_id))
        seen.add(check_id)
        compiled = _compiled(item, where, check_id)
        description = item.get('description')
        custom.append({'id': check_id, 'label': description if isinstance(description, str) and description.strip() else check_id,
                       'compiled': compiled, 'expected': item['expected']})
    return custom


def same(observed, expected):
    """Equality that keeps true apart from 1 and false apart from 0, as JSON does."""
    if isinstance(observed, bool) or isinstance(expected, bool):
        return isinstance(observed, bool) and isinstance(expected, bool) and observed == expected
    if isinstance(observed, Mapping) and isinstance(expected, Mapping):
        return set(observed) == set(expected) and all(same(observed[key], expected[key]) for key in observed)
    if isinstance(observed, (list, tuple)) and isinstance(expected, (list, tuple)):
        return len(observed) == len(expected) and all(same(a, b) for a, b in zip(observed, expected))
    return observed == expected


def run_custom(item, tenant):
    """(status, observed, threshold, message) of one custom check on one TenantState."""
    jmespath = _jmespath()
    expected = item['expected']
    try:
        value = item['compiled'].search(tenant.facts())
    except jmespath.exceptions.JMESPathError as exc:
        # A type error at run time comes from this tenant's data (null where a list was expected, ...), not from the policy.
        if tenant.error():
            return 'error', None, expected, tenant.error()
        return 'fail', None, expected, '%s: the expression cannot be evaluated on this tenant\'s data: %s' % (item['label'], exc)
    if value is None:
        if tenant.error():
            return 'error', None, expected, tenant.error()
        return 'fail', None, expected, '%s: the expression found no data (expected %r)' % (item['label'], expected)
    ok = same(value, expected)
    return ('pass' if ok else 'fail'), value, expected, '%s: observed %r, expected %r' % (item['label'], value, expected)


def waivers_of(items, known_ids):
    """[{check, tenant, cluster, reason, expires, until}] from the policy's ``waivers`` list."""
    example = '{check: full_backup_age, tenant: t1, reason: CHG-1, expires: 2026-12-31}'
    known = list(known_ids) + [ANY]
    waivers = []
    for index, item in enumerate(_list(items, 'policy.waivers', '[%s]' % example)):
        where = 'policy.waivers[%d]' % index
        _item(item, where, WAIVER_KEYS, example)
        check = _name(item, 'check', where)
        if check not in known:
            raise ComplianceError('%s.check: unknown check id %r; expected one of %s' % (where, check, ', '.join(known)))
        expires = item.get('expires')
        waivers.append({
            'check': check,
            'tenant': _name(item, 'tenant', where),
            'cluster': _name(item, 'cluster', where, required=False),
            'reason': _name(item, 'reason', where),
            'expires': None if expires is None else plain(expires),
            'until': None if expires is None else parse_time(expires, where + '.expires', whole_day=True),
        })
    return waivers


def waive(record, waivers, now):
    """Turn a ``fail`` record into ``waived`` under the first waiver that matches and has not expired; nothing else changes."""
    if record['status'] != 'fail':
        return record
    expired = []
    for waiver in waivers:
        if waiver['check'] not in (record['check'], ANY) or waiver['tenant'] not in (record['tenant'], ANY):
            continue
        if waiver['cluster'] not in (None, ANY, record['cluster']):
            continue
        if waiver['until'] is not None and now >= waiver['until']:
            expired.append(waiver)
            continue
        record['status'] = 'waived'
        record['waiver'] = {'reason': waiver['reason'], 'expires': waiver['expires']}
        record['message'] += ' (waived%s: %s)' % ((' until %s' % waiver['expires']) if waiver['expires'] else '', waiver['reason'])
        return record
    for waiver in expired:
        record['message'] += ' (waiver expired %s: %s)' % (waiver['expires'], waiver['reason'])
    return record
