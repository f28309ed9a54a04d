# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How a check record's values read for people: units, labels, and text safe to put in any format.

Records keep the exact values (seconds, counts, states); the renderings show them in human units and
keep the exact value for a tooltip. Every renderer escapes for its own format on top of clean_text().
"""

from __future__ import annotations

import json
import math
import re

STATUSES = ('pass', 'fail', 'waived', 'error')
NOT_PASSING = ('fail', 'error')
# Worst first: a cell or a metric that stands for several records shows the worst of them.
SEVERITY = {'error': 3, 'fail': 2, 'waived': 1, 'pass': 0}

# Known checks in the order a reader expects them (data backups, log archiving, then recoverability); others follow by name.
CHECKS = (
    ('never_backed_up', 'Backed up', 'count'),
    ('full_backup_age', 'Full backup age', 'seconds'),
    ('backup_age', 'Backup age', 'seconds'),
    ('latest_backup_failed', 'Latest backup', 'state'),
    ('backup_running', 'Backup running', 'count'),
    ('backup_running_too_long', 'Running for', 'seconds'),
    ('encryption_mode', 'Encryption', 'state'),
    ('log_backup_active', 'Log archiving', 'state'),
    ('log_backup_delay', 'Log delay', 'seconds'),
    ('log_checkpoint_age', 'Checkpoint age', 'seconds'),
    ('backup_policy', 'Backup policy', 'flag'),
    ('full_backup_interval', 'Days between fulls', 'days'),
    ('retention_days', 'Retention', 'days'),
    ('restore_drill_age', 'Restore drill', 'seconds'),
)
CHECK_ORDER = dict((check, index) for index, (check, _label, _unit) in enumerate(CHECKS))
CHECK_LABELS = dict((check, label) for check, label, _unit in CHECKS)
CHECK_UNITS = dict((check, unit) for check, _label, unit in CHECKS)
# When a tenant was never backed up, these data backup checks fail for that one reason.
NEVER_BACKED_UP = 'never_backed_up'
DEPENDS_ON_A_BACKUP = frozenset(('full_backup_age', 'backup_age', 'latest_backup_failed', 'backup_running',
                                 'backup_running_too_long', 'encryption_mode', 'restore_drill_age'))

# C0 and C1 controls except tab and newline, DEL, lone surrogates and the two non-characters XML 1.0 forbids.
_UNSAFE = re.compile('[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]')
REPLACEMENT = '\ufffd'


def clean_text(value):
    """Any value as text without control characters (each becomes U+FFFD; CR LF becomes LF), so no format breaks on it."""
    text = value if isinstance(value, str) else plain_text(value)
    if text.isascii() and text.isprintable():
        return text
    if '\r' in text:
        text = text.replace('\r\n', '\n').replace('\r', '\n')
    return _UNSAFE.sub(REPLACEMENT, text)


def plain_text(value):
    """A value as a reader sees it: no Python None/True/False, lists joined, mappings as JSON."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, (list, tuple)):
        return ', '.join(plain_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def number_text(value):
    """12.0 -> '12', 12.5 -> '12.5', no exponent for the sizes a report holds."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return '%d' % value
        return ('%.3f' % value).rstrip('0').rstrip('.')
    return str(value)


def is_number(value):
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def duration(seconds):
    """Seconds for a reader: 600 -> '600 s', 3725 -> '1h 2m', 776401 -> '8d 23h' (the two largest units)."""
    if seconds < 0:
        return '-' + duration(-seconds)
    if seconds < 1000:
        return '%s s' % number_text(round(seconds, 3) if isinstance(seconds, float) else seconds)
    rest, parts = int(seconds), []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60), ('s', 1)):
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, unit))
    return ' '.join('%d%s' % part for part in parts[:2] if part[0])


def unit_of(record):
    """The unit of a record's observed value and threshold: the record's own 'unit', else the check's."""
    unit = record.get('unit')
    return unit if isinstance(unit, str) else CHECK_UNITS.get(record.get('check'), '')


def human(value, unit):
    """(text people read, exact text for a tooltip or None when the text is already exact)."""
    if value is None:
        return 'not reported', None
    if unit == 'seconds' and is_number(value):
        return duration(value), '%s s' % number_text(value)
    if unit == 'days' and is_number(value):
        return '%s d' % number_text(value), None
    return plain_text(value), None


def check_label(check):
    return CHECK_LABELS.get(check) or plain_text(check)


def check_sort_key(check):
    return (CHECK_ORDER.get(check, len(CHECK_ORDER)), plain_text(check))


def label(value):
    """A cluster, tenant or check id as a key that is hashable and equal after a round trip through JSON."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def record_key(record):
    return (label(record.get('cluster')), label(record.get('tenant')), label(record.get('check')))
