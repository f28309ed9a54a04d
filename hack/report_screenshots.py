#!/usr/bin/env python
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of an HTML report for the README: docs/report-desktop.png (1400 px) and docs/report-1024.png.

Run after `make demo`, with the venv that `make browser` uses (Playwright driving the system Chromium):
  .venv/bin/python hack/report_screenshots.py reports/compliance-report.html docs
It fails when the page scrolls sideways at either width (the tables scroll inside their boxes instead).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

from playwright.sync_api import sync_playwright

WIDTHS = (('report-desktop.png', 1400), ('report-1024.png', 1024))
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('report', type=pathlib.Path)
    parser.add_argument('out_dir', type=pathlib.Path)
    parser.add_argument('--chromium', default=os.environ.get('CHROMIUM', '/usr/bin/chromium'))
    args = parser.parse_args()
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for name, width in WIDTHS:
            page = browser.new_page(viewport={'width': width, 'height': 900})
            page.goto(args.report.resolve().as_uri())
            page.wait_for_load_state('load')
            scroll = page.evaluate('document.documentElement.scrollWidth')
            if scroll > width:
                print('%s: the page is %d px wide at a %d px window' % (name, scroll, width), file=sys.stderr)
                failed = True
            path = args.out_dir / name
            page.screenshot(path=str(path), full_page=True)
            print('%s: %d bytes' % (path, path.stat().st_size))
            page.close()
        browser.close()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
