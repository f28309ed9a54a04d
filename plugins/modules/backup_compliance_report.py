# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The work is done on the controller by the action plugin of the same name; this file holds its documentation.

DOCUMENTATION = r'''
module: backup_compliance_report
short_description: Write a backup compliance report as JSON, Markdown, HTML, JUnit XML and OpenMetrics files
version_added: 0.1.0
description:
  - Writes the check records of a compliance audit into a set of report files on the controller, named
    C(<report_name>.json), C(.md), C(.html), C(.xml) and C(.prom) in O(report_dir).
  - Each file is rendered to a temporary file in O(report_dir) and renamed into place only when every file
    of the set is complete, so an interrupted run leaves the previous set whole. Every file carries the
    report's C(generated_at). Files of O(report_name) in a format not in O(formats) are removed, so no file
    of an older run stays beside the new ones.
  - When C(<report_name>.json) is already there, the new report says what changed since that one
    (C(since_last_run) in the JSON, a section in the HTML and Markdown).
  - The HTML page is self-contained (no network). It shows totals per cluster, every failure and error with its
    message (a tenant that was never backed up shows its dependent checks folded under that cause, still
    counted), waivers, a chart per cluster of the last full backup age and log delay against their limits,
    and a per-tenant matrix with status filters. Values are in human units with the exact number in a tooltip.
  - The OpenMetrics file suits node_exporter's textfile collector. It has
    C(oceanbase_backup_check_passed{cluster,tenant,check}) (1 pass or waived, 0 fail or error),
    C(oceanbase_backup_last_full_backup_age_seconds{cluster,tenant}),
    C(oceanbase_backup_log_delay_seconds{cluster,tenant}), C(oceanbase_backup_checks{status}) and
    C(oceanbase_backup_audit_timestamp_seconds). An age that is not known has no sample; its check is 0.
  - Every value is escaped for its format, so names and server messages with markup, C(|), line breaks or
    control characters stay text.
options:
  report:
    description:
      - The report, as the P(oceanbase.backup.backup_compliance_report#filter) filter returns it
        (C(generated_at), C(mode), C(summary), C(checks)).
      - The summary is counted again from the records. Other keys are kept in the JSON file.
      - Exactly one of O(report), O(checks) and O(from_hosts) is required.
    type: dict
  checks:
    description:
      - The check records, as the P(oceanbase.backup.backup_compliance_checks#filter) filter returns them,
        instead of O(report).
    type: list
    elements: dict
  from_hosts:
    description:
      - Inventory hosts whose O(checks_var) holds their check records, instead of O(report) or O(checks). The
        records of every host that has the variable are merged into one report, sorted by cluster, tenant and check.
      - The records are read as the hosts hold them, without templating them again, so a play over many
        clusters hands over hundreds of thousands of records at little cost. Typically C(ansible_play_hosts_all).
    type: list
    elements: str
  checks_var:
    description:
      - The host variable that holds each host's check records, with O(from_hosts).
    type: str
    default: backup_compliance_checks
  mode:
    description:
      - The mode of the audit, with O(checks) or O(from_hosts).
    type: str
    choices: [audit, gate]
    default: audit
  generated_at:
    description:
      - When the audit ran, ISO 8601 (V(2026-11-23T08:00:00Z)), with O(checks) or O(from_hosts). Defaults to now, in UTC.
    type: str
  report_dir:
    description:
      - Directory on the controller for the files; created when missing. A relative path is relative to the
        current directory of C(ansible-playbook).
    type: path
    required: true
  report_name:
    description:
      - File name of the reports, without directory or extension.
    type: str
    default: compliance-report
  formats:
    description:
      - The files to write. A format left out has its file of O(report_name) removed.
      - V(json) is C(.json), V(markdown) C(.md), V(html) C(.html), V(junit) C(.xml), V(openmetrics) C(.prom).
    type: list
    elements: str
    choices: [json, markdown, html, junit, openmetrics]
    default: [json, markdown, html, junit, openmetrics]
  max_not_passed:
    description:
      - At most this many records in RV(not_passed) (errors first), so that a large fleet's result stays small;
        RV(not_passed_total) counts them all and the JSON report lists them all. V(0) lists none.
    type: int
    default: 500
attributes:
  check_mode:
    support: full
    details:
      - In check mode the report is validated and nothing is written or removed; RV(files) is empty.
notes:
  - With many tenants (more than 1000) the HTML and Markdown reports list every failure, error and waiver
    and count the passes per cluster and check; the JSON report always has every record, one per line.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - oceanbase.backup.attributes.on_controller
  - ansible.builtin.action_common_attributes.flow
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Write the reports of an audit
  oceanbase.backup.backup_compliance_report:
    report: "{{ records | oceanbase.backup.backup_compliance_report('audit') }}"
    report_dir: /var/lib/oceanbase-audit
  run_once: true

- name: One report over the records every host of the play set in backup_compliance_checks
  oceanbase.backup.backup_compliance_report:
    from_hosts: "{{ ansible_play_hosts_all }}"
    mode: audit
    report_dir: /srv/audit
  run_once: true

- name: Only the metrics for node_exporter's textfile collector
  oceanbase.backup.backup_compliance_report:
    checks: "{{ records }}"
    report_dir: /var/lib/node_exporter/textfile
    report_name: oceanbase_backup
    formats: [openmetrics]
  run_once: true
'''

RETURN = r'''
files:
  description: The files written, in the order of O(formats). Empty in check mode.
  returned: always
  type: list
  elements: path
  sample: [/srv/reports/compliance-report.json, /srv/reports/compliance-report.prom]
removed:
  description: Files of an earlier run of O(report_name) that this run removed, in formats it did not write.
  returned: always
  type: list
  elements: path
  sample: [/srv/reports/compliance-report.md]
summary:
  description: How many records have each status, counted from the records.
  returned: always
  type: dict
  sample: {pass: 40, fail: 2, waived: 1, error: 0}
since_last_run:
  description:
    - What changed since the previous JSON report of the same name, as counts (the records are in the JSON file);
      null when there was none.
  returned: always
  type: dict
  sample: {previous_generated_at: "2026-11-22T08:00:00Z", new: 1, resolved: 3}
lines:
  description:
    - A summary for a terminal, from the compliance engine - the counts, the first records that did not pass (errors
      first), then the files written (or that none was, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["Backup compliance (audit): 40 pass, 2 fail, 1 waived, 0 error", "FAIL  obprod/billing  full_backup_age: ...",
           "Reports in /srv/reports: compliance-report.json, compliance-report.prom"]
not_passed:
  description:
    - The records that failed or could not be evaluated (C(fail) and C(error)), as in the JSON report, errors first,
      at most O(max_not_passed) of them; the JSON report has every one.
  returned: always
  type: list
  elements: dict
not_passed_total:
  description: How many records failed or could not be evaluated, all of them (also those left out of RV(not_passed)).
  returned: always
  type: int
  sample: 2
generated_at:
  description: The report's generation time, as it is in every file.
  returned: always
  type: str
  sample: "2026-11-23T08:00:00Z"
'''
