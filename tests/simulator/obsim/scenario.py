# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios: YAML with times relative to now, expanded once at start into API rows."""
import os
import re
import time
from datetime import datetime, timedelta, timezone

import yaml

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_REL = re.compile(r'^([+-]?)(\d+(?:\.\d+)?)([smhdw])$')
_UNIT = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}


def seconds(text):
    """'-8d' -> -691200.0; numbers pass through."""
    if isinstance(text, (int, float)):
        return float(text)
    match = _REL.match(str(text).strip())
    if not match:
        raise ValueError('not a relative time: %r' % (text,))
    value = float(match.group(2)) * _UNIT[match.group(3)]
    return -value if match.group(1) == '-' else value


def tz(offset):
    sign = -1 if offset.startswith('-') else 1
    hours, minutes = offset.lstrip('+-').split(':')
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def render(epoch, fmt, offset='+08:00', digits=6):
    """One timestamp the way OCP/obshell writes it: fmt offset_colon | offset_nocolon | zulu."""
    if epoch is None:
        return None
    zone = timezone.utc if fmt == 'zulu' else tz(offset)
    moment = datetime.fromtimestamp(epoch, zone)
    text = moment.strftime('%Y-%m-%dT%H:%M:%S')
    if digits:
        frac = ('%.9f' % (epoch % 1))[2:]
        text += '.' + frac[:digits]
    if fmt == 'zulu':
        return text + 'Z'
    off = moment.strftime('%z')
    return text + (off if fmt == 'offset_nocolon' else off[:3] + ':' + off[3:])


def load(name):
    path = name if os.path.sep in name or name.endswith('.yml') else os.path.join(HERE, 'scenarios', name + '.yml')
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


# Fields OCP builds send beyond the documented ones (the log sample's agentServerIp, and the like): a client keeps them.
UNDOCUMENTED_FIELDS = {'agentServerIp': '10.186.16.122', 'backupSizeBytes': 53687091, 'encrypted': False, 'operator': 'ocp_admin',
                       'statusDesc': None}


def fleet(spec):
    """A generated fleet: 'clusters=10,tenants=100,days=30' or 'clusters=1,tenants=1,tasks=50000'.

    hostile=1 answers like real OCP at its worst: task times in three forms in turn (+0800 with milliseconds,
    +08:00 with microseconds, Z), the undocumented fields, 'totalPage' for 'totalPages' and a page.size that is not
    the size asked for.
    """
    opts = dict(item.split('=') for item in spec.split(',') if item)
    clusters, tenants = int(opts.get('clusters', 1)), int(opts.get('tenants', 1))
    days, tasks = int(opts.get('days', 30)), opts.get('tasks')
    doc = {'ocp': {'users': [{'username': 'admin', 'password': 'Adm1n-sim'}], 'clusters': []}}
    if opts.get('hostile') in ('1', 'true', 'yes'):
        doc['ocp'].update(time_format='per_row', quirks=['total_page_key', 'wrong_page_size'], extra_fields=UNDOCUMENTED_FIELDS)
    for c in range(clusters):
        cluster = {'id': 1000 + c, 'name': 'fleet%03d' % c, 'tenants': [{'id': 100000 + c * 1000, 'name': 'sys'}]}
        for t in range(tenants):
            if tasks:
                gen = {'count': int(tasks), 'every': '10m', 'start': '-%dm' % (int(tasks) * 10 + 60), 'type': 'INCREMENTAL_BACKUP', 'full_every': 6}
            else:
                gen = {'count': days, 'every': '1d', 'start': '-%dd' % days, 'type': 'INCREMENTAL_BACKUP', 'full_every': 7}
            cluster['tenants'].append({'id': 100000 + c * 1000 + t + 1, 'name': 't%03d' % t, 'data_tasks': [gen],
                                       'log_tasks': [{'status': 'RUNNING', 'delay': 12.5, 'checkpoint': '-20s', 'create': '-%dd' % days}]})
        doc['ocp']['clusters'].append(cluster)
    return doc


def now():
    return time.time()
