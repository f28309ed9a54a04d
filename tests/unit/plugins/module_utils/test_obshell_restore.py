# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""obshell restore tasks against the simulator: RFC 3339 and bare times both in UTC, attribution by source."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_restore import collect_restores, utc_time
from obsim.testing import running_simulator

PASSWORD = 'R00t-sim!'
RESTORES = [
    {'source': 'prod/app', 'tenant': 'app_drill', 'start': '-20d'},
    {'source': 'prod/app', 'status': 'FAIL', 'start': '-3d'},
    {'source': 'prod/crm', 'status': 'RESTORING', 'start': '-1h'},
]


def params(url, **extra):
    base = {'obshell_url': url, 'obshell_root_password': PASSWORD, 'validate_certs': True, 'request_timeout': 5, 'retries': 0,
            'start_time': None, 'end_time': None, 'status': None, 'bare_time_offset': '+00:00', 'return_tasks': True}
    base.update(extra)
    return base


@pytest.fixture(scope='module')
def agents():
    doc = {'obshell': {'agents': [
        {'name': 'rfc', 'root_password': PASSWORD, 'timezone': '+08:00', 'restores': RESTORES},
        {'name': 'bare', 'root_password': PASSWORD, 'timezone': '+08:00', 'restores': [dict(item, bare=True) for item in RESTORES]},
    ]}}
    with running_simulator(doc=doc) as sim:
        yield sim


@pytest.mark.parametrize('value, offset, expected', [
    ('2024-08-01T10:00:00.5+08:00', '+00:00', '2024-08-01T02:00:00.500000Z'),
    ('2024-08-01 10:00:00.123456', '+08:00', '2024-08-01T02:00:00.123456Z'),
    ('2024-08-01 10:00:00', 'Z', '2024-08-01T10:00:00Z'),
    ('', '+08:00', None),
])
def test_times_in_utc(value, offset, expected):
    assert utc_time(value, offset) == expected


def test_summary_by_source(agents):
    warnings = []
    result = collect_restores(params(agents.obshell_urls['rfc']), warn=warnings.append)
    tenants = result['summary']['tenants']
    assert sorted(tenants) == ['prod/app', 'prod/crm'] and warnings == []
    assert tenants['prod/app']['last_success']['restore_tenant_name'] == 'app_drill'
    assert 19 * 86400 < tenants['prod/app']['last_success']['age_seconds'] < 20 * 86400
    assert tenants['prod/app']['last_failure']['error_msg'].startswith('restore failed')
    assert tenants['prod/crm']['running'] == 1 and tenants['prod/crm']['last_success'] is None
    assert result['tasks'][0]['finish_timestamp'] is None


def test_bare_times_taken_at_the_given_offset(agents):
    rfc = collect_restores(params(agents.obshell_urls['rfc']))['summary']['tenants']['prod/app']['last_success']
    bare = collect_restores(params(agents.obshell_urls['bare'], bare_time_offset='+08:00'))['summary']['tenants']['prod/app']['last_success']
    assert bare['finish_time'][:19] == rfc['finish_time'][:19]
    utc = collect_restores(params(agents.obshell_urls['bare']))['summary']['tenants']['prod/app']['last_success']
    assert rfc['age_seconds'] - utc['age_seconds'] == 8 * 3600


def test_filters_are_sent(agents):
    result = collect_restores(params(agents.obshell_urls['rfc'], status=['fail'], start_time='-10d'))
    assert result['summary']['total'] == 1 and result['summary']['by_status'] == {'FAIL': 1}


@pytest.mark.parametrize('option, value', [('bare_time_offset', '8'), ('start_time', 'yesterday'), ('status', ['a,b'])])
def test_bad_input_before_any_request(agents, option, value):
    with pytest.raises(InputError) as caught:
        collect_restores(params('http://127.0.0.1:9', **{option: value}))
    assert option in caught.value.msg
