# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML report: one self-contained page (no external assets) that a DBA reads top down.

Totals per cluster first, then what changed since the last run, every failure and error with its
message (one root cause shown once), waivers, a chart per cluster, and the per-tenant matrix. Status
filters and a name filter work offline. A large report shows passes as counts per cluster and check.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import assets, chart, html_parts, values
from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting.html_parts import e

SINCE_MAX_ROWS = 500


def _head(view):
    title = 'Backup compliance (%s) %s' % (view.mode, view.generated_at)
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta http-equiv="Content-Security-Policy" content="%s">\n<meta name="generated-at" content="%s">\n'
            '<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n') % (e(assets.CSP), e(view.generated_at), e(title), assets.CSS)


def _header(view):
    pills = ''.join('<span class="pill %s">%d %s</span>' % (status if view.summary[status] else 'zero', view.summary[status], status)
                    for status in ('fail', 'error', 'waived', 'pass'))
    return ('<header>\n<h1>OceanBase backup compliance</h1>\n<p class="meta">Generated <time datetime="%s">%s</time> &middot; mode %s'
            ' &middot; %d tenant(s) in %d cluster(s) &middot; %d check record(s)</p>\n<div class="verdict">%s</div>\n</header>\n') % (
        e(view.generated_at), e(view.generated_at), e(view.mode), view.tenant_count, len(view.clusters), len(view.records), pills)


def _filters(view):
    boxes = ''.join('<label><input type="checkbox" data-filter="%s" checked> %s (%d)</label>' % (status, status, view.summary[status])
                    for status in ('fail', 'error', 'waived', 'pass'))
    return ('<nav class="filters" aria-label="Filters"><div class="bar"><strong>Show</strong>%s'
            '<input type="search" id="query" placeholder="Filter by cluster or tenant" aria-label="Filter by cluster or tenant">'
            '<span class="count" id="shown"></span></div></nav>\n<main>\n') % boxes


def _counts_cell(counts):
    if not counts:
        return '<td class="none">\u00b7</td>'
    worst = max((status for status in values.STATUSES if counts[status]), key=values.SEVERITY.get)
    present = [status for status in ('fail', 'error', 'waived', 'pass') if counts[status]]
    words = ', '.join('%d %s' % (counts[status], status) for status in present)
    glyphs = ' '.join('%s\u00a0%d' % (html_parts.GLYPHS[status], counts[status]) for status in present)
    return '<td class="cell %s" title="%s">%s</td>' % (worst, e(words), e(glyphs))


def _count(count, status):
    return '<td class="num %s">%d</td>' % (status if count and status != 'pass' else ('zero' if not count else ''), count)


def _clusters(view):
    order = ('fail', 'error', 'waived', 'pass')
    rows = ''.join('<tr><td class="name">%s</td><td class="num">%d</td>%s</tr>\n' % (
        e(cluster.name), len(cluster.tenants), ''.join(_count(cluster.counts[status], status) for status in order))
        for cluster in view.clusters.values())
    totals = html_parts.table(('Cluster', 'Tenants') + order, rows, ' compact')
    head = ('Cluster',) + tuple(values.check_label(check) for check in view.checks)
    by_check = ''.join('<tr><td class="name">%s</td>%s</tr>\n' % (
        e(cluster.name), ''.join(_counts_cell(cluster.by_check.get(check)) for check in view.checks)) for cluster in view.clusters.values())
    return ('<section id="clusters"><h2>Clusters</h2>\n%s<h3 class="sub">Checks by cluster</h3>\n'
            '<div class="counts">%s</div></section>\n') % (totals, html_parts.table(head, by_check))


def _since(view):
    since = view.since_last_run
    if since is None:
        return ''
    new = ''.join('<tr data-row data-status="%s" data-search="%s">%s</tr>\n' % (
        record['status'], html_parts.search_text(record.get('cluster'), record.get('tenant')), html_parts.record_cells(record, False))
        for record in since['new'][:SINCE_MAX_ROWS])
    resolved = ''.join('<tr data-row data-status="%s" data-search="%s"><td class="name">%s</td><td class="name">%s</td><td>%s</td>%s%s</tr>\n' % (
        item['status'], html_parts.search_text(item['cluster'], item['tenant']), e(item['cluster']), e(item['tenant']),
        e(values.check_label(item['check'])), html_parts.status_cell(item['previous_status']), html_parts.status_cell(item['status']))
        for item in since['resolved'][:SINCE_MAX_ROWS])
    more = [len(part) - SINCE_MAX_ROWS for part in (since['new'], since['resolved'])]
    out = ['<section id="since"><h2>Since the last run</h2>\n<p class="meta">Compared with the report of %s: %d new failure(s) or '
           'error(s), %d resolved.</p>\n' % (e(since['previous_generated_at']), len(since['new']), len(since['resolved']))]
    if new:
        out.append('<h3>New</h3>\n' + html_parts.table(html_parts.RECORD_HEADER[:-1], new))
    if resolved:
        out.append('<h3>Resolved</h3>\n' + html_parts.table(('Cluster', 'Tenant', 'Check', 'Was', 'Now'), resolved))
    if max(more) > 0:
        out.append('<p class="note">Only the first %d of each are listed; the JSON report has them all.</p>\n' % SINCE_MAX_ROWS)
    return ''.join(out) + '</section>\n'


def _problems(view):
    if not view.problems:
        return '<section id="problems"><h2>Failures and errors</h2>\n<p class="meta">None: every check passed or is waived.</p></section>\n'
    shown = len(view.problems)
    hidden = view.summary['fail'] + view.summary['error'] - shown
    note = ' %d more that fail for the same reason are folded under their cause (and still counted).' % hidden if hidden else ''
    return '<section id="problems"><h2>Failures and errors</h2>\n<p class="meta">%d shown, errors first.%s</p>\n%s</section>\n' % (
        shown, note, html_parts.table(html_parts.RECORD_HEADER, ''.join(html_parts.problem_rows(view))))


def _waived(view):
    if not view.waived:
        return ''
    rows = ''.join(html_parts.record_row(record, '<td>%s</td><td>%s</td>' % (
        e((record.get('waiver') or {}).get('reason')), e((record.get('waiver') or {}).get('expires') or 'never')))
        for record in view.waived)
    return '<section id="waived"><h2>Waived</h2>\n%s</section>\n' % html_parts.table(html_parts.RECORD_HEADER + ('Reason', 'Expires'), rows)


def _charts(view):
    charts = ''.join(chart.cluster_chart(cluster) for cluster in view.clusters.values())
    if not charts:
        return ''
    return ('<section id="charts"><h2>Backup age and log delay against their limits</h2>\n<p class="meta">One bar per tenant, '
            'worst first, as a share of its limit (dashed line); red is over the limit, violet unknown. Hover a bar for its numbers.</p>\n'
            '<div class="charts">%s</div></section>\n') % charts


def _matrix(view):
    hidden = view.matrix_hidden()
    note = ('Hover a cell for its message and exact values.' if not hidden else
            '%d tenant(s) whose checks all passed (or past the first %d rows) are not listed; the JSON report has every record.'
            % (hidden, len(list(view.matrix_rows()))))
    drills = html_parts.recovery_table(view)
    if drills:
        drills = ('<h3 class="sub" id="recovery">Backup policy and restore drills</h3>\n<p class="meta">The schedule and retention of each '
                  'tenant\'s backup strategy, and the last restore from its backups on any cluster. Hover a value for the exact one; '
                  'a dot is nothing to show, or a value the tenant\'s source does not give (obshell has no backup strategy).</p>\n'
                  + drills)
    return '<section id="tenants"><h2>Per tenant</h2>\n<p class="meta">%s</p>\n%s%s</section>\n' % (e(note), html_parts.matrix(view), drills)


def write(view, out):
    for part in (_head, _header, _filters, _clusters, _since, _problems, _waived, _charts, _matrix):
        out.write(part(view))
    out.write('</main>\n<footer>Generated %s by oceanbase.backup. Exact values and every record are in the JSON report.</footer>\n'
              '<script>%s</script>\n</body>\n</html>\n' % (e(view.generated_at), assets.JS))
