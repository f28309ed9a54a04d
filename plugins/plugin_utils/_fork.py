# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The worker process ansible-core forks for each host and task, and what it inherits.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A worker starts with a copy of everything the controller holds: over a big fleet, every host's registered results
and check records (hundreds of MB, millions of objects). A worker that builds many objects of its own (a query
reading 15,000 tasks, the checks of 500 tenants, a report) makes Python's cyclic garbage collector run full
collections, and each one walks every inherited object: as slow as the work itself, and it touches every page,
so the kernel copies the controller's memory into the worker. None of those objects can become garbage in a
worker that lives for one task, so they are moved out of the collector's reach.
"""

from __future__ import annotations

import gc
import multiprocessing


def spare_inherited_objects():
    """In a forked worker, keep the garbage collector off the objects it inherited (``gc.freeze``); in the
    controller's own process (an action or filter called there, as unit tests do), do nothing."""
    if multiprocessing.parent_process() is not None:
        gc.freeze()
