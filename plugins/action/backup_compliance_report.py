# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write a compliance report set on the controller (documented in plugins/modules/backup_compliance_report.py)."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.report import Report
from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects
from ansible_collections.oceanbase.backup.plugins.plugin_utils._hostvars import held_by_hosts
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import files
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting.view import MODES, ReportError

# Where the records come from: exactly one of these. The records are checked by the report's own validation
# (the generic validator would copy them all).
SOURCES = ('report', 'checks', 'from_hosts')
LARGE = ('report', 'checks')
SPEC = {
    'from_hosts': {'type': 'list', 'elements': 'str'},
    'checks_var': {'type': 'str', 'default': 'backup_compliance_checks'},
    'mode': {'type': 'str', 'choices': list(MODES), 'default': 'audit'},
    'generated_at': {'type': 'str'},
    'report_dir': {'type': 'path', 'required': True},
    'report_name': {'type': 'str', 'default': 'compliance-report'},
    'formats': {'type': 'list', 'elements': 'str', 'choices': list(files.FORMATS), 'default': list(files.FORMATS)},
    'max_not_passed': {'type': 'int', 'default': 500},
}


def _record_order(record):
    return tuple('' if record.get(key) is None else str(record.get(key)) for key in ('cluster', 'tenant', 'check'))


def _not_passed(records, limit):
    """The records that failed or could not be evaluated, errors first, at most ``limit`` (the JSON report has all):
    a fleet's result stays small enough for set_stats and AWX artifacts."""
    errors = [record for record in records if record['status'] == 'error']
    failures = [record for record in records if record['status'] == 'fail']
    return (errors + failures)[:limit], len(errors) + len(failures)


def _lines(view, written, check_mode):
    """What a terminal shows: the counts, the records that did not pass (a few), and the files this run wrote."""
    lines = Report(view.records, view.mode, view.generated_at).lines()
    if check_mode:
        return lines + ['No report written (check mode)']
    if not written:
        return lines + ['No report written (no format asked for)']
    return lines + ['Reports in %s: %s' % (os.path.dirname(written[0]), ', '.join(os.path.basename(path) for path in written))]


class ActionModule(ActionBase):
    """Render the report in Python and write its files atomically, as one consistent set."""

    TRANSFERS_FILES = False
    # Everything happens on the controller: no connection to the host is opened for it.
    _requires_connection = False
    _VALID_ARGS = frozenset(SPEC) | frozenset(LARGE)

    def _options(self):
        small = dict((key, value) for key, value in self._task.args.items() if key not in LARGE)
        result = ArgumentSpecValidator(SPEC).validate(small)
        if result.error_messages:
            raise AnsibleActionFail('backup_compliance_report: %s' % '; '.join(result.error_messages))
        given = [key for key in SOURCES if self._task.args.get(key) is not None]
        if len(given) != 1:
            raise AnsibleActionFail('backup_compliance_report: exactly one of report (the report dict), checks (the list of check records) '
                                    'and from_hosts (hosts whose %s to merge) is required; got %s' % (
                                        result.validated_parameters['checks_var'], ' and '.join(given) or 'none'))
        if result.validated_parameters['max_not_passed'] < 0:
            raise AnsibleActionFail('backup_compliance_report: max_not_passed must be 0 or more; got %d' % result.validated_parameters['max_not_passed'])
        if given == ['report'] and ('mode' in self._task.args or 'generated_at' in self._task.args):
            raise AnsibleActionFail('backup_compliance_report: mode and generated_at go with checks or from_hosts; the report has its own')
        return result.validated_parameters, given[0]

    def _merged(self, hosts, name, task_vars):
        """Every named host's records, read without templating them again (they are a module's or a filter's result)."""
        records = []
        for host, value in held_by_hosts(task_vars['hostvars'], hosts, name):
            if not isinstance(value, (list, tuple)):
                raise AnsibleActionFail('backup_compliance_report: %s of host %s must be the list of check records; got %s'
                                        % (name, host, type(value).__name__))
            records.extend(value)
        return sorted(records, key=_record_order)

    def _report(self, options, source, task_vars):
        if source == 'report':
            return self._task.args['report']
        if source == 'checks':
            records = self._task.args['checks']
        else:
            records = self._merged(options['from_hosts'], options['checks_var'], task_vars)
        stamp = options['generated_at'] or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        return {'generated_at': stamp, 'mode': options['mode'], 'checks': records}

    def run(self, tmp=None, task_vars=None):
        spare_inherited_objects()
        result = super().run(tmp, task_vars)
        del tmp
        options, source = self._options()
        report = self._report(options, source, task_vars or {})
        report_dir = os.path.abspath(os.path.expanduser(options['report_dir']))
        try:
            work = files.prepare if self._task.check_mode else files.write_set
            written = work(report, report_dir, options['report_name'], options['formats'])
        except ReportError as exc:
            raise AnsibleActionFail('backup_compliance_report: %s' % exc) from None
        except OSError as exc:
            raise AnsibleActionFail('backup_compliance_report: cannot write the reports in %s: %s' % (report_dir, exc)) from None
        view = written['view']
        since = view.since_last_run
        not_passed, not_passed_total = _not_passed(view.records, options['max_not_passed'])
        result.update(
            changed=True, files=written['files'], removed=written['removed'], summary=view.summary, generated_at=view.generated_at,
            since_last_run=None if since is None else {
                'previous_generated_at': since['previous_generated_at'], 'new': len(since['new']), 'resolved': len(since['resolved'])},
            not_passed=not_passed, not_passed_total=not_passed_total,
            lines=_lines(view, written['files'], self._task.check_mode),
        )
        if self._task.check_mode:
            result['msg'] = 'check mode: no report written'
        if written['warnings']:
            result['warnings'] = written['warnings']
        return result
