# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of the HTTP layer that every backend shares: their argument spec, their checks, and the HttpClient
arguments they give.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The checks run before any request, so that bad input fails naming the option and what is accepted.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError

# Longest request_timeout: far beyond any useful wait for one answer, and below what the socket layer overflows on.
MAX_TIMEOUT = 3600


def http_argument_spec(env_prefix):
    """TLS, timeout and retry options shared by every backend; ``env_prefix`` is OCP or OBSHELL."""
    return dict(
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['%s_VALIDATE_CERTS' % env_prefix])),
        ca_path=dict(type='path'),
        client_cert=dict(type='path'),
        client_key=dict(type='path', no_log=False),
        request_timeout=dict(type='float', default=30.0),
        retries=dict(type='int', default=3),
    )


def http_client_kwargs(params):
    """The HttpClient keyword arguments taken from module or plugin options."""
    return dict(
        validate_certs=params.get('validate_certs', True),
        ca_path=params.get('ca_path'),
        client_cert=params.get('client_cert'),
        client_key=params.get('client_key'),
        timeout=params.get('request_timeout') or 30.0,
        retries=params.get('retries') if params.get('retries') is not None else 3,
    )


def validate_base_url(value, option, example, credentials_options, env=None):
    """The base URL without a trailing slash; InputError unless it is http(s)://host[:port][/path].

    ``env`` names the environment variable the option falls back to: a missing value says to set either.
    """
    accepted = 'expected an http:// or https:// URL with a host, for example %s' % example
    if env and (value is None or (isinstance(value, str) and not value.strip())):
        raise InputError(option, 'not set; set %s or the %s environment variable; %s' % (option, env, accepted))
    text = value.strip() if isinstance(value, str) else ''
    parts = urlsplit(text)
    if '@' in parts.netloc:
        # Never echo the value: it holds credentials.
        raise InputError(option, 'credentials in the URL are not accepted; use %s (%s)' % (credentials_options, accepted))
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme.lower() not in ('http', 'https'):
        problem = 'has no http:// or https:// scheme'
    elif not parts.hostname or re.search(r'\s', parts.netloc):
        problem = 'has no valid host'
    elif not port_ok:
        problem = 'has a port outside 1-65535'
    elif parts.query or parts.fragment:
        problem = 'has a query or fragment'
    else:
        return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path.rstrip('/'), '', ''))
    raise InputError(option, '%r %s; %s' % (value, problem, accepted))


def validate_http_options(params, base_url):
    """InputError for a timeout, retry count or TLS file the HTTP layer could not use; never sends anything."""
    timeout = params.get('request_timeout')
    if timeout is not None and not (0 < timeout <= MAX_TIMEOUT):
        raise InputError('request_timeout', '%s is not a usable timeout; expected a number of seconds greater than 0 and at most %d' % (
            timeout, MAX_TIMEOUT))
    if params.get('retries') is not None and params['retries'] < 0:
        raise InputError('retries', '%s is negative; expected 0 or more' % params['retries'])
    if params.get('client_key') and not params.get('client_cert'):
        raise InputError('client_key', 'set without client_cert; expected client_cert with the certificate as well')
    if not base_url.startswith('https://'):
        return
    # requests would raise a bare OSError for these on the first request.
    for option, content in (('ca_path', 'CA certificates'), ('client_cert', 'the client certificate'), ('client_key', 'the private key')):
        path = params.get(option)
        if path and not (os.path.isfile(path) and os.access(path, os.R_OK)):
            raise InputError(option, '%s is not a readable file; expected a PEM file with %s' % (path, content))
