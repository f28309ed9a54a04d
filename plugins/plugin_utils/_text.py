# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Text from servers, made safe to print.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

An error message in a task row or an agent's comment is whatever the server stored. Shown raw in a terminal,
a report or a CI log, an escape sequence could recolour, hide or rewrite what an auditor reads.
"""

from __future__ import annotations

import re

# ESC and CSI sequences first (so their parameters go with them), then every C0 control except tab and
# newline, DEL, and the C1 range.
_CONTROL = re.compile(
    r'(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]'     # CSI: colours, cursor moves, erase
    r'|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?'  # OSC: window titles, hyperlinks
    r'|\x1b[ -/]*[0-~]'                      # other escapes (charset switches, ESC c ...)
    r'|[\x00-\x08\x0b-\x1f\x7f-\x9f]'
)


def printable(text):
    """``text`` (or ``str(text)``) without control characters or escape sequences; tabs and newlines stay."""
    if not isinstance(text, str):
        text = str(text)
    # Every character the pattern removes is a control character, which isprintable() rejects: most texts need no search.
    return text if text.isprintable() else _CONTROL.sub('', text)
