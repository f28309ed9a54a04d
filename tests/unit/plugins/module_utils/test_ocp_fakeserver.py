# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small scripted OCP API on loopback for the OCP unit tests, plus tests of the fake itself.

It checks Basic and AK/SK credentials the way OCP documents them (recomputing the signature from the raw
request line and headers it received), pages 1-based, and can misbehave on purpose (``quirks``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

AK = 'cqammmxBpfGjFlto'
SK = '2fc0c299cc94c6be266f2ceece765d4d'
USER = 'admin'
PASSWORD = 'S3cret-pass!'


def envelope(data, status=200, successful=True, trace='0e74add7846c479c', error=None):
    body = {'data': data, 'successful': successful, 'status': status, 'traceId': trace, 'duration': 3, 'server': 'fake'}
    if error is not None:
        body['error'] = error
        body.pop('data')
    return body


class FakeOcp:
    """State and behaviour of the fake; ``requests`` records (path, query dict, headers) of every request."""

    def __init__(self):
        self.clusters = []
        self.tenants = {}           # cluster id -> [tenant rows]
        self.tasks = {}             # (kind, cluster id) -> [task rows]
        self.quirks = set()
        self.requests = []
        self.max_size = 2000
        self.url = None

    # ---- data helpers -------------------------------------------------------------------------
    def add_cluster(self, cid, name, ctype='PRIMARY', ob_cluster_id=None):
        self.clusters.append({'id': cid, 'name': name, 'type': ctype, 'obClusterId': ob_cluster_id or cid % 1000})
        self.tenants.setdefault(cid, [])

    def add_tenant(self, cid, tid, name):
        cluster = [c for c in self.clusters if c['id'] == cid][0]
        self.tenants[cid].append({'id': tid, 'name': name, 'clusterId': cid, 'clusterName': cluster['name'],
                                  'clusterType': cluster['type'], 'obTenantId': tid % 1000, 'mode': 'MYSQL'})

    def add_task(self, kind, cid, row):
        self.tasks.setdefault((kind, cid), []).append(row)

    # ---- request handling ---------------------------------------------------------------------
    def check_auth(self, handler):
        header = handler.headers.get('Authorization', '')
        if header.startswith('Basic '):
            return base64.b64decode(header[6:]).decode('utf-8') == '%s:%s' % (USER, PASSWORD)
        if header.startswith('OCP-ACCESS-KEY-HMACSHA1 '):
            access_key, _sep, signature = header[len('OCP-ACCESS-KEY-HMACSHA1 '):].partition(':')
            ocp = sorted((k.lower(), v.strip()) for k, v in handler.headers.items() if k.lower().startswith('x-ocp'))
            message = '\n'.join([
                handler.command, '', handler.headers.get('Content-Type', ''), handler.headers.get('Date', ''),
                handler.headers.get('Host', ''), '\n'.join('%s:%s' % item for item in ocp), handler.path,
            ])
            expected = base64.b64encode(hmac.new(SK.encode(), message.encode(), hashlib.sha1).digest()).decode()
            return access_key == AK and hmac.compare_digest(signature, expected)
        return False

    def answer(self, handler):
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.requests.append((parts.path, query, dict(handler.headers)))
        if not self.check_auth(handler):
            return 401, envelope(None, 401, False, trace='deadbeefcafe0001',
                                 error={'code': 'IAM10004', 'message': 'Bad user name or password'})
        segments = parts.path.strip('/').split('/')
        if segments[:3] != ['api', 'v2', 'ob'] or segments[3:4] != ['clusters']:
            return 404, envelope(None, 404, False, error={'code': 'COM404', 'message': 'no such path'})
        rest = segments[4:]
        if not rest:
            rows = [c for c in self.clusters if query.get('name', '').lower() in c['name'].lower()]
            return self.paged(rows, query)
        cid = int(rest[0])
        if not any(c['id'] == cid for c in self.clusters):
            return 400, envelope(None, 400, False, error={'code': 'OBE11001', 'message': 'The specified cluster with the ID of %d does not exist' % cid})
        if len(rest) == 1:
            return 200, envelope([c for c in self.clusters if c['id'] == cid][0])
        if rest[1] == 'tenants' and len(rest) == 2:
            rows = [t for t in self.tenants[cid] if query.get('name', '').lower() in t['name'].lower()]
            return self.paged(rows, query)
        if rest[1] == 'tenants' and len(rest) == 3:
            found = [t for t in self.tenants[cid] if t['id'] == int(rest[2])]
            if not found:
                return 400, envelope(None, 400, False, error={'code': 'OBE21003', 'message': 'The tenant with the ID of %s does not exist' % rest[2]})
            return 200, envelope(found[0])
        kind = 'data' if rest[-1] == 'dataBackupTasks' else 'log'
        rows = list(self.tasks.get((kind, cid), []))
        if rest[1] == 'tenants':
            rows = [r for r in rows if r.get('tenantId') == int(rest[2])]
            if 'status' in query:
                rows = [r for r in rows if r.get('status') in query['status'].split(',')]
        if 'backupSetId' in query and kind == 'data':
            rows = [r for r in rows if str(r.get('backupSetId')) == query['backupSetId']]
        return self.paged(rows, query)

    def paged(self, rows, query):
        page = int(query.get('page', 1))
        size = min(int(query.get('size', 20)), self.max_size)
        if 'ignore_page' in self.quirks:
            page = 1
        start = (page - 1) * size
        if 'overlap' in self.quirks and page > 1:
            start -= 1          # each later page repeats the last row of the page before
        chunk = rows[start:start + size]
        total_pages = max(1, -(-len(rows) // size)) + (5 if 'inflated_total' in self.quirks else 0)
        info = {'number': page, 'size': 5000 if 'wrong_size' in self.quirks else size, 'totalElements': len(rows)}
        if 'no_totals' not in self.quirks:
            info['totalPage' if 'total_page' in self.quirks else 'totalPages'] = total_pages
        return 200, envelope({'contents': chunk, 'page': info})


@contextmanager
def serve():
    """Run a FakeOcp on 127.0.0.1 for the duration of the ``with`` block."""
    fake = FakeOcp()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            status, body = fake.answer(self)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    fake.url = 'http://127.0.0.1:%d' % httpd.server_address[1]
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def ocp():
    with serve() as fake:
        yield fake


def test_fake_rejects_wrong_basic_password(ocp):
    ocp.add_cluster(1, 'c1')
    answer = requests.get(ocp.url + '/api/v2/ob/clusters', auth=(USER, 'wrong'), timeout=5)
    assert answer.status_code == 401
    assert requests.get(ocp.url + '/api/v2/ob/clusters', auth=(USER, PASSWORD), timeout=5).json()['data']['contents'][0]['name'] == 'c1'


def test_fake_verifies_aksk_against_the_raw_request():
    # The fake's own check reproduces the first documented vector, so it is an independent verifier.
    class Raw:
        command = 'GET'
        path = '/api/v2/compute/idcs?size=100'
        headers = {'Content-Type': 'application/json;charset=utf-8', 'Date': 'Tue, 17 Jan 2023 04:14:02 GMT',
                   'Host': 'ocp.alibaba.net:8080', 'Authorization': 'OCP-ACCESS-KEY-HMACSHA1 %s:TsQD6HDOuZuJ409m0wdnZPmijlc=' % AK}
    assert FakeOcp().check_auth(Raw)
    Raw.path = '/api/v2/compute/idcs?size=101'
    assert not FakeOcp().check_auth(Raw)
