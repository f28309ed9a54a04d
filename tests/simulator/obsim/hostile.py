# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile servers for the transport tests: one port per case, each a misbehaviour in front of the simulator's
own OCP and obshell backends (scenario `integration`), and a recorder that logs whatever reaches it.

Cases (state file `urls` key -> behaviour):
- recorder: a second OCP + agent that records every request (auth headers, the password it could decrypt).
- agent_redirect_all / agent_redirect_secret / agent_redirect_overview: an agent that answers every path, only
  /api/v1/secret, or only the overview with a redirect to the recorder; agent_redirect_escapes: a Location with
  terminal escapes. ocp_redirect_other: OCP redirecting the task list to the recorder; ocp_redirect_same: OCP
  redirecting it to itself (same origin, with `hop=1` added), recording the Host header of the hop.
- ocp_drip_body / agent_drip_body: the answer's body one byte per `--drip-interval`; ocp_drip_headers: the status
  line and headers likewise. Each records how many bytes it sent before the client hung up.
- ocp_gzip_bomb / agent_gzip_bomb: a valid envelope padded with `--bomb-mb` MiB of JSON whitespace, gzip-compressed.
- ocp_escapes / agent_escapes: an error envelope whose code, message and traceId carry terminal escapes.
- ocp_throttle: the first request for each distinct task-list URL gets 429 (alternately Retry-After and
  RateLimit-Reset of `--throttle-seconds`); the log keeps the instant of every request.

Control (any port): GET /__hostile__/log -> {case: [records]}; GET /__hostile__/waits -> {URL: seconds from its 429
to its retry} of ocp_throttle; POST /__hostile__/reset empties the log.
Run: python tests/simulator/run_hostile.py --state-file F [--lifetime S] (see --help).
"""
import argparse
import base64
import json
import os
import re
import ssl
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from obsim import scenario
from obsim.cli import wait_for_stop, write_state
from obsim.envelope import ApiFailure, finish
from obsim.obshell import Agent
from obsim.ocp import Ocp
from obsim.server import Request

# An OSC window title, a screen clear, coloured text claiming success; then an 8-bit CSI and a carriage return.
ASCII_ESCAPES = '\x1b]0;pwned\x07\x1b[2J\x1b[1;32mall checks passed\x1b[0m'
ESCAPES = ASCII_ESCAPES + '\x9b2J\rrest'
TASKS = r'/backup/task/dataBackupTasks$'
OVERVIEW = r'/backup/overview$'


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = {}

    def add(self, case, **record):
        record['t'] = time.time()
        with self.lock:
            self.records.setdefault(case, []).append(record)
        return record

    def dump(self):
        with self.lock:
            return json.loads(json.dumps(self.records))

    def reset(self):
        with self.lock:
            self.records.clear()


class Backend:
    """The simulator's OCP (/api/v2) and first obshell agent (/api/v1) behind one port, as full envelopes."""

    def __init__(self, doc, start, port):
        self.ocp = Ocp(doc.get('ocp'), start)
        self.agent = Agent(doc['obshell']['agents'][0], start, port)

    def answer(self, req):
        started = time.time()
        backend = self.agent if req.path.startswith('/api/v1/') else self.ocp
        try:
            status, body, ctype = backend.handle(req)
            headers = {}
        except ApiFailure as failure:
            error = {'message': failure.message}
            if failure.code is not None:
                error['errCode' if backend is self.agent else 'code'] = failure.code
            if failure.legacy is not None:
                error['code'] = failure.legacy
            status, body, ctype, headers = failure.status, {'successful': False, 'error': error}, None, dict(failure.headers)
        if isinstance(body, dict) and req.path != '/api/v2/info':
            body = finish(status, body, started)
        raw = json.dumps(body, separators=(',', ':')).encode() if isinstance(body, (dict, list)) else (
            body.encode() if isinstance(body, str) else body or b'')
        return status, raw, ctype or 'application/json', headers


class Stub:
    """One port: `behave(stub, handler, req)` answers the request itself or returns False to let the backend answer."""

    def __init__(self, hostile, name, behave, **options):
        self.hostile, self.name, self.behave, self.options = hostile, name, behave, options
        self.server = ThreadingHTTPServer((hostile.host, 0), _handler(self))
        self.server.daemon_threads = True
        if hostile.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(hostile.tls['cert'], hostile.tls['key'])
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.backend = Backend(hostile.doc, hostile.start, self.server.server_address[1])
        self.seen = set()
        self.lock = threading.Lock()

    @property
    def url(self):
        return '%s://%s:%d' % (('https' if self.hostile.tls else 'http',) + self.server.server_address[:2])

    def log(self, req, **extra):
        return self.hostile.log.add(self.name, method=req.method, target=req.target, host=req.headers.get('Host'),
                                    authorization='Authorization' in req.headers, ocs_header='X-OCS-Header' in req.headers,
                                    **extra)

    def handle(self, handler):
        req = Request(handler)
        if req.path.startswith('/__hostile__/'):
            return self.control(handler, req)
        if self.behave and self.behave(self, handler, req):
            return None
        return self.serve(handler, req)

    def serve(self, handler, req, **extra):
        """The backend's own answer, logged with ``extra``."""
        status, raw, ctype, headers = self.backend.answer(req)
        self.log(req, status=status, **extra)
        return send(handler, status, raw, dict(headers, **{'Content-Type': ctype}))

    def control(self, handler, req):
        if req.path == '/__hostile__/reset':
            self.hostile.log.reset()
            return send(handler, 200, b'{"reset":true}')
        if req.path == '/__hostile__/waits':
            return send(handler, 200, json.dumps(retry_waits(self.hostile.log.dump().get('ocp_throttle', []))).encode())
        return send(handler, 200, json.dumps(self.hostile.log.dump()).encode())


def retry_waits(records):
    """{url: seconds from its throttled request to its retry} for every URL the throttle answered twice."""
    first, waits = {}, {}
    for record in records:
        if record['status'] == 429:
            first[record['target']] = record['t']
        elif record['target'] in first:
            waits.setdefault(record['target'], round(record['t'] - first[record['target']], 3))
    return waits


def _handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def do_GET(self):
            stub.handle(self)

        do_POST = do_GET

    return Handler


def send(handler, status, raw, headers=None):
    handler.send_response(status)
    headers = dict(headers or {})
    headers.setdefault('Content-Type', 'application/json')
    headers['Content-Length'] = str(len(raw))
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(raw)
    return None


def _matches(stub, req):
    return re.search(stub.options['pattern'], req.path) is not None


# ---- behaviours

def record_all(stub, handler, req):
    """The recorder: log each request with what an attacker would learn from it, then answer as a real server."""
    learned = None
    if req.headers.get('X-OCS-Header'):
        header = stub.backend.agent.decrypt(req.headers['X-OCS-Header']) or {}
        learned = header.get('auth')
    basic = req.headers.get('Authorization', '')
    if basic.startswith('Basic '):
        learned = base64.b64decode(basic[6:]).decode('utf-8', 'replace')
    stub.serve(handler, req, learned=learned)
    return True


def redirect(stub, handler, req):
    if not _matches(stub, req):
        return False
    location = stub.options.get('location') or stub.hostile.stubs['recorder'].url + req.target
    stub.log(req, status=stub.options.get('status', 302), location=location)
    send(handler, stub.options.get('status', 302), b'', {'Location': location})
    return True


def redirect_same(stub, handler, req):
    """307 to the same path on this server with hop=1 added; the hop itself is answered (and verified) normally."""
    if not _matches(stub, req) or 'hop=1' in req.query:
        return False
    location = req.target + ('&' if req.query else '?') + 'hop=1'
    stub.log(req, status=307, location=location)
    send(handler, 307, b'', {'Location': location})
    return True


def drip(stub, handler, req):
    """The real answer, one byte per interval: the body only, or the status line and headers too."""
    if not _matches(stub, req):
        return False
    status, raw, ctype, headers = stub.backend.answer(req)
    head = 'HTTP/1.1 %d OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' % (status, ctype, len(raw))
    record = stub.log(req, status=status, total=len(raw), sent=0, finished=False, hung_up=False, gave_up=False)
    started = time.time()
    interval = stub.hostile.drip_interval
    handler.close_connection = True
    try:
        if stub.options['part'] == 'body':
            handler.wfile.write(head.encode())
            handler.wfile.flush()
        for byte in (raw if stub.options['part'] == 'body' else head.encode() + raw):
            if time.time() - started > stub.hostile.drip_give_up:
                record['gave_up'] = True   # as a proxy or the server itself would, long after any sane timeout
                break
            time.sleep(interval)
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            record['sent'] += 1
        else:
            record['finished'] = True
    except OSError:
        record['hung_up'] = True
    record['seconds'] = round(time.time() - started, 3)
    return True


def gzip_bomb(stub, handler, req):
    if not _matches(stub, req):
        return False
    stub.log(req, status=200, compressed=len(stub.hostile.bomb), inflated=stub.hostile.bomb_mb * 1024 * 1024)
    handler.close_connection = True
    try:
        send(handler, 200, stub.hostile.bomb, {'Content-Encoding': 'gzip'})
    except OSError:
        pass   # the client stops reading at its limit
    return True


def escapes(stub, handler, req):
    if not _matches(stub, req):
        return False
    if req.path.startswith('/api/v1/'):
        error = {'errCode': 'Common.Unexpected' + ESCAPES, 'code': 1002, 'message': 'Unexpected error: ' + ESCAPES}
    else:
        error = {'code': 'COM10500' + ESCAPES, 'message': 'backup query failed ' + ESCAPES}
    body = {'successful': False, 'status': 400, 'traceId': 'a1b2' + ESCAPES, 'error': error}
    stub.log(req, status=400)
    send(handler, 400, json.dumps(body).encode())
    return True


def throttle(stub, handler, req):
    """429 for the first request of each distinct URL (one per client run), the backend's answer after that."""
    if not _matches(stub, req):
        return False
    with stub.lock:
        first = req.target not in stub.seen
        stub.seen.add(req.target)
        count = len(stub.seen)
    if not first:
        stub.serve(handler, req, retry=True)
        return True
    name = 'Retry-After' if count % 2 else 'RateLimit-Reset'
    header = {name: str(stub.hostile.throttle_seconds), 'RateLimit-Remaining': '0'}
    stub.log(req, status=429, retry=False, header=name)
    body = {'successful': False, 'status': 429, 'error': {'code': 0, 'message': 'Excessive number of requests. Please try again later.'}}
    send(handler, 429, json.dumps(body).encode(), header)
    return True


# name -> (behaviour, options); the recorder is made first so that the others can point at it.
CASES = [
    ('recorder', record_all, {}),
    ('agent_redirect_all', redirect, {'pattern': r'^/api/'}),
    ('agent_redirect_secret', redirect, {'pattern': r'^/api/v1/secret$'}),
    ('agent_redirect_overview', redirect, {'pattern': OVERVIEW, 'status': 307}),
    # ASCII escapes only: a header is latin-1 on the wire, and requests refuses a Location that is not UTF-8 anyway.
    ('agent_redirect_escapes', redirect, {'pattern': r'^/api/v1/info$', 'location': 'http://127.0.0.1:1/x' + ASCII_ESCAPES}),
    ('ocp_redirect_other', redirect, {'pattern': TASKS}),
    ('ocp_redirect_same', redirect_same, {'pattern': TASKS}),
    ('ocp_drip_body', drip, {'pattern': TASKS, 'part': 'body'}),
    ('agent_drip_body', drip, {'pattern': OVERVIEW, 'part': 'body'}),
    ('ocp_drip_headers', drip, {'pattern': TASKS, 'part': 'headers'}),
    ('ocp_gzip_bomb', gzip_bomb, {'pattern': TASKS}),
    ('agent_gzip_bomb', gzip_bomb, {'pattern': OVERVIEW}),
    ('ocp_escapes', escapes, {'pattern': TASKS}),
    ('agent_escapes', escapes, {'pattern': OVERVIEW}),
    ('ocp_throttle', throttle, {'pattern': TASKS}),
]


def make_bomb(megabytes):
    """A valid envelope whose `data` is preceded by `megabytes` MiB of spaces, gzip-compressed (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b'{"successful":true,"status":200,"data":')]
    block = b' ' * (1024 * 1024)
    parts.extend(packer.compress(block) for dummy in range(megabytes))
    parts.append(packer.compress(b'{"status":{}}}'))
    parts.append(packer.flush())
    return b''.join(parts)


class Hostile:
    """Every case on its own port; `tls` ({cert, key}) serves them all over HTTPS."""

    def __init__(self, host='127.0.0.1', drip_interval=1.0, bomb_mb=512, throttle_seconds=2, tls=None, drip_give_up=60):
        self.host, self.drip_interval, self.bomb_mb, self.throttle_seconds = host, drip_interval, bomb_mb, throttle_seconds
        self.tls, self.drip_give_up = tls, drip_give_up
        self.doc = scenario.load('integration')
        self.start = scenario.now()
        self.log = Log()
        self.bomb = make_bomb(bomb_mb)
        self.stubs = {}
        for name, behave, options in CASES:
            self.stubs[name] = Stub(self, name, behave, **options)

    def urls(self):
        return {name: stub.url for name, stub in self.stubs.items()}

    def run(self):
        for stub in self.stubs.values():
            threading.Thread(target=stub.server.serve_forever, daemon=True).start()

    def stop(self):
        for stub in self.stubs.values():
            stub.server.shutdown()
            stub.server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description='Hostile OCP/obshell stubs for transport tests (see obsim/hostile.py)')
    parser.add_argument('--state-file', required=True, help='written once listening: {"pid", "urls": {case: url}}')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--lifetime', type=float, default=900)
    parser.add_argument('--drip-interval', type=float, default=1.0, help='seconds between two dripped bytes')
    parser.add_argument('--drip-give-up', type=float, default=60, help='seconds after which a drip closes the connection')
    parser.add_argument('--bomb-mb', type=int, default=512, help='MiB the gzip bomb inflates to')
    parser.add_argument('--throttle-seconds', type=int, default=2, help='Retry-After / RateLimit-Reset of the throttle')
    args = parser.parse_args(argv)
    hostile = Hostile(args.host, args.drip_interval, args.bomb_mb, args.throttle_seconds, drip_give_up=args.drip_give_up)
    hostile.run()
    write_state(args.state_file, {'pid': os.getpid(), 'urls': hostile.urls()})
    wait_for_stop(args.lifetime)
    hostile.stop()
    return 0
