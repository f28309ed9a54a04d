# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# TLS, timeout and retry options shared by every backend; keep in step with http_argument_spec() in
# plugins/module_utils/_http_options.py. validate_certs stays in each backend's fragment: its environment variable differs.


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
      - Seconds one attempt of a request may take in all, from connecting to the last byte of the answer (status
        line, headers and body). A server that sends its answer slowly fails at this time, however it spaces its bytes.
      - Greater than 0 and at most 3600. Each retry has the same time again.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after a connection error, an answer that did not arrive within
        O(request_timeout), or an HTTP 429, 500, 502, 503 or 504 answer.
      - The waits grow exponentially with full jitter (a random share of the backoff), so that many clients throttled
        together do not come back at the same instant. A C(Retry-After) or C(RateLimit-Reset) header sets the least
        wait, plus a random share of as much again (capped at 60 seconds).
      - Other errors, including every other 4xx, are never retried. V(0) disables retries.
    type: int
    default: 3
notes:
  - HTTP and HTTPS proxies from the usual environment variables (E(HTTPS_PROXY), E(HTTP_PROXY), E(NO_PROXY)) are used.
  - Redirects never take credentials elsewhere. The OCP modules and the ocp inventory follow a redirect only to the same
    scheme, host and port as the OCP URL, signing each hop afresh; the obshell module follows none. Any other redirect
    fails naming its C(Location); set the URL to the server itself.
  - One answer may hold at most 64 MiB once decompressed (a page of 2,000 backup tasks is about 1.2 MB); a larger one
    fails naming the limit and the path, and is never held in memory whole.
  - Control characters and terminal escape sequences in texts from the server (error codes and messages, trace ids,
    a redirect's C(Location)) are removed before they reach a message.
'''
