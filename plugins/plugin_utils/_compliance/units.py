# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Numbers and durations as the checks compare them and as people read them.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

import math

# Seconds per unit of a limit setting, by the setting's suffix (max_hours, max_seconds, max_days, min_days).
SECONDS = {'seconds': 1, 'hours': 3600, 'days': 86400}
# How a limit is written in a message, by the same suffix: 168h, 600s, 7d.
SYMBOL = {'seconds': 's', 'hours': 'h', 'days': 'd'}


def number(value):
    """A finite int or float, else None (bools, strings and NaN are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def whole(value):
    """1800.0 -> 1800; 0.5 stays 0.5: JSON readers see the integers they expect."""
    return int(value) if float(value).is_integer() else value


def num_text(value):
    return '%d' % value if float(value).is_integer() else ('%.6f' % value).rstrip('0')


def human(seconds):
    """A duration for an auditor: 3725 -> '1h 2m', 12.5 -> '12.5s'; the two largest units."""
    if seconds is None:
        return 'unknown'
    sign, seconds = ('-' if seconds < 0 else ''), abs(seconds)
    if seconds < 60:
        return '%s%ss' % (sign, num_text(round(seconds, 2)))
    rest, parts = int(seconds), []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60), ('s', 1)):
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, unit))
    return sign + ' '.join('%d%s' % part for part in parts[:2] if part[0])
