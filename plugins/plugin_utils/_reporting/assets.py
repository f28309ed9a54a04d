# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML report's style sheet and script, inlined so that the page needs no network.

The page's Content-Security-Policy allows this script by its hash and nothing else: even a value that
slipped past escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b3261e; --fail-bg: #ffe3e0; --waived: #8a5a00; --waived-bg: #fff4c2;
  --error: #6f42c1; --error-bg: #f1e6ff; --line: #d8dee4; --muted: #59636e; --ink: #1f2328; --page: #f4f6f8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; color: var(--ink);
  background: var(--page); }
header, main { max-width: 1360px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 0 0 6px; }
h3.sub { margin-top: 14px; }
.meta, .note { color: var(--muted); margin: 0 0 8px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
.verdict { display: flex; gap: 8px; flex-wrap: wrap; margin: 10px 0 4px; }
.pill { padding: 3px 12px; border-radius: 999px; font-weight: 600; border: 1px solid transparent; }
.pill.pass, td.pass { background: var(--pass-bg); color: var(--pass); }
.pill.fail, td.fail { background: var(--fail-bg); color: var(--fail); }
.pill.waived, td.waived { background: var(--waived-bg); color: var(--waived); }
.pill.error, td.error { background: var(--error-bg); color: var(--error); }
.pill.zero { background: #fff; color: var(--muted); border-color: var(--line); }
.filters { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line);
  box-shadow: 0 1px 3px rgba(0, 0, 0, .06); }
.filters .bar { max-width: 1360px; margin: 0 auto; padding: 8px 20px; display: flex; gap: 14px; align-items: center; flex-wrap: wrap; }
.filters label { cursor: pointer; user-select: none; white-space: nowrap; }
.filters input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 240px; font: inherit; }
.filters .count { color: var(--muted); margin-left: auto; }
.scroll { overflow: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }
.scroll.tall { max-height: 78vh; }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; font-weight: 600; white-space: nowrap; position: sticky; top: 0; z-index: 2; }
tbody tr:last-child > * { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { min-width: 260px; overflow-wrap: anywhere; white-space: pre-line; }
td.name, th.name { overflow-wrap: anywhere; min-width: 90px; }
.status { font-weight: 700; text-transform: uppercase; font-size: 12px; letter-spacing: .03em; white-space: nowrap; }
.exact { border-bottom: 1px dotted currentColor; cursor: help; }
details summary { cursor: pointer; color: var(--muted); }
details table { margin-top: 6px; }
tr.folded > td { background: #fbfbfc; }
.matrix { width: max-content; min-width: 100%; }
.matrix th.tenant, .recovery th.tenant { position: sticky; left: 0; z-index: 1; background: #fff; min-width: 170px; max-width: 240px;
  overflow-wrap: anywhere; border-right: 1px solid var(--line); font-weight: 500; }
.matrix thead th.tenant, .recovery thead th.tenant { z-index: 3; background: #f6f8fa; }
.matrix tr.group th, .recovery tr.group th { position: sticky; left: 0; background: #eef1f4; font-weight: 700; border-right: 0; }
.matrix td { white-space: nowrap; min-width: 100px; font-variant-numeric: tabular-nums; }
.matrix td.pass { background: #fff; }
.matrix td.none { color: #aab1b9; background: #fff; text-align: center; }
.matrix td[data-folded] { opacity: .72; font-style: italic; }
.recovery { width: 100%; }
.recovery th.tenant { min-width: 100px; max-width: 180px; }
.recovery th, .recovery td { padding: 5px 6px; }
.recovery thead th { white-space: normal; }
.recovery td.wrap { min-width: 110px; max-width: 340px; overflow-wrap: anywhere; }
.recovery td.none { color: #aab1b9; text-align: center; }
@media (min-width: 1200px) { .recovery td:not(.wrap) { white-space: nowrap; } }
.counts td.cell { white-space: nowrap; }
.counts thead th { white-space: normal; min-width: 70px; }
.scroll.compact { display: inline-block; max-width: 100%; }
.scroll.compact table { width: auto; }
.scroll.compact td.num, .scroll.compact th { min-width: 72px; }
td.zero { color: #aab1b9; }
.charts { display: grid; grid-template-columns: 1fr; gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
.panels { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
td.nw { white-space: nowrap; }
figure.panel { margin: 0; }
figcaption { color: var(--muted); font-size: 12px; }
svg { width: 100%; height: auto; display: block; }
svg rect.ok { fill: #4c9f70; } svg rect.over { fill: #d1453b; } svg rect.unknown { fill: #b9a3e3; }
svg line.limit { stroke: #b3261e; stroke-dasharray: 4 3; stroke-width: 1.2; } svg line.base { stroke: #8c959f; }
svg text.tick { font-size: 10px; fill: var(--muted); text-anchor: end; } svg text.start { text-anchor: start; }
footer { color: var(--muted); max-width: 1360px; margin: 0 auto; padding: 6px 20px 24px; }
@media (max-width: 760px) { .panels { grid-template-columns: 1fr; } }
"""

JS = """
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.filters input[data-filter]'));
  var query = document.getElementById('query');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-status]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('tbody[data-group]'));
  var counter = document.getElementById('shown');
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.getAttribute('data-filter')] = box.checked; });
    var text = query.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var statuses = row.getAttribute('data-status').split(' ');
      var visible = statuses.some(function (status) { return on[status]; }) &&
        (!text || row.getAttribute('data-search').indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible && row.hasAttribute('data-row')) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.querySelector('tr.group').hidden = !group.querySelector('tr[data-status]:not([hidden])');
    });
    counter.textContent = shown + ' of ' + rows.filter(function (row) { return row.hasAttribute('data-row'); }).length + ' rows shown';
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  query.addEventListener('input', apply);
  apply();
}());
"""


def script_hash(script):
    """The CSP source that allows exactly this inline script."""
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode('ascii')


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src %s" % script_hash(JS)
