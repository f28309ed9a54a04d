# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pieces of the HTML report: escaped values, record rows, the per-tenant matrix.

Every value goes through e() (or value()), which escapes it for text and for attributes alike.
"""

from __future__ import annotations

from html import escape

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import recovery, values

GLYPHS = {'pass': '\u2713', 'fail': '\u2717', 'waived': '\u2298', 'error': '!'}
FOLDED_NAMES = 20
# A policy or drill value longer than this may wrap (a drill's error message); shorter ones stay on one line.
WRAP_OVER = 24
RECORD_HEADER = ('Status', 'Cluster', 'Tenant', 'Check', 'Observed', 'Limit', 'Details')


def e(value):
    """Text and attribute safe: & < > " ' escaped, controls replaced, None/True/False as a reader says them."""
    return escape(values.clean_text(value), quote=True)


def value(record, key):
    """A value in human units; the exact one in a tooltip when the human one rounds."""
    raw = record.get(key)
    if raw is None and key == 'threshold':
        return ''
    shown, exact = values.human(raw, values.unit_of(record))
    if exact:
        return '<span class="exact" title="%s">%s</span>' % (e(exact), e(shown))
    return e(shown)


def search_text(*names):
    return e(' '.join(values.plain_text(name) for name in names).lower())


def status_cell(status):
    return '<td class="%s"><span class="status">%s %s</span></td>' % (status, GLYPHS[status], status)


def record_cells(record, message=None):
    """A record's cells; ``message`` stands in for its own (a folded error says it is the same as its root's), False leaves it out."""
    cells = [status_cell(record['status'])]
    cells.extend((
        '<td class="name">%s</td>' % e(record.get('cluster')),
        '<td class="name">%s</td>' % e(record.get('tenant')),
        '<td class="nw" title="%s">%s</td>' % (e(record.get('check')), e(values.check_label(record.get('check')))),
        '<td class="nw">%s</td>' % value(record, 'observed'),
        '<td class="nw">%s</td>' % value(record, 'threshold'),
    ))
    if message is not False:
        cells.append('<td class="msg">%s</td>' % e(record.get('message') if message is None else message))
    return ''.join(cells)


def record_row(record, extra=''):
    return '<tr data-row data-status="%s" data-search="%s">%s</tr>\n' % (
        record['status'], search_text(record.get('cluster'), record.get('tenant')), record_cells(record) + extra)


def table(header, body, css=''):
    head = ''.join('<th>%s</th>' % e(name) for name in header)
    return '<div class="scroll%s"><table><thead><tr>%s</tr></thead><tbody>\n%s</tbody></table></div>\n' % (css, head, body)


def _folded_row(problem):
    """The records that fail for the root's reason, collapsed under it (they still count)."""
    records = problem.folded
    if problem.root['status'] == 'error':
        names = ', '.join(values.plain_text(tenant) for tenant in problem.tenants[:FOLDED_NAMES])
        what = '%d more record(s) with the same error, tenant(s): %s%s' % (
            len(records), names, ' and %d more' % (len(problem.tenants) - FOLDED_NAMES) if len(problem.tenants) > FOLDED_NAMES else '')
    else:
        what = '%d more failing check(s) of this tenant follow from it: %s' % (
            len(records), ', '.join(values.check_label(record.get('check')) for record in records))
    same = 'the same error as above' if problem.root['status'] == 'error' else None
    inner = ''.join('<tr>%s</tr>' % record_cells(record, same) for record in records)
    head = ''.join('<th>%s</th>' % e(name) for name in RECORD_HEADER)
    search = search_text(problem.root.get('cluster'), *problem.tenants)
    return ('<tr class="folded" data-status="%s" data-search="%s"><td></td><td colspan="%d"><details><summary>%s</summary>'
            '<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table></details></td></tr>\n') % (
        problem.root['status'], search, len(RECORD_HEADER) - 1, e(what), head, inner)


def problem_rows(view):
    for problem in view.sorted_problems():
        search = search_text(problem.root.get('cluster'), *problem.tenants)
        yield '<tr data-row data-status="%s" data-search="%s">%s</tr>\n' % (problem.root['status'], search, record_cells(problem.root))
        if problem.folded:
            yield _folded_row(problem)


def _cell(record, folded):
    if record is None:
        return '<td class="none">\u00b7</td>'
    unit = values.unit_of(record)
    shown, exact = values.human(record.get('observed'), unit)
    tip = values.plain_text(record.get('message'))
    if exact:
        tip += '\nobserved %s, limit %s' % (exact, values.human(record.get('threshold'), unit)[1] or values.plain_text(record.get('threshold')))
    if folded:
        tip += '\n(counted as failing; it follows from never_backed_up)'
    return '<td class="%s"%s title="%s">%s %s</td>' % (
        record['status'], ' data-folded' if folded else '', e(tip), GLYPHS[record['status']], e(shown))


def matrix(view):
    """The per-tenant matrix: one row per tenant, one column per check, grouped by cluster."""
    head = '<th class="tenant">Tenant</th>' + ''.join(
        '<th title="%s">%s</th>' % (e(check), e(values.check_label(check))) for check in view.checks)
    groups, current = [], None
    for cluster, tenant, cells in view.matrix_rows():
        if cluster is not current:
            if current is not None:
                groups.append('</tbody>')
            groups.append('<tbody data-group><tr class="group"><th class="tenant" colspan="%d">%s</th></tr>\n' % (len(view.checks) + 1, e(cluster.name)))
            current = cluster
        statuses = ' '.join(sorted(set(record['status'] for record in cells.values())))
        row = ''.join(_cell(cells.get(check), id(cells.get(check)) in view.folded_ids) for check in view.checks)
        groups.append('<tr data-row data-status="%s" data-search="%s"><th class="tenant" scope="row">%s</th>%s</tr>\n' % (
            statuses, search_text(cluster.name, tenant), e(tenant), row))
    if current is not None:
        groups.append('</tbody>')
    return '<div class="scroll tall"><table class="matrix"><thead><tr>%s</tr></thead>%s</table></div>\n' % (head, ''.join(groups))


def _recovery_cell(cell):
    if cell.text == recovery.NONE:
        return '<td class="none">%s</td>' % recovery.NONE
    # Only what did not pass is coloured: a table of green cells would hide the one that matters. Short values stay on one line.
    css = [cell.status] if cell.status in values.NOT_PASSING + ('waived',) else []
    css += ['wrap'] if len(cell.text) > WRAP_OVER else []
    # A line may break after a slash (cluster/tenant): escaped text has none inside its entities.
    shown = e(cell.text).replace('/', '/<wbr>')
    text = '<span class="exact" title="%s">%s</span>' % (e(cell.exact), shown) if cell.exact else shown
    return '<td%s>%s</td>' % (' class="%s"' % ' '.join(css) if css else '', text)


def recovery_table(view):
    """Per tenant, grouped by cluster as the matrix is: the backup policy and the last restore drill; '' when no record has them."""
    groups, current = [], None
    for cluster, tenant, cells in recovery.rows(view):
        if cluster is not current:
            groups.append('%s<tbody data-group><tr class="group"><th class="tenant" colspan="%d">%s</th></tr>\n' % (
                '' if current is None else '</tbody>', len(recovery.HEADER) + 1, e(cluster.name)))
            current = cluster
        statuses = ' '.join(sorted(set(cell.status for cell in cells if cell.status))) or 'pass'
        groups.append('<tr data-status="%s" data-search="%s"><th class="tenant" scope="row">%s</th>%s</tr>\n' % (
            statuses, search_text(cluster.name, tenant), e(tenant), ''.join(map(_recovery_cell, cells))))
    if current is None:
        return ''
    head = ''.join('<th>%s</th>' % e(name) for name in recovery.HEADER)
    return '<div class="scroll"><table class="recovery"><thead><tr><th class="tenant">Tenant</th>%s</tr></thead>%s</tbody></table></div>\n' % (
        head, ''.join(groups))
