# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One obshell agent: /api/v1/info, /api/v1/secret, the backup overviews, and X-OCS-Header verification
done the way the agent does it (from the agent's Go source: decrypt by key-size blocks, uri match, ts expiry)."""
import base64
import json
import random
import secrets
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from obsim import obshell_history, scenario
from obsim.envelope import ApiFailure, ok
from obsim.restore_rows import agent_restore_row

RUNNING = {'INIT', 'DOING', 'BACKUP_SYS_META', 'BACKUP_USER_META', 'BACKUP_META_FINISH', 'BACKUP_DATA_SYS',
           'BACKUP_DATA_MINOR', 'BACKUP_DATA_MAJOR', 'BEFORE_BACKUP_LOG', 'BACKUP_LOG', 'CANCELING'}
_AUTH = 'Security.Authentication.'


def _version(text):
    return tuple(int(p) for p in str(text).split('.')[:3])


class Agent:
    def __init__(self, spec, start, port):
        self.spec = spec
        self.name = spec['name']
        self.version = str(spec.get('version', '4.3.1.0'))
        self.identity = spec.get('identity', 'CLUSTER AGENT')
        self.password = spec.get('root_password', '')
        self.key_size = int(spec.get('key_size', 1024))
        self.offset = spec.get('timezone', '+08:00')
        self.port = port
        self.key = make_key(self.key_size)
        self.tenants = {}
        for t in spec.get('tenants') or []:
            self.tenants[t['name']] = _task(t, start, self.offset) if t.get('backup') else None
        self.history = obshell_history.History(spec, start, self.offset)
        # Running restores first, then the history newest first, as the agent lists them.
        restores = [agent_restore_row(item, start, self.offset, index + 1) for index, item in enumerate(spec.get('restores') or [])]
        self._restore_starts = dict((row['job_id'], start + scenario.seconds(item.get('start', '-20d')))
                                    for row, item in zip(restores, spec.get('restores') or []))
        self.restores = sorted(restores, key=lambda row: (row['finish_timestamp'] != '', -self._restore_starts[row['job_id']]))

    @property
    def new_errors(self):
        return _version(self.version) >= (4, 3, 1)

    def rotate_key(self):
        self.key = make_key(self.key_size)

    def fail(self, status, err_code, message, legacy):
        """4.3.1+ sends errCode (+ legacy code); older agents only the integer code."""
        if self.new_errors:
            return ApiFailure(status, err_code, message, legacy=legacy)
        return ApiFailure(status, None, message, legacy=legacy)

    def handle(self, req):
        path = req.path
        if path == '/api/v1/info' or path == '/api/v1/status':
            info = {'pid': 4242, 'state': 2, 'startAt': 1700000000000000000, 'homePath': '/home/admin/obshell',
                    'obVersion': '4.3.5.1', 'architecture': 'x86_64', 'ip': '127.0.0.1', 'port': self.port, 'zone': 'zone1',
                    'identity': self.identity, 'version': self.version, 'isObproxyAgent': False, 'security': False}
            if _version(self.version) >= (4, 2, 5):
                info['supportedAuth'] = ['v2']
            return ok(info)
        if path == '/api/v1/secret':
            der = self.key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
            return ok({'ip': '127.0.0.1', 'port': self.port, 'public_key': base64.b64encode(der).decode()})
        history = obshell_history.available(path, _version(self.version))
        if path == '/api/v1/restore/tasks':
            return self.restore_tasks(req)
        routes = path.startswith('/api/v1/tenant/') and path.endswith('/backup/overview') or path == '/api/v1/obcluster/backup/overview'
        if not (routes or history) or _version(self.version) < (4, 2, 4):
            return 404, '404 page not found', 'text/plain'
        self.verify(req)
        if self.identity != 'CLUSTER AGENT':
            if self.new_errors:
                raise ApiFailure(400, 'Agent.Identify.NotSupportOperation',
                                 "'127.0.0.1:%d' is '%s', instead of 'CLUSTER AGENT', does not support this operation" % (self.port, self.identity))
            raise ApiFailure(500, None, 'Known error: agent identity is %s' % self.identity, legacy=1010)
        if history:
            return obshell_history.handle(self, req)
        if path == '/api/v1/obcluster/backup/overview':
            rows = [row for row in self.tenants.values() if row]
            if not rows:
                raise self.fail(404, 'Common.NotFound', 'Element not found: backup task', 1003)
            return ok({'statuses': rows})
        name = path[len('/api/v1/tenant/'):-len('/backup/overview')]
        if name == 'sys':
            raise self.fail(400, 'OB.Tenant.SysOperationNotAllowed', 'System tenant is not allowed to perform this operation', 1001)
        if name not in self.tenants:
            if self.new_errors:
                raise ApiFailure(400, 'OB.Tenant.NotExist', "Tenant '%s' does not exist." % name)
            raise ApiFailure(400, None, 'Illegal argument: tenant %s not found' % name, legacy=1001)
        row = self.tenants[name]
        if row is None:
            raise self.fail(404, 'Task.NotFound', 'Task not found: no backup task', 2300)
        return ok({'status': row})

    def restore_tasks(self, req):
        """GET /api/v1/restore/tasks: every row (the agent echoes page and size but does not apply them)."""
        if _version(self.version) < (4, 2, 4):
            return 404, '404 page not found', 'text/plain'
        self.verify(req)
        if self.identity != 'CLUSTER AGENT':
            raise self.fail(400, 'Agent.Identify.NotSupportOperation', 'agent identity is %s, not CLUSTER AGENT' % self.identity, 1010)
        rows = self.restores
        statuses = set((req.params.get('status') or [''])[0].upper().split(',')) - {''}
        if statuses:
            rows = [row for row in rows if row['status'] in statuses]
        window = [(key, req.params.get(key, [None])[0]) for key in ('start_time', 'end_time')]
        for key, text in window:
            if text is None:
                continue
            try:
                bound = datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()
            except ValueError:
                raise self.fail(400, 'Common.IllegalArgument', 'parsing time %r as RFC 3339 failed' % text, 1001) from None
            rows = [row for row in rows if (self._restore_starts[row['job_id']] >= bound if key == 'start_time'
                                            else self._restore_starts[row['job_id']] <= bound)]
        page = {'number': 1, 'size': 2147483647, 'total_pages': 1, 'total_elements': len(rows)}
        return ok({'contents': rows, 'page': page})

    def verify(self, req):
        """HeaderDecrypt then Verify (middleware.go): decrypt by k-byte blocks, uri match, ts expiry, password."""
        value = req.headers.get('X-OCS-Header')
        if not value:
            if self.new_errors:
                raise ApiFailure(400, 'Request.Header.NotFound', 'Request header X-OCS-Header not found')
            raise ApiFailure(401, None, 'Verification failed', legacy=10008)
        header = self.decrypt(value)
        if header is None:
            raise self.fail(401, _AUTH + 'Header.DecryptFailed', 'Decrypt http header failed: crypto/rsa: decryption error', 1)
        if header.get('uri') != req.target:
            raise self.fail(401, _AUTH + 'Header.UriMismatch', 'URI mismatch', 10008)
        auth = header.get('auth') or ''
        if auth:
            try:
                expiry = int(header.get('ts'))
            except (TypeError, ValueError):
                raise self.fail(401, _AUTH + 'Timestamp.Invalid', 'Unauthorized: invalid timestamp', 10008)
            if scenario.now() > expiry:
                raise self.fail(401, _AUTH + 'Expired', 'Unauthorized: request expired', 10008)
        if auth != self.password:
            raise self.fail(401, _AUTH + 'IncorrectOceanbasePassword', 'Unauthorized: OceanBase password is incorrect', 10008)

    def decrypt(self, value):
        try:
            raw = base64.b64decode(value, validate=True)
            k = (self.key.key_size + 7) // 8
            if not raw or len(raw) % k:
                return None
            plain = b''.join(self.key.decrypt(raw[i:i + k], padding.PKCS1v15()) for i in range(0, len(raw), k))
            data = json.loads(plain.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        # Go's encoding/json matches keys case-insensitively; Ts is a Go string, so a number fails to decode.
        header = {key.lower(): val for key, val in data.items()}
        for key in ('auth', 'ts', 'uri', 'keys'):
            if key in header and not isinstance(header[key], str):
                return None
        return header


def _task(tenant, start, offset):
    b = tenant['backup']
    status = b.get('status', 'COMPLETED')
    t0 = start + scenario.seconds(b.get('start', '-5h'))
    t1 = start + scenario.seconds(b.get('end', '-4h'))
    total, done = (b.get('tablets') or [596, 596 if status not in RUNNING else 200])
    scn = int(t0 * 1e9)
    return {
        'tenant_id': int(tenant.get('id', 1002)), 'task_id': int(b.get('task_id', 7)), 'job_id': int(b.get('job_id', 7)),
        'incarnation': 1, 'backup_set_id': int(b.get('backup_set_id', 3)),
        'start_timestamp': scenario.render(t0, 'offset_colon', offset, 6),
        # A running task keeps its start time in END_TIMESTAMP (the column is NOT NULL; the agent value is unconfirmed).
        'end_timestamp': scenario.render(t0 if status in RUNNING else t1, 'offset_colon', offset, 6),
        'status': status, 'start_scn': scn, 'end_scn': 0 if status in RUNNING else int(t1 * 1e9) + 123456789,
        'user_ls_start_scn': scn + 987654321, 'encryption_mode': b.get('encryption_mode', 'NONE'),
        'input_bytes': 128825794, 'output_bytes': 22320897, 'output_rate_bytes': 144225.6503, 'extra_meta_bytes': 0,
        'tablet_count': total, 'finish_tablet_count': done, 'macro_block_count': 61, 'finish_macro_block_count': 61,
        'file_count': 0, 'meta_turn_id': 1, 'data_turn_id': 0, 'result': int(b.get('result', 0)), 'comment': b.get('comment', ''),
        'path': 'file:///obbackup/%s/data' % tenant['name'],
    }


def make_key(bits):
    """RSA key of any size; cryptography refuses to generate keys under 1024 bits, which old agents use."""
    if bits >= 1024:
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    e = 65537
    while True:
        p, q = _prime(bits // 2), _prime(bits - bits // 2)
        n = p * q
        phi = (p - 1) * (q - 1)
        if p != q and n.bit_length() == bits and phi % e:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)


def _prime(bits):
    rng = random.SystemRandom()
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if _probable_prime(candidate):
            return candidate


def _probable_prime(n):
    if n < 4:
        return n in (2, 3)
    for small in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % small == 0:
            return n == small
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for dummy in range(32):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for dummy2 in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True
