# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one HTTP answer means: its JSON, or the error its status, envelope or body calls for.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.
"""

from __future__ import annotations

import json
import re

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import (
    ApiError,
    AuthError,
    NotFoundError,
    ResponseFormatError,
    clean_text,
)


class Answer:
    """What one attempt brought back: status, headers and the decoded body (None with ``undecodable`` set)."""

    def __init__(self, status, headers, body, undecodable=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.undecodable = undecodable
        self.attempts = 1


def parse_answer(method, path, answer):
    """The OCP/obshell envelope of an answer with ``successful: true``; the error the envelope, the status or the body calls for otherwise."""
    status = answer.status
    body = answer_json(answer)
    reason = 'after %s' % plural(answer.attempts, 'attempt') if answer.attempts > 1 else None
    if not isinstance(body, dict):
        if 200 <= status < 300:
            raise ResponseFormatError(
                '%s %s returned HTTP %s with a body that is not a JSON envelope (%s)' % (method, path, status, _describe_body(answer)),
                method=method, path=path, http_status=status,
            )
        raise api_error(method, path, status, {}, answer, reason=_join(reason, 'the body is not JSON (%s)' % _describe_body(answer)))
    if 200 <= status < 300 and body.get('successful') is True:
        return body
    if 200 <= status < 300 and 'successful' not in body:
        raise ResponseFormatError(
            '%s %s returned HTTP %s with JSON that is not an API envelope (no "successful" field)' % (method, path, status),
            method=method, path=path, http_status=status,
        )
    raise api_error(method, path, status, body, answer, reason=reason)


def _text(answer, raw):
    """``raw`` (the body or its start) as text: in the charset the server names if Python knows it, else in the one
    JSON's own rules detect."""
    match = re.search(r'charset\s*=\s*"?([^";\s]+)', answer.headers.get('Content-Type') or '', re.I)
    for encoding in ((match.group(1),) if match else ()) + (json.detect_encoding(raw),):
        try:
            return raw.decode(encoding, 'replace')
        except LookupError:
            continue
    return raw.decode('utf-8', 'replace')


def answer_json(answer):
    if not answer.body:
        return None
    try:
        return json.loads(_text(answer, answer.body))
    except (ValueError, RecursionError):   # RecursionError: JSON nested deeper than Python's stack
        return None


def plural(count, word):
    return '%d %s%s' % (count, word, '' if count == 1 else 's')


def _join(*parts):
    return '; '.join(p for p in parts if p) or None


def _describe_body(answer):
    if answer.body is None and answer.undecodable:
        return answer.undecodable
    if not answer.body or not answer.body.strip():
        return 'empty body'
    ctype = clean_text(answer.headers.get('Content-Type', 'no Content-Type'))
    # The start only: an error page may be large, and 60 characters are shown.
    text = _text(answer, answer.body[:1024]).strip()
    if not text:
        return '%s, starts with blank space' % ctype
    snippet = re.sub(r'\s+', ' ', text[:60])
    return '%s, starts with %r' % (ctype, snippet)


def api_error(method, path, http_status, body, answer, reason=None):
    error = body.get('error') if isinstance(body.get('error'), dict) else {}
    code = error.get('errCode')
    if code in (None, ''):
        code = error.get('code')
    message = error.get('message') or body.get('message')
    trace_id = body.get('traceId') or answer.headers.get('X-OBSHELL-Trace-ID') or None
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
