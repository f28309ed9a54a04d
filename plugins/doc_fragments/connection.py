# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# TLS, timeout and retry options shared by every backend; keep in step with http_argument_spec() in
# plugins/module_utils/_http.py. validate_certs stays in each backend's fragment: its environment variable differs.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  ca_path:
    description:
      - PEM file of the certificate authorities to trust instead of the default bundle.
      - With an C(https://) URL, O(ca_path), O(client_cert) and O(client_key) must name readable files.
    type: path
  client_cert:
    description:
      - PEM file with the client certificate for TLS client authentication (or certificate and key together).
    type: path
  client_key:
    description:
      - PEM file with the private key of O(client_cert), if the certificate file does not contain it. Needs O(client_cert).
    type: path
  request_timeout:
    description:
      - Seconds to wait for a connection and for each answer, per request. Greater than 0 and at most 3600.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 500, 502, 503 or 504 answer,
        with exponential backoff. C(Retry-After) and C(RateLimit-Reset) headers are honoured (capped at 60 seconds).
      - Other errors, including every other 4xx, are never retried. V(0) disables retries.
    type: int
    default: 3
notes:
  - HTTP and HTTPS proxies from the usual environment variables (E(HTTPS_PROXY), E(HTTP_PROXY), E(NO_PROXY)) are used.
'''
