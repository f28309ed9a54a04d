# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write a compliance report set on the controller (documented in plugins/modules/backup_compliance_report.py)."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import files
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting.view import MODES, ReportError

# The records are checked by the report's own validation: the generic validator would copy them all.
LARGE = ('report', 'checks')
SPEC = {
    'mode': {'type': 'str', 'choices': list(MODES), 'default': 'audit'},
    'generated_at': {'type': 'str'},
    'report_dir': {'type': 'path', 'required': True},
    'report_name': {'type': 'str', 'default': 'compliance-report'},
    'formats': {'type': 'list', 'elements': 'str', 'choices': list(files.FORMATS), 'default': list(files.FORMATS)},
}


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
        options = result.validated_parameters
        given = [key for key in LARGE if self._task.args.get(key) is not None]
        if len(given) != 1:
            raise AnsibleActionFail('backup_compliance_report: exactly one of report (the report dict) and checks (the list of '
                                    'check records) is required; got %s' % (' and '.join(given) or 'neither'))
        if given == ['report']:
            ignored = [key for key in ('mode', 'generated_at') if key in self._task.args]
            if ignored:
                raise AnsibleActionFail('backup_compliance_report: %s go with checks; the report has its own' % ' and '.join(ignored))
            return options, self._task.args['report']
        stamp = options['generated_at'] or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        return options, {'generated_at': stamp, 'mode': options['mode'], 'checks': self._task.args['checks']}

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        options, report = self._options()
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
        result.update(
            changed=True, files=written['files'], removed=written['removed'], summary=view.summary, generated_at=view.generated_at,
            since_last_run=None if since is None else {
                'previous_generated_at': since['previous_generated_at'], 'new': len(since['new']), 'resolved': len(since['resolved'])},
        )
        if self._task.check_mode:
            result['msg'] = 'check mode: no report written'
        if written['warnings']:
            result['warnings'] = written['warnings']
        return result
