# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The JSON report, streamed: one record per line, never the whole document as one string in memory.

The summary comes first so that a reader who stops early has the verdict; the records come last. Every
key of the report handed over is kept (since_last_run is the one computed from the previous report).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime

FIRST = ('generated_at', 'mode', 'summary', 'since_last_run')


def _plain(value):
    """What JSON cannot hold, as what it can: times as ISO 8601 text, sets as lists, the rest as text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _finite(value):
    """NaN and infinities are not JSON: they become text, as a reader would write them."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return dict((key, _finite(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, default=_plain)


def dumps(value):
    try:
        return _ENCODER.encode(value)
    except ValueError:
        return _ENCODER.encode(_finite(value))


def _array(out, items, indent):
    out.write('[')
    separator = '\n' + indent + '  '
    empty = True
    for item in items:
        out.write(separator + dumps(item))
        separator, empty = ',\n' + indent + '  ', False
    out.write(']' if empty else '\n' + indent + ']')


def _since(out, since):
    if since is None:
        out.write('null')
        return
    out.write('{\n    "previous_generated_at": %s,\n    "new": ' % dumps(since['previous_generated_at']))
    _array(out, since['new'], '    ')
    out.write(',\n    "resolved": ')
    _array(out, since['resolved'], '    ')
    out.write('\n  }')


def write(view, out):
    """Write the report of ``view`` to the text stream ``out``."""
    fields = {'generated_at': view.generated_at, 'mode': view.mode, 'summary': view.summary}
    out.write('{')
    for key in FIRST:
        out.write('\n  %s: ' % dumps(key))
        if key == 'since_last_run':
            _since(out, view.since_last_run)
        else:
            out.write(dumps(fields[key]))
        out.write(',')
    for key, value in view.report.items():
        if key not in FIRST and key != 'checks':
            out.write('\n  %s: %s,' % (dumps(str(key)), dumps(value)))
    out.write('\n  "checks": ')
    _array(out, view.records, '  ')
    out.write('\n}\n')
