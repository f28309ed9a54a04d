# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OCP REST API v2: clusters, tenants, backup task lists, Basic and AK/SK auth, envelopes and errors.

Built from the reference pages and the OCP protocol notes of the project; README.md lists what it answers.
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
from obsim.ocp_rows import TASK_ENDPOINTS, cluster_row, data_rows, literal_row, log_row, tenant_row
from obsim.restore_rows import ocp_restore_rows, strategy_row

MAX_SIZE = 2000          # OCP caps size at 2000 (larger values are clamped silently)
DEFAULT_SIZE = 20        # Spring's default page size
_TIME_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$')
# Every quirk an OCP list answer may have (README.md, "Quirks").
QUIRKS = frozenset(('total_page_key', 'wrong_page_size', 'no_total'))
# The cluster data endpoint documents no status filter: it ignores one.
_NO_STATUS_FILTER = frozenset(['dataBackupTasks', 'restoreTasks'])
# How OCP says a tenant has no backup strategy: the error BAK21006 (documented), or data null or {} (other versions).
_NO_STRATEGY = ('error', 'null', 'empty')


class Ocp:
    def __init__(self, doc, start):
        self.doc = doc or {}
        self.start = start
        self.users = self.doc.get('users') or [{'username': 'admin', 'password': 'Adm1n-sim'}]
        self.quirks = set(self.doc.get('quirks') or [])
        self.max_page_size = int(self.doc.get('max_page_size', MAX_SIZE))
        self.fmt = self.doc.get('time_format', 'offset_colon')
        self.offset = self.doc.get('timezone', '+08:00')
        self.extra_fields = dict(self.doc.get('extra_fields') or {})
        self.clusters = []
        self.tenants = []
        self._tenant_names = {}   # (cluster id, tenant name) -> the first tenant row of that name
        self.tasks = dict((endpoint, {}) for endpoint in TASK_ENDPOINTS)   # endpoint -> cluster id -> rows, newest first
        self._filtered = {}
        self._task_id = 1
        self.strategies = {}   # tenant id -> OcpBackupStrategy row
        self.no_strategy = self.doc.get('no_strategy', 'error')
        if self.no_strategy not in _NO_STRATEGY:
            raise ValueError('no_strategy %r; known: %s' % (self.no_strategy, ', '.join(_NO_STRATEGY)))
        # Lists whose generated rows still await their newest-first sort (sorted once, not after every tenant).
        self._unsorted = set()
        for spec in self.doc.get('clusters') or []:
            self.add_cluster(spec)
        # Restores name their source by cluster and tenant name: added once every cluster is known.
        for spec in self.doc.get('clusters') or []:
            for item in spec.get('restores') or []:
                self.add_restores(spec['id'], item)
        self._settle()

    # ---- the fleet: a scenario builds it through these, and so may a test at any time
    def add_cluster(self, spec):
        """A cluster row (``spec`` as in a scenario: id, name, type, ...) with its tenants and tasks."""
        cluster = cluster_row(spec, self.start, self.offset)
        self.clusters.append(cluster)
        for endpoint in TASK_ENDPOINTS:
            self.tasks[endpoint].setdefault(cluster['id'], [])
        for tenant in spec.get('tenants') or []:
            self.add_tenant(cluster['id'], tenant, time_format=spec.get('time_format'))
        for endpoint, rows in (spec.get('tasks') or {}).items():
            self.add_tasks(endpoint, cluster['id'], rows)
        return cluster

    def add_tenant(self, cluster_id, spec, time_format=None):
        """A tenant row of the cluster, with the tasks its ``data_tasks`` and ``log_tasks`` generate."""
        cluster = self.cluster(str(cluster_id))
        tenant = tenant_row(spec, cluster)
        self.tenants.append(tenant)
        self._tenant_names.setdefault((cluster['id'], tenant['name']), tenant)
        cluster['tenantCount'] += 1
        fmt = time_format or self.fmt
        generated = {'dataBackupTasks': [], 'logBackupTasks': []}
        for item in spec.get('data_tasks') or []:
            rows = list(data_rows(item, cluster, tenant, self.start, fmt, self.offset, self._task_id))
            self._task_id += len(rows)
            generated['dataBackupTasks'].extend(rows)
        for item in spec.get('log_tasks') or []:
            generated['logBackupTasks'].append(log_row(item, cluster, tenant, self.start, fmt, self.offset))
        for endpoint, rows in generated.items():
            if self.extra_fields:
                rows = [dict(row, **self.extra_fields) for row in rows]
            self._store(endpoint, cluster['id'], rows)
        if spec.get('backup_strategy'):
            self.strategies[tenant['id']] = strategy_row(spec['backup_strategy'], cluster, tenant, self.start, self.offset)
        return tenant

    def add_restores(self, cluster_id, spec):
        """Restore tasks run on the cluster, from the backups of the tenant ``spec['source']`` names."""
        cluster = self.cluster(str(cluster_id))
        rows = list(ocp_restore_rows(spec, cluster, self.start, self.offset, self._task_id, self._source_ids))
        self._task_id += len(rows)
        self._store('restoreTasks', cluster['id'], rows)

    def _source_ids(self, cluster_name, tenant_name):
        # Through an index by name: a generated fleet has a drill for each of its 50,000 tenants.
        cluster = next((c for c in self.clusters if c['name'] == cluster_name), {})
        tenant = self._tenant_names.get((cluster.get('id'), tenant_name), {})
        return cluster.get('id'), tenant.get('id'), cluster.get('obClusterId'), tenant.get('obTenantId')

    def strategy(self, cluster, tenant):
        """The backupStrategy answer: one tenant's strategy, or the list of a cluster's."""
        if tenant is None:
            return ok([row for row in (self.strategies.get(t['id']) for t in self.tenants if t['clusterId'] == cluster['id']) if row])
        row = self.strategies.get(tenant['id'])
        if row is not None:
            return ok(row)
        if self.no_strategy == 'error':
            raise ApiFailure(400, 'BAK21006', 'Backup strategy of tenant %s does not exist' % tenant['name'])
        return ok(None if self.no_strategy == 'null' else {})

    def add_tasks(self, endpoint, cluster_id, rows):
        """API rows of a task list, sent exactly as given (a tenant's rows carry its tenantId)."""
        if endpoint not in self.tasks:
            raise ValueError('unknown task endpoint %r; known: %s' % (endpoint, ', '.join(TASK_ENDPOINTS)))
        self._store(endpoint, cluster_id, [literal_row(endpoint, row) for row in rows], keep_order=True)

    def _store(self, endpoint, cluster_id, rows, keep_order=False):
        if keep_order:
            # Rows given as they are go after the rows stored so far, in the order those have once sorted.
            self._settle()
        stored = self.tasks[endpoint].setdefault(cluster_id, [])
        stored.extend(rows)
        if rows and not keep_order:
            # Generated rows come newest first, as OCP lists them; rows given as they are keep their order.
            self._unsorted.add((endpoint, cluster_id))
        for row in rows:
            row['_public'] = _public(row)
        self._filtered.clear()

    def _settle(self):
        """Sort the lists that got generated rows: one stable sort gives the order a sort after every addition gave."""
        for endpoint, cluster_id in self._unsorted:
            self.tasks[endpoint][cluster_id].sort(key=_newest_first)
        self._unsorted.clear()

    # ---- auth (Basic, and OCP's AK/SK signature)
    def authenticate(self, req):
        header = req.headers.get('Authorization') or ''
        if header.startswith('Basic '):
            try:
                user, _sep, password = base64.b64decode(header[6:]).decode('utf-8').partition(':')
            except ValueError:
                user = password = None
            for u in self.users:
                if u.get('username') == user and u.get('password') == password:
                    return u
            raise ApiFailure(401, 'IAM10004', 'Invalid username or password')
        if header.startswith('OCP-ACCESS-KEY-HMACSHA1 '):
            return self._access_key_user(req, header[len('OCP-ACCESS-KEY-HMACSHA1 '):])
        raise ApiFailure(401, 'IAM10000', 'You are not logged in or your login has expired')

    def _access_key_user(self, req, credentials):
        ak, _sep, signature = credentials.partition(':')
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
        if parts[:3] != ['api', 'v2', 'ob']:
            raise ApiFailure(404, 'COM10404', 'No handler found for GET %s' % path)
        rest = parts[3:]
        if rest == ['clusters']:
            statuses = _multi(req.params, 'status')
            rows = [_public(c) for c in self.clusters if _name_match(c, req.params) and (not statuses or c['status'] in statuses)]
            return self.page(rows, req, required=False)
        if rest == ['tenants']:
            return self.page([t for t in self.tenants if _name_match(t, req.params)], req, required=False)
        if len(rest) >= 2 and rest[0] == 'clusters':
            return self._cluster_route(self.cluster(rest[1]), rest[2:], req)
        raise ApiFailure(404, 'COM10404', 'No handler found for GET %s' % path)

    def _cluster_route(self, cluster, tail, req):
        if not tail:
            return ok(_public(cluster))
        if tail == ['tenants']:
            rows = [t for t in self.tenants if t['clusterId'] == cluster['id'] and _name_match(t, req.params)]
            return self.page(rows, req, required=False)
        if tail[:2] == ['backup', 'task'] and len(tail) == 3:
            return self.task_list(cluster, None, tail[2], req)
        if tail == ['backup', 'config', 'backupStrategy']:
            return self.strategy(cluster, None)
        if tail[0] == 'tenants' and len(tail) >= 2:
            tenant = self.tenant(cluster, tail[1])
            if len(tail) == 2:
                return ok(tenant)
            if tail[2:4] == ['backup', 'task'] and len(tail) == 5:
                return self.task_list(cluster, tenant, tail[4], req)
            if tail[2:] == ['backup', 'config', 'backupStrategy']:
                return self.strategy(cluster, tenant)
        raise ApiFailure(404, 'COM10404', 'No handler found for GET %s' % req.path)

    def cluster(self, text):
        cluster = next((c for c in self.clusters if str(c['id']) == text), None)
        if cluster is None:
            raise ApiFailure(404, 'OBE11001', 'The specified cluster with the ID of %s does not exist' % text)
        return cluster

    def tenant(self, cluster, text):
        tenant = next((t for t in self.tenants if str(t['id']) == text and t['clusterId'] == cluster['id']), None)
        if tenant is None:
            # An unknown tenant id is an ILLEGAL_ARGUMENT in the OCP framework, i.e. 400.
            raise ApiFailure(400, 'OBE21003', 'The tenant with the ID of %s does not exist' % text)
        return tenant

    def task_list(self, cluster, tenant, endpoint, req):
        if endpoint not in self.tasks:
            raise ApiFailure(404, 'COM10404', 'No handler found')
        query = req.params
        start, end = _window(query, 'startTime'), _window(query, 'endTime')
        quirks = self.quirks | set(cluster.get('_quirks', ()))
        # The rows never change once loaded: the pages of one query share one filtered list (a large fleet
        # would otherwise be filtered again for every page, and the simulator would hide the client's cost).
        key = (cluster['id'], tenant and tenant['id'], endpoint, start, end, tuple(query.get('backupSetId') or ()),
               tuple(sorted(_multi(query, 'status'))))
        rows = self._filtered.get(key)
        if rows is None:
            if len(self._filtered) >= 64:
                self._filtered.clear()
            rows = self._filtered[key] = self._filter(cluster, tenant, endpoint, query, start, end)
        return self.page(rows, req, required=tenant is None, quirks=quirks)

    def _filter(self, cluster, tenant, endpoint, query, start, end):
        self._settle()
        rows = self.tasks[endpoint].get(cluster['id'], [])
        if endpoint == 'restoreTasks' and tenant is not None:
            # A tenant's restores are those of its backups, into whichever cluster they went.
            rows = [r for stored in self.tasks[endpoint].values() for r in stored if r.get('backupTenantId') == tenant['id']]
        elif tenant is not None:
            rows = [r for r in rows if r.get('tenantId') == tenant['id']]
        # A data task matches a window by its start; a log task (an archiving round) matches a window it overlaps.
        last = '_last' if endpoint == 'logBackupTasks' else '_start'
        rows = [r for r in rows if (end is None or r['_start'] is None or r['_start'] <= end)
                and (start is None or r[last] is None or r[last] >= start)]
        set_id = query.get('backupSetId')
        if set_id and endpoint == 'dataBackupTasks':
            rows = [r for r in rows if str(r.get('backupSetId')) == set_id[0]]
        statuses = _multi(query, 'status')
        if statuses and not (tenant is None and endpoint in _NO_STATUS_FILTER):
            rows = [r for r in rows if r.get('status') in statuses]
        return rows

    def page(self, rows, req, required, quirks=None):
        """One page of a list, with the scenario's quirks and the paging faults of this request (req.paging)."""
        quirks = self.quirks if quirks is None else quirks
        query, paging = req.params, getattr(req, 'paging', None) or {}
        if required and ('page' not in query or 'size' not in query):
            raise ApiFailure(400, 'COM10001', '%s parameter is missing' % ('page' if 'page' not in query else 'size'))
        try:
            number = max(1, int(query.get('page', ['1'])[0]))
            size = min(self.max_page_size, max(1, int(query.get('size', [str(DEFAULT_SIZE)])[0])))
        except ValueError:
            raise ApiFailure(400, 'COM10001', 'The input parameter page or size is empty or invalid') from None
        served = 1 if paging.get('ignored') else number
        # A row inserted on top after page 1: every later page starts with the last row of the page before.
        first = (served - 1) * size - (1 if paging.get('shift') and served > 1 else 0)
        chunk = rows[first:first + size]
        total_pages = (len(rows) + size - 1) // size + (1 if paging.get('pages') == 'one_more' else 0)
        info = {'number': number, 'size': _shown_size(size) if 'wrong_page_size' in quirks else size, 'totalElements': len(rows)}
        info['totalPage' if 'total_page_key' in quirks else 'totalPages'] = total_pages
        if 'no_total' in quirks or paging.get('pages') == 'missing':
            info = {'number': number, 'size': info['size']}
        return ok({'contents': [_public(r) for r in chunk], 'page': info})


def _shown_size(size):
    """The page.size of the documented sample that asked for 10: 2000 (20, Spring's default, when 2000 was asked)."""
    return DEFAULT_SIZE if size == MAX_SIZE else MAX_SIZE


def _public(row):
    """The row without its private keys; task rows keep theirs ready in '_public'."""
    if '_public' in row:
        return row['_public']
    public = row.copy()
    for key in [key for key in row if key[:1] == '_']:
        del public[key]
    return public


def _newest_first(row):
    return -(row['_start'] or 0)


def _multi(query, key):
    values = []
    for item in query.get(key, []):
        values.extend(v for v in item.split(',') if v)
    return set(values)


def _name_match(row, query):
    name = (query.get('name') or [''])[0]
    return name.lower() in str(row['name']).lower()


def _window(query, key):
    if key not in query:
        return None
    text = query[key][0]
    match = _TIME_RE.match(text)
    if not match:
        raise ApiFailure(400, 'COM10001', "The parameter '%s' of value '%s' could not be converted to type 'OffsetDateTime'" % (key, text))
    stamp = datetime.strptime(text[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc).timestamp()
    zone = match.group(2)
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        stamp -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return stamp


# ---- AK/SK: the string to sign and its HMAC-SHA1
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
