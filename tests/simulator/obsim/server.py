# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP plumbing: one ThreadingHTTPServer per port (OCP, each obshell agent), fault injection, counters."""
import json
import re
import socket
import ssl
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

from obsim import scenario
from obsim.envelope import ApiFailure, finish
from obsim.obshell import Agent
from obsim.ocp import Ocp

# Faults that replace the answer; the others only modify it (README.md, "Faults").
TERMINAL = frozenset(('status', 'ratelimit', 'body', 'unsuccessful', 'reset', 'slow'))
MODIFIERS = frozenset(('latency', 'key_rotation', 'page_shift', 'page_count', 'page_ignored'))
KINDS = TERMINAL | MODIFIERS
LOGIN_PAGE = b'<!DOCTYPE html><html><head><title>OCP Login</title></head><body><form action="/login"></form></body></html>'
BODIES = {
    'html': LOGIN_PAGE, 'empty': b'', 'truncated': b'{"data": {"contents": [{"taskId": 1,', 'not_json': b'not json at all',
    'bad_contents': b'{"successful": true, "status": 200, "data": {"contents": "x"}}',
}
# How many API requests the log keeps: enough for any test, bounded for a simulator that runs for an hour.
REQUEST_LOG = 10000


class Request:
    def __init__(self, handler):
        self.method = handler.command
        self.target = handler.path               # the raw request target, byte for byte
        parts = urlsplit(handler.path)
        self.path, self.query = parts.path, parts.query
        self.params = parse_qs(parts.query, keep_blank_values=True)
        self.headers = handler.headers
        # Paging faults for this request (page_shift, page_count, page_ignored), applied by an OCP list.
        self.paging = {}


class Seen:
    """One API request as the simulator saw it, and what it answered (the request log of a Simulator)."""

    __slots__ = ('backend', 'method', 'path', 'query', 'headers', 'status', 'trace_id')

    def __init__(self, backend, req):
        self.backend, self.method, self.path = backend, req.method, req.path
        self.query = dict(parse_qsl(req.query, keep_blank_values=True))
        self.headers = dict(req.headers)
        self.status = self.trace_id = None

    def __repr__(self):
        return 'Seen(%s %s %s -> %s)' % (self.method, self.path, self.query, self.status)


class Faults:
    """Active faults: a list of dicts, each {kind, count (None = forever), path and query (regexes), ...}. See README."""

    def __init__(self, specs=None):
        self.lock = threading.Lock()
        self.set(specs or [])

    def set(self, specs):
        unknown = [spec.get('kind') for spec in specs if spec.get('kind') not in KINDS]
        if unknown:
            raise ValueError('unknown fault kind %s; known: %s' % (', '.join(map(str, unknown)), ', '.join(sorted(KINDS))))
        with self.lock:
            self.specs = [dict(s) for s in specs]

    def take(self, path, query=''):
        """The faults that apply to this request: every modifier, and at most one answer-replacing fault."""
        chosen, answered = [], False
        with self.lock:
            for spec in self.specs:
                if spec.get('path') and not re.search(spec['path'], path):
                    continue
                if spec.get('query') and not re.search(spec['query'], query):
                    continue
                if spec.get('count') is not None and spec['count'] <= 0:
                    continue
                if spec['kind'] in TERMINAL:
                    if answered:
                        continue
                    answered = True
                if spec.get('count') is not None:
                    spec['count'] -= 1
                chosen.append(spec)
        return chosen


class Simulator:
    def __init__(self, doc, host='127.0.0.1', ocp_port=None, obshell_port_base=None, faults=None, tls=None):
        self.start = scenario.now()
        self.doc = doc
        self.host = host
        self.tls = tls
        self.faults = Faults(faults)
        self.stats = Counter()
        self.requests = deque(maxlen=REQUEST_LOG)
        self.lock = threading.Lock()
        self.servers = []
        ports = doc.get('ports') or {}
        self.ocp = Ocp(doc.get('ocp'), self.start)
        self.ocp_server = self._serve(self.ocp, ocp_port if ocp_port is not None else ports.get('ocp', 0))
        self.agents = {}
        base = obshell_port_base if obshell_port_base is not None else ports.get('obshell_base', 0)
        for index, spec in enumerate((doc.get('obshell') or {}).get('agents') or []):
            agent = Agent(spec, self.start, 0)
            server = self._serve(agent, base + index if base else 0)
            agent.port = server.server_address[1]
            self.agents[agent.name] = (agent, server)

    @property
    def scheme(self):
        return 'https' if self.tls else 'http'

    @property
    def ocp_url(self):
        return '%s://%s:%d' % (self.scheme, self.host, self.ocp_server.server_address[1])

    @property
    def obshell_urls(self):
        return {name: '%s://%s:%d' % (self.scheme, self.host, srv.server_address[1]) for name, (agent, srv) in self.agents.items()}

    def state(self):
        return {'ocp_url': self.ocp_url, 'obshell': self.obshell_urls, 'scheme': self.scheme}

    def _serve(self, backend, port):
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            # As Go's servers (obshell) and Java's do: the headers and the body are two writes, and with Nagle's
            # algorithm the body of a small answer would wait for the client's delayed ACK (about 40 ms a request).
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):
                sim.dispatch(self, backend)

            do_POST = do_GET

        server = ThreadingHTTPServer((self.host, port), Handler)
        server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls['cert'], self.tls['key'])
            if self.tls.get('client_ca'):
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(self.tls['client_ca'])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self.servers.append(server)
        return server

    def run(self):
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def reset_stats(self):
        """Zero the counters and empty the request log."""
        with self.lock:
            self.stats.clear()
            self.requests.clear()

    def set_faults(self, specs):
        """Replace the faults; a new set of faults starts a new count, so a test reads what its own case cost."""
        self.faults.set(specs)
        self.reset_stats()

    # ---- one request
    def dispatch(self, handler, backend):
        started = time.time()
        req = Request(handler)
        if req.path.startswith('/__sim__/'):
            return self.control(handler, req)
        seen = Seen('ocp' if isinstance(backend, Ocp) else backend.name, req)
        with self.lock:
            self.stats['%s %s' % (req.method, _pattern(req.path))] += 1
            self.stats['__total__'] += 1
            self.requests.append(seen)
        answer = self._faulted(handler, backend, req)
        if answer is _DROPPED:
            return None
        status, body, ctype, headers = answer or self._answer(backend, req)
        if isinstance(body, dict) and not (isinstance(backend, Ocp) and req.path == '/api/v2/info'):
            body = finish(status, body, started)
            seen.trace_id = body.get('traceId')
        seen.status = status
        self.respond(handler, status, body, ctype, headers)
        return None

    @staticmethod
    def _answer(backend, req):
        try:
            status, body, ctype = backend.handle(req)
        except ApiFailure as failure:
            return failure.status, {'successful': False, 'error': _error(backend, failure)}, None, dict(failure.headers)
        return status, body, ctype, {}

    def _faulted(self, handler, backend, req):
        """The answer a fault gives instead of the backend's, _DROPPED, or None; modifiers act on the way."""
        for fault in self.faults.take(req.path, req.query):
            kind = fault['kind']
            if kind in ('latency', 'slow'):
                time.sleep(float(fault.get('seconds', 0.1 if kind == 'latency' else 5)))
            elif kind == 'reset':
                handler.close_connection = True
                try:
                    handler.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return _DROPPED
            elif kind == 'key_rotation' and isinstance(backend, Agent):
                backend.rotate_key()
            elif kind in ('page_shift', 'page_count', 'page_ignored'):
                req.paging.update(_PAGING[kind](fault))
            elif kind in TERMINAL:
                return _replacement(kind, fault, backend)
        return None

    def respond(self, handler, status, body, ctype=None, headers=None):
        if isinstance(body, (dict, list)):
            raw, ctype = json.dumps(body, separators=(',', ':')).encode(), ctype or 'application/json'
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = body or b''
        handler.send_response(status)
        handler.send_header('Content-Type', ctype or 'application/json')
        handler.send_header('Content-Length', str(len(raw)))
        for key, value in (headers or {}).items():
            if not key.startswith('X-Sim'):
                handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(raw)

    def control(self, handler, req):
        if req.path == '/__sim__/stats':
            with self.lock:
                by_path = {k: v for k, v in self.stats.items() if k != '__total__'}
                return self.respond(handler, 200, {'requests': self.stats['__total__'], 'by_path': by_path})
        length = int(handler.headers.get('Content-Length') or 0)
        payload = handler.rfile.read(length) if length else b''
        if req.path == '/__sim__/reset':
            self.reset_stats()
            return self.respond(handler, 200, {'reset': True})
        if req.path == '/__sim__/faults':
            try:
                self.set_faults(json.loads(payload or b'[]'))
            except ValueError as exc:
                return self.respond(handler, 400, {'error': str(exc)})
            return self.respond(handler, 200, {'faults': self.faults.specs})
        return self.respond(handler, 404, {'error': 'unknown control path'})


def _pattern(path):
    return re.sub(r'/\d+(?=/|$)', '/{id}', path)


def _error(backend, failure):
    """The error object of an envelope: obshell sends errCode (and its legacy integer code), OCP a code."""
    error = {'message': failure.message}
    if failure.code is not None:
        error['errCode' if isinstance(backend, Agent) else 'code'] = failure.code
    if failure.legacy is not None:
        error['code'] = failure.legacy
    return error


_DROPPED = object()
_PAGING = {
    'page_shift': lambda fault: {'shift': True},
    'page_count': lambda fault: {'pages': fault.get('pages', 'missing')},
    'page_ignored': lambda fault: {'ignored': True},
}


def _replacement(kind, fault, backend):
    """(status, body, content type, headers) of an answer-replacing fault."""
    if kind == 'status':
        code = int(fault.get('status', 503))
        error = {'code': fault.get('code', 0), 'message': fault.get('message', 'Simulated HTTP %d' % code)}
        return code, {'successful': False, 'error': error}, None, {}
    if kind == 'ratelimit':
        headers = {'RateLimit-Limit': '100', 'RateLimit-Remaining': '0'}
        if 'retry_after' in fault:
            headers['Retry-After'] = str(fault['retry_after'])
        else:
            headers['RateLimit-Reset'] = str(fault.get('reset', 1))
        return 429, {'successful': False, 'error': {'code': 0, 'message': 'Excessive number of requests. Please try again later.'}}, None, headers
    if kind == 'body':
        name = fault.get('body', 'html')
        return 200, BODIES[name], 'text/html' if name == 'html' else 'application/json', {}
    if isinstance(backend, Agent):   # unsuccessful, in the agent's own error shape
        failure = backend.fail(200, 'Common.Unexpected', 'Unexpected error: simulated agent-side failure', 1002)
        return 200, {'successful': False, 'error': _error(backend, failure)}, None, {}
    return 200, {'successful': False, 'error': {'code': 'COM10500', 'message': 'Simulated server-side failure'}}, None, {}
