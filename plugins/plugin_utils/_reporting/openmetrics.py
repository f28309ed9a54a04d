# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OpenMetrics text for node_exporter's textfile collector (<report_name>.prom).

Written so that both the OpenMetrics parser and the classic Prometheus text parser read it: no sample
timestamps (the two formats disagree on their unit), UNIT and EOF lines that the classic parser takes
for comments. A series appears once: when two records share one (two sources for a tenant), the worse wins.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values

PREFIX = 'oceanbase_backup_'
# (metric, the check whose observed seconds it carries, help)
AGE_GAUGES = (
    ('last_full_backup_age_seconds', 'full_backup_age', 'Seconds since the last successful full data backup of the tenant.'),
    ('log_delay_seconds', 'log_backup_delay', 'Seconds the log archive of the tenant lags behind.'),
)
_SPECIAL = re.compile('[\\\\"\n\t]')


def label_value(value):
    value = values.clean_text(value)
    if not _SPECIAL.search(value):
        return value
    return value.replace('\t', ' ').replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _labels(pairs):
    return '{' + ','.join('%s="%s"' % (name, label_value(value)) for name, value in pairs) + '}'


def _number(value):
    return repr(float(value)) if isinstance(value, float) else str(int(value))


def _family(out, name, help_text, unit=None):
    out.write('# HELP %s%s %s\n# TYPE %s%s gauge\n' % (PREFIX, name, help_text, PREFIX, name))
    if unit:
        out.write('# UNIT %s%s %s\n' % (PREFIX, name, unit))


def _passed(view):
    """(cluster, tenant, check) -> 1 or 0, the worst of the records that share it."""
    series = {}
    for record in view.records:
        key = (values.clean_text(record.get('cluster')), values.clean_text(record.get('tenant')), values.clean_text(record.get('check')))
        passed = 1 if record['status'] in ('pass', 'waived') else 0
        series[key] = min(passed, series.get(key, 1))
    return series


def _ages(view, check):
    """(cluster, tenant) -> the largest observed seconds of ``check`` (an unknown age has no sample)."""
    series = {}
    for cluster in view.clusters.values():
        for tenant, cells in cluster.tenants.items():
            record = cells.get(check)
            if record is not None and values.is_number(record.get('observed')):
                key = (values.clean_text(cluster.name), values.clean_text(tenant))
                series[key] = max(record['observed'], series.get(key, record['observed']))
    return series


def write(view, out):
    _family(out, 'check_passed', '1 when the compliance check passed or is waived, 0 when it failed or could not be evaluated.')
    for (cluster, tenant, check), passed in _passed(view).items():
        out.write('%scheck_passed%s %d\n' % (PREFIX, _labels((('cluster', cluster), ('tenant', tenant), ('check', check))), passed))
    for name, check, help_text in AGE_GAUGES:
        _family(out, name, help_text, 'seconds')
        for (cluster, tenant), seconds in _ages(view, check).items():
            out.write('%s%s%s %s\n' % (PREFIX, name, _labels((('cluster', cluster), ('tenant', tenant))), _number(seconds)))
    _family(out, 'checks', 'Check records of the audit by status.')
    for status in values.STATUSES:
        out.write('%schecks{status="%s"} %d\n' % (PREFIX, status, view.summary[status]))
    _family(out, 'audit_timestamp_seconds', 'When the audit that wrote this file ran (its generated_at), in seconds since the epoch.', 'seconds')
    out.write('%saudit_timestamp_seconds %s\n# EOF\n' % (PREFIX, _number(float(view.timestamp))))
