# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP layer: a requests Session with retries, TLS options, timeouts, redirects and envelope checks.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

OCP and obshell share the envelope ``{successful, status, traceId, data, error: {code, errCode, message}}``,
so both clients get their errors turned into the exceptions of ``_errors`` here. Each attempt runs under
``_http_transport``: one deadline for the whole answer and a bound on its decoded size.
"""

from __future__ import annotations

import math
import random
import ssl
import time
import traceback
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, urljoin, urlsplit, urlunsplit

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ResponseFormatError, TransportError, clean_text
from ansible_collections.oceanbase.backup.plugins.module_utils._http_answer import Answer, answer_json, api_error, parse_answer, plural
from ansible_collections.oceanbase.backup.plugins.module_utils._http_transport import (
    AnswerBroken,
    AnswerTimeout,
    AnswerTooLarge,
    AnswerUndecodable,
    Deadline,
    WatchedAdapter,
    error_chain,
    error_reason,
    is_timeout,
    read_body,
)

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

# 500 is retried too: OCP answers it for transient OceanBase failures, and only idempotent GETs are retried.
RETRY_STATUSES = (429, 500, 502, 503, 504)
# Longest wait a server may ask for through Retry-After or RateLimit-Reset; a longer ask is cut to this.
MAX_RETRY_WAIT = 60.0
BACKOFF_FACTOR = 0.5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {'http': 80, 'https': 443}


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


def retry_wait(retry, headers=None):
    """Seconds to wait before retry number ``retry`` (1 for the first): full jitter, at least what the server asked.

    Without a server hint the wait is uniform in [0, BACKOFF_FACTOR * 2**(retry-1)]; with Retry-After or
    RateLimit-Reset it is that many seconds plus a uniform share of at least as much again, so a fleet of clients
    throttled together comes back spread out instead of in one burst. Never more than MAX_RETRY_WAIT.
    """
    lower = server_wait(headers)
    spread = min(MAX_RETRY_WAIT, max(lower, BACKOFF_FACTOR * 2.0 ** min(retry - 1, 32)))
    return min(MAX_RETRY_WAIT, lower + random.uniform(0, spread))


def server_wait(headers):
    """Seconds the server asked to wait (Retry-After as seconds or an HTTP date, else RateLimit-Reset), capped; 0 if none."""
    headers = headers or {}
    wait = _seconds(headers.get('Retry-After'), dates=True)
    if wait is None:
        wait = _seconds(headers.get('RateLimit-Reset'))
    return max(0.0, min(wait or 0.0, MAX_RETRY_WAIT))


def _seconds(value, dates=False):
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None and dates:
        try:
            number = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            number = None
    return number if number is not None and math.isfinite(number) else None


class _Failed(Exception):
    """An attempt without an answer that a retry may cure: a connection failure or the deadline."""

    def __init__(self, timeout, reason):
        super().__init__(reason)
        self.timeout = timeout
        self.reason = reason


class HttpClient:
    """GET JSON from one base URL with retries, TLS settings, redirect policy and envelope checks.

    Redirects are not followed unless ``same_origin_redirects``, and then only to the scheme, host and port of
    ``base_url``: credentials and auth headers never go to another server, and each hop is a new request that
    the auth signs afresh. Any other redirect fails naming its Location.
    """

    def __init__(self, base_url, validate_certs=True, ca_path=None, client_cert=None, client_key=None,
                 timeout=30.0, retries=3, auth=None, headers=None, warn=None, same_origin_redirects=False):
        self.base_url = base_url.rstrip('/')
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.same_origin_redirects = same_origin_redirects
        self.request_count = 0
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers['Accept'] = 'application/json'
        self.session.headers['User-Agent'] = 'oceanbase.backup-ansible'
        # Only what read_body can decode with a bound on the output.
        self.session.headers['Accept-Encoding'] = 'gzip, deflate'
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
        # Retries are made here, not by urllib3: each attempt gets its own deadline and its wait its own jitter.
        adapter = WatchedAdapter(max_retries=0)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    def close(self):
        self.session.close()

    def url(self, path, params=None):
        query = canonical_query(params)
        return self.base_url + path + ('?' + query if query else '')

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def request(self, method, path, params=None):
        """Send one request (retried per policy) and return the parsed body, an OCP/obshell envelope with ``successful: true``."""
        return parse_answer(method, path, self._fetch(method, path, self.url(path, params)))

    def _fetch(self, method, path, url):
        """The answer for ``url`` after retries and allowed redirects; TransportError when none came."""
        attempt = hops = 0
        while True:
            attempt += 1
            self.request_count += 1
            try:
                answer = self._attempt(method, path, url)
            except _Failed as failure:
                if attempt > self.retries:
                    raise self._transport_error(method, url, attempt, failure) from None
                time.sleep(retry_wait(attempt))
                continue
            if answer.status in REDIRECT_STATUSES and answer.headers.get('Location'):
                url = self._redirect(method, path, url, answer, hops)
                hops += 1
                attempt -= 1   # a hop is not a retry
                continue
            if answer.status in RETRY_STATUSES and attempt <= self.retries:
                time.sleep(retry_wait(attempt, answer.headers))
                continue
            answer.attempts = attempt
            return answer

    def _attempt(self, method, path, url):
        """One request and its whole body under one deadline of request_timeout."""
        with Deadline(self.timeout) as deadline:
            try:
                response = self.session.request(method, url, timeout=self.timeout, verify=self.verify, allow_redirects=False, stream=True)
            except requests.exceptions.RequestException as exc:
                raise self._no_answer(method, url, exc, deadline) from None
            except UnicodeError:
                # requests decodes a redirect's Location as UTF-8 even when it does not follow it.
                raise ResponseFormatError('%s %s: the server answered with a redirect whose Location is not UTF-8 text; it is not followed'
                                          % (method, path), method=method, path=path) from None
            try:
                return self._read(method, path, response, deadline)
            finally:
                response.close()

    def _no_answer(self, method, url, exc, deadline):
        """The exception for a request that raised before its headers: retryable unless it is about TLS."""
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _Failed(True, error_reason(exc))
        if deadline.expired:
            return _Failed(True, 'the status line and headers had not arrived')
        if isinstance(exc, requests.exceptions.SSLError):
            return TransportError('%s %s: TLS error: %s. %s' % (method, redact_url(url), error_reason(exc), self._tls_hint(exc)),
                                  method=method, url=redact_url(url))
        return _Failed(is_timeout(exc), error_reason(exc))

    @staticmethod
    def _read(method, path, response, deadline):
        deadline.watch_response(response.raw)
        try:
            return Answer(response.status_code, response.headers, read_body(response, deadline))
        except AnswerTimeout as exc:
            raise _Failed(True, 'the body was still arriving (%d bytes received)' % exc.received) from None
        except AnswerBroken as exc:
            raise _Failed(False, 'the connection broke while the body was read: %s' % exc.args[0]) from None
        except AnswerTooLarge as exc:
            raise ResponseFormatError(
                '%s %s: the answer exceeds the limit of %s for one answer (after decompression); reading stopped there'
                % (method, path, _size(exc.limit)),
                method=method, path=path, http_status=response.status_code, limit_bytes=exc.limit) from None
        except AnswerUndecodable as exc:
            return Answer(response.status_code, response.headers, None, undecodable=str(exc))

    def _redirect(self, method, path, url, answer, hops):
        """The next URL of an allowed redirect; ApiError naming the Location of any other."""
        target = urljoin(url, answer.headers['Location'])
        same = _origin(target) == _origin(self.base_url)
        if self.same_origin_redirects and same and hops < MAX_REDIRECTS:
            parts = urlsplit(target)
            # Canonical again, so that what a signing auth signs is what goes on the wire; no userinfo from the server.
            query = canonical_query(_query_dict(parts.query))
            return urlunsplit(urlsplit(self.base_url)[:2] + (parts.path, query, ''))
        if not self.same_origin_redirects:
            why = 'redirects are not followed, so no credentials or auth header go anywhere but the configured URL'
        elif not same:
            why = 'it leads to another scheme, host or port than the configured URL, so it is not followed and no credentials go there'
        else:
            why = 'more than %d redirects in a row' % MAX_REDIRECTS
        shown = clean_text(redact_url(target))
        reason = 'redirected to %s; %s' % (shown if len(shown) <= 300 else shown[:300] + '...', why)
        raise api_error(method, path, answer.status, answer_json(answer) or {}, answer, reason=reason)

    def _transport_error(self, method, url, attempts, failure):
        shown = redact_url(url)
        if failure.timeout:
            return TransportError(
                '%s %s: no answer within request_timeout=%ss (%s): %s' % (method, shown, _fmt(self.timeout), plural(attempts, 'attempt'), failure.reason),
                method=method, url=shown, attempts=attempts, timeout=self.timeout,
            )
        return TransportError('%s %s: connection failed after %s: %s' % (method, shown, plural(attempts, 'attempt'), failure.reason),
                              method=method, url=shown, attempts=attempts)

    def _tls_hint(self, exc):
        if any(isinstance(e, ssl.SSLCertVerificationError) for e in error_chain(exc)):
            return 'The server certificate is not trusted: set ca_path to the CA that signed it, or validate_certs=false to skip verification.'
        if not self.client_cert:
            # TLS 1.3 servers refuse a missing client certificate after the handshake: often only an EOF is seen.
            return 'If the server requires a client certificate, set client_cert and client_key; also check ca_path and validate_certs.'
        return 'Check validate_certs, ca_path, client_cert and client_key.'


def _origin(url):
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, parts.hostname, parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None


def _query_dict(query):
    grouped = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        grouped.setdefault(key, []).append(value)
    return dict((key, values[0] if len(values) == 1 else values) for key, values in grouped.items())


def _size(count):
    mib = 1024 * 1024
    return '%d MiB' % (count // mib) if count % mib == 0 else '%d bytes' % count


def _fmt(seconds):
    return '%g' % seconds
