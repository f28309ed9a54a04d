# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Backup compliance evaluation: module results + a policy -> check records. Pure functions.

A check whose data is missing fails (or is an error when the query failed); it never passes.
The filters' documentation lives in the backup_compliance_*.yml files next to this one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

STATUSES = ('pass', 'fail', 'waived', 'error')
MODES = ('audit', 'gate')
AUDIT_POLICY = {
    'full_backup_age': {'enabled': True, 'max_hours': 168},
    'backup_age': {'enabled': True, 'max_hours': 26},
    'latest_backup_failed': {'enabled': True},
    'backup_running_too_long': {'enabled': True, 'max_hours': 24},
    'backup_running': {'enabled': False},
    'log_backup_active': {'enabled': True},
    'log_backup_delay': {'enabled': True, 'max_seconds': 600},
    'log_checkpoint_age': {'enabled': True, 'max_seconds': 900},
    'never_backed_up': {'enabled': True},
    'encryption_mode': {'enabled': False, 'allowed': []},
}
# obshell's overview shows the latest task only: no backup type (full or incremental) and no log archiving.
# OCP's summaries carry no encryption mode.
SOURCE_CHECKS = {
    'ocp': ('full_backup_age', 'backup_age', 'latest_backup_failed', 'backup_running_too_long', 'backup_running',
            'log_backup_active', 'log_backup_delay', 'log_checkpoint_age', 'never_backed_up'),
    'obshell': ('backup_age', 'latest_backup_failed', 'backup_running_too_long', 'backup_running', 'never_backed_up',
                'encryption_mode'),
}
CUSTOM_KEYS = ('id', 'description', 'expression', 'expected')
WAIVER_KEYS = ('check', 'tenant', 'cluster', 'reason', 'expires')
ANY = '*'


def human(seconds):
    """A duration for an auditor: 3725 -> '1h 2m', 12.5 -> '12.5s'; the two largest units."""
    if seconds is None:
        return 'unknown'
    sign, seconds = ('-' if seconds < 0 else ''), abs(seconds)
    if seconds < 60:
        return '%s%ss' % (sign, _num_text(round(seconds, 2)))
    rest, parts = int(seconds), []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60), ('s', 1)):
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, unit))
    return sign + ' '.join('%d%s' % part for part in parts[:2] if part[0])


def _num_text(value):
    return '%d' % value if float(value).is_integer() else ('%.6f' % value).rstrip('0')


def _number(value):
    """A finite int or float, else None (bools, strings and NaN are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _get(obj, *path):
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _parse_time(value, what, whole_day=False):
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
            raise AnsibleFilterError('%s: %r is not an ISO 8601 date or date and time such as 2026-12-31 or 2026-12-31T18:00:00Z'
                                     % (what, value)) from None
        if whole_day and len(text) == 10:
            moment += timedelta(days=1)
    else:
        raise AnsibleFilterError('%s: expected an ISO 8601 date or date and time such as 2026-12-31T18:00:00Z; got %r' % (what, value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _text(value):
    """A date, datetime or anything else as a plain JSON value for records."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


# ---------------------------------------------------------------------------------------------------------------
# Policy

def _enabled(value, where):
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return boolean(value, strict=True)
        except TypeError:
            pass
    raise AnsibleFilterError('%s must be true or false; got %r' % (where, value))


def _limit(value, where):
    number = _number(value)
    if number is None or number < 0:
        raise AnsibleFilterError('%s must be a number of 0 or more; got %r' % (where, value))
    return number


def _check_settings(check, given):
    where = 'policy.%s' % check
    if not isinstance(given, Mapping):
        raise AnsibleFilterError('%s must be a dict such as %r; got %r' % (where, AUDIT_POLICY[check], given))
    accepted = list(AUDIT_POLICY[check])
    unknown = sorted(set(map(str, given)) - set(accepted))
    if unknown:
        raise AnsibleFilterError('%s: unknown key(s) %s; accepted: %s' % (where, ', '.join(unknown), ', '.join(accepted)))
    settings = dict(AUDIT_POLICY[check])
    settings.update(given)
    settings['enabled'] = _enabled(settings['enabled'], where + '.enabled')
    for key in ('max_hours', 'max_seconds'):
        if key in settings:
            settings[key] = _limit(settings[key], '%s.%s' % (where, key))
    if check == 'encryption_mode':
        allowed = settings['allowed']
        if allowed is None:
            allowed = []
        if isinstance(allowed, str) or not isinstance(allowed, (list, tuple)) or not all(isinstance(mode, str) and mode.strip() for mode in allowed):
            raise AnsibleFilterError('%s.allowed must be a list of encryption modes such as [PASSWORD]; got %r' % (where, allowed))
        if settings['enabled'] and not allowed:
            raise AnsibleFilterError('%s.allowed must name at least one encryption mode (such as PASSWORD) when the check is enabled' % where)
        settings['allowed'] = list(allowed)
    return settings


def _list(value, where, example):
    if value is None:
        return []
    if isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list of dicts such as %s; got %r' % (where, example, value))
    return list(value)


def _item(item, where, accepted, example):
    if not isinstance(item, Mapping):
        raise AnsibleFilterError('%s must be a dict such as %s; got %r' % (where, example, item))
    unknown = sorted(set(map(str, item)) - set(accepted))
    if unknown:
        raise AnsibleFilterError('%s: unknown key(s) %s; accepted: %s' % (where, ', '.join(unknown), ', '.join(accepted)))


def _name(item, key, where, required=True):
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise AnsibleFilterError('%s.%s must be a non-empty string; got %r' % (where, key, value))
    return value


def _jmespath():
    try:
        import jmespath
    except ImportError:
        raise AnsibleFilterError('custom compliance checks need the jmespath Python library on the controller: pip install jmespath') from None
    return jmespath


def _custom_checks(items):
    example = '{id: my_check, description: ..., expression: data.last_success.type, expected: FULL}'
    custom, seen = [], set()
    for index, item in enumerate(_list(items, 'policy.custom', '[%s]' % example)):
        where = 'policy.custom[%d]' % index
        _item(item, where, CUSTOM_KEYS, example)
        check_id = _name(item, 'id', where)
        if check_id in AUDIT_POLICY or check_id == ANY:
            raise AnsibleFilterError('%s.id %r clashes with a built-in check id; choose another id' % (where, check_id))
        if check_id in seen:
            raise AnsibleFilterError('%s.id %r is used twice; custom check ids must be unique' % (where, check_id))
        seen.add(check_id)
        expression = _name(item, 'expression', where)
        if 'expected' not in item:
            raise AnsibleFilterError('%s (%s) needs expected: the value the expression must give' % (where, check_id))
        jmespath = _jmespath()
        try:
            compiled = jmespath.compile(expression)
        except jmespath.exceptions.JMESPathError as exc:
            raise AnsibleFilterError('%s (%s): invalid JMESPath expression %r: %s' % (where, check_id, expression, exc)) from None
        description = item.get('description')
        custom.append({'id': check_id, 'label': description if isinstance(description, str) and description.strip() else check_id,
                       'compiled': compiled, 'expected': item['expected']})
    return custom


def _waivers(items, custom_ids):
    example = '{check: full_backup_age, tenant: t1, reason: CHG-1, expires: 2026-12-31}'
    known = list(AUDIT_POLICY) + list(custom_ids) + [ANY]
    waivers = []
    for index, item in enumerate(_list(items, 'policy.waivers', '[%s]' % example)):
        where = 'policy.waivers[%d]' % index
        _item(item, where, WAIVER_KEYS, example)
        check = _name(item, 'check', where)
        if check not in known:
            raise AnsibleFilterError('%s.check: unknown check id %r; expected one of %s' % (where, check, ', '.join(known)))
        expires = item.get('expires')
        waivers.append({
            'check': check,
            'tenant': _name(item, 'tenant', where),
            'cluster': _name(item, 'cluster', where, required=False),
            'reason': _name(item, 'reason', where),
            'expires': None if expires is None else _text(expires),
            'until': None if expires is None else _parse_time(expires, where + '.expires', whole_day=True),
        })
    return waivers


def _policy(policy):
    if policy is None:
        policy = {}
    if not isinstance(policy, Mapping):
        raise AnsibleFilterError('policy must be a dict of check ids, custom and waivers; got %r' % (policy,))
    unknown = sorted(set(map(str, policy)) - set(AUDIT_POLICY) - {'custom', 'waivers'})
    if unknown:
        raise AnsibleFilterError('policy: unknown check id(s) %s; expected any of %s, custom, waivers'
                                 % (', '.join(unknown), ', '.join(AUDIT_POLICY)))
    settings = dict((check, _check_settings(check, policy.get(check) or {})) for check in AUDIT_POLICY)
    custom = _custom_checks(policy.get('custom'))
    waivers = _waivers(policy.get('waivers'), [item['id'] for item in custom])
    return settings, custom, waivers


# ---------------------------------------------------------------------------------------------------------------
# Gathered results -> tenants

class _Tenant:
    """What is known about one tenant: its summaries, or why they are missing."""

    def __init__(self, source, cluster, name):
        self.source, self.cluster, self.name = source, cluster, name
        self.data = self.log = self.obshell = None
        self.data_problem = self.log_problem = self.obshell_problem = None
        self.data_error = self.log_error = self.obshell_error = None

    def facts(self):
        """The object custom JMESPath expressions run over."""
        return {'source': self.source, 'cluster': self.cluster, 'tenant': self.name, 'data': self.data, 'log': self.log,
                'obshell': self.obshell}

    def error(self):
        return self.data_error or self.log_error or self.obshell_error


def _query_error(result, what, key):
    """Why a registered result cannot be used, or None. failed_when: false keeps failed false, so a missing key counts too."""
    if not isinstance(result, Mapping):
        return 'no %s result was gathered' % what
    if result.get('skipped'):
        return 'the %s query was skipped' % what
    if result.get('failed') or key not in result:
        return 'the %s query failed: %s' % (what, result.get('msg') or 'no message')
    return None


def _ocp_tenants_of(result, what):
    """({tenant name: summary}, error message)."""
    error = _query_error(result, what, 'summary')
    if error:
        return {}, error
    tenants = _get(result, 'summary', 'tenants')
    if not isinstance(tenants, Mapping):
        return {}, 'the %s result has no per-tenant summary (summary.tenants): query the cluster, not one tenant' % what
    return tenants, None


def _wanted(gathered):
    tenants = gathered.get('tenants')
    if tenants is None:
        return None
    if isinstance(tenants, (str, Mapping)) or not isinstance(tenants, (list, tuple)):
        raise AnsibleFilterError('gathered.tenants must be a list of tenant names, or null for every tenant except sys; got %r' % (tenants,))
    names = []
    for name in map(str, tenants):
        if name not in names:
            names.append(name)
    return names or None


def _ocp_tenants(gathered, cluster, wanted):
    data_tenants, data_error = _ocp_tenants_of(gathered.get('ocp_data'), 'data backup')
    log_tenants, log_error = _ocp_tenants_of(gathered.get('ocp_log'), 'log backup')
    names = wanted or sorted((set(map(str, data_tenants)) | set(map(str, log_tenants))) - {'sys'})
    if not names and (data_error or log_error):
        # The failed query would have named the tenants: '*' stands for all of them.
        names = [ANY]
    found = []
    for name in names:
        tenant = _Tenant('ocp', cluster, name)
        tenant.data_error, tenant.log_error = data_error, log_error
        tenant.data, tenant.data_problem = _tenant_summary(data_tenants, name, 'data backup', cluster, data_error)
        tenant.log, tenant.log_problem = _tenant_summary(log_tenants, name, 'log backup', cluster, log_error)
        found.append(tenant)
    return found


def _tenant_summary(tenants, name, what, cluster, error):
    if error:
        return None, None
    if name not in tenants:
        return None, 'tenant %s is not in the %s results of cluster %s (no such tenant?)' % (name, what, cluster)
    summary = tenants[name]
    if not isinstance(summary, Mapping):
        return None, 'the %s summary of tenant %s is not a dict: %r' % (what, name, summary)
    return summary, None


def _obshell_tenants(gathered, cluster, wanted):
    results = gathered.get('obshell')
    if results is None:
        results = []
    if isinstance(results, (str, Mapping)) or not isinstance(results, (list, tuple)):
        raise AnsibleFilterError('gathered.obshell must be the list of registered obshell_tenant_backup_overview results; got %r' % (results,))
    by_name = {}
    for result in results:
        name = (_get(result, 'tenant', 'name') or _get(result, 'invocation', 'module_args', 'tenant_name') or _get(result, 'item') or ANY)
        name = str(name)
        tenant = _Tenant('obshell', cluster, name)
        tenant.obshell_error = _query_error(result, 'obshell backup overview', 'found')
        if not tenant.obshell_error:
            tenant.obshell = {'found': result.get('found'), 'summary': result.get('summary'), 'backup_task': result.get('backup_task')}
        by_name[name] = tenant
    if not wanted:
        return [by_name[name] for name in sorted(by_name) if name != 'sys']
    found = []
    for name in wanted:
        tenant = by_name.get(name)
        if tenant is None:
            tenant = _Tenant('obshell', cluster, name)
            tenant.obshell_error = 'no obshell backup overview was gathered for this tenant'
        found.append(tenant)
    return found


# ---------------------------------------------------------------------------------------------------------------
# Checks. Each returns (status, observed, threshold, message).

def _threshold(settings):
    if 'max_hours' in settings:
        seconds = settings['max_hours'] * 3600
        return (int(seconds) if float(seconds).is_integer() else seconds), '%sh' % _num_text(settings['max_hours'])
    if 'max_seconds' in settings:
        seconds = settings['max_seconds']
        return (int(seconds) if float(seconds).is_integer() else seconds), '%ss' % _num_text(seconds)
    return None, None


def _compare(value, threshold, limit, what, missing, suffix=' ago'):
    """An age or delay against its inclusive limit; ``missing`` names the value when it is absent."""
    observed = _number(value)
    if observed is None:
        reported = 'not reported' if value is None else 'not a number (%r)' % (value,)
        return 'fail', None, threshold, '%s is %s (limit %s)' % (missing, reported, limit)
    if observed <= threshold:
        return 'pass', observed, threshold, '%s %s%s (limit %s)' % (what, human(observed), suffix, limit)
    return 'fail', observed, threshold, '%s %s%s, %s over the limit of %s' % (what, human(observed), suffix, human(observed - threshold), limit)


def _ocp_data_check(check, settings, tenant):
    threshold, limit = _threshold(settings)
    if check == 'latest_backup_failed':
        threshold = 'not FAILED'
    elif check == 'backup_running':
        threshold = 0
    elif check == 'never_backed_up':
        threshold = 1
    if tenant.data_error:
        return 'error', None, threshold, tenant.data_error
    if tenant.data_problem:
        return 'fail', None, threshold, tenant.data_problem
    data = tenant.data
    if check in ('full_backup_age', 'backup_age'):
        key, what = ('last_full_success', 'last successful full backup') if check == 'full_backup_age' else ('last_success', 'last successful backup')
        if not isinstance(data.get(key), Mapping):
            return 'fail', None, threshold, 'no %s in the queried period (limit %s)' % (what, limit)
        return _compare(data[key].get('age_seconds'), threshold, limit, what, 'the age of the %s' % what)
    if check == 'latest_backup_failed':
        status = _get(data, 'latest', 'status')
        if not isinstance(status, str) or not status:
            return 'fail', None, threshold, 'no data backup task in the queried period'
        task_id = _get(data, 'latest', 'task_id')
        if status.upper() != 'FAILED':
            return 'pass', status, threshold, 'latest data backup task %s is %s' % (task_id, status)
        failure = data.get('last_failure')
        error = _get(failure, 'error_msg') if _get(failure, 'task_id') in (None, task_id) else None
        return 'fail', status, threshold, 'latest data backup task %s failed%s: %s' % (
            task_id, (' at %s' % _get(data, 'latest', 'finish_time')) if _get(data, 'latest', 'finish_time') else '', error or 'no error message')
    if check == 'never_backed_up':
        total = _number(data.get('total'))
        if total is None:
            return 'fail', None, threshold, 'the number of data backup tasks is not reported'
        if total < 1:
            return 'fail', total, threshold, 'no data backup task in the queried period: never backed up, or not within the period queried'
        return 'pass', total, threshold, '%d data backup task(s) in the queried period' % total
    # backup_running, backup_running_too_long
    running = _number(data.get('running'))
    if running is None:
        return 'fail', None, threshold, 'the number of running data backup tasks is not reported'
    if running == 0:
        return 'pass', 0, threshold, 'no data backup task running'
    if check == 'backup_running':
        return 'fail', running, threshold, '%d data backup task(s) running' % running
    return _compare(data.get('oldest_running_age_seconds'), threshold, limit, '%d data backup task(s) running, the oldest for' % running,
                    '%d data backup task(s) running; the age of the oldest' % running, '')


def _ocp_log_check(check, settings, tenant):
    threshold, limit = _threshold(settings)
    if check == 'log_backup_active':
        threshold = 'active'
    if tenant.log_error:
        return 'error', None, threshold, tenant.log_error
    if tenant.log_problem:
        return 'fail', None, threshold, tenant.log_problem
    log = tenant.log
    status = log.get('status')
    if not isinstance(status, str) or not status:
        return 'fail', None, threshold, 'no log backup task: log archiving is not set up, or not reported'
    if check == 'log_backup_active':
        active = log.get('active')
        if active is True:
            return 'pass', status, threshold, 'log archiving is %s' % status
        if active is False:
            return 'fail', status, threshold, 'log archiving is %s, not active' % status
        return 'fail', status, threshold, 'log archiving is %s; whether it is active is not reported' % status
    if check == 'log_backup_delay':
        return _compare(log.get('delay_seconds'), threshold, limit, 'log backup delay', 'the log backup delay', '')
    return _compare(log.get('checkpoint_age_seconds'), threshold, limit, 'log archive checkpoint', 'the age of the log archive checkpoint')


def _ocp_check(check, settings, tenant):
    if check.startswith('log_'):
        return _ocp_log_check(check, settings, tenant)
    return _ocp_data_check(check, settings, tenant)


def _flag(summary, key):
    value = summary.get(key)
    return value if isinstance(value, bool) else None


def _obshell_check(check, settings, tenant):
    threshold, limit = _threshold(settings)
    threshold = {'never_backed_up': True, 'latest_backup_failed': 'not FAILED', 'backup_running': 0}.get(check, threshold)
    if check == 'encryption_mode':
        threshold = list(settings['allowed'])
    if tenant.obshell_error:
        return 'error', None, threshold, tenant.obshell_error
    found = tenant.obshell.get('found')
    if check == 'never_backed_up':
        if found is True:
            return 'pass', True, threshold, 'the tenant has a backup task'
        if found is False:
            return 'fail', False, threshold, 'the tenant has never been backed up'
        return 'fail', None, threshold, 'whether the tenant was ever backed up is not reported (found: %r)' % (found,)
    if found is False:
        return 'fail', None, threshold, 'the tenant has never been backed up'
    summary = tenant.obshell.get('summary')
    if found is not True or not isinstance(summary, Mapping):
        return 'fail', None, threshold, 'the backup overview has no summary of the latest backup task'
    status = summary.get('status')
    if check == 'backup_age':
        succeeded = _flag(summary, 'succeeded')
        if succeeded is None:
            return 'fail', None, threshold, 'whether the latest backup task succeeded is not reported (limit %s)' % limit
        if not succeeded:
            return 'fail', None, threshold, ('the latest backup task is %s (the overview shows only the latest task): '
                                             'the time of the last successful backup is unknown (limit %s)' % (status, limit))
        return _compare(summary.get('age_seconds'), threshold, limit, 'last successful backup', 'the age of the last successful backup')
    if check == 'latest_backup_failed':
        failed = _flag(summary, 'failed')
        if failed is None:
            return 'fail', status, threshold, 'whether the latest backup task failed is not reported'
        if failed:
            return 'fail', status, threshold, 'latest backup task failed with result %s: %s' % (
                summary.get('result'), _get(tenant.obshell, 'backup_task', 'comment') or 'no error message')
        return 'pass', status, threshold, 'latest backup task is %s' % status
    if check == 'encryption_mode':
        mode = summary.get('encryption_mode')
        allowed = settings['allowed']
        if not isinstance(mode, str) or not mode:
            return 'fail', None, threshold, 'the encryption mode of the latest backup is not reported (allowed: %s)' % ', '.join(allowed)
        ok = _mode(mode) in set(map(_mode, allowed))
        return ('pass' if ok else 'fail'), mode, threshold, 'latest backup encryption mode %s%s (allowed: %s)' % (
            mode, '' if ok else ' is not allowed', ', '.join(allowed))
    # backup_running, backup_running_too_long
    running = _flag(summary, 'in_progress')
    if running is None:
        return 'fail', None, threshold, 'whether a backup task is running is not reported'
    if not running:
        return 'pass', 0, threshold, 'no backup task running'
    if check == 'backup_running':
        return 'fail', 1, threshold, 'a backup task is running (%s)' % status
    return _compare(summary.get('duration_seconds'), threshold, limit, 'a backup task (%s) has been running for' % status,
                    'a backup task (%s) is running; its duration' % status, '')


def _mode(mode):
    """'Password Encryption', 'PASSWORD_ENCRYPTION' and 'password-encryption' name one mode."""
    return ' '.join(str(mode).upper().replace('_', ' ').replace('-', ' ').split())


def _same(observed, expected):
    """Equality that keeps true apart from 1 and false apart from 0, as JSON does."""
    if isinstance(observed, bool) or isinstance(expected, bool):
        return isinstance(observed, bool) and isinstance(expected, bool) and observed == expected
    if isinstance(observed, Mapping) and isinstance(expected, Mapping):
        return set(observed) == set(expected) and all(_same(observed[key], expected[key]) for key in observed)
    if isinstance(observed, (list, tuple)) and isinstance(expected, (list, tuple)):
        return len(observed) == len(expected) and all(_same(a, b) for a, b in zip(observed, expected))
    return observed == expected


def _custom(item, tenant):
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
    ok = _same(value, expected)
    return ('pass' if ok else 'fail'), value, expected, '%s: observed %r, expected %r' % (item['label'], value, expected)


# ---------------------------------------------------------------------------------------------------------------
# Waivers and the filters

def _waive(record, waivers, now):
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


def _sort_key(record):
    return (str(record.get('cluster')), str(record.get('tenant')), str(record.get('check')))


def backup_compliance_checks(gathered, policy=None, now=None):
    """Check records for one gathered cluster or agent; see backup_compliance_checks.yml."""
    if not isinstance(gathered, Mapping):
        raise AnsibleFilterError('backup_compliance_checks expects a dict {source, cluster, tenants, ...}; got %r' % (gathered,))
    source = gathered.get('source')
    if source not in SOURCE_CHECKS:
        raise AnsibleFilterError("gathered.source must be 'ocp' or 'obshell'; got %r" % (source,))
    settings, custom, waivers = _policy(policy)
    moment = datetime.now(timezone.utc) if now is None else _parse_time(now, 'now')
    cluster = gathered.get('cluster')
    cluster = cluster if cluster is None or isinstance(cluster, (int, float)) else str(cluster)
    wanted = _wanted(gathered)
    if source == 'ocp':
        tenants, evaluate = _ocp_tenants(gathered, cluster, wanted), _ocp_check
    else:
        tenants, evaluate = _obshell_tenants(gathered, cluster, wanted), _obshell_check
    records = []
    for tenant in tenants:
        results = [(check, evaluate(check, settings[check], tenant)) for check in SOURCE_CHECKS[source] if settings[check]['enabled']]
        results.extend((item['id'], _custom(item, tenant)) for item in custom)
        for check, (status, observed, threshold, message) in results:
            record = {'check': check, 'cluster': cluster, 'tenant': tenant.name, 'source': source, 'status': status,
                      'observed': observed, 'threshold': threshold, 'message': message}
            records.append(_waive(record, waivers, moment))
    return sorted(records, key=_sort_key)


def _records(records):
    if records is None:
        return []
    if isinstance(records, (str, Mapping)) or not isinstance(records, (list, tuple)):
        raise AnsibleFilterError('expected the list of check records from backup_compliance_checks; got %r' % (records,))
    for index, record in enumerate(records):
        if not isinstance(record, Mapping) or record.get('status') not in STATUSES:
            raise AnsibleFilterError('check record %d has status %r; expected one of %s' % (index, _get(record, 'status'), ', '.join(STATUSES)))
    return list(records)


def backup_compliance_summary(records):
    """{pass, fail, waived, error}: how many records have each status."""
    counts = dict((status, 0) for status in STATUSES)
    for record in _records(records):
        counts[record['status']] += 1
    return counts


def backup_compliance_report(records, mode, generated_at=None):
    """The JSON report (DESIGN 5.1): {generated_at, mode, summary, checks}; checks sorted by cluster, tenant, check."""
    if mode not in MODES:
        raise AnsibleFilterError('mode must be audit or gate; got %r' % (mode,))
    records = _records(records)
    if generated_at is None:
        generated_at = datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    elif isinstance(generated_at, (date, datetime)):
        generated_at = _text(generated_at)
    elif not isinstance(generated_at, str):
        raise AnsibleFilterError('generated_at must be an ISO 8601 time string; got %r' % (generated_at,))
    return {
        'generated_at': generated_at,
        'mode': mode,
        'summary': backup_compliance_summary(records),
        'checks': sorted(records, key=_sort_key),
    }


class FilterModule:
    """oceanbase.backup compliance filters."""

    def filters(self):
        return {
            'backup_compliance_checks': backup_compliance_checks,
            'backup_compliance_summary': backup_compliance_summary,
            'backup_compliance_report': backup_compliance_report,
        }
