# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad input fails before any request with an InputError naming the option and what is accepted."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils import _obshell_overview
from ansible_collections.oceanbase.backup.plugins.module_utils._errors import InputError
from ansible_collections.oceanbase.backup.plugins.module_utils._http_options import validate_base_url, validate_http_options
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_auth import validate_auth, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import format_api_time, format_utc, parse_time_option

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)
AUTH = ('ocp_username', 'ocp_password', 'ocp_access_key_id', 'ocp_access_key_secret')
USER, PASSWORD, AK, SK = 'U53r-x', 'P4ss-x', 'AK1d-x', 'SKs3-x'
AUTH_ACCEPTED = 'expected ocp_username and ocp_password, or ocp_access_key_id and ocp_access_key_secret'


def fails(option, accepted, call, *args, **kwargs):
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    assert info.value.option == option
    assert info.value.msg.startswith('Invalid value for option %s: ' % option)
    assert accepted in info.value.msg
    return info.value.msg


# ---- URLs ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('url, problem', [
    ('ocp.example.com:8080', 'has no http:// or https:// scheme'),
    ('127.0.0.1:8080', 'has no http:// or https:// scheme'),
    ('ftp://ocp.example.com', 'has no http:// or https:// scheme'),
    ('http://', 'has no valid host'),
    ('https://:8080', 'has no valid host'),
    ('http://ocp example.com', 'has no valid host'),
    ('http://host:0', 'has a port outside 1-65535'),
    ('http://host:65536', 'has a port outside 1-65535'),
    ('http://host:http', 'has a port outside 1-65535'),
    ('http://host:8080/?a=1', 'has a query or fragment'),
])
def test_url_says_what_is_wrong_and_what_is_accepted(url, problem):
    msg = fails('obshell_url', 'expected an http:// or https:// URL with a host, for example http://10.0.0.1:2886',
                validate_base_url, url, 'obshell_url', 'http://10.0.0.1:2886', 'obshell_root_password')
    assert '%r %s' % (url, problem) in msg


# ---- timeout, retries, TLS files ---------------------------------------------------------------------------

@pytest.mark.parametrize('timeout', [0.0, -1.0, float('nan'), float('inf'), 3600.5, 1e12])
def test_unusable_timeout(timeout):
    fails('request_timeout', 'expected a number of seconds greater than 0 and at most 3600',
          validate_http_options, dict(request_timeout=timeout), 'http://h')


def test_usable_timeouts_and_retries_pass():
    for timeout, retries in ((0.001, 0), (3600.0, 10), (None, None)):
        validate_http_options(dict(request_timeout=timeout, retries=retries), 'https://h')


def test_negative_retries():
    fails('retries', 'expected 0 or more', validate_http_options, dict(retries=-1), 'http://h')


def test_client_key_needs_client_cert():
    fails('client_key', 'expected client_cert', validate_http_options, dict(client_key='/k.pem'), 'http://h')


@pytest.mark.parametrize('option', ['ca_path', 'client_cert', 'client_key'])
def test_tls_file_missing_for_https(option, tmp_path):
    present = tmp_path / 'present.pem'
    present.write_text('x')
    params = dict(client_cert=str(present))
    params[option] = str(tmp_path / 'missing.pem')
    msg = fails(option, 'expected a PEM file', validate_http_options, params, 'https://h')
    assert 'missing.pem is not a readable file' in msg
    # Plain HTTP never opens the files, so they are not required to exist.
    validate_http_options(params, 'http://h')


def test_ca_path_that_is_a_directory(tmp_path):
    fails('ca_path', 'expected a PEM file with CA certificates', validate_http_options, dict(ca_path=str(tmp_path)), 'https://h')


# ---- OCP credentials --------------------------------------------------------------------------------------

def creds(**given):
    params = dict.fromkeys(AUTH)
    params.update(given)
    return params


@pytest.mark.parametrize('given, option, problem', [
    (dict(ocp_username=USER), 'ocp_password', 'empty or not set, but ocp_username is'),
    (dict(ocp_username=USER, ocp_password=''), 'ocp_password', 'empty or not set, but ocp_username is'),
    (dict(ocp_password=PASSWORD), 'ocp_username', 'empty or not set, but ocp_password is'),
    (dict(ocp_access_key_id=AK), 'ocp_access_key_secret', 'empty or not set, but ocp_access_key_id is'),
    (dict(ocp_access_key_secret=SK), 'ocp_access_key_id', 'empty or not set, but ocp_access_key_secret is'),
    (dict(ocp_username=USER, ocp_password=PASSWORD, ocp_access_key_id=AK, ocp_access_key_secret=SK),
     'ocp_access_key_id', 'cannot be combined with ocp_username'),
    (dict(ocp_password=PASSWORD, ocp_access_key_secret=SK), 'ocp_access_key_secret', 'cannot be combined with ocp_password'),
    (dict(), 'ocp_username', 'no credentials given'),
    (dict(ocp_username='', ocp_password=''), 'ocp_username', 'no credentials given'),
])
def test_credentials_need_exactly_one_complete_method(given, option, problem):
    msg = fails(option, AUTH_ACCEPTED, validate_auth, creds(**given))
    assert problem in msg
    assert 'environment variables' in msg
    assert not [value for value in given.values() if value and value in msg]


@pytest.mark.parametrize('given', [dict(ocp_username='admin', ocp_password='pw'), dict(ocp_access_key_id='ak', ocp_access_key_secret='sk')])
def test_one_complete_method_passes(given):
    validate_auth(creds(**given))


def test_connection_checks_url_then_credentials_then_http_options():
    fails('ocp_url', 'expected an http://', validate_connection, creds(ocp_url='ocp:8080'))
    # ocp_url is not `required` in the argument spec (the environment and module_defaults may give it): a missing one
    # fails here, naming the option and its environment variable.
    msg = fails('ocp_url', 'expected an http://', validate_connection, creds(ocp_username='admin', ocp_password='pw'))
    assert 'not set; set ocp_url or the OCP_URL environment variable' in msg
    fails('ocp_username', AUTH_ACCEPTED, validate_connection, creds(ocp_url='http://ocp:8080'))
    fails('retries', 'expected 0 or more', validate_connection,
          creds(ocp_url='http://ocp:8080', ocp_username='admin', ocp_password='pw', retries=-2))
    assert validate_connection(creds(ocp_url='HTTP://ocp:8080/', ocp_username='admin', ocp_password='pw')) == 'http://ocp:8080'


# ---- times ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('text, problem', [
    ('2026-02-30T00:00:00Z', 'day is out of range for month'),
    ('2026-01-01T25:00:00Z', 'hour must be in 0..23'),
    ('2026-13-01T00:00:00Z', 'month must be in 1..12'),
    ('2026-01-01T00:00:00+25:00', 'invalid UTC offset'),
    ('25:00', 'is not a time'),
    ('yesterday', 'is not a time'),
    ('', 'is not a time'),
    ('-99999999999d', 'reaches before the year 1'),
    ('-800000d', 'reaches before the year 1'),
])
def test_impossible_times(text, problem):
    msg = fails('end_time', "expected an ISO 8601 time such as 2024-08-06T00:00:00Z", parse_time_option, text, 'end_time', NOW)
    assert problem in msg
    # The value is named once, not echoed again inside a parser message.
    assert msg.count(repr(text)) == 1


def test_times_before_the_year_1000_keep_four_digit_years():
    early = parse_time_option('0999-12-31T23:00:00-01:00', 'start_time', NOW)
    assert format_api_time(early) == '1000-01-01T00:00:00Z'
    assert format_utc('0108-01-01T00:00:00.5Z') == '0108-01-01T00:00:00.500000Z'


# ---- obshell tenant names -----------------------------------------------------------------------------------

def no_client(*args, **kwargs):
    raise AssertionError('no request may be made')


@pytest.mark.parametrize('tenant', ['t orders', 'a#b', 'a%2Fb', '..', 'tenant;drop', 'zh\u79df\u6237'])
def test_obshell_tenant_name_characters(tenant):
    params = dict(obshell_url='http://127.0.0.1:1', tenant_name=tenant)
    msg = fails('tenant_name', 'expected letters, digits and - _ ~ +', _obshell_overview.collect_overview, params, client_factory=no_client)
    assert '%r is not a tenant name' % tenant in msg


@pytest.mark.parametrize('extra, option', [
    (dict(obshell_url='10.0.0.1:2886'), 'obshell_url'),
    (dict(obshell_url=None), 'obshell_url'),
    (dict(request_timeout=0.0), 'request_timeout'),
    (dict(retries=-1), 'retries'),
    (dict(obshell_url='https://10.0.0.1:2886', ca_path='/nonexistent/ca.pem'), 'ca_path'),
])
def test_obshell_connection_options_fail_before_any_request(extra, option):
    params = dict(obshell_url='http://127.0.0.1:1', tenant_name='t_done', request_timeout=30.0, retries=3)
    params.update(extra)
    msg = fails(option, 'expected', _obshell_overview.collect_overview, params, client_factory=no_client)
    if extra.get('obshell_url', '') is None:
        assert 'not set; set obshell_url or the OBSHELL_URL environment variable' in msg
