# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The OCP client against the simulator over real HTTP: paging with every quirk and paging fault of OCP lists,
and clusters and tenants by exact name."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _paging
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import NameResolutionError, ResponseFormatError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import DATA_BACKUP_TASKS, task_key
from obsim.testing import PASSWORD, USER

TENANT_TASKS = DATA_BACKUP_TASKS.path(1, 11)


def params(url, **extra):
    return dict(dict(ocp_url=url, ocp_username=USER, ocp_password=PASSWORD, request_timeout=5.0, retries=0), **extra)


def seed_tasks(ocp, count, cid=1, tid=11, tenant='t1'):
    """Cluster ``cid`` (made when missing) with tenant ``tid`` and ``count`` data backup tasks of it, sent as given."""
    if not any(cluster['id'] == cid for cluster in ocp.ocp.clusters):
        ocp.add_cluster(cid, 'c%d' % cid)
    ocp.add_tenant(cid, tid, tenant)
    ocp.add_tasks('dataBackupTasks', cid, [
        {'taskId': number, 'tenantId': tid, 'tenantName': tenant, 'status': 'DONE',
         'startTime': '2024-08-0%dT08:00:00+08:00' % (1 + number % 9), 'backupSetId': number} for number in range(1, count + 1)])


def page_requests(ocp):
    return [int(seen.query['page']) for seen in ocp.requests if seen.path.endswith('BackupTasks')]


def task_rows(client, path=TENANT_TASKS, page_size=3):
    """Every row of a task list, as the task modules page it."""
    return [row for page in client.iter_pages(path, page_size=page_size, key=task_key, prefetch=True) for row in page]


# ---- paging ------------------------------------------------------------------------------------

@pytest.mark.parametrize('quirks', [(), ('total_page_key',), ('wrong_page_size',), ('no_total',), ('total_page_key', 'wrong_page_size')])
def test_paging_collects_every_row_once(ocp, quirks):
    seed_tasks(ocp, 7)
    ocp.set_quirks(*quirks)
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert [row['taskId'] for row in rows] == list(range(1, 8))
    assert page_requests(ocp) == [1, 2, 3]


def test_paging_stops_on_total_pages_without_an_extra_request(ocp):
    seed_tasks(ocp, 6)
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert len(rows) == 6 and page_requests(ocp) == [1, 2]


def test_paging_without_totals_stops_on_an_empty_page(ocp):
    seed_tasks(ocp, 6)
    ocp.set_quirks('no_total')
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert len(rows) == 6 and page_requests(ocp) == [1, 2, 3]


def test_paging_empty_answer(ocp):
    seed_tasks(ocp, 0)
    assert task_rows(OcpClient(params(ocp.ocp_url))) == []
    assert page_requests(ocp) == [1]


def test_paging_removes_rows_repeated_across_pages(ocp):
    seed_tasks(ocp, 7)
    ocp.set_quirks('no_total')
    ocp.set_faults([{'kind': 'page_shift'}])
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert [row['taskId'] for row in rows] == list(range(1, 8))
    # Every later page starts with the last row of the page before: the rows did come twice.
    assert sum(seen.path.endswith('BackupTasks') for seen in ocp.requests) == 3


def test_same_task_id_in_two_tenants_is_kept(ocp):
    seed_tasks(ocp, 2, tid=11, tenant='t1')
    seed_tasks(ocp, 2, tid=12, tenant='t2')
    rows = task_rows(OcpClient(params(ocp.ocp_url)), DATA_BACKUP_TASKS.path(1))
    assert [(row['tenantName'], row['taskId']) for row in rows] == [('t1', 1), ('t1', 2), ('t2', 1), ('t2', 2)]


def test_paging_fails_when_the_server_ignores_the_page_parameter(ocp):
    seed_tasks(ocp, 7)
    ocp.set_quirks('no_total')
    ocp.set_faults([{'kind': 'page_ignored'}])
    with pytest.raises(ResponseFormatError) as info:
        task_rows(OcpClient(params(ocp.ocp_url)))
    assert 'page 2 only repeats rows' in info.value.msg
    assert page_requests(ocp) == [1, 2]


def test_paging_has_a_hard_bound(ocp, monkeypatch):
    monkeypatch.setattr(_paging, 'MAX_PAGES', 3)
    seed_tasks(ocp, 10)
    ocp.set_quirks('no_total')
    with pytest.raises(ResponseFormatError) as info:
        task_rows(OcpClient(params(ocp.ocp_url)), page_size=2)
    assert 'gave up after 3 pages' in info.value.msg and 'page_size' in info.value.msg
    assert page_requests(ocp) == [1, 2, 3]


def test_server_capping_the_page_size_still_gives_every_row(ocp):
    seed_tasks(ocp, 7)
    ocp.ocp.max_page_size = 2    # the server sends fewer rows per page than asked for, and counts pages by its size
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert [row['taskId'] for row in rows] == list(range(1, 8))
    assert page_requests(ocp) == [1, 2, 3, 4]


def test_short_page_ends_the_list_when_there_is_no_page_count(ocp):
    seed_tasks(ocp, 7)
    ocp.set_quirks('no_total')
    rows = task_rows(OcpClient(params(ocp.ocp_url)), page_size=5)
    assert len(rows) == 7 and page_requests(ocp) == [1, 2]


def test_total_pages_too_high_costs_one_empty_page(ocp):
    seed_tasks(ocp, 4)
    ocp.set_faults([{'kind': 'page_count', 'pages': 'one_more'}])
    rows = task_rows(OcpClient(params(ocp.ocp_url)))
    assert len(rows) == 4 and page_requests(ocp) == [1, 2, 3]


def test_malformed_page_is_a_format_error(ocp):
    seed_tasks(ocp, 1)
    ocp.set_faults([{'kind': 'body', 'body': 'bad_contents'}])
    with pytest.raises(ResponseFormatError) as info:
        task_rows(OcpClient(params(ocp.ocp_url)))
    assert 'data.contents' in info.value.msg and TENANT_TASKS in info.value.msg


# ---- name resolution ---------------------------------------------------------------------------

def test_find_cluster_exact_among_substring_matches(ocp):
    ocp.add_cluster(1, 'prod')
    ocp.add_cluster(2, 'prod2')
    ocp.add_cluster(3, 'PROD')
    assert OcpClient(params(ocp.ocp_url)).find_cluster('prod') == {
        'id': 1, 'name': 'prod', 'type': 'PRIMARY', 'status': 'RUNNING', 'ob_cluster_id': 1, 'ob_version': '4.3.5.1'}


def test_find_cluster_ambiguous_lists_candidates(ocp):
    ocp.add_cluster(1000005, 'obcluster', type='PRIMARY', ob_cluster_id=199)
    ocp.add_cluster(1000006, 'obcluster', type='STANDBY', ob_cluster_id=199)
    with pytest.raises(NameResolutionError) as info:
        OcpClient(params(ocp.ocp_url)).find_cluster('obcluster')
    assert info.value.details['candidates'] == [
        {'id': 1000005, 'name': 'obcluster', 'type': 'PRIMARY', 'status': 'RUNNING', 'ob_cluster_id': 199, 'ob_version': '4.3.5.1'},
        {'id': 1000006, 'name': 'obcluster', 'type': 'STANDBY', 'status': 'RUNNING', 'ob_cluster_id': 199, 'ob_version': '4.3.5.1'},
    ]
    assert 'ambiguous' in info.value.msg and 'id 1000006' in info.value.msg and 'STANDBY' in info.value.msg
    assert 'cluster_id' in info.value.msg


def test_find_cluster_unknown_names_what_was_searched(ocp):
    ocp.add_cluster(1, 'prod2')
    with pytest.raises(NameResolutionError) as info:
        OcpClient(params(ocp.ocp_url)).find_cluster('prod')
    assert "No OCP cluster is named exactly 'prod'" in info.value.msg
    assert 'GET /api/v2/ob/clusters?name=prod' in info.value.msg and "'prod2'" in info.value.msg
    assert info.value.details['option'] == 'cluster_name'


def test_find_tenant_exact(ocp):
    ocp.add_cluster(1, 'c1')
    ocp.add_tenant(1, 11, 'sales')
    ocp.add_tenant(1, 12, 'sales_archive')
    client = OcpClient(params(ocp.ocp_url))
    assert client.find_tenant(1, 'sales')['id'] == 11
    with pytest.raises(NameResolutionError) as info:
        client.find_tenant(1, 'sale')
    assert "No OCP tenant is named exactly 'sale'" in info.value.msg and 'sales_archive' in info.value.msg


def test_list_tenants_pages_and_gives_records(ocp):
    ocp.add_cluster(1, 'c1')
    for number in range(5):
        ocp.add_tenant(1, 10 + number, 't%d' % number)
    ocp.ocp.max_page_size = 2
    tenants = OcpClient(params(ocp.ocp_url)).list_tenants(1)
    assert [t['name'] for t in tenants] == ['t0', 't1', 't2', 't3', 't4']
    assert tenants[0] == {'id': 10, 'name': 't0', 'mode': 'MYSQL', 'status': 'NORMAL', 'cluster_name': 'c1',
                          'cluster_type': 'PRIMARY', 'ob_tenant_id': 1010}
    assert [int(seen.query['page']) for seen in ocp.requests] == [1, 2, 3]
