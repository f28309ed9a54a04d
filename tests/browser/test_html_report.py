# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML report in a real browser: the system Chromium driven by Playwright (make browser).

The page loads from a file with no console error and no network, hostile names stay text, the status and
name filters hide and show rows, the page itself never scrolls sideways (the matrix does, with its tenant
column pinned), and screenshots at a desktop and a laptop width are saved for a person to look at.
"""

from __future__ import annotations

import os
import pathlib

import pytest
from playwright.sync_api import sync_playwright

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import files
from ansible_collections.oceanbase.backup.tests.unit.plugins.plugin_utils._reporting import sample

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']
OUTPUT = pathlib.Path(os.environ.get('REPORT_SCREENSHOTS') or pathlib.Path(__file__).resolve().parents[1] / 'output')


@pytest.fixture(scope='module')
def report_path(tmp_path_factory):
    """A report with every status, a folded root cause, hostile names, and a previous run to compare with."""
    where = tmp_path_factory.mktemp('reports')
    files.write_set(sample.sample_report(generated_at='2026-11-22T08:00:00Z', hostile=False), str(where), 'compliance-report', ['json'])
    files.write_set(sample.sample_report(), str(where), 'compliance-report', list(files.FORMATS))
    return where / 'compliance-report.html'


@pytest.fixture(scope='module')
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, report_path):
    context = browser.new_context(viewport={'width': 1400, 'height': 900})
    page = context.new_page()
    page.problems = []
    page.on('console', lambda message: page.problems.append('console %s: %s' % (message.type, message.text))
            if message.type in ('error', 'warning') else None)
    page.on('pageerror', lambda error: page.problems.append('page error: %s' % error))
    page.on('dialog', lambda dialog: (page.problems.append('dialog: %s' % dialog.message), dialog.dismiss()))
    page.on('request', lambda request: None if request.url.startswith('file:') else page.problems.append('request: %s' % request.url))
    page.goto(report_path.as_uri())
    page.wait_for_load_state('load')
    yield page
    context.close()


def visible_rows(page, selector='tr[data-row]'):
    return page.eval_on_selector_all(selector, 'rows => rows.filter(row => row.offsetParent !== null).length')


def test_loads_clean_with_hostile_names_as_text(page):
    assert page.problems == []
    assert page.locator('img').count() == 0
    assert page.locator('script').count() == 1
    assert page.locator('#problems').inner_text().count(sample.HOSTILE_TENANT) >= 1
    assert page.locator('.matrix th.tenant', has_text=sample.HOSTILE_TENANT).count() == 1
    # The policy and drill table: a restore into a hostile name and a hostile error message are text too.
    drills = page.locator('.recovery tr', has=page.locator('th.tenant', has_text=sample.HOSTILE_TENANT))
    assert drills.count() == 1 and ('drill/' + sample.HOSTILE_TENANT) in drills.inner_text()
    assert 'server said <b>bold</b> & <script>alert(2)</script>' in drills.inner_text()
    assert page.locator('#shown').inner_text().endswith('rows shown')
    assert page.problems == []


def test_status_filters_hide_and_show_rows(page):
    total = visible_rows(page)
    assert total == page.locator('tr[data-row]').count() > 0
    only_pass = page.locator('table.matrix tr[data-status="pass"]').count()
    assert only_pass > 0
    page.uncheck('input[data-filter="pass"]')
    assert visible_rows(page, 'table.matrix tr[data-status="pass"]') == 0
    assert visible_rows(page, 'table.matrix tr[data-status~="fail"]') == page.locator('table.matrix tr[data-status~="fail"]').count()
    for status in ('fail', 'error', 'waived'):
        page.uncheck('input[data-filter="%s"]' % status)
    assert visible_rows(page) == 0
    assert visible_rows(page, 'table.matrix tr.group') == 0
    page.check('input[data-filter="error"]')
    errors = visible_rows(page)
    assert 0 < errors == page.locator('tr[data-row][data-status~="error"]').count()
    for status in ('fail', 'waived', 'pass'):
        page.check('input[data-filter="%s"]' % status)
    assert visible_rows(page) == total
    assert page.problems == []


def test_name_filter(page):
    page.fill('#query', 'tenant_003')
    shown = page.eval_on_selector_all('tr[data-row]', 'rows => rows.filter(row => row.offsetParent !== null).map(row => row.innerText)')
    assert shown and all('tenant_003' in text for text in shown)
    page.fill('#query', '')
    assert visible_rows(page) == page.locator('tr[data-row]').count()


@pytest.mark.parametrize('width', [1400, 1024])
def test_fits_the_screen_and_screenshots(page, width):
    page.set_viewport_size({'width': width, 'height': 900})
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    box = page.locator('#tenants .scroll.tall')
    box.evaluate('el => { el.style.maxWidth = "700px"; }')
    assert box.evaluate('el => el.scrollWidth > el.clientWidth')
    left = page.locator('.matrix tbody th.tenant').nth(1).bounding_box()['x']
    box.evaluate('el => { el.scrollLeft = 400; }')
    assert abs(page.locator('.matrix tbody th.tenant').nth(1).bounding_box()['x'] - left) < 1
    box.evaluate('el => { el.scrollLeft = 0; el.style.maxWidth = ""; }')
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / ('html-report-%d.png' % width)), full_page=True)
    page.screenshot(path=str(OUTPUT / ('html-report-%d-top.png' % width)))
    assert page.problems == []
