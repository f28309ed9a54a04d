#!/usr/bin/env python
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of an HTML report for the README: docs/report-desktop.png (1400 px) and docs/report-1024.png.

After `make demo` (with an empty reports/ first, so that the page has no "since the last run" section):
  .venv/bin/python hack/report_screenshots.py shoot reports/compliance-report.html docs
shoots both widths with the venv that `make browser` uses (Playwright driving the system Chromium), and
fails when the page scrolls sideways at either width (the tables scroll inside their boxes instead). Then
  <a python with Pillow> hack/report_screenshots.py shrink docs/report-desktop.png docs/report-1024.png
turns them into 256-colour PNGs: a third of the size, the text as sharp (a page has few colours).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

WIDTHS = (('report-desktop.png', 1400), ('report-1024.png', 1024))
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run']


def shoot(report, out_dir, chromium):
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        for name, width in WIDTHS:
            page = browser.new_page(viewport={'width': width, 'height': 900})
            page.goto(report.resolve().as_uri())
            page.wait_for_load_state('load')
            scroll = page.evaluate('document.documentElement.scrollWidth')
            if scroll > width:
                print('%s: the page is %d px wide in a %d px window' % (name, scroll, width), file=sys.stderr)
                failed = True
            path = out_dir / name
            page.screenshot(path=str(path), full_page=True)
            print('%s: %d bytes' % (path, path.stat().st_size))
            page.close()
        browser.close()
    return 1 if failed else 0


def shrink(paths, colors):
    from PIL import Image  # pylint: disable=import-outside-toplevel
    for path in paths:
        with Image.open(path) as image:
            small = image.convert('RGB').quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)
        print('%s: %d bytes' % (path, path.stat().st_size))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    shot = commands.add_parser('shoot')
    shot.add_argument('report', type=pathlib.Path)
    shot.add_argument('out_dir', type=pathlib.Path)
    shot.add_argument('--chromium', default=os.environ.get('CHROMIUM', '/usr/bin/chromium'))
    small = commands.add_parser('shrink')
    small.add_argument('paths', type=pathlib.Path, nargs='+')
    small.add_argument('--colors', type=int, default=256)
    args = parser.parse_args()
    if args.command == 'shoot':
        return shoot(args.report, args.out_dir, args.chromium)
    return shrink(args.paths, args.colors)


if __name__ == '__main__':
    sys.exit(main())
