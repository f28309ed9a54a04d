# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""(c) The floor: a bare requests script making the module's HTTP calls and parsing the JSON, nothing more.

    python bench/floor.py OCP_URL USER PASSWORD CLUSTER_ID PAGE_SIZE EXPECTED
"""
import sys

import requests


def main(url, user, password, cluster_id, page_size, expected):
    session = requests.Session()
    session.auth = (user, password)
    base = '%s/api/v2/ob/clusters/%s' % (url, cluster_id)
    # The module lists the tenants once to name them in the per-tenant summary.
    session.get(base + '/tenants', params={'page': 1, 'size': 2000}).raise_for_status()
    tasks = []
    page = 1
    while True:
        answer = session.get(base + '/backup/task/dataBackupTasks', params={'page': page, 'size': page_size})
        answer.raise_for_status()
        data = answer.json()['data']
        tasks.extend(data['contents'])
        # OCP may call the page count totalPages or totalPage.
        if page >= data['page'].get('totalPages', data['page'].get('totalPage')):
            break
        page += 1
    if len(tasks) != int(expected):
        sys.exit('read %d tasks, expected %s' % (len(tasks), expected))


if __name__ == '__main__':
    main(*sys.argv[1:7])
