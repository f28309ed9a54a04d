# -*- coding: utf-8 -*-
# Copyright: contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS against the simulator serving HTTPS with a CA made here: refused by default, accepted with ca_path,
accepted with a warning when validate_certs is false, and a client certificate where the server asks for one."""

from __future__ import annotations

import datetime
import ipaddress
import os
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import TransportError
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp import OcpClient, id_key

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator'))
from obsim.testing import running_simulator  # noqa: E402  pylint: disable=wrong-import-position


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(subject_key, subject, issuer_key, issuer, ca=False, server=False, client=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if client:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, *items):
    with open(path, 'wb') as handle:
        for item in items:
            if isinstance(item, x509.Certificate):
                handle.write(item.public_bytes(serialization.Encoding.PEM))
            else:
                handle.write(item.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                                serialization.NoEncryption()))
    return str(path)


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    base = tmp_path_factory.mktemp('pki')
    ca_key = _key()
    ca = _cert(ca_key, 'test CA', ca_key, 'test CA', ca=True)
    server_key, client_key = _key(), _key()
    return {
        'ca': _write(base / 'ca.pem', ca),
        'server_cert': _write(base / 'server.pem', _cert(server_key, '127.0.0.1', ca_key, 'test CA', server=True)),
        'server_key': _write(base / 'server.key', server_key),
        'client_cert': _write(base / 'client.pem', _cert(client_key, 'auditor', ca_key, 'test CA', client=True)),
        'client_key': _write(base / 'client.key', client_key),
    }


def _params(url, **extra):
    params = {'ocp_url': url, 'ocp_username': 'admin', 'ocp_password': 'Adm1n-sim!', 'request_timeout': 5, 'retries': 0}
    params.update(extra)
    return params


def _clusters(params, warn=None):
    client = OcpClient(params, warn=warn)
    return list(client.iter_pages('/api/v2/ob/clusters', key=id_key))


def test_https_refused_by_default_accepted_with_ca_path_or_without_verification(pki):
    tls = {'cert': pki['server_cert'], 'key': pki['server_key']}
    with running_simulator('integration', tls=tls) as sim:
        assert sim.ocp_url.startswith('https://')
        with pytest.raises(TransportError) as info:
            _clusters(_params(sim.ocp_url))
        assert 'TLS error' in info.value.msg and 'ca_path' in info.value.msg
        assert len(_clusters(_params(sim.ocp_url, ca_path=pki['ca']))) == 4
        warnings = []
        assert len(_clusters(_params(sim.ocp_url, validate_certs=False), warn=warnings.append)) == 4
        assert len(warnings) == 1 and 'not verified' in warnings[0]


def test_client_certificate_where_the_server_asks_for_one(pki):
    tls = {'cert': pki['server_cert'], 'key': pki['server_key'], 'client_ca': pki['ca']}
    with running_simulator('integration', tls=tls) as sim:
        with pytest.raises(TransportError):
            _clusters(_params(sim.ocp_url, ca_path=pki['ca']))
        found = _clusters(_params(sim.ocp_url, ca_path=pki['ca'], client_cert=pki['client_cert'], client_key=pki['client_key']))
        assert len(found) == 4
