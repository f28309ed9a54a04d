# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Keep in step with OCP_ARGSPEC in plugins/module_utils/_ocp_auth.py.


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  ocp_url:
    description:
      - Base URL of the OCP server, C(http://host:port) or C(https://host:port), optionally with a path prefix.
      - Required. If not set, the value of the E(OCP_URL) environment variable is used; the module fails before
        any request when neither is set. It can also come from C(module_defaults) (see the examples).
      - Credentials in the URL are refused; use the auth options below.
    type: str
  ocp_username:
    description:
      - OCP user for HTTP Basic authentication, with O(ocp_password).
      - If not set, the value of the E(OCP_USERNAME) environment variable is used.
      - Exactly one auth method must be given, either O(ocp_username) and O(ocp_password) or O(ocp_access_key_id)
        and O(ocp_access_key_secret). Values from environment variables count; an empty value counts as not set.
      - Basic authentication sends the password with every request; over plain C(http://) anyone on the path can read it.
    type: str
  ocp_password:
    description:
      - Password of O(ocp_username).
      - If not set, the value of the E(OCP_PASSWORD) environment variable is used.
    type: str
  ocp_access_key_id:
    description:
      - AccessKey ID for OCP's AK/SK request signing (HMAC-SHA1, OCP 4.0.3 and later), with O(ocp_access_key_secret).
      - Create the pair in the OCP console under Personal Settings, AccessKey. The key has the permissions of its user.
      - If not set, the value of the E(OCP_ACCESS_KEY_ID) environment variable is used.
      - Signing covers the C(Host) header with its port, so a reverse proxy that rewrites C(Host) breaks it,
        and the clocks of OCP and the controller must agree within 15 minutes.
    type: str
  ocp_access_key_secret:
    description:
      - AccessKey secret of O(ocp_access_key_id). It signs requests and is never sent.
      - If not set, the value of the E(OCP_ACCESS_KEY_SECRET) environment variable is used.
    type: str
  validate_certs:
    description:
      - Verify the TLS certificate of OCP. Set to V(false) only for test systems with self-signed certificates.
      - If not set, the value of the E(OCP_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
requirements:
  - requests
'''
