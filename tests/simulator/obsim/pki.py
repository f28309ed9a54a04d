# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A throwaway PKI for HTTPS tests: a CA, a server certificate for an IP address and a client certificate.

EC P-256 keys: made in milliseconds, so every test run can have its own CA.
"""
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = 'obsim test CA'


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _cert(subject_key, subject, issuer_key, usage=None, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(CA_NAME))
               .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=usage is None, path_length=None), critical=True))
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(san))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, item):
    if isinstance(item, x509.Certificate):
        data = item.public_bytes(serialization.Encoding.PEM)
    else:
        data = item.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Private keys too: readable by the owner only.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'wb') as handle:
        handle.write(data)
    return path


def make_pki(directory, host='127.0.0.1'):
    """Write ca.pem, server.pem/server.key (SAN IP ``host``), client.pem/client.key into ``directory``.

    Returns {'ca', 'server_cert', 'server_key', 'client_cert', 'client_key'}: absolute paths.
    """
    directory = os.path.abspath(str(directory))
    os.makedirs(directory, exist_ok=True)
    ca_key, server_key, client_key = _key(), _key(), _key()
    paths = {}
    for name, filename, item in (
        ('ca', 'ca.pem', _cert(ca_key, CA_NAME, ca_key)),
        ('server_cert', 'server.pem', _cert(server_key, host, ca_key, ExtendedKeyUsageOID.SERVER_AUTH, san=host)),
        ('server_key', 'server.key', server_key),
        ('client_cert', 'client.pem', _cert(client_key, 'obsim client', ca_key, ExtendedKeyUsageOID.CLIENT_AUTH)),
        ('client_key', 'client.key', client_key),
    ):
        paths[name] = _write(os.path.join(directory, filename), item)
    return paths
