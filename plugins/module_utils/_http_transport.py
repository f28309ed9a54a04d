# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One HTTP attempt under a deadline and a size bound: the transport half of ``_http``.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A socket timeout only bounds each read, so a server sending a byte a second keeps a request alive for ever; and a
body read whole and inflated by urllib3 lets a small gzip body take gigabytes. Here every attempt has one deadline
for its connection, headers and body (a watchdog shuts the socket down when it passes), and the body is read in
chunks and inflated with a bound on its decoded size.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import zlib

try:
    from requests.adapters import HTTPAdapter
    from requests.exceptions import Timeout as RequestsTimeout
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import HTTPError as Urllib3Error, NewConnectionError, TimeoutError as Urllib3Timeout
except ImportError:
    HTTPAdapter = HTTPConnectionPool = HTTPSConnectionPool = object
    Urllib3Error = RequestsTimeout = NewConnectionError = Urllib3Timeout = OSError

# The most one answer may hold once decompressed. A page of 2,000 backup tasks is about 1.2 MB of JSON, and
# long error texts may make it a few times that: 64 MiB leaves room for any real page and keeps a gzip bomb
# from taking the controller's memory.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
# Read size: large enough that a page costs a handful of reads, small enough that the deadline is checked often.
CHUNK = 64 * 1024
# Most output of one zlib call: a 64 KiB chunk of a bomb inflates to 64 MiB, which zlib would otherwise build and then
# copy in one go, doubling the peak.
_STEP = 1024 * 1024
# How often the watchdog looks again for the socket of a connection that is still being opened.
_POLL = 0.05
_CURRENT = threading.local()


class AnswerTimeout(Exception):
    """The deadline passed before the answer was complete; ``received`` decoded bytes had arrived."""

    def __init__(self, received=0):
        super().__init__(received)
        self.received = received


class AnswerBroken(Exception):
    """The connection failed while the body was read; the argument says how."""


class AnswerTooLarge(Exception):
    """The decoded body is larger than ``limit`` bytes."""

    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


class AnswerUndecodable(Exception):
    """The body does not decode with its Content-Encoding."""


class Deadline:
    """The end of one attempt. While a request runs under it, a watchdog thread shuts the connection's socket
    down when the time is up, which ends any read that is waiting, however the server dribbles its bytes."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._conn = None
        self._done = threading.Event()
        self._thread = None

    def __enter__(self):
        _CURRENT.deadline = self
        return self

    def __exit__(self, *exc):
        _CURRENT.deadline = None
        self._done.set()

    def watch(self, conn):
        """Guard ``conn`` (a urllib3 connection), whether it is connected yet or not."""
        self._conn = conn
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name='request-deadline', daemon=True)
            self._thread.start()

    def watch_response(self, raw):
        """Guard the connection of a response that came without passing the pools below (another adapter)."""
        if self._conn is None and getattr(raw, '_connection', None) is not None:
            self.watch(raw._connection)  # pylint: disable=protected-access  # urllib3 1.26 and 2.x keep it there

    def check(self, received=0):
        if time.monotonic() >= self.end:
            self.expired = True
            raise AnswerTimeout(received)

    def _run(self):
        delay = self.end - time.monotonic()
        while not self._done.wait(max(delay, 0)):
            self.expired = True
            sock = getattr(self._conn, 'sock', None)
            if sock is not None:
                try:
                    # The plain socket's shutdown, also for TLS: it wakes the reader without touching the TLS state.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            # Still connecting: the connect timeout ends that; the socket is shut as soon as it exists.
            delay = _POLL


class _Watched:
    """A connection pool that puts each request's connection under the deadline of the running attempt."""

    def _make_request(self, conn, *args, **kwargs):
        deadline = getattr(_CURRENT, 'deadline', None)
        if deadline is not None:
            deadline.watch(conn)
        return super()._make_request(conn, *args, **kwargs)


class _HTTPPool(_Watched, HTTPConnectionPool):
    pass


class _HTTPSPool(_Watched, HTTPSConnectionPool):
    pass


_POOLS = {'http': _HTTPPool, 'https': _HTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter with pools whose connections are guarded by the attempt's deadline, proxies included."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS managers bring pools of their own; their bodies are guarded through watch_response.
        if not proxy.lower().startswith('socks'):
            manager.pool_classes_by_scheme = _POOLS
        return manager


def read_body(response, deadline, limit=None):
    """The decoded body of a streamed requests response: read in chunks, each within the deadline, decoded
    with at most ``limit`` bytes of output (MAX_ANSWER_BYTES by default). Raises the Answer* exceptions above."""
    limit = MAX_ANSWER_BYTES if limit is None else limit
    decoders = _decoders(response.headers.get('Content-Encoding'))
    try:
        declared = int(response.headers.get('Content-Length'))
    except (TypeError, ValueError):
        declared = None
    if not decoders and declared is not None and declared > limit:
        raise AnswerTooLarge(limit)
    parts, size = [], 0
    raw = response.raw
    while True:
        deadline.check(size)
        try:
            chunk = raw.read(CHUNK, decode_content=False)
        except (Urllib3Error, http.client.HTTPException, OSError, ValueError) as exc:
            if deadline.expired:
                raise AnswerTimeout(size) from None
            # urllib3 wraps what http.client raised (IncompleteRead, a reset) as the last argument of a ProtocolError.
            inner = [arg for arg in exc.args if isinstance(arg, BaseException)]
            raise AnswerBroken(error_reason(inner[-1] if inner else exc)) from None
        last = not chunk
        pieces = [chunk]
        for decoder in decoders:
            # Pieces, not one joined bytes object: a bomb's output is never held twice.
            pieces = decoder.finish(pieces, limit - size + 1) if last else decoder.feed(pieces, limit - size + 1)
        for piece in pieces:
            size += len(piece)
            if size > limit:
                raise AnswerTooLarge(limit)
            if piece:
                parts.append(piece)
        if last:
            return b''.join(parts)


def _decoders(header):
    """Decoders for a Content-Encoding header, in the order they apply (the last encoding applied is undone first)."""
    decoders = []
    for name in reversed((header or '').lower().split(',')):
        name = name.strip()
        if name in ('', 'identity'):
            continue
        if name not in ('gzip', 'x-gzip', 'deflate'):
            # The client asks for gzip and deflate only; anything else is not an answer it can read.
            raise AnswerUndecodable('Content-Encoding %s is not supported (the client accepts gzip and deflate)' % name)
        decoders.append(_Inflater(name != 'deflate'))
    return decoders


class _Inflater:
    """zlib decoding with a bound on the output of each call; gzip with several members, deflate with or without
    its zlib header (both are met under that name)."""

    def __init__(self, gzip):
        self.gzip = gzip
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
        self._started = False
        self._next_member = False
        self._done = False

    def feed(self, pieces, most):
        """The decoded pieces of ``pieces``, at most ``most`` bytes in all; reaching ``most`` means the bound is passed."""
        out, size = [], 0
        for data in pieces:
            while data and size < most and not self._done:
                try:
                    piece = self._zlib.decompress(data, min(most - size, _STEP))
                except zlib.error as exc:
                    data = self._recover(exc, data)
                    continue
                self._started = True
                out.append(piece)
                size += len(piece)
                data = self._zlib.unconsumed_tail
                if self._zlib.eof:
                    # After a gzip member another may follow; after a deflate stream nothing counts.
                    data, self._done = self._zlib.unused_data, not self.gzip
                    if data and self.gzip:
                        self._zlib, self._next_member = zlib.decompressobj(16 + zlib.MAX_WBITS), True
        return out

    def finish(self, pieces, most):
        out = self.feed(pieces, most)
        if not self._done and sum(len(piece) for piece in out) < most:
            # What zlib still holds once all input is in: at most one match, so no bound is needed.
            out.append(self._zlib.flush())
        return out

    def _recover(self, exc, data):
        """The input to try again after a zlib error, or AnswerUndecodable."""
        if self._next_member:
            # Bytes after a complete gzip member that do not start another are ignored, as urllib3 does.
            self._done = True
            return b''
        if self.gzip or self._started:
            raise AnswerUndecodable('the %s body does not decode: %s' % ('gzip' if self.gzip else 'deflate', exc)) from None
        # Raw deflate, as some servers send it: once more without the zlib header.
        self._zlib, self._started = zlib.decompressobj(-zlib.MAX_WBITS), True
        return data


_NOISE_RE = re.compile(r'<[^<>]+ object at 0x[0-9a-f]+>:?\s*|HTTPS?ConnectionPool\([^)]*\):\s*')


def error_reason(exc):
    """The innermost human part of a requests/urllib3 exception, without object reprs or pool names."""
    reason = error_chain(exc)[-1]
    text = _NOISE_RE.sub('', str(reason)).strip()
    return text or type(reason).__name__


def error_chain(exc):
    """The exception and the ones it wraps (urllib3 nests its reasons several levels deep)."""
    seen = []
    while exc is not None and exc not in seen and len(seen) < 8:
        seen.append(exc)
        inner = getattr(exc, 'reason', None)
        if inner is None and exc.args and isinstance(exc.args[0], BaseException):
            inner = exc.args[0]
        exc = inner if isinstance(inner, BaseException) else None
    return seen


def is_timeout(exc):
    chain = error_chain(exc)
    # urllib3 2 derives NewConnectionError (refused, unreachable) from its timeout class.
    if any(isinstance(e, NewConnectionError) for e in chain):
        return False
    return any(isinstance(e, (RequestsTimeout, Urllib3Timeout, socket.timeout)) for e in chain)
