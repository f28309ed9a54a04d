# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A policy: a preset (audit or gate), the role threshold variables as shortcuts, user overrides, custom checks and waivers.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Every value is validated here, before anything is gathered, and kept exactly as given: a 0.5-hour limit is
1800 seconds, never rounded up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.checks import REGISTRY
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.custom import custom_checks, waivers_of
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError
from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import SECONDS, SYMBOL, number, num_text, whole

PRESETS = ('audit', 'gate')
LISTS = ('custom', 'waivers')
_LIMIT_KEY = re.compile(r'^(max|min)_(seconds|hours|days)$')
# The role threshold variables, kept as shortcuts: variable -> (check id, setting). A limit of 0 or an empty
# list turns the check off; any other value sets the limit (or the list) and turns the check on.
SHORTCUTS = {
    'backup_compliance_full_backup_max_age_hours': ('full_backup_age', 'max_hours'),
    'backup_compliance_backup_max_age_hours': ('backup_age', 'max_hours'),
    'backup_compliance_check_latest_failed': ('latest_backup_failed', 'enabled'),
    'backup_compliance_running_max_hours': ('backup_running_too_long', 'max_hours'),
    'backup_compliance_block_on_running_backup': ('backup_running', 'enabled'),
    'backup_compliance_check_log_active': ('log_backup_active', 'enabled'),
    'backup_compliance_log_max_delay_seconds': ('log_backup_delay', 'max_seconds'),
    'backup_compliance_log_max_checkpoint_age_seconds': ('log_checkpoint_age', 'max_seconds'),
    'backup_compliance_check_never_backed_up': ('never_backed_up', 'enabled'),
    'backup_compliance_required_encryption_modes': ('encryption_mode', 'allowed'),
    'backup_compliance_custom_checks': ('custom', None),
    'backup_compliance_waivers': ('waivers', None),
}


@dataclass(frozen=True)
class Rule:
    """A check's settings bound to one registry entry: what its function compares against."""

    id: str
    settings: dict
    threshold: object
    limit: str = None
    # Appended to the record's message when the entry answers for another check (Check.stands_in_for).
    note: str = ''


def limit_key(settings):
    """The one limit setting of a check (max_hours, max_seconds, min_days, ...), or None."""
    return next((key for key in settings if _LIMIT_KEY.match(key)), None)


def bind(entry, settings, check_id=None, note=''):
    """The Rule of ``entry`` under ``settings``: a limit converted to the entry's unit, or the entry's fixed threshold."""
    key = limit_key(settings)
    if entry.threshold is not None or key is None:
        threshold = entry.threshold(settings) if callable(entry.threshold) else entry.threshold
        return Rule(check_id or entry.id, settings, threshold, None, note)
    unit = _LIMIT_KEY.match(key).group(2)
    # Rounded to microseconds: 1.1 hours is 3960 seconds, not 3960.0000000000005.
    threshold = whole(round(settings[key] * SECONDS[unit] / SECONDS.get(entry.unit, SECONDS[unit]), 6))
    return Rule(check_id or entry.id, settings, threshold, num_text(settings[key]) + SYMBOL[unit], note)


# ---------------------------------------------------------------------------------------------------------------
# Settings of one check

def enabled_value(value, where):
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return boolean(value, strict=True)
        except TypeError:
            pass
    raise ComplianceError('%s must be true or false; got %r' % (where, value))


def _limit(value, where):
    found = number(value)
    if found is None or found < 0:
        raise ComplianceError('%s must be a number of 0 or more; got %r' % (where, value))
    return found


def _allowed(value, where):
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(mode, str) and mode.strip() for mode in value):
        raise ComplianceError('%s must be a list of encryption modes such as [PASSWORD]; got %r' % (where, value))
    return list(value)


def _settings(check_id, given, base):
    where = 'policy.%s' % check_id
    if given is None:
        return base
    if not isinstance(given, Mapping):
        raise ComplianceError('%s must be a dict such as %r; got %r' % (where, base, given))
    unknown = sorted(set(map(str, given)) - set(base))
    if unknown:
        raise ComplianceError('%s: unknown key(s) %s; accepted: %s' % (where, ', '.join(unknown), ', '.join(base)))
    settings = dict(base, **given)
    for key in settings:
        name = '%s.%s' % (where, key)
        if key == 'enabled':
            settings[key] = enabled_value(settings[key], name)
        elif key == 'allowed':
            settings[key] = _allowed(settings[key], name)
        elif _LIMIT_KEY.match(key):
            settings[key] = _limit(settings[key], name)
    if settings['enabled'] and settings.get('allowed') == []:
        raise ComplianceError('%s.allowed must name at least one encryption mode (such as PASSWORD) when the check is enabled' % where)
    return settings


# ---------------------------------------------------------------------------------------------------------------
# The shortcut variables

def _shortcut_limit(value, name):
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    found = number(value)
    if found is None or found < 0:
        raise ComplianceError('%s must be a number of 0 or more (0 turns its check off); got %r' % (name, value))
    return found


def _shortcut(name, setting, value):
    """The overrides one shortcut variable stands for."""
    if setting == 'enabled':
        return {'enabled': enabled_value(value, name)}
    if setting == 'allowed':
        modes = _allowed(value, name)
        return {'enabled': True, 'allowed': modes} if modes else {'enabled': False}
    found = _shortcut_limit(value, name)
    return {'enabled': True, setting: found} if found > 0 else {'enabled': False}


def from_shortcuts(shortcuts):
    """{check id: overrides, custom: [...], waivers: [...]} from the shortcut variables that are set (not null)."""
    if shortcuts is None:
        return {}
    if not isinstance(shortcuts, Mapping):
        raise ComplianceError('shortcuts must be a dict of role variables such as {backup_compliance_backup_max_age_hours: 26}; got %r' % (shortcuts,))
    unknown = sorted(set(map(str, shortcuts)) - set(SHORTCUTS))
    if unknown:
        raise ComplianceError('shortcuts: unknown variable(s) %s; accepted: %s' % (', '.join(unknown), ', '.join(SHORTCUTS)))
    overrides = {}
    for name, value in shortcuts.items():
        check_id, setting = SHORTCUTS[name]
        if value is None:
            continue
        overrides[check_id] = value if setting is None else dict(overrides.get(check_id, {}), **_shortcut(name, setting, value))
    return overrides


# ---------------------------------------------------------------------------------------------------------------
# The policy

class Policy:
    """Resolved settings of every built-in check, compiled custom checks and parsed waivers."""

    def __init__(self, settings, custom, waivers, given):
        self.settings, self.custom, self.waivers, self._given = settings, custom, waivers, given

    def enabled(self):
        """[(check id, settings)] of the enabled built-in checks, in registry order."""
        return [(check_id, settings) for check_id, settings in self.settings.items() if settings['enabled']]

    def as_dict(self):
        """Every setting spelled out, plus custom and waivers as given: the same policy under any preset."""
        explicit = dict((check_id, dict(settings)) for check_id, settings in self.settings.items())
        explicit.update(self._given)
        return explicit

    def lookback_hours(self):
        """How far back to query data tasks: twice the largest enabled data limit plus a day, so that a stale
        backup shows with its age rather than as not found."""
        seconds = [0]
        for check_id, settings in self.enabled():
            key = limit_key(settings)
            if key and any(entry.id == check_id and entry.state == 'data' for entry in REGISTRY.entries):
                seconds.append(settings[key] * SECONDS[_LIMIT_KEY.match(key).group(2)])
        return int(math.ceil(max(seconds) * 2 / 3600.0)) + 24


def _joined(*values):
    """The shortcut's and the policy's list, one after the other; anything that is not a list is left for its validator."""
    items = []
    for value in values:
        if value is not None and (isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple))):
            return value
        items.extend(value or [])
    return items


def resolve(policy=None, preset='audit', shortcuts=None):
    """The Policy of ``preset`` with ``shortcuts`` (role variables) and then ``policy`` (overrides) applied."""
    if preset not in PRESETS:
        raise ComplianceError('preset must be audit or gate; got %r' % (preset,))
    if policy is None:
        policy = {}
    if not isinstance(policy, Mapping):
        raise ComplianceError('policy must be a dict of check ids, custom and waivers; got %r' % (policy,))
    ids = REGISTRY.ids()
    unknown = sorted(set(map(str, policy)) - set(ids) - set(LISTS))
    if unknown:
        raise ComplianceError('policy: unknown check id(s) %s; expected any of %s, custom, waivers' % (', '.join(unknown), ', '.join(ids)))
    overrides = from_shortcuts(shortcuts)
    settings = {}
    for check_id, base in REGISTRY.preset(preset).items():
        settings[check_id] = _settings(check_id, policy.get(check_id), _settings(check_id, overrides.get(check_id), base))
    given = dict((key, _joined(overrides.get(key), policy.get(key))) for key in LISTS)
    custom = custom_checks(given['custom'], ids)
    return Policy(settings, custom, waivers_of(given['waivers'], ids + [item['id'] for item in custom]), given)
