# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Backup compliance evaluation: module results + a policy -> check records. Pure functions.

A check whose data is missing fails (or is an error when the query failed); it never passes.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError

STATUSES = ('pass', 'fail', 'waived', 'error')
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
# obshell's overview has the latest task only: no backup type and no log archiving data.
SOURCE_CHECKS = {
    'ocp': ('full_backup_age', 'backup_age', 'latest_backup_failed', 'backup_running_too_long', 'backup_running',
            'log_backup_active', 'log_backup_delay', 'log_checkpoint_age', 'never_backed_up'),
    'obshell': ('backup_age', 'latest_backup_failed', 'backup_running_too_long', 'backup_running', 'never_backed_up',
                'encryption_mode'),
}
LOG_CHECKS = ('log_backup_active', 'log_backup_delay', 'log_checkpoint_age')


def human(seconds):
    """3725 -> '1h 2m'; for messages an auditor reads."""
    if seconds is None:
        return 'unknown'
    seconds = int(seconds)
    sign, seconds = ('-' if seconds < 0 else ''), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [('%dd' % days) if days else '', ('%dh' % hours) if hours else '', ('%dm' % minutes) if minutes and not days else '',
             ('%ds' % secs) if secs and not days and not hours else '']
    return sign + (' '.join(p for p in parts if p) or '0s')


def _parse_time(value, what):
    if value is None or value == '':
        return None
    text = str(value).strip().replace('Z', '+00:00')
    if len(text) == 10:
        text += 'T23:59:59+00:00'
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AnsibleFilterError('%s: %r is not an ISO 8601 date or time' % (what, value)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _policy(policy):
    policy = policy or {}
    if not isinstance(policy, dict):
        raise AnsibleFilterError('policy must be a dict of check ids, custom and waivers; got %s' % type(policy).__name__)
    unknown = sorted(set(policy) - set(AUDIT_POLICY) - {'custom', 'waivers'})
    if unknown:
        raise AnsibleFilterError('policy: unknown check ids %s; expected any of %s, custom, waivers' % (', '.join(unknown), ', '.join(AUDIT_POLICY)))
    merged = copy.deepcopy(AUDIT_POLICY)
    for check, settings in policy.items():
        if check in ('custom', 'waivers'):
            continue
        if not isinstance(settings, dict):
            raise AnsibleFilterError('policy.%s must be a dict such as {enabled: true, ...}' % check)
        merged[check].update(settings)
        for key in ('max_hours', 'max_seconds'):
            if key in merged[check]:
                value = merged[check][key]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    raise AnsibleFilterError('policy.%s.%s must be a number greater than 0; got %r' % (check, key, value))
    custom = policy.get('custom') or []
    for index, item in enumerate(custom):
        if not isinstance(item, dict) or not item.get('id') or not item.get('expression') or 'expected' not in item:
            raise AnsibleFilterError('policy.custom[%d] needs id, expression (JMESPath) and expected' % index)
        if item['id'] in AUDIT_POLICY:
            raise AnsibleFilterError('policy.custom[%d].id %r clashes with a built-in check id' % (index, item['id']))
    waivers = policy.get('waivers') or []
    for index, item in enumerate(waivers):
        if not isinstance(item, dict) or not item.get('check') or not item.get('reason'):
            raise AnsibleFilterError('policy.waivers[%d] needs check and reason (and optionally tenant, cluster, expires)' % index)
        _parse_time(item.get('expires'), 'policy.waivers[%d].expires' % index)
    return merged, custom, waivers


def _get(obj, *path):
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _failed(result, key):
    """A failed query: registered with failed, or with failed_when false (then it lacks its result key)."""
    return not isinstance(result, dict) or bool(result.get('failed')) or key not in result


def _error_text(result):
    if not isinstance(result, dict):
        return 'no result was gathered'
    return 'the query failed: %s' % (result.get('msg') or 'no message')


class _Tenant:
    """Everything evaluated for one tenant."""

    def __init__(self, source, cluster, name):
        self.source, self.cluster, self.name = source, cluster, name
        self.data = self.log = self.obshell = None
        self.data_error = self.log_error = self.obshell_error = None

    def facts(self):
        return {'source': self.source, 'cluster': self.cluster, 'tenant': self.name, 'data': self.data, 'log': self.log,
                'obshell': self.obshell}


def _tenants(gathered):
    source = gathered.get('source')
    cluster = gathered.get('cluster')
    wanted = gathered.get('tenants')
    found = {}
    if source == 'ocp':
        data, log = gathered.get('ocp_data'), gathered.get('ocp_log')
        data_tenants = {} if _failed(data, 'summary') else _get(data, 'summary', 'tenants')
        log_tenants = {} if _failed(log, 'summary') else _get(log, 'summary', 'tenants')
        data_tenants = data_tenants if isinstance(data_tenants, dict) else {}
        log_tenants = log_tenants if isinstance(log_tenants, dict) else {}
        names = list(wanted) if wanted else sorted((set(data_tenants) | set(log_tenants)) - {'sys'})
        if not names and (_failed(data, 'summary') or _failed(log, 'summary')):
            # The failed query would have named the tenants; '*' stands for all of them.
            names = ['*']
        for name in names:
            tenant = _Tenant(source, cluster, name)
            tenant.data = data_tenants.get(name)
            tenant.log = log_tenants.get(name)
            tenant.data_error = _error_text(data) if _failed(data, 'summary') else None
            tenant.log_error = _error_text(log) if _failed(log, 'summary') else None
            found[name] = tenant
    elif source == 'obshell':
        for result in gathered.get('obshell') or []:
            name = _get(result, 'tenant', 'name') or _get(result, 'invocation', 'module_args', 'tenant_name') or _get(result, 'item') or '*'
            tenant = _Tenant(source, cluster, name)
            if _failed(result, 'found'):
                tenant.obshell_error = _error_text(result)
            else:
                tenant.obshell = {'found': result.get('found'), 'summary': result.get('summary'), 'backup_task': result.get('backup_task')}
            found[name] = tenant
        for name in wanted or []:
            if name not in found:
                tenant = _Tenant(source, cluster, name)
                tenant.obshell_error = 'no overview was gathered for this tenant'
                found[name] = tenant
    else:
        raise AnsibleFilterError("gathered.source must be 'ocp' or 'obshell'; got %r" % (source,))
    return [found[name] for name in found]


def _age_check(value, limit, what):
    if value is None:
        return 'fail', None, 'no %s found in the queried period' % what
    if value <= limit:
        return 'pass', value, '%s %s ago (limit %s)' % (what, human(value), human(limit))
    return 'fail', value, '%s %s ago, over the limit of %s' % (what, human(value), human(limit))


def _ocp_check(check, settings, tenant):
    """(status, observed, threshold, message) of one built-in check for an OCP tenant."""
    data, log = tenant.data, tenant.log
    hours = settings.get('max_hours')
    threshold = int(hours * 3600) if hours else settings.get('max_seconds')
    if check in LOG_CHECKS:
        if tenant.log_error:
            return 'error', None, threshold, tenant.log_error
        status = _get(log, 'status')
        if check == 'log_backup_active':
            if status is None:
                return 'fail', None, True, 'no log backup task found: log archiving is not set up or not reported'
            active = _get(log, 'active') is True
            return ('pass' if active else 'fail'), status, 'active', 'log archiving is %s%s' % (status, '' if active else ', not active')
        key, what = ('delay_seconds', 'log backup delay') if check == 'log_backup_delay' else ('checkpoint_age_seconds', 'log checkpoint')
        value = _get(log, key)
        if value is None:
            return 'fail', None, threshold, 'no %s reported' % what
        if check == 'log_backup_delay':
            ok = value <= threshold
            return ('pass' if ok else 'fail'), value, threshold, 'log backup delay %s (limit %s)' % (human(value), human(threshold))
        status, observed, message = _age_check(value, threshold, what)
        return status, observed, threshold, message
    if tenant.data_error:
        return 'error', None, threshold, tenant.data_error
    if check == 'full_backup_age':
        status, observed, message = _age_check(_get(data, 'last_full_success', 'age_seconds'), threshold, 'last successful full backup')
        return status, observed, threshold, message
    if check == 'backup_age':
        status, observed, message = _age_check(_get(data, 'last_success', 'age_seconds'), threshold, 'last successful backup')
        return status, observed, threshold, message
    if check == 'latest_backup_failed':
        status = _get(data, 'latest', 'status')
        if status is None:
            return 'fail', None, 'not FAILED', 'no data backup task found'
        if status == 'FAILED':
            return 'fail', status, 'not FAILED', 'latest data backup task %s failed: %s' % (
                _get(data, 'latest', 'task_id'), _get(data, 'last_failure', 'error_msg') or 'no error message')
        return 'pass', status, 'not FAILED', 'latest data backup task is %s' % status
    if check in ('backup_running_too_long', 'backup_running'):
        running = _get(data, 'running')
        if running is None:
            return 'fail', None, threshold if check == 'backup_running_too_long' else 0, 'no data backup information'
        if check == 'backup_running':
            return ('pass' if running == 0 else 'fail'), running, 0, '%d data backup task(s) running' % running
        if running == 0:
            return 'pass', 0, threshold, 'no data backup task running'
        status, observed, message = _age_check(_get(data, 'oldest_running_age_seconds'), threshold, 'oldest running backup started')
        return status, observed, threshold, message
    if check == 'never_backed_up':
        total = _get(data, 'total')
        if not total:
            return 'fail', total or 0, '> 0', 'no data backup task found in the queried window'
        return 'pass', total, '> 0', '%d data backup task(s) found' % total
    raise AnsibleFilterError('check %s does not apply to OCP' % check)


def _obshell_check(check, settings, tenant):
    hours = settings.get('max_hours')
    threshold = int(hours * 3600) if hours else None
    if tenant.obshell_error:
        return 'error', None, threshold, tenant.obshell_error
    found = _get(tenant.obshell, 'found')
    summary = _get(tenant.obshell, 'summary') or {}
    if check == 'never_backed_up':
        if found is True:
            return 'pass', True, True, 'a backup task exists (%s)' % summary.get('status')
        return 'fail', found, True, 'the tenant has never been backed up'
    if found is not True:
        return 'fail', None, threshold, 'no backup task: the tenant has never been backed up'
    status = summary.get('status')
    if check == 'backup_age':
        if summary.get('succeeded') is not True:
            return 'fail', None, threshold, 'latest backup task is %s, not a completed one: time of last success unknown' % status
        result = _age_check(summary.get('age_seconds'), threshold, 'last successful backup')
        return result[0], result[1], threshold, result[2]
    if check == 'latest_backup_failed':
        if summary.get('failed') is True:
            return 'fail', status, 'not FAILED', 'latest backup task failed (result %s): %s' % (
                summary.get('result'), _get(tenant.obshell, 'backup_task', 'comment') or 'no comment')
        return 'pass', status, 'not FAILED', 'latest backup task is %s' % status
    if check in ('backup_running', 'backup_running_too_long'):
        running = summary.get('in_progress') is True
        if check == 'backup_running':
            return ('fail' if running else 'pass'), int(running), 0, 'a backup task is running (%s)' % status if running else 'no backup running'
        if not running:
            return 'pass', 0, threshold, 'no backup task running'
        result = _age_check(summary.get('duration_seconds'), threshold, 'running backup started')
        return result[0], result[1], threshold, result[2]
    if check == 'encryption_mode':
        allowed = [str(mode).upper() for mode in settings.get('allowed') or []]
        mode = summary.get('encryption_mode')
        if mode is None:
            return 'fail', None, allowed, 'encryption mode not reported'
        ok = str(mode).upper() in allowed
        return ('pass' if ok else 'fail'), mode, allowed, 'backup encryption mode %s (allowed: %s)' % (mode, ', '.join(allowed) or 'none')
    raise AnsibleFilterError('check %s does not apply to obshell' % check)


def _custom(item, tenant):
    try:
        import jmespath
    except ImportError:
        raise AnsibleFilterError('custom compliance checks need the jmespath Python library on the controller: pip install jmespath') from None
    try:
        value = jmespath.search(item['expression'], tenant.facts())
    except jmespath.exceptions.JMESPathError as exc:
        raise AnsibleFilterError('policy.custom %s: invalid JMESPath expression %r: %s' % (item['id'], item['expression'], exc)) from None
    if tenant.data_error or tenant.log_error or tenant.obshell_error:
        if value is None:
            return 'error', None, item['expected'], tenant.data_error or tenant.log_error or tenant.obshell_error
    if value is None:
        return 'fail', None, item['expected'], '%s: the expression found no data' % (item.get('description') or item['id'])
    ok = value == item['expected']
    label = item.get('description') or item['id']
    return ('pass' if ok else 'fail'), value, item['expected'], '%s: observed %r, expected %r' % (label, value, item['expected'])


def _waive(record, waivers, now):
    if record['status'] != 'fail':
        return record
    for waiver in waivers:
        if waiver['check'] not in (record['check'], '*'):
            continue
        if waiver.get('tenant') not in (None, '*', record['tenant']) or waiver.get('cluster') not in (None, '*', record['cluster']):
            continue
        expires = _parse_time(waiver.get('expires'), 'waiver expires')
        if expires is not None and expires < now:
            record['message'] += ' (waiver expired %s: %s)' % (waiver['expires'], waiver['reason'])
            continue
        record['status'] = 'waived'
        record['waiver'] = {'reason': waiver['reason'], 'expires': waiver.get('expires')}
        record['message'] += ' (waived: %s)' % waiver['reason']
        return record
    return record


def backup_compliance_checks(gathered, policy=None, now=None):
    """Check records for one gathered cluster or agent; see the filter's documentation."""
    if not isinstance(gathered, dict):
        raise AnsibleFilterError('backup_compliance_checks expects a dict {source, cluster, ...}; got %s' % type(gathered).__name__)
    settings, custom, waivers = _policy(policy)
    moment = _parse_time(now, 'now') or datetime.now(timezone.utc)
    source = gathered.get('source')
    evaluate = _ocp_check if source == 'ocp' else _obshell_check
    records = []
    for tenant in _tenants(gathered):
        for check in SOURCE_CHECKS.get(source, ()):
            if not settings[check].get('enabled', True):
                continue
            status, observed, threshold, message = evaluate(check, settings[check], tenant)
            records.append({'check': check, 'cluster': tenant.cluster, 'tenant': tenant.name, 'source': source, 'status': status,
                            'observed': observed, 'threshold': threshold, 'message': message})
        for item in custom:
            status, observed, threshold, message = _custom(item, tenant)
            records.append({'check': item['id'], 'cluster': tenant.cluster, 'tenant': tenant.name, 'source': source, 'status': status,
                            'observed': observed, 'threshold': threshold, 'message': message})
    records = [_waive(record, waivers, moment) for record in records]
    return sorted(records, key=lambda r: (str(r['cluster']), str(r['tenant']), r['check']))


def backup_compliance_summary(records):
    counts = dict((status, 0) for status in STATUSES)
    for record in records or []:
        counts[record.get('status')] = counts.get(record.get('status'), 0) + 1
    return counts


def backup_compliance_report(records, mode, generated_at=None):
    return {
        'generated_at': generated_at or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'mode': mode,
        'summary': backup_compliance_summary(records),
        'checks': list(records or []),
    }


class FilterModule:
    def filters(self):
        return {
            'backup_compliance_checks': backup_compliance_checks,
            'backup_compliance_summary': backup_compliance_summary,
            'backup_compliance_report': backup_compliance_report,
        }
