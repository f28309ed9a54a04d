# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The obshell agent's backup history: data backup jobs and archive log rounds of one tenant or of every user tenant.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The summaries are those of the OCP task modules (_summary), fed with the agent's rows, so that the compliance state
is filled the same way from both sources. What the agent's rows mean (from its Go source, 4.3.2 to 4.5):
job statuses come from CDB_OB_BACKUP_JOBS, a success is COMPLETED and ``backup_type`` is FULL or INC; the round list
holds only rounds in BEGINNING, DOING, STOPPING, PREPARE or SUSPEND, so an interrupted or stopped archive is an
empty list; ``backup/info`` gives the checkpoint and delay of the newest round whatever its status, its fields
omitted when empty (and "lastest" spelled so). Keep the argument specs in step with the two modules' docs.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import ApiError, InputError, ResponseFormatError, UnsupportedError
from ansible_collections.oceanbase.backup.plugins.module_utils._http import redact_url
from ansible_collections.oceanbase.backup.plugins.module_utils._normalize import normalize, to_float
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_client import OBSHELL_ARGSPEC, ObshellClient, validate_connection
from ansible_collections.oceanbase.backup.plugins.module_utils._obshell_overview import _TENANT_NAME_RE, explain, validate_tenant_name
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_client import validate_page_size
from ansible_collections.oceanbase.backup.plugins.module_utils._ocp_tasks import TaskQuery, validate_statuses
from ansible_collections.oceanbase.backup.plugins.module_utils._paging import iter_pages
from ansible_collections.oceanbase.backup.plugins.module_utils._summary import DataOutcomes, DataSummary, LogOutcomes, LogSummary
from ansible_collections.oceanbase.backup.plugins.module_utils._timeutil import age_seconds, format_api_time, format_utc, parse_time_option, utcnow

DEFAULT_PAGE_SIZE = 2000
TENANTS = '/api/v1/tenants/overview'
JOB_STATUSES = ('INIT', 'DOING', 'COMPLETED', 'FAILED', 'CANCELING', 'CANCELED')
ROUND_STATUSES = ('PREPARE', 'BEGINNING', 'DOING', 'INTERRUPTED', 'STOP', 'STOPPING', 'SUSPENDING', 'SUSPEND')
# The rounds the agent lists at all; the ones among them that archive.
LISTED_ROUNDS = ('BEGINNING', 'DOING', 'STOPPING', 'PREPARE', 'SUSPEND')
ACTIVE_ROUNDS = ('BEGINNING', 'DOING')

# The log module has no time window and no paging: the agent lists only the current rounds, on one page.
OBSHELL_LOG_ARGSPEC = dict(
    OBSHELL_ARGSPEC,
    tenant_name=dict(type='str'),
    status=dict(type='list', elements='str'),
    return_tasks=dict(type='bool', default=True),
)
OBSHELL_DATA_ARGSPEC = dict(
    OBSHELL_LOG_ARGSPEC,
    start_time=dict(type='str'),
    end_time=dict(type='str'),
    page_size=dict(type='int', default=DEFAULT_PAGE_SIZE),
)

# The job fields that play the summary's roles (DataSummary.ROLES order): the agent has no task type but
# backup_type, keeps the error in comment, and sends no tenant name (added to each row here).
_DATA_FIELDS = ('status', 'start_timestamp', 'end_timestamp', 'job_id', 'tenant_name', 'tenant_id',
                'data_backup_task_type', 'backup_type', 'task_type', 'backup_set_id', 'comment')
# LogSummary.ROLES order: a round has only its start time.
_LOG_FIELDS = ('status', 'start_time', 'start_time', 'modify_time', 'checkpoint', 'tenant_name', 'tenant_id', 'delay')


def data_summary():
    # INC and INCREMENTAL are not full; CANCELING still holds the backup.
    return DataSummary(DataOutcomes(success='COMPLETED', failure='FAILED', running=('INIT', 'DOING', 'CANCELING'),
                                    full_types=('FULL', 'FULL_BACKUP')), fields=_DATA_FIELDS)


def log_summary():
    return LogSummary(LogOutcomes(active=ACTIVE_ROUNDS), fields=_LOG_FIELDS)


class ObshellQuery:
    """A checked query: the tenant asked for (None: every user tenant), the job filters and the statuses."""

    __slots__ = ('tenant', 'send', 'statuses')

    def __init__(self, tenant, send, statuses):
        self.tenant, self.send, self.statuses = tenant, send, statuses


def validate_query(params, documented, what, warn, now, paged=True):
    """Check every option before any request; returns the ObshellQuery."""
    tenant = validate_tenant_name(params) if params.get('tenant_name') is not None else None
    validate_connection(params)
    if paged:
        validate_page_size(params.get('page_size'))
    start = parse_time_option(params['start_time'], 'start_time', now) if params.get('start_time') is not None else None
    end = parse_time_option(params['end_time'], 'end_time', now) if params.get('end_time') is not None else None
    if start is not None and end is not None and end < start:
        raise InputError('end_time', '%s is before start_time %s; expected end_time >= start_time' % (format_utc(end), format_utc(start)))
    statuses = validate_statuses(params.get('status'), documented, what, warn)
    # Go binds these as time.Time: RFC 3339 only; the Z form needs no '+' in the query.
    send = {'start_time': format_api_time(start) if start is not None else None,
            'end_time': format_api_time(end) if end is not None else None,
            'status': ','.join(statuses) if statuses else None}
    return ObshellQuery(tenant, send, statuses)


class Backup:
    """One module run against one agent: its version, the tenants, and GETs that explain an agent without a route."""

    def __init__(self, client, what):
        self.client = client
        self.what = what
        self.agent = client.info()
        # The tenants being read, named in the failure of an agent without the history routes.
        self.listed = []

    def get(self, path, params=None):
        try:
            return self.client.get_protected(path, params)
        except ApiError as exc:
            error = getattr(exc, 'server_error', None) or {}
            if exc.http_status == 404 and not error:
                raise UnsupportedError(
                    'The obshell agent %s (version %s) lacks the backup history API that reading %s needs (GET %s answered '
                    'gin\'s plain "404 page not found"); it needs an obshell release with that API (4.3.2 or later). Use '
                    'oceanbase.backup.obshell_tenant_backup_overview for this agent.' % (
                        redact_url(self.client.http.base_url), self.agent.get('version'), self.what, path.split('?')[0]),
                    agent_version=self.agent.get('version'), path=path, missing_api='backup history',
                    tenant_names=[tenant['name'] for tenant in self.listed]) from None
            raise explain(exc, path.split('/')[4] if path.startswith('/api/v1/tenant/') else '') from None

    def data(self, path, params=None):
        body = self.get(path, params)
        data = body.get('data')
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ResponseFormatError('GET %s returned "data" that is not an object' % path, method='GET', path=path)
        return data

    def tenants(self, query):
        """[{id, name}] of the tenants to read: the one asked for, or every user tenant the agent lists."""
        if query.tenant is not None:
            self.listed = [{'id': None, 'name': query.tenant}]
            return self.listed
        result = []
        for row in _contents(self.data(TENANTS), TENANTS):
            name = row.get('tenant_name') if isinstance(row, dict) else None
            if not isinstance(name, str) or name == '' or name.lower() == 'sys':
                continue
            result.append({'id': row.get('tenant_id'), 'name': name})
        self.listed = sorted(result, key=lambda item: item['name'])
        return self.listed


def readable(tenant, warn):
    """Whether the tenant's routes can be asked for; a name the URL path cannot carry is warned about and left
    with no data, so its checks fail rather than pass."""
    if _TENANT_NAME_RE.match(tenant['name']):
        return True
    warn('tenant %r cannot be read through the agent (its name cannot travel in the URL path); it is reported without '
         'backup data.' % tenant['name'])
    return False


def _contents(data, path):
    contents = data.get('contents')
    if contents is None:
        return []
    if not isinstance(contents, list):
        raise ResponseFormatError('GET %s returned "data.contents" that is not a list' % path, method='GET', path=path)
    return contents


def job_key(row):
    return row.get('job_id')


def add_rows(rows, tenant, summary, tasks, matches):
    """One tenant's rows, named (the agent's rows carry no tenant name, or an empty one) and filtered, into the
    summary and the task list."""
    for row in rows:
        row['tenant_name'] = tenant['name']
    if matches is not None:
        rows = [row for row in rows if matches(summary.read(row))]
    summary.add_values(map(summary.read, rows))
    if tasks is not None:
        tasks.extend(map(normalize, rows))


def read_jobs(run, tenant, query, params, summary, tasks):
    """Stream one tenant's job pages into the summary (and the task list); statuses filtered here too."""
    path = '/api/v1/tenant/%s/backup/tasks' % tenant['name']
    send = dict(query.send, sort='start_timestamp,desc')
    matches = TaskQuery(send, query.statuses, ()).matcher(summary.ROLES)
    for page in iter_pages(run.get, path, send, params['page_size'], ('total_pages',), key=job_key):
        add_rows(page, tenant, summary, tasks, matches)


def read_rounds(run, tenant, summary, tasks, matches=None):
    """One tenant's listed archive rounds into the summary; returns its backup/info (checkpoint and delay)."""
    base = '/api/v1/tenant/%s/backup' % tenant['name']
    rows = [row for row in _contents(run.data(base + '/log/tasks'), base + '/log/tasks') if isinstance(row, dict)]
    add_rows(rows, tenant, summary, tasks, matches)
    return normalize(run.data(base + '/info'))


class Collected:
    """What one module run read: the agent, the tenants ([{id, name}]), the task list (None: not asked for), what
    the reader returned per readable tenant, and the query."""

    __slots__ = ('agent', 'tenants', 'tasks', 'extra', 'query')

    def __init__(self, agent, tenants, tasks, extra, query):
        self.agent, self.tenants, self.tasks, self.extra, self.query = agent, tenants, tasks, extra, query

    def result(self, summary, now):
        result = {'summary': summary, 'agent': self.agent, 'tenant': {'name': self.query.tenant} if self.query.tenant else None,
                  'queried_at': format_utc(now)}
        if self.tasks is not None:
            result['tasks'] = self.tasks
        return result


def run_query(params, documented, what, reader, warn, now, client_factory, paged=True):
    """Check the options, then ``reader(run, tenant, query, tasks)`` for every tenant, on one agent connection."""
    warn = warn or (lambda message: None)
    query = validate_query(params, documented, what, warn, now, paged)
    client = client_factory(params, warn=warn)
    try:
        run = Backup(client, what)
        tenants = run.tenants(query)
        tasks = [] if params.get('return_tasks', True) else None
        extra = dict((tenant['name'], reader(run, tenant, query, tasks)) for tenant in tenants if readable(tenant, warn))
    finally:
        client.close()
    return Collected(run.agent, tenants, tasks, extra, query)


def collect_data_jobs(params, warn=None, now=None, client_factory=ObshellClient):
    """The whole work of obshell_data_backup_tasks_info: the result to exit with, or an OceanBaseError."""
    now = now or utcnow()
    summary = data_summary()

    def reader(run, tenant, query, tasks):
        read_jobs(run, tenant, query, params, summary, tasks)

    done = run_query(params, JOB_STATUSES, 'obshell data backup jobs', reader, warn, now, client_factory)
    return done.result(summary.result(now, seeds(done.tenants)), now)


def collect_log_rounds(params, warn=None, now=None, client_factory=ObshellClient):
    """The whole work of obshell_log_backup_tasks_info: the result to exit with, or an OceanBaseError."""
    now = now or utcnow()
    summary = log_summary()

    def reader(run, tenant, query, tasks):
        matches = TaskQuery({}, query.statuses, ()).matcher(summary.ROLES)
        return read_rounds(run, tenant, summary, tasks, matches)

    done = run_query(params, ROUND_STATUSES, 'obshell archive log rounds', reader, warn, now, client_factory, paged=False)
    return done.result(log_result(summary.result(now, seeds(done.tenants)), done.extra, now), now)


def seeds(tenants):
    """The tenants as the summaries seed their entries, by a key unique per name: every row here carries its tenant's
    name, and an agent that sent one id for two tenants must not lose the entry of either."""
    return [{'id': ('tenant', tenant['name']), 'name': tenant['name']} for tenant in tenants]


def log_result(result, infos, now):
    """The log summary with backup/info filled in for a tenant without a listed round, and the overall values taken
    over EVERY tenant: a tenant whose archive is interrupted or stopped has no round, and makes ``active`` false."""
    tenants = result['tenants']
    for name, entry in tenants.items():
        info = infos.get(name) or {}
        if entry['total'] == 0:
            entry['checkpoint'] = info.get('lastest_archive_log_checkpoint')
            entry['checkpoint_age_seconds'] = age_seconds(entry['checkpoint'], now)
            entry['delay_seconds'] = to_float(info.get('archive_log_delay'))
    delays = [entry['delay_seconds'] for entry in tenants.values() if entry['delay_seconds'] is not None]
    ages = [(entry['checkpoint_age_seconds'], entry['checkpoint']) for entry in tenants.values() if entry['checkpoint_age_seconds'] is not None]
    oldest = max(ages, key=lambda item: item[0]) if ages else (None, None)
    result.update(active=bool(tenants) and all(entry['active'] for entry in tenants.values()),
                  max_delay_seconds=max(delays) if delays else None, latest_checkpoint=oldest[1], checkpoint_age_seconds=oldest[0])
    return result
