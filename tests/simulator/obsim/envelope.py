# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The response envelope both products use: {successful, status, traceId, data | error}."""
import secrets
import time


class ApiFailure(Exception):
    """An error answer: HTTP status, server code, message; `legacy` for obshell's integer code."""

    def __init__(self, status, code, message, legacy=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.legacy, self.headers = status, code, message, legacy, headers or {}


def ok(data):
    return 200, {'data': data, 'successful': True}, None


def finish(status, body, started, server='a83ad33525'):
    """Complete an envelope with the fields every answer carries."""
    body.setdefault('successful', 200 <= status < 300)
    body['status'] = status
    body['duration'] = int((time.time() - started) * 1000)
    body['traceId'] = secrets.token_hex(8)
    body['server'] = server
    body['timestamp'] = time.strftime('%Y-%m-%dT%H:%M:%S+00:00', time.gmtime())
    return body
