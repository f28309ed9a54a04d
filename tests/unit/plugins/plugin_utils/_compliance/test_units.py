# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Durations in human units, and the numbers the checks accept."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.units import human, number, whole

H = 3600
D = 86400


@pytest.mark.parametrize('seconds, text', [
    (0, '0s'), (12.5, '12.5s'), (59, '59s'), (60, '1m'), (3725, '1h 2m'), (9 * D + 2 * H + 13, '9d 2h'), (7 * D + 1, '7d'),
    (D + 59, '1d'), (-90, '-1m 30s'), (None, 'unknown'), (0.004, '0s'),
])
def test_human(seconds, text):
    assert human(seconds) == text


@pytest.mark.parametrize('value, expected', [(0, 0), (1.5, 1.5), (-3, -3), (True, None), ('5', None), (float('nan'), None),
                                             (float('inf'), None), (None, None), ([1], None)])
def test_number_takes_finite_ints_and_floats_only(value, expected):
    assert number(value) == expected


def test_whole_keeps_fractions_and_makes_integral_floats_ints():
    assert whole(1800.0) == 1800 and isinstance(whole(1800.0), int)
    assert whole(0.5) == 0.5
