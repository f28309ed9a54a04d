# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Keep in step with OBSHELL_ARGSPEC in plugins/module_utils/_obshell_client.py.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  obshell_url:
    description:
      - Base URL of the obshell agent on an OceanBase node, C(http://host:2886) (or C(https://) when the agent has a certificate).
      - Required. If not set, the value of the E(OBSHELL_URL) environment variable is used; the module fails before
        any request when neither is set. It can also come from C(module_defaults) (see the examples).
    type: str
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
requirements:
  - requests
  - cryptography
'''
