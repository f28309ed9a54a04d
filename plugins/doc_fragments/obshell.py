# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Keep in step with OBSHELL_ARGSPEC in plugins/module_utils/_obshell.py.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  obshell_url:
    description:
      - Base URL of the obshell agent on an OceanBase node, C(http://host:2886) (or C(https://) when the agent has a certificate).
      - If not set, the value of the E(OBSHELL_URL) environment variable is used.
    type: str
    required: true
  obshell_root_password:
    description:
      - Password of C(root@sys) of the cluster. obshell authenticates every protected request with it, sent RSA-encrypted
        with the agent's public key in the C(X-OCS-Header) header ("API hybrid encryption").
      - May be empty when the cluster has no root password.
      - If not set, the value of the E(OBSHELL_ROOT_PASSWORD) environment variable is used.
    type: str
    default: ''
  validate_certs:
    description:
      - Verify the TLS certificate of the agent when O(obshell_url) is C(https://).
      - If not set, the value of the E(OBSHELL_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust instead of the default bundle.
    type: path
  client_cert:
    description:
      - PEM file with the client certificate for TLS client authentication (or certificate and key together).
    type: path
  client_key:
    description:
      - PEM file with the private key of O(client_cert), if the certificate file does not contain it.
    type: path
  request_timeout:
    description:
      - Seconds to wait for a connection and for each answer, per request.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after a connection error or an HTTP 429, 502, 503 or 504 answer,
        with exponential backoff. Other errors are never retried. V(0) disables retries.
    type: int
    default: 3
notes:
  - HTTP and HTTPS proxies from the usual environment variables (E(HTTPS_PROXY), E(HTTP_PROXY), E(NO_PROXY)) are used.
requirements:
  - requests
  - cryptography
'''
