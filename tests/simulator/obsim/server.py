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
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from obsim import scenario
from obsim.envelope import ApiFailure, finish
from obsim.obshell import Agent
from obsim.ocp import Ocp

# Faults that replace the answer; the others (latency, key rotation, page shift, page count) only modify it.
TERMINAL = {'status', 'ratelimit', 'body', 'unsuccessful', 'reset', 'slow'}
LOGIN_PAGE = b'<!DOCTYPE html><html><head><title>OCP Login</title></head><body><form action="/login"></form></body></html>'


class Request:
    def __init__(self, handler):
        self.method = handler.command
        self.target = handler.path               # the raw request target, byte for byte
        parts = urlsplit(handler.path)
        self.path, self.query = parts.path, parts.query
        self.params = parse_qs(parts.query, keep_blank_values=True)
        self.headers = handler.headers


class Faults:
    """Active faults: a list of dicts, each {kind, count (None = forever), path (regex), ...}. See README."""

    def __init__(self, specs=None):
        self.lock = threading.Lock()
        self.set(specs or [])

    def set(self, specs):
        with self.lock:
            self.specs = [dict(s) for s in specs]

    def take(self, path):
        """The faults that apply to this request: every modifier, and at most one answer-replacing fault."""
        chosen, answered = [], False
        with self.lock:
            for spec in self.specs:
                if spec.get('path') and not re.search(spec['path'], path):
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
        with self.lock:
            self.stats.clear()

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
        with self.lock:
            self.stats['%s %s' % (req.method, _pattern(req.path))] += 1
            self.stats['__total__'] += 1
        status, body, ctype, headers = None, None, None, {}
        for fault in self.faults.take(req.path):
            kind = fault['kind']
            if kind == 'latency':
                time.sleep(float(fault.get('seconds', 0.1)))
            elif kind == 'slow':
                time.sleep(float(fault.get('seconds', 5)))
            elif kind == 'reset':
                handler.close_connection = True
                try:
                    handler.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return None
            elif kind == 'status':
                code = int(fault.get('status', 503))
                status, body = code, {'successful': False, 'error': {'code': 0, 'message': 'Simulated HTTP %d' % code}}
            elif kind == 'ratelimit':
                status, body = 429, {'successful': False, 'error': {'code': 0, 'message': 'Excessive number of requests. Please try again later.'}}
                headers = {'RateLimit-Limit': '100', 'RateLimit-Remaining': '0'}
                if 'retry_after' in fault:
                    headers['Retry-After'] = str(fault['retry_after'])
                else:
                    headers['RateLimit-Reset'] = str(fault.get('reset', 1))
            elif kind == 'body':
                status, ctype, body = 200, 'text/html' if fault.get('body') == 'html' else 'application/json', {
                    'html': LOGIN_PAGE, 'empty': b'', 'truncated': b'{"data": {"contents": [{"taskId": 1,', 'not_json': b'not json at all',
                }[fault.get('body', 'html')]
            elif kind == 'unsuccessful' and isinstance(backend, Agent):
                failure = backend.fail(200, 'Common.Unexpected', 'Unexpected error: simulated agent-side failure', 1002)
                status, body = 200, {'successful': False, 'error': _error(backend, failure)}
            elif kind == 'unsuccessful':
                status, body = 200, {'successful': False, 'error': {'code': 'COM10500', 'message': 'Simulated server-side failure'}}
            elif kind == 'key_rotation' and isinstance(backend, Agent):
                backend.rotate_key()
            elif kind == 'page_shift' and isinstance(backend, Ocp) and req.params.get('page') == ['2']:
                # A new task arrived between page 1 and page 2: every row moved one place down.
                headers['X-Sim-Shift'] = '1'
            elif kind == 'page_count' and isinstance(backend, Ocp):
                headers['X-Sim-Pages'] = fault.get('pages', 'missing')
            if status is not None:
                break
        if status is None:
            try:
                status, body, ctype = backend.handle(req)
                if headers.get('X-Sim-Shift') and isinstance(body, dict):
                    _shift(backend, req, body)
                if headers.get('X-Sim-Pages') and isinstance(body, dict):
                    _page_count(body, headers['X-Sim-Pages'])
            except ApiFailure as failure:
                status, ctype, headers = failure.status, None, dict(failure.headers)
                body = {'successful': False, 'error': _error(backend, failure)}
        if isinstance(body, dict) and not (isinstance(backend, Ocp) and req.path == '/api/v2/info'):
            body = finish(status, body, started)
        self.respond(handler, status, body, ctype, headers)
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
            self.set_faults(json.loads(payload or b'[]'))
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


def _page_count(body, mode):
    """Page info that cannot end a list: `missing` drops the counts, `one_more` claims a page past the end."""
    info = (body.get('data') or {}).get('page')
    if not isinstance(info, dict):
        return
    if mode == 'missing':
        for key in ('totalPages', 'totalPage', 'totalElements'):
            info.pop(key, None)
    elif mode == 'one_more':
        for key in ('totalPages', 'totalPage'):
            if key in info:
                info[key] += 1


def _shift(ocp, req, body):
    """Page 2 as after one new row was inserted on top: it starts with the last row of page 1 again."""
    contents = body.get('data', {}).get('contents')
    first_page = ocp.handle(_Replay(req, page=1))[1]['data']['contents']
    if contents and first_page:
        contents.insert(0, first_page[-1])


class _Replay:
    def __init__(self, req, page):
        self.__dict__.update(req.__dict__)
        self.params = dict(req.params, page=[str(page)])
