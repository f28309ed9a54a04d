# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one exception hierarchy of the collection.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

Every expected failure is an OceanBaseError. Modules and plugins turn it into ``fail_json`` (or an
AnsibleError) at their edge, so users get a message and structured details, never a traceback.
``details`` must never carry a secret: callers pass paths, statuses and server messages only.
"""

from __future__ import annotations


class OceanBaseError(Exception):
    """Base of every expected failure: ``msg`` is safe to show, ``details`` become extra fail_json keys."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details

    def to_fail_kwargs(self):
        result = dict(self.details)
        result['msg'] = self.msg
        return result


class InputError(OceanBaseError):
    """An option value is invalid. Raised before any request is made."""

    def __init__(self, option, msg, **details):
        super().__init__('Invalid value for option %s: %s' % (option, msg), option=option, **details)
        self.option = option


class TransportError(OceanBaseError):
    """No usable HTTP response: connection refused or reset, timeout, TLS failure."""


class ResponseFormatError(OceanBaseError):
    """The server answered, but not with the JSON shape the API documents."""


class ApiError(OceanBaseError):
    """The server answered with an error status or an error envelope."""

    def __init__(self, method, path, http_status, error_code=None, error_message=None, trace_id=None, reason=None):
        parts = ['%s %s failed with HTTP %s' % (method, path, http_status)]
        if reason:
            parts.append(reason)
        server = []
        if error_code not in (None, ''):
            server.append('code %s' % error_code)
        if error_message:
            server.append('message "%s"' % error_message)
        if server:
            parts.append('server said ' + ', '.join(server))
        if trace_id:
            parts.append('traceId %s' % trace_id)
        super().__init__(
            '; '.join(parts),
            method=method, path=path, http_status=http_status, error_code=error_code,
            error_message=error_message, trace_id=trace_id,
        )
        self.method = method
        self.path = path
        self.http_status = http_status
        self.error_code = error_code
        self.error_message = error_message
        self.trace_id = trace_id


class AuthError(ApiError):
    """HTTP 401 or 403: wrong credentials or missing permission."""


class NotFoundError(ApiError):
    """HTTP 404."""


class NameResolutionError(OceanBaseError):
    """A cluster or tenant name matched nothing, or more than one object."""


class UnsupportedError(OceanBaseError):
    """The server does not offer what is asked, e.g. an agent too old for the backup API."""
