# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark callback: the wall time of each task, the module runs of each host and what each backup task query
returned, as JSON."""

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
  - Writes the wall time of every task and the module runs of every host (a loop counts each item) to the JSON file
    named by the BENCH_TIMINGS environment variable, and with BENCH_QUERIES set, per host the page size and task
    count of each backup task query.
'''

# Module -> the parts of its result that are one paged query each: None is the result itself (a single module),
# a key is that part of one ocp_backup_compliance_info result.
_QUERIES = {
    'ocp_data_backup_tasks_info': {'data': None},
    'ocp_log_backup_tasks_info': {'log': None},
    'ocp_restore_tasks_info': {'restores': None},
    'ocp_backup_compliance_info': {'data': 'data', 'log': 'log', 'restores': 'restores'},
}


def _page_size(value):
    """The page size a task asked for, or None for the module's default (also when the task templates it: the
    task's arguments reach callbacks untemplated)."""
    text = str(value).strip() if value is not None else ''
    return int(text) if text.isdigit() else None


def _raw(result):
    """The task's own result. Callbacks get a no_log task's result censored (the role hides its query results): the
    bench reads the totals from ansible-core's own record of it, a private field of 2.21, bench only."""
    data = getattr(getattr(result, '_CallbackTaskResult__utr', None), 'result_data', None)
    return data if isinstance(data, dict) else result._result


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
        self.runs = {}

    def _close(self):
        if self.current is not None:
            name, started = self.current
            self.tasks.append({'task': name, 'seconds': round(time.perf_counter() - started, 3)})
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.perf_counter())

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def _count(self, result):
        # The task and host only: reading result._result makes ansible-core copy the result for callbacks.
        module = str(result._task.action).rsplit('.', 1)[-1]
        host = self.runs.setdefault(result._host.get_name(), {})
        host[module] = host.get(module, 0) + 1
        return module

    def v2_runner_item_on_ok(self, result):
        self._count(result)

    v2_runner_item_on_failed = v2_runner_item_on_ok

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not (result._task.loop or result._task.loop_with):
            self._count(result)

    def v2_runner_on_ok(self, result):
        if result._task.loop or result._task.loop_with:
            return
        module = self._count(result)
        # Reading a result makes ansible-core copy it for callbacks: only where asked, never for a timed large one.
        if module in _QUERIES and os.environ.get('BENCH_QUERIES'):
            self._queries(result, module)

    def _queries(self, result, module):
        answer = _raw(result)
        for part, key in _QUERIES[module].items():
            found = answer if key is None else answer.get(key)
            if key is not None and found is None:
                continue   # a part the task did not gather
            self.queries.append({
                'host': result._host.get_name(), 'module': module, 'part': part,
                'failed': bool(found.get('failed')), 'msg': found.get('msg'),
                'total': (found.get('summary') or {}).get('total'),
                'page_size': _page_size(result._task.args.get('page_size')),
            })

    def v2_playbook_on_stats(self, stats):
        self._close()
        path = os.environ.get('BENCH_TIMINGS')
        if path:
            with open(path, 'w') as handle:
                json.dump({'seconds': round(time.perf_counter() - self.started, 3), 'tasks': self.tasks,
                           'queries': self.queries, 'runs': self.runs}, handle, indent=1)
