# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An inline SVG chart per cluster: each tenant's last full backup age and log delay against its limit.

Bars are drawn as a share of each tenant's own limit (the dashed line), worst first, so tenants with
different limits compare. A cluster with more tenants than bars gets one bar per group of neighbours,
the worst of the group, so a failing tenant is never averaged away. Each bar's tooltip has the numbers.
"""

from __future__ import annotations

from html import escape

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values

SERIES = (('full_backup_age', 'Last full backup age'), ('log_backup_delay', 'Log backup delay'))
MAX_BARS = 80
MAX_BAR_WIDTH = 28
WIDTH, HEIGHT = 520, 112
LEFT, RIGHT, TOP, BOTTOM = 64, 6, 10, 18
TOP_RATIO = 2.0


def _e(value):
    return escape(values.clean_text(value), quote=True)


def _points(cluster, check):
    """(ratio to the limit or None when unknown, tenant, record), worst first; unknown counts as worst."""
    points = []
    for tenant, cells in cluster.tenants.items():
        record = cells.get(check)
        # An error means the query failed: there is no age to draw (the failures list says why).
        if record is None or record['status'] == 'error':
            continue
        observed, limit = record.get('observed'), record.get('threshold')
        ratio = observed / limit if values.is_number(observed) and values.is_number(limit) and limit > 0 else None
        points.append((ratio, tenant, record))
    points.sort(key=lambda point: float('inf') if point[0] is None else point[0], reverse=True)
    return points


def _bins(points):
    if len(points) <= MAX_BARS:
        return [[point] for point in points]
    size = -(-len(points) // MAX_BARS)
    return [points[start:start + size] for start in range(0, len(points), size)]


def _tooltip(group):
    ratio, tenant, record = group[0]
    shown, exact = values.human(record.get('observed'), 'seconds')
    limit = values.human(record.get('threshold'), 'seconds')[0]
    text = '%s: %s%s (limit %s) %s' % (values.plain_text(tenant), shown, ' = %s' % exact if exact else '', limit, record['status'])
    if len(group) > 1:
        text = '%d tenants, the worst: %s' % (len(group), text)
    return _e(text)


def _bar(index, width, group):
    ratio = group[0][0]
    plot = HEIGHT - TOP - BOTTOM
    height = plot if ratio is None else max(1.0, min(ratio, TOP_RATIO) / TOP_RATIO * plot)
    kind = 'unknown' if ratio is None else ('over' if ratio > 1 else 'ok')
    gap = 1 if width > 3 else 0
    return '<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>' % (
        kind, LEFT + index * width, HEIGHT - BOTTOM - height, max(width - gap, 0.5), height, _tooltip(group))


def _axis(points):
    """The scale, drawn over the bars: the limit (dashed) at half height, twice the limit at the top."""
    limits = set(record.get('threshold') for _ratio, _tenant, record in points)
    limit = limits.pop() if len(limits) == 1 and values.is_number(next(iter(limits), None)) else None
    mid = TOP + (HEIGHT - TOP - BOTTOM) / 2
    top = '%s+' % values.duration(limit * TOP_RATIO) if limit else '%gx limit+' % TOP_RATIO
    return ''.join((
        '<line class="limit" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>' % (LEFT, WIDTH - RIGHT, mid, mid),
        '<text class="tick" x="%d" y="%.1f">%s</text>' % (LEFT - 4, mid + 4, _e('limit %s' % values.duration(limit) if limit else 'limit')),
        '<text class="tick" x="%d" y="%d">%s</text>' % (LEFT - 4, TOP + 8, _e(top)),
        '<text class="tick" x="%d" y="%d">0</text>' % (LEFT - 4, HEIGHT - BOTTOM),
        '<line class="base" x1="%d" x2="%d" y1="%d" y2="%d"/>' % (LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, HEIGHT - BOTTOM),
    ))


def _panel(cluster, check, title):
    points = _points(cluster, check)
    if not points:
        return ''
    over = sum(1 for ratio, _tenant, _record in points if ratio is not None and ratio > 1)
    unknown = sum(1 for ratio, _tenant, _record in points if ratio is None)
    caption = '%s: %d of %d tenant(s) over the limit%s' % (title, over, len(points), ', %d unknown' % unknown if unknown else '')
    bins = _bins(points)
    width = min(MAX_BAR_WIDTH, (WIDTH - LEFT - RIGHT) / float(len(bins)))
    bars = ''.join(_bar(index, width, group) for index, group in enumerate(bins))
    note = '' if len(bins) == len(points) else ' (one bar per %d tenants, the worst of them)' % len(bins[0])
    return ('<figure class="panel"><figcaption>%s%s</figcaption><svg viewBox="0 0 %d %d" role="img" aria-label="%s">%s%s'
            '<text class="tick start" x="%d" y="%d">worst</text><text class="tick" x="%d" y="%d">best</text></svg></figure>') % (
        _e(caption), _e(note), WIDTH, HEIGHT, _e(caption), bars, _axis(points), LEFT, HEIGHT - 4, WIDTH - RIGHT, HEIGHT - 4)


def cluster_chart(cluster):
    """The chart's HTML for one cluster, or '' when none of its records is an age or delay that it charts."""
    panels = ''.join(_panel(cluster, check, title) for check, title in SERIES)
    if not panels:
        return ''
    return '<div class="chart"><h3>%s</h3><div class="panels">%s</div></div>' % (_e(cluster.name), panels)
