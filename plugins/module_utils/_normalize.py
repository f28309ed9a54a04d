# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API rows as modules return them: snake_case keys (unknown ones kept), every time in UTC, ``delay`` as a float,
free-text fields (error messages, comments) without control characters.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Both backends' rows go through normalize(), so every module returns one row shape. Fields() reads a few
fields of a row by their snake_case names without building the normalized row, for the summaries.
No I/O here.
"""

from __future__ import annotations

import operator
import re

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import clean_text
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_utc

_WORD_RE = re.compile(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])')
# key -> (snake key, what its value is: _TIME, _FLOAT, _TEXT or None). Rows share few distinct keys, so this stays small.
_KEY_CACHE = {}
_FLOAT_KEYS = frozenset(('delay',))
# Fields where a server writes free text (OCP's errorMsg, obshell's comment): it reaches reports, messages and the
# terminal, so terminal escapes in it are removed.
_TEXT_KEYS = frozenset(('comment', 'message', 'description', 'reason'))
_TEXT_SUFFIXES = ('_msg', '_message', '_comment', '_description', '_reason')
_TIME, _FLOAT, _TEXT = object(), object(), object()
# Rows of one answer share one shape (their keys in order): what to do with a row is worked out once per shape.
_MAX_PLANS = 256
_MISSING = object()


def snake_case(name):
    """``dataBackupTaskType`` -> ``data_backup_task_type``; ``obClusterId`` -> ``ob_cluster_id``; ``URLPath`` -> ``url_path``."""
    return _key_info(name)[0]


def _key_info(name):
    info = _KEY_CACHE.get(name)
    if info is None:
        snake = _WORD_RE.sub('_', str(name)).replace('-', '_').lower()
        if snake.endswith(('_time', '_timestamp', '_checkpoint')) or snake in ('checkpoint', 'timestamp'):
            value = _TIME
        elif snake in _FLOAT_KEYS:
            value = _FLOAT
        elif snake in _TEXT_KEYS or snake.endswith(_TEXT_SUFFIXES):
            value = _TEXT
        else:
            value = None
        info = _KEY_CACHE[name] = (snake, value)
    return info


def normalize(value):
    """Snake_case every key (unknown ones kept), every time field as UTC ISO 8601, ``delay`` as a float, and the
    free-text fields (error messages, comments) without control characters; other values as given.

    Values are taken as JSON decodes them: a nested ``dict`` or ``list`` is normalized too. Of two keys with one
    snake_case name the last one's value is kept.
    """
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if not isinstance(value, dict):
        return value
    plan = _plan(value)
    values = plan.get(value)
    result = dict(zip(plan.snakes, values))
    # The hot path of a large query: the row is copied in C, and only the fields that need it are touched.
    types = tuple(map(type, values))
    if dict in types or list in types:
        for position, cls in enumerate(types):
            # "is values[...]": of two keys with one snake_case name the last one's value is the one kept.
            if (cls is dict or cls is list) and result[plan.snakes[position]] is values[position]:
                result[plan.snakes[position]] = normalize(values[position])
    for snake in plan.times:
        item = result[snake]
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            result[snake] = format_utc(item)
    for snake in plan.floats:
        item = result[snake]
        if not isinstance(item, (dict, list)):
            result[snake] = to_float(item, item)
    for snake in plan.texts:
        result[snake] = clean_text(result[snake])
    return result


class _Plan:
    """What normalize does with the rows of one shape: their snake_case names, which are times and floats."""

    __slots__ = ('get', 'snakes', 'times', 'floats', 'texts')

    def __init__(self, keys):
        taken = [(key,) + _key_info(key) for key in keys]
        self.get = _getter([entry[0] for entry in taken])
        self.snakes = tuple(entry[1] for entry in taken)
        self.times = tuple(sorted(set(entry[1] for entry in taken if entry[2] is _TIME)))
        self.floats = tuple(sorted(set(entry[1] for entry in taken if entry[2] is _FLOAT)))
        self.texts = tuple(sorted(set(entry[1] for entry in taken if entry[2] is _TEXT)))


_PLANS = {}


def _plan(row):
    keys = tuple(row)
    plan = _PLANS.get(keys)
    if plan is None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[keys] = _Plan(keys)
    return plan


def _getter(keys):
    """A callable giving the values of ``keys`` of a row as a tuple (a C itemgetter where it can)."""
    if len(keys) > 1:
        return operator.itemgetter(*keys)
    return lambda row: tuple(row[key] for key in keys)


class Fields:
    """Reads the fields ``names`` (snake_case) of a row as a tuple in that order, None for a field the row lacks.

    The values are those of the row as sent (times not rewritten, nested values not normalized), picked as
    normalize() would pick them: by snake_case name, the last of two keys with one name.
    """

    __slots__ = ('names', '_plans')

    def __init__(self, names):
        self.names = tuple(names)
        self._plans = {}

    def __call__(self, row):
        keys = tuple(row)
        get = self._plans.get(keys)
        if get is None:
            get = self._plan(keys)
        return get(row)

    def many(self, rows):
        """[self(row) for row in rows], for a list of rows: with no Python call per row when they share one shape, as
        the rows of one answer do (the set of their key tuples is then one tuple)."""
        shapes = set(map(tuple, rows))
        if len(shapes) != 1:
            return list(map(self, rows))
        keys = shapes.pop()
        return list(map(self._plans.get(keys) or self._plan(keys), rows))

    def _plan(self, keys):
        source = {}
        for key in keys:
            source[snake_case(key)] = key
        raw = [source.get(name, _MISSING) for name in self.names]
        if len(self._plans) >= _MAX_PLANS:
            self._plans.clear()
        if _MISSING in raw or len(raw) < 2:
            self._plans[keys] = get = lambda row: tuple(map(row.get, raw))
        else:
            self._plans[keys] = get = operator.itemgetter(*raw)
        return get


def to_float(value, default=None):
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return default
