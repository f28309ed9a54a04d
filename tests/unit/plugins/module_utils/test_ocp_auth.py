# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OCP authentication and URL checks: the AK/SK signer against the documented vectors and against the simulator,
which verifies every signature from the raw request it received; Basic auth failures."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import AuthError, InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import (
    OcpAkSkAuth,
    aksk_signature,
    aksk_string_to_sign,
    validate_ocp_url,
)
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from obsim.testing import AK, PASSWORD, SK, USER

UTC = timezone.utc


def params(url, **extra):
    base = dict(ocp_url=url, ocp_username=USER, ocp_password=PASSWORD, ocp_access_key_id=None, ocp_access_key_secret=None,
                validate_certs=True, ca_path=None, client_cert=None, client_key=None, request_timeout=5.0, retries=0)
    base.update(extra)
    return base


# AK/SK instead of Basic, over any options.
AKSK = dict(ocp_username=None, ocp_password=None, ocp_access_key_id=AK, ocp_access_key_secret=SK)


def aksk(url, **extra):
    return params(url, **dict(AKSK, **extra))


# ---- AK/SK signer ------------------------------------------------------------------------------

def test_documented_vector_get():
    message = aksk_string_to_sign('GET', '', 'application/json;charset=utf-8', 'Tue, 17 Jan 2023 04:14:02 GMT',
                                  'ocp.alibaba.net:8080', {}, '/api/v2/compute/idcs?size=100')
    assert message == ('GET\n\napplication/json;charset=utf-8\nTue, 17 Jan 2023 04:14:02 GMT\nocp.alibaba.net:8080\n\n'
                       '/api/v2/compute/idcs?size=100')
    assert aksk_signature(SK, message) == 'TsQD6HDOuZuJ409m0wdnZPmijlc='


def test_documented_vector_post_with_body_and_x_ocp_header():
    message = aksk_string_to_sign('post', '186974DB33A090A16D3E2CA35F547B56', 'application/json',
                                  'Tue, 17 Jan 2023 09:13:57 GMT', 'ocp.alibaba.net:8080', {'x-ocp-data': 'A,1'},
                                  '/api/v2/compute/idcs')
    assert aksk_signature(SK, message) == 'XN8P+O+v3vUabB16ZCooq5wMJoY='


def test_auth_signs_a_prepared_get_like_the_first_vector():
    request = requests.Request('GET', 'http://ocp.alibaba.net:8080/api/v2/compute/idcs?size=100',
                               headers={'Content-Type': 'application/json;charset=utf-8'}).prepare()
    OcpAkSkAuth(AK, SK, clock=lambda: datetime(2023, 1, 17, 4, 14, 2, tzinfo=UTC))(request)
    assert request.headers['Date'] == 'Tue, 17 Jan 2023 04:14:02 GMT'
    assert request.headers['Host'] == 'ocp.alibaba.net:8080'
    assert request.headers['Authorization'] == 'OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:TsQD6HDOuZuJ409m0wdnZPmijlc='


def test_auth_signs_a_prepared_post_like_the_second_vector():
    request = requests.Request('POST', 'http://ocp.alibaba.net:8080/api/v2/compute/idcs',
                               data='{"name":"test01","description":"test","regionId":1}',
                               headers={'Content-Type': 'application/json', 'X-OCP-Data': 'A,1'}).prepare()
    OcpAkSkAuth(AK, SK, clock=lambda: datetime(2023, 1, 17, 9, 13, 57, tzinfo=UTC))(request)
    assert request.headers['Authorization'] == 'OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:XN8P+O+v3vUabB16ZCooq5wMJoY='


def test_auth_keeps_default_port_in_host():
    request = requests.Request('GET', 'https://ocp.example.com:443/api/v2/ob/clusters?page=1').prepare()
    OcpAkSkAuth(AK, SK)(request)
    assert request.headers['Host'] == 'ocp.example.com:443'
    assert request.headers['Date'].endswith(' GMT')


def test_aksk_over_http_is_accepted_and_signs_the_query_as_sent(ocp):
    ocp.add_cluster(1, 'a b,c')
    client = OcpClient(aksk(ocp.ocp_url))
    found = client.find_cluster('a b,c')
    assert found['id'] == 1
    seen = ocp.requests[-1]
    assert seen.status == 200 and seen.query == {'name': 'a b,c', 'page': '1', 'size': '2000'}
    assert seen.headers['Authorization'].startswith('OCP-ACCESS-KEY-HMACSHA1 %s:' % AK)
    assert seen.headers['Content-Type'] == 'application/json' and seen.headers['Accept'] == 'application/json'


def test_aksk_wrong_secret_is_an_auth_error_without_the_secret(ocp):
    ocp.add_cluster(1, 'c1')
    wrong = 'ffffffffffffffffffffffffffffffff'
    client = OcpClient(aksk(ocp.ocp_url, ocp_access_key_secret=wrong))
    with pytest.raises(AuthError) as info:
        client.find_cluster('c1')
    text = str(info.value.to_fail_kwargs())
    assert 'GET /api/v2/ob/clusters failed with HTTP 401' in info.value.msg
    assert 'IAM10022' in info.value.msg and ocp.requests[-1].trace_id in info.value.msg
    assert wrong not in text and SK not in text


def test_basic_wrong_password_names_method_path_status_trace_and_hides_password(ocp):
    ocp.add_cluster(1, 'c1')
    with pytest.raises(AuthError) as info:
        OcpClient(params(ocp.ocp_url, ocp_password='wrong-password')).find_cluster('c1')
    assert info.value.http_status == 401 and info.value.trace_id == ocp.requests[-1].trace_id
    assert info.value.error_code == 'IAM10004'
    assert 'wrong-password' not in str(info.value.to_fail_kwargs())


def test_basic_non_latin1_password_is_sent_as_utf8(ocp):
    ocp.add_cluster(1, 'c1')
    client = OcpClient(params(ocp.ocp_url, ocp_password='pässwörd-密码'))
    with pytest.raises(AuthError):
        client.find_cluster('c1')
    assert ocp.requests[-1].headers['Authorization'].startswith('Basic ')


# ---- URL validation ----------------------------------------------------------------------------

@pytest.mark.parametrize('url, expected', [
    ('https://ocp.example.com:8080', 'https://ocp.example.com:8080'),
    ('HTTP://ocp.example.com:8080/', 'http://ocp.example.com:8080'),
    ('  http://10.0.0.1:8080/ocp/  ', 'http://10.0.0.1:8080/ocp'),
    ('http://[::1]:8080', 'http://[::1]:8080'),
])
def test_validate_ocp_url_accepts(url, expected):
    assert validate_ocp_url(url) == expected


@pytest.mark.parametrize('url', ['ocp.example.com:8080', 'ftp://ocp.example.com', 'http://', 'https://:8080', '',
                                 None, 'http://host:99999', 'http://host:8080/?a=1', 'http://host#frag'])
def test_validate_ocp_url_rejects(url):
    with pytest.raises(InputError) as info:
        validate_ocp_url(url)
    assert info.value.option == 'ocp_url'
    assert 'expected an http:// or https:// URL' in info.value.msg


@pytest.mark.parametrize('url', [None, '', '   '])
def test_a_missing_url_names_the_option_and_its_environment_variable(url):
    with pytest.raises(InputError) as info:
        validate_ocp_url(url)
    assert info.value.msg.startswith('Invalid value for option ocp_url: not set; set ocp_url or the OCP_URL environment variable')


def test_validate_ocp_url_never_echoes_credentials():
    with pytest.raises(InputError) as info:
        validate_ocp_url('https://admin:topsecret@ocp.example.com')
    assert 'topsecret' not in info.value.msg and 'ocp_username' in info.value.msg
