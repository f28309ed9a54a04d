# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/reliability.md lists test cases by name: each must still exist in the tests."""

from __future__ import annotations

import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')


def _test_sources():
    text = []
    for base, dirs, files in os.walk(os.path.join(ROOT, 'tests')):
        dirs[:] = [d for d in dirs if d != 'output']
        text.extend(open(os.path.join(base, name), encoding='utf-8').read() for name in files if name.endswith(('.py', '.yml')))
    return '\n'.join(text)


def test_every_case_in_the_reliability_table_exists():
    with open(os.path.join(ROOT, 'docs', 'reliability.md'), encoding='utf-8') as handle:
        cases = re.findall(r'^\| `([^`]+)` \|', handle.read(), re.M)
    sources = _test_sources()
    assert len(cases) >= 20
    missing = [case for case in cases if case not in sources]
    assert not missing
