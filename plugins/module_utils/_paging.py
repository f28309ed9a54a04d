# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Numbered pages of a list: ``data = {contents: [...], page: {...}}``, pages 1, 2, ... until the last.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Both backends page this way; they differ in the names of the page count (OCP: totalPages, or totalPage in its docs;
obshell: total_pages), which a client passes as ``count_keys``.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import sys
import threading

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import envelope_data

# A server that never reports the last page must not make a module loop forever.
MAX_PAGES = 10000


def iter_pages(get, path, params, page_size, count_keys, key=None, prefetch=False):
    """Yield the rows of every page of a list, a list per page, each row once (by ``key``).

    ``get(path, params)`` returns a parsed envelope. Stops on a page number >= the page count (the first of
    ``count_keys`` that is an integer), on an empty page, or, when the server sends no page count, on a page shorter
    than ``page_size``; page.size is never trusted. Fails instead of looping when the server keeps sending full pages.

    With ``prefetch``, once a page shows that another one follows, that one is fetched on a second thread while the
    caller uses the rows of this one: the server's time and the caller's overlap, and no page is asked for that the
    sequential loop would not ask for. Only for a caller that sends no request of its own meanwhile.
    """
    seen = set()
    page = 1
    answer = get(path, _page_query(params, page, page_size))
    while True:
        contents, info = _page(answer, path)
        rows = _new_rows(contents, key, seen)
        total = _page_count(info, count_keys)
        # A short page ends the list only when the server gives no page count: a server that caps
        # the page size below page_size sends short pages that are not the last.
        last = not contents or (total is not None and page >= total) or (total is None and len(contents) < page_size)
        following = None
        if not last and rows and page < MAX_PAGES:
            fetch = functools.partial(get, path, _page_query(params, page + 1, page_size))
            following = _Background(fetch).result if prefetch else fetch
        contents = answer = None
        yield rows
        if last:
            return
        _check_progress(path, page, page_size, rows, following)
        # This page is the caller's now: not kept while the next one arrives.
        rows = None
        answer = following()
        page += 1


@contextlib.contextmanager
def cycle_collection_paused():
    """No cyclic garbage collection in the ``with`` block (it is re-enabled after, if it was on).

    A decoded page is thousands of small containers, and the identities of the rows seen so far stay alive: the
    collector would walk all of them again and again, a fifth of a large query's time. Reading pages makes no
    reference cycles that need it; reference counting frees the pages as before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The GIL hand-over interval while pages are read on a second thread (Python's default is 5 ms).
PREFETCH_SWITCH_INTERVAL = 0.0005


@contextlib.contextmanager
def threads_switching_often():
    """A shorter GIL switch interval in the ``with`` block (the one before is restored after).

    While the caller summarises a page, the thread fetching the next one wakes at every socket read and waits for the
    GIL up to the switch interval, 5 ms by default: tens of reads per page. A 0.5 ms interval keeps the socket
    drained while the caller works (about a tenth off the module's time in the paging benchmark).
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, PREFETCH_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _new_rows(contents, key, seen):
    """The rows of a page not seen on an earlier one; a row without a usable identity is always new."""
    if key is None:
        return contents
    rows = []
    for row in contents:
        identity = key(row)
        if identity is not None:
            try:
                if identity in seen:
                    continue
                seen.add(identity)
            except TypeError:   # a list or object sent as an id: no de-duplication for this row
                pass
        rows.append(row)
    return rows


def _check_progress(path, page, page_size, rows, following):
    if not rows:
        raise ResponseFormatError(
            'GET %s: page %d only repeats rows of earlier pages; the server seems to ignore the page parameter' % (path, page),
            method='GET', path=path,
        )
    if following is None:
        raise ResponseFormatError(
            'GET %s: gave up after %d pages of %d rows and the server still reports more; '
            'narrow the query (start_time, end_time) or raise page_size' % (path, MAX_PAGES, page_size),
            method='GET', path=path,
        )


def _page_count(info, count_keys):
    for name in count_keys:
        total = _int(info.get(name))
        if total is not None:
            return total
    return None


def _int(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):   # OverflowError: Infinity, which Python's JSON parser accepts
        return None


def _page_query(params, page, page_size):
    query = dict(params or {})
    query.update(page=page, size=page_size)
    return query


def _page(body, path):
    data = envelope_data(body, path)
    contents = data.get('contents')
    if contents is None:
        contents = []
    if not isinstance(contents, list) or not all(isinstance(row, dict) for row in contents):
        raise ResponseFormatError('GET %s returned "data.contents" that is not a list of objects' % path,
                                  method='GET', path=path, http_status=body.get('status'))
    info = data.get('page')
    return contents, info if isinstance(info, dict) else {}


class _Background:
    """One call on a daemon thread; result() waits for it and returns its value or raises its exception.

    A daemon thread, so that a module that fails while a page is on its way exits without waiting for it.
    """

    def __init__(self, call):
        self._outcome = None
        self._thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self._thread.start()

    def _run(self, call):
        try:
            self._outcome = (True, call())
        except Exception as exc:  # pylint: disable=broad-exception-caught  # re-raised by result()
            self._outcome = (False, exc)

    def result(self):
        self._thread.join()
        done, value = self._outcome
        if not done:
            raise value
        return value
