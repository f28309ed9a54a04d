# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw HTTP answers below the API, for tests of the HTTP layer itself: a loopback server that answers each request
with the next scripted (status, headers, body) (retries, timeouts, dropped connections), and a requests transport
adapter that answers without a network at all (for property tests that try thousands of odd answers).

The API simulator (obsim.server) is for everything that speaks OCP or obshell; this is for what no API would send.
"""
import contextlib
import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from requests.adapters import HTTPAdapter
from urllib3.response import HTTPResponse

# Answers: (status, headers, body). status None drops the connection without an answer; status 'slow' waits
# body seconds, then answers 200 with SLOW_BODY. A dict or list body is sent as JSON, bytes as they are.
SLOW_BODY = {'successful': True, 'status': 200, 'traceId': 'aaaabbbbccccdddd', 'data': {'x': 1}}


class Script:
    """Answers queued per request, the last one repeating; ``seen`` holds (monotonic time, target, headers)."""

    def __init__(self):
        self.answers = []
        self.seen = []
        self.url = None

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _handler(script):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            script.seen.append((time.monotonic(), self.path, dict(self.headers)))
            status, headers, body = script.next()
            if status is None:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if status == 'slow':
                time.sleep(body)
                status, headers, body = 200, {}, SLOW_BODY
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header('Content-Length', str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler


@contextlib.contextmanager
def _serving(handler):
    """``handler`` served on 127.0.0.1 in a thread for the duration of the ``with`` block, which gets its URL."""
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield 'http://127.0.0.1:%d' % httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def scripted_server():
    """A Script served on 127.0.0.1 for the duration of the ``with`` block; set ``answers`` before the requests."""
    script = Script()
    with _serving(_handler(script)) as url:
        script.url = url
        yield script


def _table_handler(table):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def do_GET(self):
            table['seen'].append(self.path)
            status, headers, raw, cut = table[self.path.split('?')[0]]
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header('Content-Length', str(len(raw)))
            self.end_headers()
            self.wfile.write(raw if cut is None else raw[:cut])
            if cut is not None:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def table_server():
    """An HTTP/1.1 server on 127.0.0.1 answering by path from a dict: set ``table[path] = (status, headers, raw body,
    bytes to send before hanging up or None)``; ``table['seen']`` lists the targets requested, ``table['url']`` is the
    server's URL. For bodies sent exactly as given (encoded, cut short), which a Script re-encodes."""
    table = {'seen': []}
    with _serving(_table_handler(table)) as url:
        table['url'] = url
        yield table


class ScriptedAdapter(HTTPAdapter):
    """A transport without a network: ``answer(request)`` gives (status, headers, body bytes), turned into a
    response by requests' own ``build_response`` from a real urllib3 response, so decoding is requests' own."""

    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    def send(self, request, **kwargs):
        status, headers, body = self.answer(request)
        if status < 200 or status in (204, 304):
            body = b''   # framing gives these statuses no body, whatever a server writes after the headers
        raw = HTTPResponse(body=io.BytesIO(body), headers=headers, status=status, preload_content=False, request_method=request.method)
        return self.build_response(request, raw)


def scripted(client, answer):
    """``client`` (an HttpClient) with its http:// requests answered by ``answer`` (see ScriptedAdapter)."""
    client.session.mount('http://', ScriptedAdapter(answer))
    return client
