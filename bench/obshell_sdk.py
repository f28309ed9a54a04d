# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""(4) The official obshell SDK (PyPI obshell) reads one tenant's backup overview, as the module does.

    python bench/obshell_sdk.py OBSHELL_URL PASSWORD TENANT EXPECTED_STATUS
"""
import sys
from urllib.parse import urlsplit

from obshell import ClientV1
from obshell.auth.password import PasswordAuth


def main(url, password, tenant, expected):
    parts = urlsplit(url)
    client = ClientV1(parts.hostname, parts.port, auth=PasswordAuth(password))
    status = client.get_tenant_backup_overview(tenant).status['status']
    if status != expected:
        sys.exit('status %s, expected %s' % (status, expected))


if __name__ == '__main__':
    main(*sys.argv[1:5])
