# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The registry of built-in checks: each is one function and the @check entry above it.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

An entry names the check id, the TenantState state it reads, its settings with their audit defaults and
what the gate preset changes, the unit of its observed value and threshold, and, for a check without a
limit, its fixed threshold. The function gets the state's value (a Mapping: the engine has already turned a
failed query into ``error`` and a missing state into ``fail``) and a Rule (threshold, limit text, settings),
and returns (status, observed, message), or with details.attach (status, observed, message, details) where a
reader needs more than the verdict (the policy, the last restore drill). It never asks which source the state
came from.

One id may read more than one state (the obshell overview answers some questions the data summary answers):
the engine uses the first entry, in registration order, whose state the tenant's source gives. Settings are
declared on the first entry of an id and shared by the others.

The data, log and overview checks are here; the recoverability checks (backup strategy, restore drills) are in
recoverability.py, which this module imports at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import FUTURE_TOLERANCE_SECONDS
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.state import STATES, get
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import human, number

# Units of observed and threshold: 'seconds' (a limit in hours or days is converted), 'days', 'count', 'status'
# (a server status text), 'flag' (true or false), 'mode' (an encryption mode).
UNITS = ('seconds', 'days', 'count', 'status', 'flag', 'mode')
# A clock a little ahead of the controller's gives small negative ages: up to this many seconds count as 0.
CLOCK_SKEW_SECONDS = FUTURE_TOLERANCE_SECONDS
CLOCK_AHEAD = 'is the OCP or agent clock ahead of this controller?'


@dataclass(frozen=True)
class Check:
    """One registry entry."""

    id: str
    state: str
    function: object
    unit: str
    audit: dict = field(default_factory=dict)
    gate: dict = field(default_factory=dict)
    # A check without a limit setting: the threshold its records show (a value, or a function of the settings).
    threshold: object = None
    # The id of a stricter check this one answers instead where the tenant's sources cannot give that one's state.
    stands_in_for: str = None


class Registry:
    """Every built-in check, in registration order."""

    def __init__(self):
        self.entries = []
        self.defaults = {}

    def add(self, entry):
        if entry.state not in STATES or entry.unit not in UNITS:
            raise ValueError('check %s: state must be one of %s and unit one of %s' % (entry.id, STATES, UNITS))
        if entry.id in self.defaults and (entry.audit or entry.gate):
            raise ValueError('check %s: settings belong to its first entry only' % entry.id)
        if entry.id not in self.defaults:
            if 'enabled' not in entry.audit or not set(entry.gate) <= set(entry.audit):
                raise ValueError('check %s: audit settings need enabled, and the gate may only change them' % entry.id)
            self.defaults[entry.id] = entry.audit, entry.gate
        self.entries.append(entry)

    def ids(self):
        return list(self.defaults)

    def preset(self, name):
        """{check id: settings} of the audit or gate preset."""
        return dict((check_id, dict(audit, **(gate if name == 'gate' else {}))) for check_id, (audit, gate) in self.defaults.items())

    def entry_for(self, check_id, tenant):
        """The entry of ``check_id`` that reads a state the tenant's source gives, or None."""
        return next((entry for entry in self.entries if entry.id == check_id and entry.state in tenant.given), None)

    def stand_in(self, check_id, tenant):
        return next((entry for entry in self.entries if entry.stands_in_for == check_id and entry.state in tenant.given), None)


REGISTRY = Registry()


def check(check_id, state, unit, **options):
    """Register the decorated function as the check ``check_id`` reading ``state``; see Check for ``options``."""
    def register(function):
        REGISTRY.add(Check(check_id, state, function, unit, **options))
        return function
    return register


def reported(summary, *path):
    """The value at ``path`` of a summary; for an age or delay the module found in the future (reported as null),
    the negative value it keeps under the summary's ``future``."""
    value = get(summary, *path)
    return get(summary, 'future', '.'.join(path)) if value is None else value


def compare(value, rule, what, missing, suffix=' ago', skew=CLOCK_SKEW_SECONDS):
    """An age or delay against its inclusive limit; ``missing`` names the value when it is absent.

    A value below zero means a time in the future: down to -``skew`` it is clock skew and counts as 0, lower it
    fails, because a backup that seems to finish tomorrow proves nothing about today.
    """
    observed, threshold, limit = number(value), rule.threshold, rule.limit
    if observed is None:
        shown = 'not reported' if value is None else 'not a number (%r)' % (value,)
        return 'fail', None, '%s is %s (limit %s)' % (missing, shown, limit)
    if observed < -skew:
        return 'fail', observed, '%s is negative (%s, a time in the future): %s (limit %s)' % (missing, human(observed), CLOCK_AHEAD, limit)
    observed = max(observed, 0)
    if observed <= threshold:
        return 'pass', observed, '%s %s%s (limit %s)' % (what, human(observed), suffix, limit)
    return 'fail', observed, '%s %s%s, %s over the limit of %s' % (what, human(observed), suffix, human(observed - threshold), limit)


def flag(summary, key):
    value = summary.get(key)
    return value if isinstance(value, bool) else None


# ---------------------------------------------------------------------------------------------------------------
# Data: a tenant's entry of a data backup summary (total, latest, last_success, last_full_success, last_failure,
# running, oldest_running_age_seconds), whichever source summarised the tasks.

def _success_age(data, rule, key, what):
    if not isinstance(data.get(key), Mapping):
        return 'fail', None, 'no %s in the queried period (limit %s)' % (what, rule.limit)
    return compare(reported(data, key, 'age_seconds'), rule, what, 'the age of the %s' % what)


@check('full_backup_age', 'data', 'seconds', audit={'enabled': True, 'max_hours': 168}, gate={'max_hours': 24})
def full_backup_age(data, rule):
    return _success_age(data, rule, 'last_full_success', 'last successful full backup')


@check('backup_age', 'data', 'seconds', audit={'enabled': True, 'max_hours': 26}, gate={'enabled': False})
def backup_age(data, rule):
    return _success_age(data, rule, 'last_success', 'last successful backup')


@check('latest_backup_failed', 'data', 'status', audit={'enabled': True}, gate={'enabled': False}, threshold='not FAILED')
def latest_backup_failed(data, rule):
    status, task_id = get(data, 'latest', 'status'), get(data, 'latest', 'task_id')
    if not isinstance(status, str) or not status:
        return 'fail', None, 'no data backup task in the queried period'
    if status.upper() != 'FAILED':
        return 'pass', status, 'latest data backup task %s is %s' % (task_id, status)
    failure = data.get('last_failure')
    # The last failure may be an older task than the latest one: quote its error only when it is this task.
    error = get(failure, 'error_msg') if get(failure, 'task_id') in (None, task_id) else None
    finished = get(data, 'latest', 'finish_time')
    return 'fail', status, 'latest data backup task %s failed%s: %s' % (task_id, (' at %s' % finished) if finished else '', error or 'no error message')


def _running(data):
    running = number(data.get('running'))
    if running is None:
        return None, ('fail', None, 'the number of running data backup tasks is not reported')
    if running == 0:
        return 0, ('pass', 0, 'no data backup task running')
    return running, None


@check('backup_running_too_long', 'data', 'seconds', audit={'enabled': True, 'max_hours': 24}, gate={'enabled': False})
def backup_running_too_long(data, rule):
    running, verdict = _running(data)
    if verdict:
        return verdict
    return compare(reported(data, 'oldest_running_age_seconds'), rule, '%d data backup task(s) running, the oldest for' % running,
                   '%d data backup task(s) running; the age of the oldest' % running, '')


@check('backup_running', 'data', 'count', audit={'enabled': False}, gate={'enabled': True}, threshold=0)
def backup_running(data, rule):
    running, verdict = _running(data)
    return verdict or ('fail', running, '%d data backup task(s) running' % running)


@check('never_backed_up', 'data', 'count', audit={'enabled': True}, gate={'enabled': False}, threshold=1)
def never_backed_up(data, rule):
    total = number(data.get('total'))
    if total is None:
        return 'fail', None, 'the number of data backup tasks is not reported'
    if total < 1:
        return 'fail', total, 'no data backup task in the queried period: never backed up, or not within the period queried'
    return 'pass', total, '%d data backup task(s) in the queried period' % total


# ---------------------------------------------------------------------------------------------------------------
# Log: a tenant's entry of a log backup summary (status, active, delay_seconds, checkpoint, checkpoint_age_seconds).

def _log_status(log):
    status = log.get('status')
    if (not isinstance(status, str) or not status) and log.get('checkpoint'):
        # obshell lists running rounds only: a checkpoint without a round is an archive that was interrupted or stopped.
        return None, ('fail', None, 'no active log archive round: log archiving is interrupted or stopped (last checkpoint %s)'
                      % log.get('checkpoint'))
    if not isinstance(status, str) or not status:
        return None, ('fail', None, 'no log backup task: log archiving is not set up, or not reported')
    return status, None


@check('log_backup_active', 'log', 'status', audit={'enabled': True}, threshold='active')
def log_backup_active(log, rule):
    status, verdict = _log_status(log)
    if verdict:
        return verdict
    active = log.get('active')
    if active is True:
        return 'pass', status, 'log archiving is %s' % status
    if active is False:
        return 'fail', status, 'log archiving is %s, not active' % status
    return 'fail', status, 'log archiving is %s; whether it is active is not reported' % status


@check('log_backup_delay', 'log', 'seconds', audit={'enabled': True, 'max_seconds': 600}, gate={'max_seconds': 60})
def log_backup_delay(log, rule):
    # The server measures a delay between two times of its own: below zero it is wrong, whatever the skew here.
    _status, verdict = _log_status(log)
    return verdict or compare(reported(log, 'delay_seconds'), rule, 'log backup delay', 'the log backup delay', '', skew=0)


@check('log_checkpoint_age', 'log', 'seconds', audit={'enabled': True, 'max_seconds': 900}, gate={'enabled': False})
def log_checkpoint_age(log, rule):
    _status, verdict = _log_status(log)
    return verdict or compare(reported(log, 'checkpoint_age_seconds'), rule, 'log archive checkpoint', 'the age of the log archive checkpoint')


# ---------------------------------------------------------------------------------------------------------------
# Overview: {found, summary, backup_task} of the obshell tenant backup overview. It shows the latest task only:
# no backup type (full or incremental) and no log archiving, so full_backup_age and the log checks have no
# overview entry; while a backup runs, or after a failed one, the time of the last success is unknown.

def _latest(overview):
    if overview.get('found') is False:
        return None, ('fail', None, 'the tenant has never been backed up')
    summary = overview.get('summary')
    if overview.get('found') is not True or not isinstance(summary, Mapping):
        return None, ('fail', None, 'the backup overview has no summary of the latest backup task')
    return summary, None


@check('never_backed_up', 'overview', 'flag', threshold=True)
def overview_never_backed_up(overview, rule):
    found = overview.get('found')
    if found is True:
        return 'pass', True, 'the tenant has a backup task'
    if found is False:
        return 'fail', False, 'the tenant has never been backed up'
    return 'fail', None, 'whether the tenant was ever backed up is not reported (found: %r)' % (found,)


@check('backup_age', 'overview', 'seconds', stands_in_for='full_backup_age')
def overview_backup_age(overview, rule):
    summary, verdict = _latest(overview)
    if verdict:
        return verdict
    succeeded = flag(summary, 'succeeded')
    if succeeded is None:
        return 'fail', None, 'whether the latest backup task succeeded is not reported (limit %s)' % rule.limit
    if not succeeded:
        return 'fail', None, ('the latest backup task is %s (the overview shows only the latest task): '
                              'the time of the last successful backup is unknown (limit %s)' % (summary.get('status'), rule.limit))
    return compare(reported(summary, 'age_seconds'), rule, 'last successful backup', 'the age of the last successful backup')


@check('latest_backup_failed', 'overview', 'status', threshold='not FAILED')
def overview_latest_backup_failed(overview, rule):
    summary, verdict = _latest(overview)
    if verdict:
        return verdict
    status, failed = summary.get('status'), flag(summary, 'failed')
    if failed is None:
        return 'fail', status, 'whether the latest backup task failed is not reported'
    if failed:
        return 'fail', status, 'latest backup task failed with result %s: %s' % (
            summary.get('result'), get(overview, 'backup_task', 'comment') or 'no error message')
    return 'pass', status, 'latest backup task is %s' % status


def _overview_running(overview):
    summary, verdict = _latest(overview)
    if verdict:
        return None, verdict
    running = flag(summary, 'in_progress')
    if running is None:
        return None, ('fail', None, 'whether a backup task is running is not reported')
    return summary, (None if running else ('pass', 0, 'no backup task running'))


@check('backup_running_too_long', 'overview', 'seconds')
def overview_backup_running_too_long(overview, rule):
    summary, verdict = _overview_running(overview)
    if verdict:
        return verdict
    status = summary.get('status')
    return compare(reported(summary, 'duration_seconds'), rule, 'a backup task (%s) has been running for' % status,
                   'a backup task (%s) is running; its duration' % status, '')


@check('backup_running', 'overview', 'count', threshold=0)
def overview_backup_running(overview, rule):
    summary, verdict = _overview_running(overview)
    return verdict or ('fail', 1, 'a backup task is running (%s)' % summary.get('status'))


def _mode(mode):
    """'Password Encryption', 'PASSWORD_ENCRYPTION' and 'password-encryption' name one mode."""
    return ' '.join(str(mode).upper().replace('_', ' ').replace('-', ' ').split())


@check('encryption_mode', 'overview', 'mode', audit={'enabled': False, 'allowed': []}, threshold=lambda settings: list(settings['allowed']))
def overview_encryption_mode(overview, rule):
    summary, verdict = _latest(overview)
    if verdict:
        return verdict
    mode, allowed = summary.get('encryption_mode'), rule.settings['allowed']
    if not isinstance(mode, str) or not mode:
        return 'fail', None, 'the encryption mode of the latest backup is not reported (allowed: %s)' % ', '.join(allowed)
    ok = _mode(mode) in set(map(_mode, allowed))
    return ('pass' if ok else 'fail'), mode, 'latest backup encryption mode %s%s (allowed: %s)' % (mode, '' if ok else ' is not allowed', ', '.join(allowed))


# The recoverability checks (strategy and restore drills) live in recoverability.py and register into REGISTRY
# here, after the checks above, so that every importer of REGISTRY sees every built-in check in one order.
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import recoverability  # noqa: E402,F401 pylint: disable=unused-import
