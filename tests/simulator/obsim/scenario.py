# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios: YAML with times relative to now, expanded once at start into API rows."""
import functools
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


@functools.lru_cache(maxsize=None)
def tz(offset):
    sign = -1 if offset.startswith('-') else 1
    hours, minutes = offset.lstrip('+-').split(':')
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def render(epoch, fmt, offset='+08:00', digits=6):
    """One timestamp the way OCP/obshell writes it: fmt offset_colon | offset_nocolon | zulu."""
    if epoch is None:
        return None
    zone = timezone.utc if fmt == 'zulu' else tz(offset)
    # isoformat, not strftime: a generated fleet renders millions of times at start (same text for 4-digit years).
    iso = datetime.fromtimestamp(epoch, zone).isoformat(timespec='seconds')
    text = iso[:19]
    if digits:
        frac = ('%.9f' % (epoch % 1))[2:]
        text += '.' + frac[:digits]
    if fmt == 'zulu':
        return text + 'Z'
    off = iso[19:]
    return text + (off.replace(':', '') if fmt == 'offset_nocolon' else off)


def load(name):
    path = name if os.path.sep in name or name.endswith('.yml') else os.path.join(HERE, 'scenarios', name + '.yml')
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


# Fields OCP builds send beyond the documented ones (the log sample's agentServerIp, and the like): a client keeps them.
UNDOCUMENTED_FIELDS = {'agentServerIp': '10.186.16.122', 'backupSizeBytes': 53687091, 'encrypted': False, 'operator': 'ocp_admin',
                       'statusDesc': None}


# The backup strategy of every tenant of a generated OCP fleet: what its tasks do (daily, a full one every 7th day).
FLEET_STRATEGY = {'mode': 'WEEK', 'retention_days': 30,
                  'days': dict((str(day), 'FULL_BACKUP' if day == 1 else 'INCREMENTAL_BACKUP') for day in range(1, 8))}


def fleet(spec):
    """A generated fleet: 'clusters=10,tenants=100,days=30' or 'clusters=1,tenants=1,tasks=50000' (OCP), or
    'agents=10,tenants=20,days=30' (obshell agents, no OCP cluster unless clusters= is given too).

    Every OCP tenant has a weekly strategy (a full backup on Monday, incrementals the other days) and one restore drill
    of its backups on its own cluster, 20 days old; healthy=0 leaves both out (three checks fail per tenant).

    hostile=1 answers like real OCP at its worst: task times in three forms in turn (+0800 with milliseconds, +08:00
    with microseconds, Z), the undocumented fields, 'totalPage' for 'totalPages' and a page.size that is not the size
    asked for.
    """
    opts = dict(item.split('=') for item in spec.split(',') if item)
    agents = int(opts.get('agents', 0))
    clusters, tenants = int(opts.get('clusters', 0 if agents else 1)), int(opts.get('tenants', 1))
    days, tasks = int(opts.get('days', 30)), opts.get('tasks')
    healthy = opts.get('healthy', '1') not in ('0', 'false', 'no')
    doc = {'ocp': {'users': [{'username': 'admin', 'password': 'Adm1n-sim'}], 'clusters': []}}
    if agents:
        doc['obshell'] = {'agents': [fleet_agent(index, tenants, days) for index in range(agents)]}
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
                                       'log_tasks': [{'status': 'RUNNING', 'delay': 12.5, 'checkpoint': '-20s', 'create': '-%dd' % days}],
                                       'backup_strategy': FLEET_STRATEGY if healthy else None})
        # One restore drill per tenant, of its own backups on its own cluster: a healthy fleet passes every check.
        cluster['restores'] = [{'source': '%s/t%03d' % (cluster['name'], t), 'tenant': 't%03d_drill' % t, 'create': '-20d'}
                               for t in range(tenants)] if healthy else []
        doc['ocp']['clusters'].append(cluster)
    return doc


# The root password of every agent of a generated fleet.
FLEET_AGENT_PASSWORD = 'R00t-sim!'
# The first obshell release with the backup history routes (obsim.obshell_history.ROUTES_FROM).
FLEET_AGENT_VERSION = '4.3.2.0'


def fleet_agent(index, tenants, days):
    """Agent 'agentNNN' of a generated fleet: per user tenant a daily data backup job (a FULL every 7th, the newest
    23 hours old), its latest job as the backup overview, one archiving round, and one restore drill of its backups."""
    name = 'agent%03d' % index
    spec = {'name': name, 'version': FLEET_AGENT_VERSION, 'key_size': 1024, 'root_password': FLEET_AGENT_PASSWORD,
            'tenants': [], 'restores': []}
    for number in range(tenants):
        tenant = 't%03d' % number
        starts = [-(days - day) * 86400 + 3600 for day in range(days)]
        jobs = [{'type': 'FULL' if day % 7 == 0 else 'INC', 'status': 'COMPLETED', 'start': t0, 'end': t0 + 1200}
                for day, t0 in enumerate(starts)]
        entry = {'name': tenant, 'id': 1002 + 2 * number, 'jobs': jobs,
                 'archive': [{'round_id': 1, 'status': 'DOING', 'checkpoint': '-20s', 'start': '-%dd' % days}]}
        if jobs:
            newest = jobs[-1]
            entry['backup'] = {'status': 'COMPLETED', 'start': newest['start'], 'end': newest['end'], 'backup_set_id': days}
        spec['tenants'].append(entry)
        spec['restores'].append({'source': '%s/%s' % (name, tenant), 'tenant': '%s_drill' % tenant, 'status': 'SUCCESS',
                                 'start': '-20d', 'duration': '1h'})
    return spec


def now():
    return time.time()
