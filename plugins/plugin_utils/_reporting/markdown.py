# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Markdown report: totals per cluster, then every record that did not pass, then the passes.

Table cells are escaped so that a name or a server message with `|`, newlines, markup or HTML stays
one cell of plain text when GitHub, GitLab or any CommonMark renderer shows it.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import recovery, values

# Characters that start inline markup, links, HTML or a table cell boundary in CommonMark and GFM; an underscore
# only at a word boundary (inside a word, as in never_backed_up, it cannot start emphasis).
_MARKUP = re.compile(r'([\\`*\[\]<>|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))')
_SPECIAL = re.compile(r'[\\`*\[\]<>|~_&\n]')
_STATUS = {'pass': 'PASS', 'fail': '**FAIL**', 'waived': '*WAIVED*', 'error': '**ERROR**'}
RECORD_HEADER = ('Cluster', 'Tenant', 'Check', 'Status', 'Observed', 'Limit', 'Details')


def cell(value):
    """One table cell of plain text: markup escaped, entities neutralised, line breaks as <br>."""
    text = values.clean_text(value)
    if not _SPECIAL.search(text):
        return text or ' '
    text = _MARKUP.sub(r'\\\1', text.replace('&', '&amp;'))
    return '<br>'.join(part.strip() for part in text.split('\n')) or ' '


def _row(cells):
    return '| ' + ' | '.join(cells) + ' |\n'


def _table(out, header, rows):
    out.write(_row(header))
    out.write(_row(['---'] * len(header)))
    for row in rows:
        out.write(_row(row))
    out.write('\n')


def record_cells(record, note='', same=False):
    """A record's cells; a folded record says why (and, when its message is the root's, only that)."""
    unit = values.unit_of(record)
    observed = values.human(record.get('observed'), unit)[0]
    threshold = values.human(record.get('threshold'), unit)[0] if record.get('threshold') is not None else ''
    details = '(%s)' % note if same else ('(%s) ' % note if note else '') + values.plain_text(record.get('message'))
    return [cell(record.get('cluster')), cell(record.get('tenant')), cell(record.get('check')), _STATUS[record['status']],
            cell(observed), cell(threshold), cell(details)]


def _totals(view):
    for cluster in view.clusters.values():
        counts = cluster.counts
        yield [cell(cluster.name), str(len(cluster.tenants))] + [str(counts[status]) for status in values.STATUSES]


def _problems(view):
    for problem in view.sorted_problems():
        yield record_cells(problem.root)
        for record in problem.folded:
            yield record_cells(record, note=problem.reason(), same=problem.root['status'] == 'error')


def _pass_counts(view):
    for cluster in view.clusters.values():
        for check in view.checks:
            counts = cluster.by_check.get(check)
            if counts and counts['pass']:
                yield [cell(cluster.name), cell(check), str(counts['pass'])]


def _since(out, view):
    since = view.since_last_run
    if since is None:
        return
    out.write('## Since the last run (%s)\n\n' % cell(since['previous_generated_at']))
    out.write('%d new failure(s) or error(s), %d resolved.\n\n' % (len(since['new']), len(since['resolved'])))
    if since['new']:
        _table(out, RECORD_HEADER, (record_cells(record) for record in since['new']))
    if since['resolved']:
        _table(out, ('Cluster', 'Tenant', 'Check', 'Was', 'Now'),
               ([cell(item['cluster']), cell(item['tenant']), cell(item['check']), _STATUS[item['previous_status']], _STATUS[item['status']]]
                for item in since['resolved']))


def _recovery(out, view):
    rows = [[cell(cluster.name), cell(tenant)] + [cell(item.text) for item in cells] for cluster, tenant, cells in recovery.rows(view)]
    if rows:
        out.write('## Backup policy and restore drills\n\n')
        _table(out, ('Cluster', 'Tenant') + recovery.HEADER, rows)


def write(view, out):
    summary = view.summary
    out.write('# OceanBase backup compliance report\n\n')
    out.write('- Generated: %s\n- Mode: %s\n' % (cell(view.generated_at), cell(view.mode)))
    out.write('- Result: %d pass, %d fail, %d waived, %d error (%d tenants in %d clusters)\n\n' % (
        summary['pass'], summary['fail'], summary['waived'], summary['error'], view.tenant_count, len(view.clusters)))
    out.write('## Clusters\n\n')
    _table(out, ('Cluster', 'Tenants', 'Pass', 'Fail', 'Waived', 'Error'), _totals(view))
    _since(out, view)
    out.write('## Failures and errors\n\n')
    if view.problems:
        _table(out, RECORD_HEADER, _problems(view))
    else:
        out.write('None.\n\n')
    _recovery(out, view)
    if view.waived:
        out.write('## Waived\n\n')
        _table(out, RECORD_HEADER, (record_cells(record) for record in view.waived))
    out.write('## Passed\n\n')
    if view.large:
        out.write('%d tenants: passes are counted per cluster and check here; every record is in the JSON report.\n\n' % view.tenant_count)
        _table(out, ('Cluster', 'Check', 'Pass'), _pass_counts(view))
    else:
        _table(out, RECORD_HEADER, (record_cells(record) for record in view.records if record['status'] == 'pass'))
