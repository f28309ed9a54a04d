# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP connection options and authentication: HTTP Basic, or AK/SK request signing (HMAC-SHA1).

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Keep OCP_ARGSPEC in step with plugins/doc_fragments/ocp_connection.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from email.utils import formatdate
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._http_options import (
    http_argument_spec,
    validate_base_url,
    validate_http_options,
)

try:
    from requests.auth import AuthBase, HTTPBasicAuth
except ImportError:  # reported by BackupInfoModule through missing_required_lib
    AuthBase = object
    HTTPBasicAuth = None

# ocp_url is not `required`: it may come from the environment or module_defaults, and is checked by
# validate_connection once the fallback has run, with a message that names OCP_URL.
OCP_ARGSPEC = dict(
    ocp_url=dict(type='str', fallback=(env_fallback, ['OCP_URL'])),
    ocp_username=dict(type='str', fallback=(env_fallback, ['OCP_USERNAME'])),
    ocp_password=dict(type='str', no_log=True, fallback=(env_fallback, ['OCP_PASSWORD'])),
    ocp_access_key_id=dict(type='str', no_log=False, fallback=(env_fallback, ['OCP_ACCESS_KEY_ID'])),
    ocp_access_key_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['OCP_ACCESS_KEY_SECRET'])),
)
OCP_ARGSPEC.update(http_argument_spec('OCP'))

# Exactly one auth method, each with both of its values. Checked by validate_auth, not by the argument spec: values
# from the environment count, an empty value counts as missing, and the message says what is accepted.
_AUTH_METHODS = (('ocp_username', 'ocp_password'), ('ocp_access_key_id', 'ocp_access_key_secret'))
_AUTH_OPTIONS = 'ocp_username and ocp_password, or ocp_access_key_id and ocp_access_key_secret'
_AUTH_ACCEPTED = 'expected %s (options or the OCP_* environment variables)' % _AUTH_OPTIONS

AKSK_ALGORITHM = 'OCP-ACCESS-KEY-HMACSHA1'


def validate_ocp_url(value):
    """The base URL without a trailing slash; InputError unless it is http(s)://host[:port][/path]."""
    return validate_base_url(value, 'ocp_url', 'https://ocp.example.com:8080', _AUTH_OPTIONS, env='OCP_URL')


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


def ocp_auth(params):
    """The requests auth of the method the options give (validate_auth has checked that there is one)."""
    if params.get('ocp_access_key_id'):
        return OcpAkSkAuth(params['ocp_access_key_id'], params.get('ocp_access_key_secret') or '')
    # Bytes, so that a non-Latin-1 password is sent as UTF-8 instead of failing to encode.
    return HTTPBasicAuth((params.get('ocp_username') or '').encode('utf-8'), (params.get('ocp_password') or '').encode('utf-8'))


def aksk_string_to_sign(method, content_md5, content_type, date, host, ocp_headers, uri):
    """The seven-line message of OCP's AK/SK scheme."""
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
