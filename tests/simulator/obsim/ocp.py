# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OCP REST API v2: clusters, tenants, backup task lists, Basic and AK/SK auth, envelopes and errors.

Sources: shared/reference/ocp-*.md and shared/research/ocp-api.md (sections cited inline).
"""
import base64
import hashlib
import hmac
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote

from obsim import scenario
from obsim.envelope import ApiFailure, ok

MAX_SIZE = 2000          # research §3: size is capped at 2000 (clamped silently)
DEFAULT_SIZE = 20        # Spring's default page size
DATA_STATUSES = ['BEGINNING', 'INITIALIZING', 'DOING', 'DONE', 'FAILED', 'CANCELING', 'CANCELED', 'OVERDUE', 'UNKNOWN']
_TIME_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$')


class Ocp:
    def __init__(self, doc, start):
        self.doc = doc or {}
        self.users = self.doc.get('users') or [{'username': 'admin', 'password': 'Adm1n-sim'}]
        self.quirks = set(self.doc.get('quirks') or [])
        self.fmt = self.doc.get('time_format', 'offset_colon')
        self.offset = self.doc.get('timezone', '+08:00')
        self.clusters = []
        self.tenants = []
        self.data = {}    # cluster id -> rows (newest first)
        self.logs = {}
        self._filtered = {}
        task_id = 1
        for index, c in enumerate(self.doc.get('clusters') or []):
            cluster = {
                'id': c['id'], 'name': c['name'], 'obClusterId': c.get('ob_cluster_id', c['id'] % 1000),
                'obVersion': c.get('ob_version', '4.3.5.1'), 'status': c.get('status', 'RUNNING'),
                'type': c.get('type', 'PRIMARY'), 'createTime': scenario.render(start - 400 * 86400, 'offset_colon', self.offset, 0),
                'tenantCount': len(c.get('tenants') or []), '_quirks': tuple(c.get('quirks') or ()),
            }
            fmt = c.get('time_format', self.fmt)
            self.clusters.append(cluster)
            self.data[c['id']], self.logs[c['id']] = [], []
            for t in c.get('tenants') or []:
                tenant = {
                    'id': t['id'], 'name': t['name'], 'clusterName': c['name'], 'clusterId': c['id'],
                    'obClusterId': cluster['obClusterId'], 'clusterType': cluster['type'], 'mode': t.get('mode', 'MYSQL'),
                    'status': t.get('status', 'NORMAL'), 'locked': False, 'readonly': False, 'obTenantId': t.get('ob_tenant_id', 1000 + t['id'] % 1000),
                    'obVersion': cluster['obVersion'], 'primaryZone': 'zone1', 'zoneList': ['zone1'],
                }
                self.tenants.append(tenant)
                for spec in t.get('data_tasks') or []:
                    for row in _data_rows(spec, cluster, tenant, start, fmt, self.offset, task_id):
                        self.data[c['id']].append(row)
                        task_id += 1
                for spec in t.get('log_tasks') or []:
                    self.logs[c['id']].append(_log_row(spec, cluster, tenant, start, fmt, self.offset))
            self.data[c['id']].sort(key=lambda r: -r['_start'])
            self.logs[c['id']].sort(key=lambda r: -r['_start'])
            for row in self.data[c['id']] + self.logs[c['id']]:
                row['_public'] = _public(row)

    # ---- auth (research §1.1, §1.2, §1.4)
    def authenticate(self, req):
        header = req.headers.get('Authorization') or ''
        if header.startswith('Basic '):
            try:
                user, sep, password = base64.b64decode(header[6:]).decode('utf-8').partition(':')
            except ValueError:
                user = password = None
            for u in self.users:
                if u.get('username') == user and u.get('password') == password:
                    return u
            raise ApiFailure(401, 'IAM10004', 'Invalid username or password')
        if header.startswith('OCP-ACCESS-KEY-HMACSHA1 '):
            ak, sep, signature = header[len('OCP-ACCESS-KEY-HMACSHA1 '):].partition(':')
            user = next((u for u in self.users if u.get('access_key_id') == ak), None)
            if user is None:
                raise ApiFailure(401, 'IAM10020', 'AccessKey %s does not exist' % ak)
            date = req.headers.get('Date') or ''
            try:
                skew = abs(parsedate_to_datetime(date).timestamp() - scenario.now())
            except (TypeError, ValueError):
                skew = None
            if skew is None or skew > 900:
                raise ApiFailure(401, 'IAM10021', 'Request Date is missing or more than 15 minutes off')
            expected = aksk_signature(user['access_key_secret'], string_to_sign(req.method, req.headers, req.path, req.query))
            if not hmac.compare_digest(expected, signature):
                raise ApiFailure(401, 'IAM10022', 'The request signature does not match')
            return user
        raise ApiFailure(401, 'IAM10000', 'You are not logged in or your login has expired')

    # ---- routing
    def handle(self, req):
        path = req.path
        if path == '/api/v2/time':
            return 200, scenario.render(scenario.now(), 'offset_colon', self.offset, 3), 'text/plain'
        if path == '/api/v2/info':
            return 200, {'buildVersion': '4.3.5-20250101', 'buildTime': '2025-01-01T00:00:00+08:00', 'springBootVersion': '2.3.9.RELEASE'}, None
        user = self.authenticate(req)
        if user.get('permitted') is False:
            raise ApiFailure(403, 'IAM11000', 'You are not authorized to perform the corresponding operation')
        parts = path.strip('/').split('/')
        query = req.params
        if parts[:3] != ['api', 'v2', 'ob']:
            raise ApiFailure(404, 'COM10404', 'No handler found for GET %s' % path)
        rest = parts[3:]
        if rest == ['clusters']:
            rows = [c for c in self.clusters if _name_match(c, query)]
            statuses = _multi(query, 'status')
            rows = [_public(c) for c in rows if not statuses or c['status'] in statuses]
            return self.page(rows, query, required=False)
        if rest == ['tenants']:
            return self.page([t for t in self.tenants if _name_match(t, query)], query, required=False)
        if len(rest) >= 2 and rest[0] == 'clusters':
            cluster = self.cluster(rest[1])
            tail = rest[2:]
            if not tail:
                return ok(_public(cluster))
            if tail == ['tenants']:
                rows = [t for t in self.tenants if t['clusterId'] == cluster['id'] and _name_match(t, query)]
                return self.page(rows, query, required=False)
            if tail[:2] == ['backup', 'task'] and len(tail) == 3:
                return self.tasks(cluster, None, tail[2], query)
            if tail[0] == 'tenants' and len(tail) >= 2:
                tenant = self.tenant(cluster, tail[1])
                if len(tail) == 2:
                    return ok(tenant)
                if tail[2:4] == ['backup', 'task'] and len(tail) == 5:
                    return self.tasks(cluster, tenant, tail[4], query)
        raise ApiFailure(404, 'COM10404', 'No handler found for GET %s' % path)

    def cluster(self, text):
        cluster = next((c for c in self.clusters if str(c['id']) == text), None)
        if cluster is None:
            raise ApiFailure(404, 'OBE11001', 'The specified cluster with the ID of %s does not exist' % text)
        return cluster

    def tenant(self, cluster, text):
        tenant = next((t for t in self.tenants if str(t['id']) == text and t['clusterId'] == cluster['id']), None)
        if tenant is None:
            # research §2: in the OCP framework an unknown tenant id is an ILLEGAL_ARGUMENT, i.e. 400.
            raise ApiFailure(400, 'OBE21003', 'The tenant with the ID of %s does not exist' % text)
        return tenant

    def tasks(self, cluster, tenant, kind, query):
        if kind not in ('dataBackupTasks', 'logBackupTasks'):
            raise ApiFailure(404, 'COM10404', 'No handler found')
        start, end = _window(query, 'startTime'), _window(query, 'endTime')
        quirks = self.quirks | set(cluster.get('_quirks', ()))
        # The rows never change once loaded: the pages of one query share one filtered list (a large fleet
        # would otherwise be filtered again for every page, and the simulator would hide the client's cost).
        key = (cluster['id'], tenant and tenant['id'], kind, start, end, tuple(query.get('backupSetId') or ()),
               tuple(sorted(_multi(query, 'status'))))
        rows = self._filtered.get(key)
        if rows is None:
            if len(self._filtered) >= 64:
                self._filtered.clear()
            rows = self._filtered[key] = self._filter(cluster, tenant, kind, query, start, end)
        return self.page(rows, query, required=tenant is None, quirks=quirks)

    def _filter(self, cluster, tenant, kind, query, start, end):
        rows = (self.data if kind == 'dataBackupTasks' else self.logs)[cluster['id']]
        if tenant is not None:
            rows = [r for r in rows if r['tenantId'] == tenant['id']]
        if kind == 'dataBackupTasks':
            rows = [r for r in rows if (start is None or r['_start'] >= start) and (end is None or r['_start'] <= end)]
            set_id = query.get('backupSetId')
            if set_id:
                rows = [r for r in rows if str(r['backupSetId']) == set_id[0]]
        else:
            # A log task is a long-lived archiving round: it matches a window it overlaps.
            rows = [r for r in rows if (end is None or r['_start'] <= end) and (start is None or r['_last'] >= start)]
        statuses = _multi(query, 'status')
        # The cluster data endpoint documents no status filter (DOC-4.2 700 page): it is ignored there.
        if statuses and not (tenant is None and kind == 'dataBackupTasks'):
            rows = [r for r in rows if r['status'] in statuses]
        return rows

    def page(self, rows, query, required, quirks=None):
        quirks = self.quirks if quirks is None else quirks
        if required and ('page' not in query or 'size' not in query):
            raise ApiFailure(400, 'COM10001', '%s parameter is missing' % ('page' if 'page' not in query else 'size'))
        try:
            number = max(1, int(query.get('page', ['1'])[0]))
            size = min(MAX_SIZE, max(1, int(query.get('size', [str(DEFAULT_SIZE)])[0])))
        except ValueError:
            raise ApiFailure(400, 'COM10001', 'The input parameter page or size is empty or invalid')
        chunk = rows[(number - 1) * size:number * size]
        total_pages = (len(rows) + size - 1) // size
        info = {'number': number, 'size': 2000 if 'wrong_page_size' in quirks else size, 'totalElements': len(rows)}
        info['totalPage' if 'total_page_key' in quirks else 'totalPages'] = total_pages
        if 'no_total' in quirks:
            info = {'number': number, 'size': info['size']}
        return ok({'contents': [_public(r) for r in chunk], 'page': info})


def _public(row):
    """The row without its private keys; task rows keep theirs ready in '_public'."""
    if '_public' in row:
        return row['_public']
    return {k: v for k, v in row.items() if not k.startswith('_')}


def _multi(query, key):
    values = []
    for item in query.get(key, []):
        values.extend(v for v in item.split(',') if v)
    return set(values)


def _name_match(row, query):
    name = (query.get('name') or [''])[0]
    return name.lower() in row['name'].lower()


def _window(query, key):
    if key not in query:
        return None
    text = query[key][0]
    if not _TIME_RE.match(text):
        raise ApiFailure(400, 'COM10001', "The parameter '%s' of value '%s' could not be converted to type 'OffsetDateTime'" % (key, text))
    match = _TIME_RE.match(text)
    stamp = datetime.strptime(text[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc).timestamp()
    zone = match.group(2)
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        stamp -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return stamp


def _data_rows(spec, cluster, tenant, start, fmt, offset, first_id):
    """One row, or `count` rows `every` apart (every `full_every`-th a FULL_BACKUP) from `start`."""
    count = int(spec.get('count', 1))
    every = scenario.seconds(spec.get('every', '1d'))
    begin = start + scenario.seconds(spec.get('start', '-1d'))
    duration = scenario.seconds(spec.get('duration', '20m'))
    full_every = spec.get('full_every')
    for i in range(count):
        t0 = begin + i * every
        kind = spec.get('type', 'FULL_BACKUP')
        if full_every and i % int(full_every) == 0:
            kind = 'FULL_BACKUP'
        status = spec.get('status', 'DONE')
        running = status in ('BEGINNING', 'INITIALIZING', 'DOING', 'CANCELING')
        digits = int(spec.get('digits', 6 if (first_id + i) % 3 else 9))
        yield {
            'backupDimension': 'TENANT', 'taskId': first_id + i, 'backupType': kind, 'taskType': 'BACKUP',
            'clusterName': cluster['name'], 'clusterId': cluster['id'], 'obClusterId': cluster['obClusterId'],
            'obTenantId': tenant['obTenantId'], 'clusterType': cluster['type'], 'tenantId': tenant['id'], 'tenantName': tenant['name'],
            'startTime': scenario.render(t0, _fmt(fmt, i), offset, digits),
            'finishTime': None if running else scenario.render(t0 + duration, _fmt(fmt, i), offset, digits),
            'status': status, 'errorMsg': spec.get('error', 'ObBackupError: backup destination unreachable' if status == 'FAILED' else ''),
            'dataVersion': 0, 'backupUri': 'file:///obbackup/%s/%s/data' % (cluster['name'], tenant['name']), 'dataType': 'DATA',
            'schemaVersion': 0, 'backupSetId': int(spec.get('backup_set_id', first_id + i)), 'backupMode': 'PHYSICAL_BACKUP',
            'dataBackupTaskType': kind, 'dataSecondaryBackupTaskIds': [], 'duration': int(duration),
            '_start': t0,
        }


def _log_row(spec, cluster, tenant, start, fmt, offset):
    created = start + scenario.seconds(spec.get('create', '-30d'))
    checkpoint = start + scenario.seconds(spec.get('checkpoint', '-30s'))
    return {
        'backupDimension': 'TENANT', 'agentServerIp': '127.0.0.1', 'backupMode': 'PHYSICAL_BACKUP',
        'backupUri': 'file:///obbackup/%s/%s/clog' % (cluster['name'], tenant['name']),
        'checkpoint': scenario.render(checkpoint, fmt, offset, 3), 'clusterId': cluster['id'], 'clusterName': cluster['name'],
        'clusterType': cluster['type'], 'createTime': scenario.render(created, fmt, offset, 3),
        'modifyTime': scenario.render(checkpoint, fmt, offset, 3), 'delay': float(spec.get('delay', 30.0)),
        'obClusterId': cluster['obClusterId'], 'obTenantId': tenant['obTenantId'], 'status': spec.get('status', 'RUNNING'),
        'errorMsg': spec.get('error', ''), 'tenantId': tenant['id'], 'tenantName': tenant['name'],
        '_start': created, '_last': checkpoint,
    }


def _fmt(fmt, i):
    if fmt == 'mixed':
        return ('offset_colon', 'offset_nocolon', 'zulu')[i % 3]
    return fmt


# ---- AK/SK (research §1.2)
def canonical_query(raw_query):
    groups = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        groups.setdefault(key, []).append(value)
    items = []
    for key in sorted(groups):
        values = sorted(v for v in groups[key] if v != '')
        items.append('%s=%s' % (quote(key, safe=''), quote(','.join(values), safe='')))
    return '&'.join(items)


def string_to_sign(method, headers, path, raw_query):
    ocp_headers = sorted((k.lower(), v) for k, v in headers.items() if k.lower().startswith('x-ocp'))
    query = canonical_query(raw_query)
    return '\n'.join([
        method.upper(), '', headers.get('Content-Type') or '', headers.get('Date') or '', headers.get('Host') or '',
        '\n'.join('%s:%s' % kv for kv in ocp_headers), path + ('?' + query if query else ''),
    ])


def aksk_signature(secret, message):
    digest = hmac.new(secret.encode('utf-8'), message.encode('utf-8'), hashlib.sha1).digest()
    return base64.b64encode(digest).decode('ascii')


def content_md5(body):
    return hashlib.md5(body).hexdigest().upper().rjust(32, '0') if body else ''
