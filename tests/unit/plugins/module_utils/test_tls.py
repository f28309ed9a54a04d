# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS against the simulator serving HTTPS with a CA made here: refused by default, accepted with ca_path,
accepted with a warning when validate_certs is false, and a client certificate where the server asks for one."""

from __future__ import annotations

import pytest

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import TransportError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import OcpClient
from obsim.pki import make_pki
from obsim.testing import running_simulator


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp('pki'))


@pytest.fixture(scope='module')
def other_ca(tmp_path_factory):
    """A CA that signed nothing the simulator serves."""
    return make_pki(tmp_path_factory.mktemp('other'))['ca']


def _params(url, **extra):
    params = {'ocp_url': url, 'ocp_username': 'admin', 'ocp_password': 'Adm1n-sim!', 'request_timeout': 5, 'retries': 0}
    params.update(extra)
    return params


def _clusters(params, warn=None):
    return OcpClient(params, warn=warn).list_clusters()


@pytest.mark.parametrize('bundle', [None, 'other_ca'])
def test_https_refused_by_default_accepted_with_ca_path_or_without_verification(pki, other_ca, bundle, monkeypatch):
    # requests lets REQUESTS_CA_BUNDLE override a Session's verify setting: ca_path and validate_certs must still win.
    if bundle:
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', other_ca)
    tls = {'cert': pki['server_cert'], 'key': pki['server_key']}
    with running_simulator('integration', tls=tls) as sim:
        assert sim.ocp_url.startswith('https://')
        with pytest.raises(TransportError) as info:
            _clusters(_params(sim.ocp_url))
        assert info.value.msg.startswith('GET %s/api/v2/ob/clusters' % sim.ocp_url)
        assert 'certificate verify failed' in info.value.msg
        assert 'set ca_path to the CA that signed it, or validate_certs=false' in info.value.msg
        assert len(_clusters(_params(sim.ocp_url, ca_path=pki['ca']))) == 4
        warnings = []
        assert len(_clusters(_params(sim.ocp_url, validate_certs=False), warn=warnings.append)) == 4
        assert warnings == ['validate_certs is false: the TLS certificate of %s is not verified.' % sim.ocp_url]


def test_client_certificate_where_the_server_asks_for_one(pki):
    tls = {'cert': pki['server_cert'], 'key': pki['server_key'], 'client_ca': pki['ca']}
    with running_simulator('integration', tls=tls) as sim:
        with pytest.raises(TransportError) as info:
            _clusters(_params(sim.ocp_url, ca_path=pki['ca']))
        assert 'TLS error' in info.value.msg and 'set client_cert and client_key' in info.value.msg
        found = _clusters(_params(sim.ocp_url, ca_path=pki['ca'], client_cert=pki['client_cert'], client_key=pki['client_key']))
        assert len(found) == 4
