# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The backup compliance filters: thin adapters over plugin_utils/_compliance, where the checks, the policy and
the report live. Their documentation is in the backup_compliance_*.yml files next to this one."""

from __future__ import annotations

import functools

from ansible.errors import AnsibleFilterError

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance import engine, report
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.gathered import play_restores
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.policy import resolve
from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects


def _filter(function):
    """Bad input is a filter error naming what is wrong, never a traceback."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        # Templated in a worker, a filter over a fleet's results builds as many objects as an action does.
        spare_inherited_objects()
        try:
            return function(*args, **kwargs)
        except ComplianceError as exc:
            raise AnsibleFilterError(exc.message) from None
    return run


@_filter
def backup_compliance_checks(gathered, policy=None, now=None, preset='audit', shortcuts=None):
    """Check records for one gathered cluster or agent."""
    return engine.evaluate(gathered, policy, now, preset, shortcuts)


@_filter
def backup_compliance_plan(overrides=None, preset='audit', shortcuts=None):
    """{preset, policy, lookback_hours}: the policy spelled out, and how far back the data queries must look."""
    resolved = resolve(overrides, preset, shortcuts)
    return {'preset': preset, 'policy': resolved.as_dict(), 'lookback_hours': resolved.lookback_hours()}


@_filter
def backup_compliance_restores(results, gather=('restores',)):
    """The restores parts of the hosts' compliance module results (the failed runs that were asked for them)."""
    return play_restores(results, list(gather))


@_filter
def backup_compliance_summary(records):
    """{pass, fail, waived, error}: how many records have each status."""
    return report.summary(records)


@_filter
def backup_compliance_report(records, mode, generated_at=None):
    """The JSON report {generated_at, mode, summary, checks}."""
    return report.Report(records, mode, generated_at).as_dict()


@_filter
def backup_compliance_lines(records, mode, limit=report.SUMMARY_LINES):
    """The counts and the records that did not pass, one line each, for a terminal."""
    return report.Report(records, mode).lines(limit)


@_filter
def backup_compliance_verdict(records, mode, fail_on_violation=False):
    """{failed, msg} of one host: the gate's blockers, or the audit's failed queries."""
    return report.Report(records, mode).verdict(fail_on_violation)


class FilterModule:
    """oceanbase.backup compliance filters."""

    def filters(self):
        return dict((function.__name__, function) for function in (
            backup_compliance_checks, backup_compliance_plan, backup_compliance_restores, backup_compliance_summary, backup_compliance_report,
            backup_compliance_lines, backup_compliance_verdict))
