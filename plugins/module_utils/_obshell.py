# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell agent client: version check, v2 "hybrid encryption" auth header, tenant backup overview.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Protocol (obshell source, 4.2.3 to 4.5): ``X-OCS-Header`` is base64 of the JSON {auth, ts, uri, keys}
RSA PKCS#1 v1.5-encrypted in chunks of at most k-11 bytes with the agent's public key (``/api/v1/secret``,
base64 DER PKCS#1). ``ts`` is a string with the expiry in Unix seconds; ``uri`` must equal the request
target byte for byte.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    InputError,
    NotFoundError,
    OceanBaseError,
    ResponseFormatError,
    UnsupportedError,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._http import (
    HttpClient,
    envelope_data,
    http_argument_spec,
    http_client_kwargs,
    validate_base_url,
    validate_http_options,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import age_seconds, format_utc, parse_timestamp, utcnow

try:
    from requests.auth import AuthBase
except ImportError:
    AuthBase = object

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
except ImportError:
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

OBSHELL_ARGSPEC = dict(
    obshell_url=dict(type='str', required=True, fallback=(env_fallback, ['OBSHELL_URL'])),
    obshell_root_password=dict(type='str', no_log=True, default='', fallback=(env_fallback, ['OBSHELL_ROOT_PASSWORD'])),
)
OBSHELL_ARGSPEC.update(http_argument_spec('OBSHELL'))

HEADER = 'X-OCS-Header'
# Short, so a captured header is useless soon; the agent has no lower bound, so clock skew only matters this way.
HEADER_LIFETIME = 60
MIN_BACKUP_VERSION = (4, 2, 4)
DECRYPT_FAILED = 'Security.Authentication.Header.DecryptFailed'
SUCCEEDED = ('COMPLETED',)
FAILED = ('FAILED',)
FINISHED = ('COMPLETED', 'FAILED', 'CANCELED')
_TIME_FIELDS = ('start_timestamp', 'end_timestamp')
# obshell's own rule for tenant names, without '#', which cannot travel in the URL path.
_TENANT_NAME_RE = re.compile(r'^[A-Za-z0-9_~+-]+$')


def version_tuple(text):
    parts = []
    for piece in str(text or '').split('.')[:3]:
        # ASCII digits only: str.isdigit() also accepts characters such as '²' that int() refuses.
        digits = ''.join(ch for ch in piece if ch in '0123456789')
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (3 - len(parts)))


def encrypt_header(public_key, payload):
    """base64 of the JSON payload RSA PKCS#1 v1.5-encrypted in chunks of at most k-11 bytes (the agent decrypts by k-byte blocks)."""
    plain = json.dumps(payload, separators=(',', ':')).encode('utf-8')
    chunk = public_key.key_size // 8 - 11
    blocks = [public_key.encrypt(plain[i:i + chunk], padding.PKCS1v15()) for i in range(0, len(plain), chunk)]
    return base64.b64encode(b''.join(blocks)).decode('ascii')


def header_payload(password, uri, now=None):
    return {
        'auth': password,
        'ts': str(int(now if now is not None else time.time()) + HEADER_LIFETIME),
        'uri': uri,
        # AES key and IV for a request body; GETs have none, but the agent's SDK always sends them.
        'keys': base64.b64encode(os.urandom(32)).decode('ascii'),
    }


class ObshellAuth(AuthBase):
    """Adds X-OCS-Header to each prepared request, for exactly the target it is sent to."""

    def __init__(self, password, key_source):
        self.password = password
        self.key_source = key_source

    def __call__(self, request):
        request.headers[HEADER] = encrypt_header(self.key_source(), header_payload(self.password, request.path_url))
        return request


class ObshellClient:
    def __init__(self, params, warn=None):
        if CRYPTOGRAPHY_IMPORT_ERROR:
            raise OceanBaseError(missing_required_lib('cryptography', reason='obshell authentication'), exception=CRYPTOGRAPHY_IMPORT_ERROR)
        base_url = validate_base_url(params.get('obshell_url'), 'obshell_url', 'http://10.0.0.1:2886', 'obshell_root_password')
        self._key = None
        self.http = HttpClient(base_url, auth=ObshellAuth(params.get('obshell_root_password') or '', self.public_key),
                               warn=warn, **http_client_kwargs(params))
        # /api/v1/info and /api/v1/secret need no auth; a separate session keeps the header off them.
        self.plain = HttpClient(base_url, warn=None, **http_client_kwargs(params))

    def public_key(self):
        if self._key is None:
            text = envelope_data(self.plain.get('/api/v1/secret'), '/api/v1/secret', required=False).get('public_key')
            try:
                key = serialization.load_der_public_key(base64.b64decode(text))
            except (TypeError, ValueError) as exc:
                raise OceanBaseError('GET /api/v1/secret returned no usable RSA public key (%s)' % exc, path='/api/v1/secret') from None
            # The agent encrypts with RSA only; any other key type cannot build the header.
            if not isinstance(key, RSAPublicKey):
                raise OceanBaseError('GET /api/v1/secret returned a key of type %s, not an RSA public key' % type(key).__name__,
                                     path='/api/v1/secret')
            self._key = key
        return self._key

    def info(self):
        data = envelope_data(self.plain.get('/api/v1/info'), '/api/v1/info', required=False)
        version = data.get('version')
        supported = data.get('supportedAuth') or []
        if not isinstance(supported, list):
            supported = [supported]
        if version_tuple(version) < MIN_BACKUP_VERSION:
            raise UnsupportedError(
                'The obshell agent is version %s; the backup API needs obshell 4.2.4 or later. Upgrade obshell on the node.' % version,
                agent_version=version)
        if supported and 'v2' not in supported:
            raise UnsupportedError('The obshell agent offers auth %s; this module speaks v2 only.' % ', '.join(str(item) for item in supported),
                                   agent_version=version)
        return {'version': version, 'identity': data.get('identity')}

    def get_protected(self, path):
        """GET with the auth header; after a header-decrypt error fetch the key again and retry once (it may have rotated)."""
        try:
            return self.http.get(path)
        except ApiError as exc:
            if not _decrypt_failed(exc):
                raise
        self._key = None
        return self.http.get(path)

    def tenant_backup_overview(self, tenant_name):
        path = '/api/v1/tenant/%s/backup/overview' % tenant_name
        try:
            task = envelope_data(self.get_protected(path), path, required=False).get('status')
        except NotFoundError as exc:
            if _code(exc) in ('Task.NotFound', 2300):
                return None, False
            raise
        if task is not None and not isinstance(task, dict):
            raise ResponseFormatError('GET %s returned "data.status" that is not an object' % path, method='GET', path=path)
        return task, True


def _code(exc):
    error = getattr(exc, 'server_error', None) or {}
    return error.get('errCode') or error.get('code')


def _decrypt_failed(exc):
    error = getattr(exc, 'server_error', None) or {}
    return exc.http_status == 401 and (error.get('errCode') == DECRYPT_FAILED or error.get('code') == 1)


def _explain(exc, tenant_name):
    """A plain cause in front of the server's details for the failures users meet."""
    error = getattr(exc, 'server_error', None) or {}
    # str(): agents send strings here, but an odd value must not turn an explained error into a traceback.
    code, legacy, message = str(error.get('errCode') or ''), error.get('code'), str(error.get('message') or '')
    if code.endswith('IncorrectOceanbasePassword') or (exc.http_status == 401 and legacy == 10008 and not code):
        cause = 'obshell rejected obshell_root_password (the root@sys password of the cluster)'
    elif code == 'OB.Tenant.NotExist' or (legacy == 1001 and 'not found' in message):
        cause = 'tenant %r does not exist in this cluster' % tenant_name
    elif code == 'OB.Tenant.SysOperationNotAllowed':
        cause = 'the sys tenant has no tenant backup overview'
    elif code == 'Agent.Identify.NotSupportOperation' or legacy == 1010:
        cause = 'this obshell agent is not part of a deployed cluster (its identity is not CLUSTER AGENT)'
    elif exc.http_status == 404 and not error:
        cause = 'the agent has no backup overview API (obshell before 4.2.4?)'
    else:
        return exc
    exc.msg = '%s: %s' % (cause, exc.msg)
    return exc


def summarize(task, found, now):
    if not found or not task:
        return None
    status = task.get('status')
    succeeded = status in SUCCEEDED
    failed = status in FAILED
    # Any other status (DOING, BACKUP_DATA_MINOR, ... and values newer agents add) is a task still running.
    in_progress = status not in FINISHED
    start, end = task.get('start_timestamp'), task.get('end_timestamp')
    total, done = task.get('tablet_count'), task.get('finish_tablet_count')
    duration = None
    try:
        if start:
            finish = now if in_progress or not end else parse_timestamp(end)
            duration = age_seconds(start, finish)
    except ValueError:
        duration = None
    return {
        'status': status,
        'succeeded': succeeded,
        'in_progress': in_progress,
        'failed': failed,
        'result': task.get('result'),
        'age_seconds': None if in_progress else age_seconds(end, now),
        'duration_seconds': duration,
        'progress': {
            'finished': done, 'total': total,
            'percent': round(100.0 * done / total, 1) if isinstance(total, int) and total > 0 and isinstance(done, int) else None,
        },
        'encryption_mode': task.get('encryption_mode'),
        'backup_set_id': task.get('backup_set_id'),
    }


def collect_overview(params, warn=None, now=None, client_factory=ObshellClient):
    tenant = (params.get('tenant_name') or '').strip()
    if not tenant:
        raise InputError('tenant_name', 'the name is empty; expected the name of a user tenant')
    if tenant.lower() == 'sys':
        raise InputError('tenant_name', "'sys' has no tenant backup overview; expected the name of a user tenant")
    if not _TENANT_NAME_RE.match(tenant):
        raise InputError('tenant_name', '%r is not a tenant name; expected letters, digits and - _ ~ +' % tenant)
    base_url = validate_base_url(params.get('obshell_url'), 'obshell_url', 'http://10.0.0.1:2886', 'obshell_root_password')
    validate_http_options(params, base_url)
    client = client_factory(params, warn=warn)
    agent = client.info()
    try:
        task, found = client.tenant_backup_overview(tenant)
    except ApiError as exc:
        raise _explain(exc, tenant) from None
    moment = now or utcnow()
    if task:
        task = dict(task)
        for field in _TIME_FIELDS:
            task[field] = format_utc(task.get(field))
    return {
        'found': found,
        'backup_task': task,
        'summary': summarize(task, found, moment),
        'agent': agent,
        'tenant': {'name': tenant},
        'queried_at': format_utc(moment),
    }
