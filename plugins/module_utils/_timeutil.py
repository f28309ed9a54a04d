# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tolerant time parsing and UTC formatting.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

OCP writes timestamps in its server's zone, in several shapes (``Z``, ``+08:00``, ``+0800``, 0 to 9
fraction digits) and obshell in the agent host's zone. Everything is turned into aware UTC datetimes
here so that ages are plain subtractions.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta, timezone

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError

UTC = timezone.utc

_ISO_RE = re.compile(
    r'^\s*(\d{4})-(\d{2})-(\d{2})'
    r'(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?'
    r'\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$'
)
# The shape OCP and obshell send. For it datetime.fromisoformat (C code, Python 3.11+) gives the same instant as
# the general parser, several times faster: it matters when a module reads 100,000 tasks.
_COMMON_RE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])\Z')
_FROMISOFORMAT = datetime.fromisoformat if sys.version_info >= (3, 11) else None
_RELATIVE_RE = re.compile(r'^\s*-\s*(\d+)\s*([smhdw])\s*$')
_UNIT_SECONDS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}
# Epoch numbers above this are milliseconds (year 2286 in seconds).
_EPOCH_MS_THRESHOLD = 10 ** 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A server clock a little ahead of the controller's gives ages a little below zero: up to this many seconds in the
# future a time counts as now (age 0); past it the time is in the future, which no check takes as a recent backup.
FUTURE_TOLERANCE_SECONDS = 300


def utcnow():
    return datetime.now(UTC)


def _offset(text):
    if text is None or text in ('Z', 'z'):
        return UTC
    sign = -1 if text[0] == '-' else 1
    digits = text[1:].replace(':', '')
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError('invalid UTC offset %r' % text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_timestamp(value):
    """Return an aware UTC datetime for an ISO 8601 string, an epoch number or a datetime.

    A string without an offset is taken as UTC. Raises ValueError on anything else.
    """
    if _FROMISOFORMAT is not None and isinstance(value, str) and _COMMON_RE.match(value):
        try:
            return _FROMISOFORMAT(value).astimezone(UTC)
        except (ValueError, OverflowError):
            pass  # a field out of range: the general parser names it
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return _to_utc(value)
    if isinstance(value, bool):
        raise ValueError('not a timestamp: %r' % (value,))
    if isinstance(value, (int, float)):
        # timedelta, not fromtimestamp(value / 1000.0): integer milliseconds stay exact in every year.
        try:
            if abs(value) >= _EPOCH_MS_THRESHOLD:
                return _EPOCH + timedelta(milliseconds=value)
            return _EPOCH + timedelta(seconds=value)
        except (OverflowError, ValueError) as exc:
            raise ValueError('epoch value out of range: %r' % (value,)) from exc
    if not isinstance(value, str):
        raise ValueError('not a timestamp: %r' % (value,))
    match = _ISO_RE.match(value)
    if not match:
        raise ValueError('not an ISO 8601 timestamp: %r' % (value,))
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    # Python keeps microseconds: digits 7 to 9 (nanoseconds) are dropped, not rounded.
    micro = int((fraction or '').ljust(6, '0')[:6])
    parsed = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro,
        tzinfo=_offset(offset),
    )
    return _to_utc(parsed)


def _to_utc(value):
    # 9999-12-31T23:00:00-02:00 is a valid datetime whose UTC instant is not.
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError('%s is outside the years 1 to 9999 in UTC' % value.isoformat()) from None


def format_utc(value):
    """Format as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``; None and empty strings give None.

    Values that do not parse are returned unchanged, so an odd server field is kept, not lost.
    """
    if value is None or value == '':
        return None
    try:
        parsed = parse_timestamp(value)
    except ValueError:
        return value
    # isoformat, not strftime: glibc writes year 108 as '108', not '0108'. parsed is UTC: cut its '+00:00'.
    return parsed.isoformat()[:-6] + 'Z'


def format_api_time(value):
    """The form both OCP API generations accept in queries: ``YYYY-MM-DDTHH:MM:SSZ``."""
    return parse_timestamp(value).replace(tzinfo=None, microsecond=0).isoformat() + 'Z'


def parse_time_option(value, option, now=None):
    """Parse a user-supplied time: ISO 8601 with ``Z`` or any offset, ``now``, or ``-30m``/``-24h``/``-7d``/``-2w``."""
    accepted = ("an ISO 8601 time such as 2024-08-06T00:00:00Z or 2024-08-06T08:00:00+08:00, "
                "'now', or a relative time such as -30m, -24h, -7d, -2w")
    if isinstance(value, datetime):
        return parse_timestamp(value)
    if not isinstance(value, str) or not value.strip():
        raise InputError(option, '%r is not a time; expected %s' % (value, accepted))
    now = now or utcnow()
    text = value.strip()
    if text.lower() == 'now':
        return now
    relative = _RELATIVE_RE.match(text.lower())
    if relative:
        try:
            return now - timedelta(seconds=int(relative.group(1)) * _UNIT_SECONDS[relative.group(2)])
        except OverflowError:
            raise InputError(option, '%r reaches before the year 1; expected %s' % (value, accepted)) from None
    if not _ISO_RE.match(text):
        raise InputError(option, '%r is not a time; expected %s' % (value, accepted))
    try:
        return parse_timestamp(text)
    except (ValueError, OverflowError) as exc:
        raise InputError(option, '%r is not a valid time (%s); expected %s' % (value, exc, accepted)) from None


def age_seconds(value, now):
    """Whole seconds from ``value`` to ``now`` (negative when ``value`` is in the future); None stays None."""
    if value is None or value == '':
        return None
    try:
        then = parse_timestamp(value)
    except ValueError:
        return None
    delta = now - then
    return delta.days * 86400 + delta.seconds


_NAIVE_EPOCH = datetime(1970, 1, 1)
# Time keys of the instants a datetime can hold in UTC (the years 1 to 9999).
_KEY_MIN, _KEY_MAX = datetime.min - _NAIVE_EPOCH, datetime.max - _NAIVE_EPOCH
# _COMMON_RE with the local time and the offset as groups.
_SPLIT_RE = re.compile(r'([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?)(Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])\Z')
# Offset text -> the naive epoch moved by that offset: a local time minus it is the time key, without a tzinfo.
# Only offsets _SPLIT_RE has read are keys: being one is what makes an offset valid on time_key's first path.
_OFFSET_BASES = {}
# The characters at 4, 7, 10, 13 and 16 of a local time YYYY-MM-DDTHH:MM:SS (local[4:17:3]).
_LOCAL_SEPARATORS = '--T::'
# Sorts before every time key: the key of a missing or unreadable time.
NO_TIME = timedelta.min


def time_key(value):
    """The instant parse_timestamp reads in ``value`` as a timedelta from 1970-01-01T00:00:00Z; None when it reads none.

    A key that sorts like the instant, for comparing many task times: for the shape OCP and obshell send, naive
    arithmetic on a cached base per offset, which is several times cheaper than aware datetime arithmetic.
    """
    if value is None:
        return None   # a task that has not finished: no exception from the general parser for it
    if _FROMISOFORMAT is not None and isinstance(value, str):
        # First path, for a string whose offset _SPLIT_RE has read before (a large answer has few offsets): the shape
        # checked without the regex, which would cost as much as the rest. The offset is the known tail; the local
        # part has the separators and a fraction of 1 to 9 digits; fromisoformat rejects any other character than an
        # ASCII digit in the remaining places. So it accepts what _SPLIT_RE accepts, split where _SPLIT_RE splits.
        if value[-1:] == 'Z':
            local, base = value[:-1], _OFFSET_BASES.get('Z')
        elif value[-3:-2] == ':':
            local, base = value[:-6], _OFFSET_BASES.get(value[-6:])
        else:
            local, base = value[:-5], _OFFSET_BASES.get(value[-5:])
        size = len(local)
        if base is not None and local[4:17:3] == _LOCAL_SEPARATORS and (
                size == 19 or (21 <= size <= 29 and local[19] == '.' and local[20:].isdigit())):
            try:
                key = _FROMISOFORMAT(local) - base
            # ValueError: a field out of range, no time as the general parser says. TypeError: an aware answer (an
            # offset inside the local part), which these checks leave no room for; no exception may escape a key.
            except (ValueError, TypeError):
                key = None
        else:
            key = _matched_key(value)
        # Like parse_timestamp: an instant outside the years 1 to 9999 in UTC is no time.
        if key is not None and _KEY_MIN <= key <= _KEY_MAX:
            return key
    try:
        return parse_timestamp(value) - _EPOCH
    except ValueError:
        return None


def _matched_key(value):
    """time_key's second path: the key of the shape _SPLIT_RE matches (learning its offset), None for another one."""
    match = _SPLIT_RE.match(value)
    if match is None:
        return None
    local, offset = match.groups()
    base = _OFFSET_BASES.get(offset) or _offset_base(offset)
    try:
        return _FROMISOFORMAT(local) - base
    except ValueError:
        return None


def _offset_base(offset):
    _OFFSET_BASES[offset] = base = _NAIVE_EPOCH + _offset(offset).utcoffset(None)
    return base
