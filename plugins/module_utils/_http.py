# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP layer: a requests Session with retries, TLS options, timeouts and envelope checks.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

OCP and obshell share the envelope ``{successful, status, traceId, data, error: {code, errCode, message}}``,
so both clients get their errors turned into the exceptions of ``_errors`` here.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import traceback
from urllib.parse import quote, urlsplit, urlunsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    InputError,
    NotFoundError,
    ResponseFormatError,
    TransportError,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import NewConnectionError, TimeoutError as Urllib3Timeout
    from urllib3.util.retry import Retry
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    Retry = object
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

# 500 is retried too: OCP answers it for transient OceanBase failures, and only idempotent GETs are retried.
RETRY_STATUSES = (429, 500, 502, 503, 504)
# Longest wait a server may ask for through Retry-After or RateLimit-Reset; a longer ask is cut to this.
MAX_RETRY_WAIT = 60.0
BACKOFF_FACTOR = 0.5
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


def canonical_query(params):
    """Query string with sorted keys, None dropped, list values sorted and comma-joined, all percent-encoded.

    This exact string goes on the wire, so what OCP's AK/SK scheme signs and what is sent are the same bytes.
    """
    if not params:
        return ''
    items = []
    for key in sorted(params):
        value = params[key]
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            values = sorted(_query_text(v) for v in value if v is not None and v != '')
            if not values:
                continue
            value = ','.join(values)
        else:
            value = _query_text(value)
        items.append('%s=%s' % (quote(str(key), safe=''), quote(value, safe='')))
    return '&'.join(items)


def _query_text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def validate_base_url(value, option, example, credentials_options):
    """The base URL without a trailing slash; InputError unless it is http(s)://host[:port][/path]."""
    accepted = 'expected an http:// or https:// URL with a host, for example %s' % example
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


def envelope_data(body, path, required=True):
    """The ``data`` object of a parsed envelope; ``{}`` for an absent one unless ``required``."""
    data = body.get('data')
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise ResponseFormatError('GET %s returned an envelope without a "data" object' % path, method='GET', path=path,
                                  http_status=body.get('status'))
    return data


def redact_url(url):
    """The URL without any user:password@ part, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.hostname or ''
    if parts.port:
        netloc = '%s:%s' % (netloc, parts.port)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class _Retry(Retry):
    """urllib3 Retry that also honours RateLimit-Reset (OCP's throttling header) and caps every wait."""

    def get_retry_after(self, response):
        wait = super().get_retry_after(response)
        if wait is None:
            reset = response.headers.get('RateLimit-Reset')
            try:
                wait = float(reset) if reset is not None else None
            except ValueError:
                wait = None
        if wait is None:
            return None
        return max(0.0, min(wait, MAX_RETRY_WAIT))


_NOISE_RE = re.compile(r'<[^<>]+ object at 0x[0-9a-f]+>:?\s*|HTTPS?ConnectionPool\([^)]*\):\s*')


def _reason(exc):
    """The innermost human part of a requests/urllib3 exception, without object reprs or pool names."""
    reason = _chain(exc)[-1]
    text = _NOISE_RE.sub('', str(reason)).strip()
    return text or type(reason).__name__


class HttpClient:
    """GET JSON from one base URL with retries, TLS settings and envelope checks."""

    def __init__(self, base_url, validate_certs=True, ca_path=None, client_cert=None, client_key=None,
                 timeout=30.0, retries=3, auth=None, headers=None, warn=None):
        self.base_url = base_url.rstrip('/')
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.request_count = 0
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers['Accept'] = 'application/json'
        self.session.headers['User-Agent'] = 'oceanbase.backup-ansible'
        if headers:
            self.session.headers.update(headers)
        # Passed with every request: requests lets REQUESTS_CA_BUNDLE override Session.verify, not an explicit argument.
        self.verify = True
        if not validate_certs:
            self.verify = False
            # One Ansible warning instead of urllib3's warning on every request.
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)
            if warn and self.base_url.lower().startswith('https'):
                warn('validate_certs is false: the TLS certificate of %s is not verified.' % redact_url(self.base_url))
        elif ca_path:
            self.verify = ca_path
        self.client_cert = client_cert
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert
        retry = _Retry(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries, other=0,
            allowed_methods=frozenset(['GET', 'HEAD']), status_forcelist=RETRY_STATUSES,
            backoff_factor=BACKOFF_FACTOR, backoff_max=MAX_RETRY_WAIT,
            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    def close(self):
        self.session.close()

    def url(self, path, params=None):
        query = canonical_query(params)
        return self.base_url + path + ('?' + query if query else '')

    def get(self, path, params=None, envelope=True):
        return self.request('GET', path, params=params, envelope=envelope)

    def request(self, method, path, params=None, envelope=True):
        """Send one request (retried per policy) and return the parsed JSON body.

        With ``envelope`` the body must be an OCP/obshell envelope with ``successful: true``.
        """
        url = self.url(path, params)
        shown = redact_url(url)
        try:
            response = self.session.request(method, url, timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            self.request_count += 1
            raise TransportError(
                '%s %s: TLS error: %s. %s' % (method, shown, _reason(exc), self._tls_hint(exc)),
                method=method, url=shown,
            ) from None
        except requests.exceptions.RequestException as exc:
            attempts = self.retries + 1
            self.request_count += attempts
            if _is_timeout(exc):
                raise TransportError(
                    '%s %s: no answer within request_timeout=%ss (%s): %s' % (method, shown, _fmt(self.timeout), _plural(attempts, 'attempt'), _reason(exc)),
                    method=method, url=shown, attempts=attempts, timeout=self.timeout,
                ) from None
            raise TransportError(
                '%s %s: connection failed after %s: %s' % (method, shown, _plural(attempts, 'attempt'), _reason(exc)),
                method=method, url=shown, attempts=attempts,
            ) from None
        attempts = _attempts(response)
        self.request_count += attempts
        return self._parse(method, path, response, envelope, attempts)

    def _tls_hint(self, exc):
        if any(isinstance(e, ssl.SSLCertVerificationError) for e in _chain(exc)):
            return 'The server certificate is not trusted: set ca_path to the CA that signed it, or validate_certs=false to skip verification.'
        if not self.client_cert:
            # TLS 1.3 servers refuse a missing client certificate after the handshake: often only an EOF is seen.
            return 'If the server requires a client certificate, set client_cert and client_key; also check ca_path and validate_certs.'
        return 'Check validate_certs, ca_path, client_cert and client_key.'

    def _parse(self, method, path, response, envelope, attempts):
        status = response.status_code
        if response.encoding == 'ISO-8859-1' and 'charset' not in response.headers.get('Content-Type', '').lower():
            # requests' default for text/* without a charset; JSON is UTF-8 (RFC 8259), so let it detect that.
            response.encoding = None
        try:
            body = response.json()
        except (ValueError, RecursionError):   # RecursionError: JSON nested deeper than Python's stack
            body = None
        reason = 'after %s' % _plural(attempts, 'attempt') if attempts > 1 else None
        if body is None or (envelope and not isinstance(body, dict)):
            if 200 <= status < 300:
                raise ResponseFormatError(
                    '%s %s returned HTTP %s with a body that is not %s (%s)' % (
                        method, path, status, 'a JSON envelope' if envelope else 'JSON', _describe_body(response)),
                    method=method, path=path, http_status=status,
                )
            raise _api_error(method, path, status, {}, response, reason=_join(reason, 'the body is not JSON (%s)' % _describe_body(response)))
        if not envelope:
            if 200 <= status < 300:
                return body
            raise _api_error(method, path, status, body if isinstance(body, dict) else {}, response, reason=reason)
        if 200 <= status < 300 and body.get('successful') is True:
            return body
        if 200 <= status < 300 and 'successful' not in body:
            raise ResponseFormatError(
                '%s %s returned HTTP %s with JSON that is not an API envelope (no "successful" field)' % (method, path, status),
                method=method, path=path, http_status=status,
            )
        raise _api_error(method, path, status, body, response, reason=reason)


def _fmt(seconds):
    return '%g' % seconds


def _plural(count, word):
    return '%d %s%s' % (count, word, '' if count == 1 else 's')


def _chain(exc):
    """The exception and the ones it wraps (urllib3 nests its reasons several levels deep)."""
    seen = []
    while exc is not None and exc not in seen and len(seen) < 8:
        seen.append(exc)
        inner = getattr(exc, 'reason', None)
        if inner is None and exc.args and isinstance(exc.args[0], BaseException):
            inner = exc.args[0]
        exc = inner if isinstance(inner, BaseException) else None
    return seen


def _is_timeout(exc):
    chain = _chain(exc)
    # urllib3 2 derives NewConnectionError (refused, unreachable) from its timeout class.
    if any(isinstance(e, NewConnectionError) for e in chain):
        return False
    return any(isinstance(e, (requests.exceptions.Timeout, Urllib3Timeout, socket.timeout)) for e in chain)


def _join(*parts):
    return '; '.join(p for p in parts if p) or None


def _attempts(response):
    retries = getattr(response.raw, 'retries', None)
    history = getattr(retries, 'history', None) or ()
    return len(history) + 1


def _describe_body(response):
    text = (response.text or '').strip()
    if not text:
        return 'empty body'
    ctype = response.headers.get('Content-Type', 'no Content-Type')
    snippet = re.sub(r'\s+', ' ', text[:60])
    return '%s, starts with %r' % (ctype, snippet)


def _api_error(method, path, http_status, body, response, reason=None):
    error = body.get('error') if isinstance(body.get('error'), dict) else {}
    code = error.get('errCode')
    if code in (None, ''):
        code = error.get('code')
    message = error.get('message') or body.get('message')
    trace_id = body.get('traceId') or response.headers.get('X-OBSHELL-Trace-ID') or None
    if 200 <= http_status < 300:
        reason = _join(reason, 'the envelope says successful=%s' % body.get('successful'))
    cls = ApiError
    if http_status in (401, 403):
        cls = AuthError
    elif http_status == 404:
        cls = NotFoundError
    exc = cls(method, path, http_status, error_code=code, error_message=message, trace_id=trace_id, reason=reason)
    exc.server_error = error
    return exc
