# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP REST API v2 client: connection options, Basic and AK/SK auth, paging, name -> id, backup task queries.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Keep OCP_ARGSPEC in step with plugins/doc_fragments/ocp.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import threading
from email.utils import formatdate
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    InputError,
    NameResolutionError,
    ResponseFormatError,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._facts import (
    DATA_STATUSES,
    LOG_STATUSES,
    SUMMARY_KEYS,
    DataSummary,
    LogSummary,
    normalize,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._http import (
    HttpClient,
    envelope_data,
    http_argument_spec,
    http_client_kwargs,
    validate_base_url,
    validate_http_options,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import (
    format_api_time,
    format_utc,
    parse_time_option,
    utcnow,
)

try:
    from requests.auth import AuthBase, HTTPBasicAuth
except ImportError:  # reported by BackupInfoModule through missing_required_lib
    AuthBase = object
    HTTPBasicAuth = None

OCP_ARGSPEC = dict(
    ocp_url=dict(type='str', required=True, fallback=(env_fallback, ['OCP_URL'])),
    ocp_username=dict(type='str', fallback=(env_fallback, ['OCP_USERNAME'])),
    ocp_password=dict(type='str', no_log=True, fallback=(env_fallback, ['OCP_PASSWORD'])),
    ocp_access_key_id=dict(type='str', no_log=False, fallback=(env_fallback, ['OCP_ACCESS_KEY_ID'])),
    ocp_access_key_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['OCP_ACCESS_KEY_SECRET'])),
)
OCP_ARGSPEC.update(http_argument_spec('OCP'))

# Exactly one auth method, each with both of its values. Checked by validate_auth, not by the argument spec: values
# from the environment count, an empty value counts as missing, and the message says what is accepted.
_AUTH_METHODS = (('ocp_username', 'ocp_password'), ('ocp_access_key_id', 'ocp_access_key_secret'))
_AUTH_ACCEPTED = ('expected ocp_username and ocp_password, or ocp_access_key_id and ocp_access_key_secret '
                  '(options or the OCP_* environment variables)')

# OCP caps page size at 2000; one page per 2000 tasks keeps a fleet audit at a few requests per cluster.
MAX_PAGE_SIZE = 2000
DEFAULT_PAGE_SIZE = MAX_PAGE_SIZE
# A server that never reports the last page must not make a module loop forever.
MAX_PAGES = 10000

AKSK_ALGORITHM = 'OCP-ACCESS-KEY-HMACSHA1'

_PATHS = {
    'data': 'dataBackupTasks',
    'log': 'logBackupTasks',
}


def validate_ocp_url(value, option='ocp_url'):
    """The base URL without a trailing slash; InputError unless it is http(s)://host[:port][/path]."""
    return validate_base_url(value, option, 'https://ocp.example.com:8080',
                             'ocp_username and ocp_password, or ocp_access_key_id and ocp_access_key_secret')


def validate_auth(params):
    """InputError unless exactly one auth method is given with both of its values."""
    basic, aksk = ([name for name in pair if params.get(name)] for pair in _AUTH_METHODS)
    if basic and aksk:
        raise InputError(aksk[0], 'cannot be combined with %s; %s' % (basic[0], _AUTH_ACCEPTED))
    for pair in _AUTH_METHODS:
        given = [name for name in pair if params.get(name)]
        if len(given) == 1:
            missing = pair[1] if given[0] == pair[0] else pair[0]
            raise InputError(missing, 'empty or not set, but %s is; %s' % (given[0], _AUTH_ACCEPTED))
    if not basic and not aksk:
        raise InputError('ocp_username', 'no credentials given; %s' % _AUTH_ACCEPTED)


def validate_connection(params):
    """Check the URL, the credentials and the HTTP options before any request; returns the base URL."""
    base_url = validate_ocp_url(params.get('ocp_url'))
    validate_auth(params)
    validate_http_options(params, base_url)
    return base_url


def validate_page_size(page_size):
    if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InputError('page_size', '%s is out of range; expected an integer from 1 to %d' % (page_size, MAX_PAGE_SIZE))


def aksk_string_to_sign(method, content_md5, content_type, date, host, ocp_headers, uri):
    """The seven-line message of OCP's AK/SK scheme (research/ocp-api.md section 1.2)."""
    lines = '\n'.join('%s:%s' % (key, ocp_headers[key]) for key in sorted(ocp_headers))
    return '\n'.join((method.upper(), content_md5, content_type, date, host, lines, uri))


def aksk_signature(secret, message):
    digest = hmac.new(secret.encode('utf-8'), message.encode('utf-8'), hashlib.sha1).digest()
    return base64.b64encode(digest).decode('ascii')


class OcpAkSkAuth(AuthBase):
    """Signs each prepared request exactly as it goes on the wire: method, body MD5, Content-Type, Date,
    Host (with port), x-ocp-* headers and the request target (path and query)."""

    def __init__(self, access_key_id, access_key_secret, clock=None):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.clock = clock

    def __call__(self, request):
        headers = request.headers
        moment = self.clock() if self.clock else None
        headers['Date'] = formatdate(moment.timestamp() if moment else None, usegmt=True)
        host = headers.get('Host')
        if not host:
            # Set explicitly so urllib3 sends this value and not one without a default port.
            host = headers['Host'] = urlsplit(request.url).netloc.rpartition('@')[2]
        body = request.body
        if isinstance(body, str):
            body = body.encode('utf-8')
        content_md5 = hashlib.md5(body).hexdigest().upper() if body else ''
        ocp_headers = dict((key.lower(), value.strip()) for key, value in headers.items() if key.lower().startswith('x-ocp'))
        message = aksk_string_to_sign(request.method, content_md5, headers.get('Content-Type', ''), headers['Date'],
                                      host, ocp_headers, request.path_url)
        headers['Authorization'] = '%s %s:%s' % (AKSK_ALGORITHM, self.access_key_id,
                                                 aksk_signature(self.access_key_secret, message))
        return request


def task_key(row):
    """Identity of a backup task row for de-duplication across pages; None when a row has no usable identity.

    OCP task ids are per tenant, so the tenant is part of the key. Log rows have no id: their creation
    time stands in for it.
    """
    marker = row.get('taskId')
    if marker is None:
        marker = row.get('createTime')
    if marker is None:
        return None
    return (row.get('tenantId'), row.get('obTenantId'), row.get('tenantName'), row.get('backupSetId'), marker)


def id_key(row):
    return row.get('id')


class OcpClient:
    """The OCP calls the modules and the inventory plugin need."""

    def __init__(self, params, warn=None):
        base_url = validate_ocp_url(params.get('ocp_url'))
        if params.get('ocp_access_key_id'):
            auth = OcpAkSkAuth(params['ocp_access_key_id'], params.get('ocp_access_key_secret') or '')
        else:
            # Bytes, so that a non-Latin-1 password is sent as UTF-8 instead of failing to encode.
            auth = HTTPBasicAuth((params.get('ocp_username') or '').encode('utf-8'), (params.get('ocp_password') or '').encode('utf-8'))
        # OCP documents Content-Type as required even for GET; AK/SK signs it, so it is always the same value.
        headers = {'Content-Type': 'application/json', 'Accept-Language': 'en-US'}
        self.http = HttpClient(base_url, auth=auth, headers=headers, warn=warn, **http_client_kwargs(params))

    @property
    def request_count(self):
        return self.http.request_count

    def close(self):
        self.http.close()

    def get(self, path, params=None):
        return self.http.get(path, params)

    def iter_pages(self, path, params=None, page_size=DEFAULT_PAGE_SIZE, key=task_key, prefetch=False):
        """Yield every row of a paginated list, once each (by ``key``), fetching pages 1, 2, ... until the last.

        Stops on page >= totalPages (or totalPage), on an empty page, or, when the server sends no page count,
        on a page shorter than ``page_size``; page.size is never trusted. Fails instead of looping when the
        server keeps sending full pages.

        With ``prefetch``, once a page shows that another one follows, that one is fetched on a second thread while
        the caller uses the rows of this one: the server's time and the caller's overlap, and no page is asked for
        that the sequential loop would not ask for. Only for a caller that sends no request of its own meanwhile.
        """
        seen = set()
        page = 1
        answer = self.http.get(path, _page_query(params, page, page_size))
        while True:
            contents, info = _page(answer, path)
            rows = []
            for row in contents:
                identity = _hashable(key(row)) if key else None
                if identity is not None:
                    known = len(seen)
                    seen.add(identity)
                    if len(seen) == known:
                        continue
                rows.append(row)
            total = _int(info.get('totalPages'))
            if total is None:
                total = _int(info.get('totalPage'))
            # A short page ends the list only when the server gives no page count: a server that caps
            # the page size below page_size sends short pages that are not the last.
            last = not contents or (total is not None and page >= total) or (total is None and len(contents) < page_size)
            following = None
            if not last and rows and page < MAX_PAGES:
                fetch = functools.partial(self.http.get, path, _page_query(params, page + 1, page_size))
                following = _Background(fetch).result if prefetch else fetch
            contents = answer = None
            yield from rows
            if last:
                return
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
            answer = following()
            page += 1

    def find_cluster(self, name):
        """{id, name, type, ob_cluster_id} of the one cluster named exactly ``name``."""
        rows = list(self.iter_pages('/api/v2/ob/clusters', {'name': name}, page_size=MAX_PAGE_SIZE, key=id_key))
        return _exactly_one(rows, name, 'cluster', 'cluster_name', 'GET /api/v2/ob/clusters?name=%s' % name, _cluster_candidate)

    def find_tenant(self, cluster_id, name):
        """{id, name, ...} of the tenant named exactly ``name`` in the cluster."""
        path = '/api/v2/ob/clusters/%d/tenants' % cluster_id
        rows = list(self.iter_pages(path, {'name': name}, page_size=MAX_PAGE_SIZE, key=id_key))
        return _exactly_one(rows, name, 'tenant', 'tenant_name', 'GET %s?name=%s' % (path, name), _tenant_candidate)

    def list_tenants(self, cluster_id):
        path = '/api/v2/ob/clusters/%d/tenants' % cluster_id
        return [normalize(row) for row in self.iter_pages(path, page_size=MAX_PAGE_SIZE, key=id_key)]

    def get_cluster(self, cluster_id):
        path = '/api/v2/ob/clusters/%d' % cluster_id
        return normalize(envelope_data(self.http.get(path), path))

    def iter_backup_tasks(self, kind, cluster_id, tenant_id=None, params=None, page_size=DEFAULT_PAGE_SIZE):
        """Raw rows of the data or log backup tasks of a tenant, or of a whole cluster without ``tenant_id``, page by page."""
        if tenant_id is None:
            path = '/api/v2/ob/clusters/%d/backup/task/%s' % (cluster_id, _PATHS[kind])
        else:
            path = '/api/v2/ob/clusters/%d/tenants/%d/backup/task/%s' % (cluster_id, tenant_id, _PATHS[kind])
        return self.iter_pages(path, params, page_size=page_size, prefetch=True)


def _int(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):   # OverflowError: Infinity, which Python's JSON parser accepts
        return None


def _hashable(identity):
    """The identity, or None (no de-duplication) when a server sends a list or object as an id."""
    try:
        hash(identity)
    except TypeError:
        return None
    return identity


def _page_query(params, page, page_size):
    query = dict(params or {})
    query.update(page=page, size=page_size)
    return query


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


def _cluster_candidate(row):
    return {'id': row.get('id'), 'name': row.get('name'), 'type': row.get('type'), 'ob_cluster_id': row.get('obClusterId')}


def _tenant_candidate(row):
    return {'id': row.get('id'), 'name': row.get('name'), 'cluster_name': row.get('clusterName'),
            'cluster_type': row.get('clusterType'), 'ob_tenant_id': row.get('obTenantId')}


def _describe(candidate):
    extras = ', '.join('%s %s' % (key, value) for key, value in candidate.items() if key not in ('id', 'name') and value is not None)
    return 'id %s %r%s' % (candidate['id'], candidate['name'], ' (%s)' % extras if extras else '')


def _exactly_one(rows, name, what, option, searched, candidate):
    # OCP's name= filter is a case-insensitive substring match: only an exact name counts.
    matches = [candidate(row) for row in rows if row.get('name') == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NameResolutionError(
            '%s %r is ambiguous: %d %ss have this name: %s. Use %s_id to pick one.' % (
                option, name, len(matches), what, '; '.join(_describe(match) for match in matches), what),
            option=option, candidates=matches,
        )
    similar = [candidate(row) for row in rows]
    hint = ' Names that contain it: %s.' % '; '.join(_describe(item) for item in similar[:20]) if similar else ''
    raise NameResolutionError('No OCP %s is named exactly %r (searched %s).%s' % (what, name, searched, hint),
                              option=option, candidates=similar)


def _check_positive(params, option):
    value = params.get(option)
    if value is not None and value <= 0:
        raise InputError(option, '%s is not a valid id; expected an integer greater than 0' % value)


def _statuses(values, kind, warn):
    """Documented values upper-cased; other values warned about and passed on as given."""
    if not values:
        return None
    known = DATA_STATUSES if kind == 'data' else LOG_STATUSES
    result = []
    unknown = []
    for value in values:
        text = str(value).strip()
        if not text:
            raise InputError('status', 'empty status value; expected any of %s' % ', '.join(known))
        if text.upper() in known:
            result.append(text.upper())
        else:
            unknown.append(text)
            result.append(text)
    if unknown:
        warn('status %s %s not documented for OCP %s backup tasks (documented: %s); passed on as given.' % (
            ', '.join(unknown), 'is' if len(unknown) == 1 else 'are', kind, ', '.join(known)))
    return sorted(set(result))


def validate_query(params, kind, warn, now):
    """Check every option of a backup task query before any request; returns the query to send."""
    validate_connection(params)
    for option in ('cluster_id', 'tenant_id', 'backup_set_id'):
        _check_positive(params, option)
    for option in ('cluster_name', 'tenant_name'):
        if params.get(option) is not None and not params[option].strip():
            raise InputError(option, 'the name is empty; expected the exact name shown in OCP')
    validate_page_size(params.get('page_size'))
    start = parse_time_option(params['start_time'], 'start_time', now) if params.get('start_time') is not None else None
    end = parse_time_option(params['end_time'], 'end_time', now) if params.get('end_time') is not None else None
    if start is not None and end is not None and end < start:
        raise InputError('end_time', '%s is before start_time %s; expected end_time >= start_time' % (format_utc(end), format_utc(start)))
    return {
        'startTime': format_api_time(start) if start is not None else None,
        'endTime': format_api_time(end) if end is not None else None,
        'status': _statuses(params.get('status'), kind, warn),
        'backupSetId': params.get('backup_set_id') if kind == 'data' else None,
    }


def _first(rows, key):
    for row in rows:
        value = row.get(key)
        if value not in (None, ''):
            return value
    return None


def collect_backup_tasks(params, kind, warn=None, now=None, client_factory=OcpClient):
    """The whole work of ocp_data_backup_tasks_info (kind 'data') and ocp_log_backup_tasks_info (kind 'log')."""
    warn = warn or (lambda message: None)
    now = now or utcnow()
    query = validate_query(params, kind, warn, now)
    client = client_factory(params, warn=warn)
    try:
        return _collect(client, params, kind, query, now)
    finally:
        client.close()


def _collect(client, params, kind, query, now):
    if params.get('cluster_id') is not None:
        cluster = {'id': params['cluster_id'], 'name': None}
    else:
        cluster = client.find_cluster(params['cluster_name'])
        cluster = {'id': cluster['id'], 'name': cluster['name']}
    tenant = None
    if params.get('tenant_id') is not None:
        tenant = {'id': params['tenant_id'], 'name': None}
    elif params.get('tenant_name') is not None:
        found = client.find_tenant(cluster['id'], params['tenant_name'])
        tenant = {'id': found['id'], 'name': found['name']}

    send = dict(query)
    tenants = None
    if tenant is None:
        # The cluster endpoints have no status filter: it is applied below.
        send['status'] = None
        tenants = client.list_tenants(cluster['id'])
        cluster['name'] = cluster['name'] or _first(tenants, 'cluster_name')
    # Each row goes from its page to the summary: no list of raw rows is kept, and no task list without return_tasks.
    summary = DataSummary() if kind == 'data' else LogSummary()
    tasks = [] if params.get('return_tasks', True) else None
    # Without the task list only what the summary reads is taken, and its times are read but not rewritten.
    keep, times = (None, True) if tasks is not None else (SUMMARY_KEYS, False)
    wanted = _wanted(query)
    names = {'cluster_name': None, 'tenant_name': None}
    for row in client.iter_backup_tasks(kind, cluster['id'], tenant and tenant['id'], send, page_size=params['page_size']):
        task = normalize(row, keep, times)
        if wanted is not None and not wanted(task):
            continue
        summary.add(task)
        if tasks is not None:
            tasks.append(task)
        if names['cluster_name'] is None or names['tenant_name'] is None:
            _remember_names(names, task)

    cluster['name'] = cluster['name'] or names['cluster_name']
    if tenant is not None:
        tenant['name'] = tenant['name'] or names['tenant_name']
        if tenant['name'] is None:
            # Nothing in the window carried the names: one lookup, which also proves the ids exist.
            listed = client.list_tenants(cluster['id'])
            match = [item for item in listed if item.get('id') == tenant['id']]
            if not match:
                raise NameResolutionError(
                    'tenant_id %s is not a tenant of cluster %s (searched GET /api/v2/ob/clusters/%s/tenants); its tenants: %s' % (
                        tenant['id'], cluster['id'], cluster['id'],
                        ', '.join('%s (id %s)' % (item.get('name'), item.get('id')) for item in listed[:50]) or 'none'),
                    option='tenant_id', candidates=[{'id': item.get('id'), 'name': item.get('name')} for item in listed],
                )
            tenant['name'] = match[0].get('name')
            cluster['name'] = cluster['name'] or match[0].get('cluster_name')
        tenants = [tenant]
    if cluster['name'] is None:
        cluster['name'] = client.get_cluster(cluster['id']).get('name')

    result = {
        'summary': summary.result(now, [{'id': item.get('id'), 'name': item.get('name')} for item in tenants]),
        'cluster': cluster,
        'tenant': tenant,
        'queried_at': format_utc(now),
    }
    if tasks is not None:
        result['tasks'] = tasks
    return result


def _remember_names(names, task):
    """Keep the first non-empty cluster and tenant name the tasks carry."""
    for key in names:
        if names[key] is None and task.get(key) not in (None, ''):
            names[key] = task[key]


def _wanted(query):
    """The filters applied client-side too (the cluster endpoints lack ``status``, an older server may ignore one),
    as a test of one normalized task; None when there is nothing to filter."""
    statuses = query.get('status')
    statuses = frozenset(value.upper() for value in statuses) if statuses else None
    backup_set_id = query.get('backupSetId')
    if statuses is None and backup_set_id is None:
        return None

    def wanted(task):
        if statuses is not None and str(task.get('status')).upper() not in statuses:
            return False
        return backup_set_id is None or task.get('backup_set_id') == backup_set_id
    return wanted


def backup_tasks_argument_spec(kind):
    """Options of ocp_data_backup_tasks_info ('data') and ocp_log_backup_tasks_info ('log')."""
    spec = dict(OCP_ARGSPEC)
    spec.update(
        cluster_id=dict(type='int'),
        cluster_name=dict(type='str'),
        tenant_id=dict(type='int'),
        tenant_name=dict(type='str'),
        start_time=dict(type='str'),
        end_time=dict(type='str'),
        status=dict(type='list', elements='str'),
        page_size=dict(type='int', default=DEFAULT_PAGE_SIZE),
        return_tasks=dict(type='bool', default=True),
    )
    if kind == 'data':
        spec['backup_set_id'] = dict(type='int')
    return spec


def backup_tasks_module_kwargs():
    """The option rules of both backup task modules, for BackupInfoModule(**...)."""
    return dict(
        mutually_exclusive=[('cluster_id', 'cluster_name'), ('tenant_id', 'tenant_name')],
        required_one_of=[('cluster_id', 'cluster_name')],
    )
