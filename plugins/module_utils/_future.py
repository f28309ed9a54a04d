# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Times after ``now`` in summaries: an age more than FUTURE_TOLERANCE_SECONDS below zero and a delay below zero
are no evidence of a recent backup; mark_future() reports them as null and moves their value under ``future``.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Apart from _summary so that the task summaries stay within one file; no I/O here.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import FUTURE_TOLERANCE_SECONDS


def mark_future(summary, ages, delays=()):
    """Judge the ``ages`` and ``delays`` fields of ``summary`` (paths such as ``last_success.age_seconds``) in place.

    An age from 0 down to -FUTURE_TOLERANCE_SECONDS is clock skew and becomes 0. A lower age, or a delay below zero,
    becomes None (so that no ``<=`` comparison takes it for a fresh backup) and its value goes to
    ``summary['future']`` under its path, which every summary has (empty when nothing is in the future).
    """
    future = {}
    for path in ages + delays:
        *parents, key = path.split('.')
        parent = summary
        for name in parents:
            parent = parent.get(name) if isinstance(parent, dict) else None
        value = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value >= 0:
            continue
        if path in ages and value >= -FUTURE_TOLERANCE_SECONDS:
            parent[key] = 0
        else:
            parent[key] = None
            future[path] = value
    summary['future'] = future
    return summary


def with_tenants_future(result):
    """The tenants' ``future`` fields also in the whole answer's, as ``tenants.<name>.<path>``."""
    for name, item in result['tenants'].items():
        result['future'].update(('tenants.%s.%s' % (name, path), value) for path, value in item['future'].items())
    return result
