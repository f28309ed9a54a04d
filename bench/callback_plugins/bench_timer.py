# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark callback: the wall time of each task and what each backup task query returned, as JSON."""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: bench_timer
type: aggregate
short_description: Task timings for bench/run.py
description:
  - Writes the wall time of every task to the JSON file named by the BENCH_TIMINGS environment variable, and
    with BENCH_QUERIES set, per host the page size and task count of each backup task query.
'''

_QUERIES = ('ocp_data_backup_tasks_info', 'ocp_log_backup_tasks_info')


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.started = time.perf_counter()
        self.tasks = []
        self.current = None
        self.queries = []

    def _close(self):
        if self.current is not None:
            name, started = self.current
            self.tasks.append({'task': name, 'seconds': round(time.perf_counter() - started, 3)})
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.perf_counter())

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def v2_runner_on_ok(self, result):
        module = str(result._task.action).rsplit('.', 1)[-1]
        # Reading a result makes ansible-core copy it for callbacks: only where asked, never for a timed large one.
        if module not in _QUERIES or not os.environ.get('BENCH_QUERIES'):
            return
        answer = result._result
        self.queries.append({
            'host': result._host.get_name(), 'module': module, 'task': result._task.get_name(),
            'total': (answer.get('summary') or {}).get('total'),
            # None: the module's default page size.
            'page_size': result._task.args.get('page_size'),
        })

    def v2_playbook_on_stats(self, stats):
        self._close()
        path = os.environ.get('BENCH_TIMINGS')
        if path:
            with open(path, 'w') as handle:
                json.dump({'seconds': round(time.perf_counter() - self.started, 3), 'tasks': self.tasks,
                           'queries': self.queries}, handle, indent=1)
