# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The obshell agent client: connection options, version check, the v2 "hybrid encryption" auth header, GETs.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Protocol (obshell source, 4.2.3 to 4.5): ``X-OCS-Header`` is base64 of the JSON {auth, ts, uri, keys}
RSA PKCS#1 v1.5-encrypted in chunks of at most k-11 bytes with the agent's public key (``/api/v1/secret``,
base64 DER PKCS#1). ``ts`` is a string with the expiry in Unix seconds; ``uri`` must equal the request
target byte for byte. Keep OBSHELL_ARGSPEC in step with plugins/doc_fragments/obshell_connection.py.
"""

from __future__ import annotations

import base64
import json
import os
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, OceanBaseError, UnsupportedError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import HttpClient, envelope_data
from ansible_collections.oceanbase.backup.plugins.module_utils._http_options import (
    http_argument_spec,
    http_client_kwargs,
    validate_base_url,
    validate_http_options,
)

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

# obshell_url is not `required`: it may come from the environment or module_defaults, and is checked by
# validate_connection once the fallback has run, with a message that names OBSHELL_URL.
OBSHELL_ARGSPEC = dict(
    obshell_url=dict(type='str', fallback=(env_fallback, ['OBSHELL_URL'])),
    obshell_root_password=dict(type='str', no_log=True, default='', fallback=(env_fallback, ['OBSHELL_ROOT_PASSWORD'])),
)
OBSHELL_ARGSPEC.update(http_argument_spec('OBSHELL'))

HEADER = 'X-OCS-Header'
# Short, so a captured header is useless soon; the agent has no lower bound, so clock skew only matters this way.
HEADER_LIFETIME = 60
MIN_BACKUP_VERSION = (4, 2, 4)
DECRYPT_FAILED = 'Security.Authentication.Header.DecryptFailed'


def validate_connection(params):
    """Check the URL and the HTTP options before any request; returns the base URL."""
    base_url = validate_base_url(params.get('obshell_url'), 'obshell_url', 'http://10.0.0.1:2886', 'obshell_root_password',
                                 env='OBSHELL_URL')
    validate_http_options(params, base_url)
    return base_url


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
    """The agent calls the modules need: info() first, then get_data() for every protected route."""

    def __init__(self, params, warn=None):
        if CRYPTOGRAPHY_IMPORT_ERROR:
            raise OceanBaseError(missing_required_lib('cryptography', reason='obshell authentication'), exception=CRYPTOGRAPHY_IMPORT_ERROR)
        base_url = validate_connection(params)
        self._key = None
        self.http = HttpClient(base_url, auth=ObshellAuth(params.get('obshell_root_password') or '', self.public_key),
                               warn=warn, **http_client_kwargs(params))
        # /api/v1/info and /api/v1/secret need no auth; a separate session keeps the header off them.
        self.plain = HttpClient(base_url, warn=None, **http_client_kwargs(params))

    def close(self):
        self.http.close()
        self.plain.close()

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
        """{version, identity} of an agent with the backup API; UnsupportedError for an older one."""
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

    def get_protected(self, path, params=None):
        """GET with the auth header; after a header-decrypt error fetch the key again and retry once (it may have rotated)."""
        try:
            return self.http.get(path, params)
        except ApiError as exc:
            if not decrypt_failed(exc):
                raise
        self._key = None
        return self.http.get(path, params)

    def get_data(self, path, params=None):
        """The ``data`` object of a protected GET ({} when the agent omits it)."""
        return envelope_data(self.get_protected(path, params), path, required=False)


def server_code(exc):
    """The agent's error code of an ApiError: errCode (4.3.1+) or the legacy integer code."""
    error = getattr(exc, 'server_error', None) or {}
    return error.get('errCode') or error.get('code')


def decrypt_failed(exc):
    error = getattr(exc, 'server_error', None) or {}
    return exc.http_status == 401 and (error.get('errCode') == DECRYPT_FAILED or error.get('code') == 1)
