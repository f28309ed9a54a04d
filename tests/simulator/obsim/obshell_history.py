# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent's tenant list and backup history routes (obshell 4.3.2+), built from its Go source:

- GET /api/v1/tenants/overview (from 4.2.4): every tenant, sys included, wrapped {"contents": [...]}.
- GET /api/v1/tenant/:name/backup/tasks: jobs paged {"contents", "page"}; start_time/end_time bound as Go time.Time
  (RFC 3339 only, else 400 with Go's parse error), both compared with the job's start; status a comma list;
  size defaults to 2147483647; end_timestamp omitted while a job runs.
- GET /api/v1/tenant/:name/backup/log/tasks: only rounds in BEGINNING, DOING, STOPPING, PREPARE, SUSPEND,
  tenant_name always "", delay computed at each request.
- GET /api/v1/tenant/:name/backup/info: the newest round of any status, "lastest" spelled so, fields omitted
  when empty; its data backup time is the start of the running job, else of the newest job of any status.
Times are Go's: the agent's offset, the fraction with trailing zeros trimmed.
"""
import re
from datetime import datetime

from obsim import scenario
from obsim.envelope import ApiFailure, ok

ROUTES_FROM = (4, 3, 2)
LISTED_ROUNDS = ('BEGINNING', 'DOING', 'STOPPING', 'PREPARE', 'SUSPEND')
JOB_RUNNING = ('INIT', 'DOING', 'CANCELING')
_RFC3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
_SUFFIXES = ('/backup/tasks', '/backup/log/tasks', '/backup/info')


def go_time(epoch, offset, step=1e-6):
    """RFC 3339 as Go's time.Time marshals it: trailing zeros of the fraction trimmed, no fraction when it is zero.
    ``step`` rounds the time first (100 us gives at most 4 digits, 1 gives none), so every form shows up."""
    micros = int(round(round(epoch / step) * step * 1e6))
    text = scenario.render(micros // 1000000, 'offset_colon', offset, 0)
    fraction = ('%06d' % (micros % 1000000)).rstrip('0')
    return text[:19] + ('.' + fraction if fraction else '') + text[19:]


def available(path, version):
    """Whether an agent of ``version`` (a tuple) serves ``path`` here: the tenant list from 4.2.4, the history from 4.3.2."""
    if path == '/api/v1/tenants/overview':
        return version >= (4, 2, 4)
    return path.startswith('/api/v1/tenant/') and path.endswith(_SUFFIXES) and version >= ROUTES_FROM


class History:
    """Per-tenant jobs and archive rounds of one agent, from the scenario's tenant keys `jobs` and `archive`."""

    def __init__(self, spec, start, offset):
        self.start, self.offset = start, offset
        self.tenants = {'sys': {'name': 'sys', 'id': 1}}
        for index, tenant in enumerate(spec.get('tenants') or []):
            # A tenant without an id gets one of its own, as every tenant of a cluster has.
            self.tenants[tenant['name']] = dict({'id': 1002 + 2 * index}, **tenant)

    def tenant_rows(self):
        rows = []
        for tenant in self.tenants.values():
            rows.append({'tenant_name': tenant['name'], 'tenant_id': int(tenant.get('id', 1002)),
                         'created_time': go_time(self.start - 90 * 86400, self.offset), 'mode': 'MYSQL', 'status': 'NORMAL',
                         'locked': 'NO', 'primary_zone': 'zone1', 'locality': 'FULL{1}@zone1', 'in_recyclebin': 'NO',
                         'connection_strings': [{'type': 'direct', 'connection_string': 'obclient -h127.0.0.1 -P2881 -u@%s' % tenant['name']}]})
        return rows

    def jobs(self, tenant):
        result = []
        for index, job in enumerate(tenant.get('jobs') or []):
            status = job.get('status', 'COMPLETED')
            t0 = self.start + scenario.seconds(job.get('start', '-1d'))
            row = {'tenant_id': int(tenant.get('id', 1002)), 'job_id': int(job.get('job_id', index + 1)),
                   'backup_set_id': int(job.get('backup_set_id', index + 1)), 'plus_archivelog': 'OFF',
                   'backup_type': job.get('type', 'FULL'), 'start_timestamp': go_time(t0, self.offset, 1e-4),
                   'status': status, 'result': int(job.get('result', 0)), 'comment': job.get('comment', ''), 'description': '',
                   'path': 'file:///obbackup/%s/data' % tenant['name']}
            if status not in JOB_RUNNING:
                row['end_timestamp'] = go_time(self.start + scenario.seconds(job.get('end', '-23h')), self.offset, 1e-4)
            result.append((t0, row))
        return result

    def rounds(self, tenant):
        result = []
        for index, spec in enumerate(tenant.get('archive') or []):
            status = spec.get('status', 'DOING')
            # An archiving round keeps its lag behind now; any other round's checkpoint stopped where it was.
            base = scenario.now() if status in ('BEGINNING', 'DOING') else self.start
            checkpoint = base + scenario.seconds(spec.get('checkpoint', '-20s'))
            result.append({'tenant_id': int(tenant.get('id', 1002)), 'tenant_name': '', 'round_id': int(spec.get('round_id', index + 1)),
                           'status': status, 'path': 'file:///obbackup/%s/archive' % tenant['name'],
                           # truncate(..., 4) in SQL, printed as a Go float.
                           'delay': _go_float(int((scenario.now() - checkpoint) * 10000) / 10000.0),
                           'checkpoint': go_time(checkpoint, self.offset),
                           'start_time': go_time(self.start + scenario.seconds(spec.get('start', '-10d')), self.offset, 1)})
        return result


def _go_float(value):
    return int(value) if value == int(value) else value


def handle(agent, req):
    """The answer of one history route, after the agent's own identity and auth checks."""
    history = agent.history
    if req.path == '/api/v1/tenants/overview':
        return ok({'contents': history.tenant_rows()})
    name = req.path[len('/api/v1/tenant/'):]
    name = name[:name.index('/backup/')]
    tenant = _tenant(agent, name)
    if req.path.endswith('/backup/log/tasks'):
        return ok({'contents': [row for row in history.rounds(tenant) if row['status'] in LISTED_ROUNDS]})
    if req.path.endswith('/backup/info'):
        return ok(_info(history, tenant))
    return ok(_jobs_page(history, tenant, req))


def _tenant(agent, name):
    if name == 'sys':
        raise agent.fail(400, 'OB.Tenant.SysOperationNotAllowed', 'System tenant is not allowed to perform this operation', 1001)
    tenant = agent.history.tenants.get(name)
    if tenant is None:
        raise ApiFailure(400, 'OB.Tenant.NotExist', "Tenant '%s' does not exist." % name)
    return tenant


def _info(history, tenant):
    info = {'tenant_id': int(tenant.get('id', 1002))}
    rounds = sorted(history.rounds(tenant), key=lambda row: row['round_id'])
    if rounds:
        info['lastest_archive_log_checkpoint'] = rounds[-1]['checkpoint']
        if rounds[-1]['delay']:
            info['archive_log_delay'] = rounds[-1]['delay']
    jobs = history.jobs(tenant)
    running = [row for row in jobs if row[1]['status'] in JOB_RUNNING]
    chosen = running or jobs
    if chosen:
        info['lastest_data_backup_time'] = max(chosen, key=lambda item: item[0])[1]['start_timestamp']
    return info


def _param_time(req, key):
    values = req.params.get(key)
    if not values or values[0] == '':
        return None
    text = values[0]
    if not _RFC3339.match(text):
        raise ApiFailure(400, 'Common.IllegalArgument', 'parsing time "%s" as "2006-01-02T15:04:05Z07:00": cannot parse "%s" as "Z07:00"'
                         % (text, text[19:]))
    return datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()


def _jobs_page(history, tenant, req):
    start, end = _param_time(req, 'start_time'), _param_time(req, 'end_time')
    statuses = (req.params.get('status') or [''])[0]
    wanted = set(statuses.upper().split(',')) if statuses else None
    rows = [(t0, row) for t0, row in history.jobs(tenant)
            if (start is None or t0 >= start) and (end is None or t0 <= end) and (wanted is None or row['status'] in wanted)]
    rows.sort(key=lambda item: item[0], reverse=True)
    page = int((req.params.get('page') or ['1'])[0] or 1)
    size = int((req.params.get('size') or ['2147483647'])[0] or 2147483647)
    chosen = [row for dummy, row in rows[(page - 1) * size:page * size]]
    total_pages = (len(rows) + size - 1) // size
    return {'contents': chosen, 'page': {'total_elements': len(rows), 'total_pages': total_pages, 'size': size, 'number': page}}
