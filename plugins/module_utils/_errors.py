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

import re

# Terminal control sequences a server could put in its texts to clear the operator's screen, retitle the
# window or overwrite lines: string sequences (OSC, DCS, SOS, PM, APC) up to their terminator, CSI
# sequences, other ESC sequences, then every C0 control but tab and newline, DEL and the C1 controls.
_CONTROL_RE = re.compile(
    r'\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)'
    r'|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)'
    r'|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]'
    r'|\x1b[ -/]*[0-~]?'
    r'|[\x00-\x08\x0b-\x1f\x7f-\x9f]'
)


def clean_text(value):
    """``value`` without terminal control sequences or control characters (tab and newline stay); non-text as given.

    An unterminated string sequence loses only its introducer: what follows is plain text once the controls are gone.
    """
    if isinstance(value, str):
        return _CONTROL_RE.sub('', value)
    return value


def clean_values(value):
    """``clean_text`` through lists, tuples and dict values and keys."""
    if isinstance(value, dict):
        return dict((clean_text(key), clean_values(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [clean_values(item) for item in value]
    return clean_text(value)


class OceanBaseError(Exception):
    """Base of every expected failure: ``msg`` is safe to show, ``details`` become extra fail_json keys.

    Messages and details often quote the server, so both lose terminal control sequences, whoever sets them.
    """

    def __init__(self, msg, **details):
        super().__init__(clean_text(msg))
        self.msg = msg
        self.details = details

    @property
    def msg(self):
        return self._msg

    @msg.setter
    def msg(self, value):
        self._msg = clean_text(value)

    def to_fail_kwargs(self):
        result = clean_values(self.details)
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
        # Each server text cleaned on its own, so that a sequence left open in one cannot reach into the next;
        # the attributes keep what the server sent, and to_fail_kwargs cleans the details.
        shown_code, shown_message, shown_trace = clean_text(error_code), clean_text(error_message), clean_text(trace_id)
        parts = ['%s %s failed with HTTP %s' % (method, path, http_status)]
        if reason:
            parts.append(reason)
        server = []
        if shown_code not in (None, ''):
            server.append('code %s' % shown_code)
        if shown_message:
            server.append('message "%s"' % shown_message)
        if server:
            parts.append('server said ' + ', '.join(server))
        if shown_trace:
            parts.append('traceId %s' % shown_trace)
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
