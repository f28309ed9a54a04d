# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A forked worker keeps the garbage collector off what it inherited; the controller's own process is left alone."""

from __future__ import annotations

import gc
import multiprocessing

from ansible_collections.oceanbase.backup.plugins.plugin_utils._fork import spare_inherited_objects


def _in_worker(answers):
    held = [{'record': number} for number in range(1000)]
    spare_inherited_objects()
    # Frozen objects are out of every generation a collection walks.
    answers.send((gc.get_freeze_count(), any(held[0] is item for item in gc.get_objects())))


def test_a_forked_worker_freezes_what_it_inherited():
    receiving, sending = multiprocessing.get_context('fork').Pipe(duplex=False)
    worker = multiprocessing.get_context('fork').Process(target=_in_worker, args=(sending,))
    worker.start()
    frozen, still_walked = receiving.recv()
    worker.join(10)
    assert worker.exitcode == 0
    assert frozen > 1000 and not still_walked


def test_the_controllers_own_process_is_left_alone():
    before = gc.get_freeze_count()
    spare_inherited_objects()
    assert gc.get_freeze_count() == before
