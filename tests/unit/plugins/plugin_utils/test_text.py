# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Server text without control characters or escape sequences."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._text import printable


@pytest.mark.parametrize('text, expected', [
    ('disk full', 'disk full'),
    ('line one\nline two\tand a tab', 'line one\nline two\tand a tab'),
    ('\x1b[31mred\x1b[0m alert', 'red alert'),
    ('\x1b[2J\x1b[1;1Hcleared', 'cleared'),
    ('\x1b]0;new title\x07after', 'after'),
    ('\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\', 'link'),
    ('\x1b(Bcharset', 'charset'),
    ('bell\x07 null\x00 back\x08space cr\r del\x7f', 'bell null backspace cr del'),
    ('c1\x85 csi\x9b31mtext', 'c1 csitext'),
    ('unicode stays: ü 中文 \u2028', 'unicode stays: ü 中文 \u2028'),
    (12, '12'),
    (None, 'None'),
])
def test_printable(text, expected):
    assert printable(text) == expected


def test_a_lone_escape_at_the_end_is_removed():
    assert printable('oops\x1b') == 'oops'
