# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What reading pages changes in the interpreter is undone after, even when the reading fails."""

from __future__ import annotations

import gc
import sys

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._paging import (
    PREFETCH_SWITCH_INTERVAL, cycle_collection_paused, threads_switching_often)


@pytest.fixture()
def interval():
    before = sys.getswitchinterval()
    yield before
    sys.setswitchinterval(before)


def test_the_switch_interval_is_short_while_paging_and_restored_after_a_failure(interval):
    with pytest.raises(RuntimeError):
        with threads_switching_often():
            assert sys.getswitchinterval() == pytest.approx(PREFETCH_SWITCH_INTERVAL, rel=0.05)
            raise RuntimeError('a page failed')
    assert sys.getswitchinterval() == interval


def test_a_shorter_interval_set_by_the_caller_is_kept(interval):
    sys.setswitchinterval(0.0001)
    with threads_switching_often():
        assert sys.getswitchinterval() == pytest.approx(0.0001, rel=0.05)
    assert sys.getswitchinterval() == pytest.approx(0.0001, rel=0.05)


def test_the_collector_is_paused_and_re_enabled_only_if_it_was_on():
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
