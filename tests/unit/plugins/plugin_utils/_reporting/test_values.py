# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Human units, plain text for values, and the text cleaning every format relies on."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values


@pytest.mark.parametrize('seconds, text', [
    (0, '0 s'), (600, '600 s'), (12.5, '12.5 s'), (999, '999 s'), (1000, '16m 40s'), (3600, '1h'), (3725, '1h 2m'),
    (86400, '1d'), (776401, '8d 23h'), (7 * 86400, '7d'), (-90, '-90 s'), (-776401, '-8d 23h'),
])
def test_duration(seconds, text):
    assert values.duration(seconds) == text


def test_human_keeps_the_exact_number_for_seconds_only():
    assert values.human(776401, 'seconds') == ('8d 23h', '776401 s')
    assert values.human(12.25, 'seconds') == ('12.25 s', '12.25 s')
    assert values.human(12, 'count') == ('12', None)
    assert values.human(None, 'seconds') == ('not reported', None)
    assert values.human('DOING', 'state') == ('DOING', None)


@pytest.mark.parametrize('value, text', [
    (None, ''), (True, 'yes'), (False, 'no'), (['A', 'B'], 'A, B'), ({'b': 1, 'a': None}, '{"a": null, "b": 1}'), (2.0, '2'), (7, '7'),
])
def test_plain_text_has_no_python_spellings(value, text):
    assert values.plain_text(value) == text


def test_clean_text_replaces_controls_and_keeps_tabs_and_newlines():
    assert values.clean_text('a\x00b\x1b[1m\x7f\x85c\td\r\ne\rf\ud800') == 'a\ufffdb\ufffd[1m\ufffd\ufffdc\td\ne\nf\ufffd'
    assert values.clean_text(None) == ''


def test_units_come_from_the_record_first():
    assert values.unit_of({'check': 'full_backup_age'}) == 'seconds'
    assert values.unit_of({'check': 'full_backup_age', 'unit': 'days'}) == 'days'
    assert values.unit_of({'check': 'my_custom'}) == ''


def test_checks_sort_known_first_then_by_name():
    assert sorted(['zeta', 'log_backup_delay', 'alpha', 'never_backed_up'], key=values.check_sort_key) == [
        'never_backed_up', 'log_backup_delay', 'alpha', 'zeta']
