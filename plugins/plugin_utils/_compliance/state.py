# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Registered module results of any source -> one TenantState per tenant.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

The checks read states (data, log, overview, policy, restore), never sources: what a source gathers is
declared once in SOURCES, and a source that cannot give a state gives none, so the checks on that state
are absent for it. A state that a source gives but that is missing for a tenant is a problem (the check
fails); one whose query failed is an error. Neither ever passes.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError

ANY = '*'
STATES = ('data', 'log', 'overview', 'policy', 'restore')


class Input(namedtuple('Input', 'key state what kind fields required', defaults=(True,))):
    """One gathered entry and the state it fills.

    ``kind`` ``cluster``: one registered result whose ``summary.tenants`` is keyed by tenant name (the OCP cluster
    endpoint; an obshell module called without a tenant); the tenant's entry is the state. ``kind`` ``per_tenant``:
    a list of registered results, one per tenant (a loop's ``results``); ``fields`` of each result are the state.
    ``kind`` ``restores``: a list of registered restore task results of every host of the play, whose
    ``summary.tenants`` are keyed ``<backup cluster>/<backup tenant>``; a tenant's state is what they say of its own
    backups (restore_state), wherever the restore ran. ``what`` names the query in messages. An entry that is not
    ``required`` may be left out of the gathered dict
    (a source that cannot give that state here, such as an agent without the route): the state is then not given,
    and the checks on it are absent. A required one left out is an error.
    """

    __slots__ = ()


SOURCES = {
    'ocp': (
        Input('ocp_data', 'data', 'data backup', 'cluster', ()),
        Input('ocp_log', 'log', 'log backup', 'cluster', ()),
        Input('ocp_policy', 'policy', 'backup strategy', 'cluster', (), required=False),
        Input('restores', 'restore', 'restore tasks', 'restores', (), required=False),
    ),
    # An agent with the backup history API gives data and log (its overview is then not needed); an agent without it
    # gives the overview, and a failed data or log result whose message says why those checks cannot be evaluated.
    'obshell': (
        Input('obshell', 'overview', 'obshell backup overview', 'per_tenant', ('found', 'summary', 'backup_task'), required=False),
        Input('obshell_data', 'data', 'obshell data backup', 'cluster', (), required=False),
        Input('obshell_log', 'log', 'obshell log backup', 'cluster', (), required=False),
        Input('restores', 'restore', 'restore tasks', 'restores', (), required=False),
    ),
}


class TenantState:
    """What is known about one tenant: a value per state its source gives, or why it is missing."""

    __slots__ = ('source', 'cluster', 'name', 'data', 'log', 'overview', 'policy', 'restore', 'given', 'errors', 'problems')

    def __init__(self, source, cluster, name):
        self.source, self.cluster, self.name = source, cluster, name
        self.data = self.log = self.overview = self.policy = self.restore = None
        # The states the source gives, even when their query failed: a check on any other state is absent.
        self.given = set()
        self.errors = {}
        self.problems = {}

    def put(self, state, value=None, error=None, problem=None):
        """Give ``state``: a Mapping ``value``, or the ``error`` of its failed query, or the ``problem`` that makes it missing."""
        self.given.add(state)
        setattr(self, state, value if error is None and problem is None else None)
        if error is not None:
            self.errors[state] = error
        if problem is not None:
            self.problems[state] = problem

    def error(self):
        """The first failed query of this tenant, or None."""
        return next((self.errors[state] for state in STATES if state in self.errors), None)

    def facts(self):
        """The object custom JMESPath expressions run over; ``obshell`` is the overview, under the name custom checks have always used."""
        return {'source': self.source, 'cluster': self.cluster, 'tenant': self.name, 'data': self.data, 'log': self.log,
                'obshell': self.overview, 'policy': self.policy, 'restore': self.restore}


def get(obj, *path):
    """``obj[path[0]][path[1]]...``, or None where a step is not a Mapping."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def query_error(result, what, key):
    """Why a registered result cannot be used, or None. failed_when: false keeps failed false, so a missing key counts too."""
    if not isinstance(result, Mapping):
        return 'no %s result was gathered' % what
    if result.get('skipped'):
        return 'the %s query was skipped' % what
    if result.get('failed') or key not in result:
        return 'the %s query failed: %s' % (what, result.get('msg') or 'no message')
    return None


class _Reading:
    """One Input read: a (value, error, problem) per tenant it names, and what every other tenant gets."""

    def __init__(self, slots, absent, failed=False):
        self.slots, self.absent, self.failed = slots, absent, failed

    def slot(self, name):
        found = self.slots.get(name)
        return found if found is not None else self.absent(name)


def _cluster_reading(result, source_input, cluster):
    what = source_input.what
    error = query_error(result, what, 'summary')
    if error is None and not isinstance(get(result, 'summary', 'tenants'), Mapping):
        error = 'the %s result has no per-tenant summary (summary.tenants): query the cluster, not one tenant' % what
    if error:
        return _Reading({}, lambda name: (None, error, None), failed=True)
    slots = {}
    for name, summary in result['summary']['tenants'].items():
        if isinstance(summary, Mapping):
            slots[str(name)] = (summary, None, None)
        else:
            slots[str(name)] = (None, None, 'the %s summary of tenant %s is not a dict: %r' % (what, name, summary))
    return _Reading(slots, lambda name: (None, None, 'tenant %s is not in the %s results of cluster %s (no such tenant?)' % (name, what, cluster)))


def _result_name(result):
    return str(get(result, 'tenant', 'name') or get(result, 'invocation', 'module_args', 'tenant_name') or get(result, 'item') or ANY)


def _per_tenant_reading(results, source_input, _cluster):
    if results is None:
        results = []
    if isinstance(results, (str, Mapping)) or not isinstance(results, (list, tuple)):
        raise ComplianceError('gathered.%s must be the list of registered %s results, one per tenant (a loop\'s results); got %r'
                              % (source_input.key, source_input.what, results))
    slots = {}
    for result in results:
        error = query_error(result, source_input.what, source_input.fields[0])
        value = None if error else dict((key, result.get(key)) for key in source_input.fields)
        slots[_result_name(result)] = (value, error, None)
    return _Reading(slots, lambda name: (None, 'no %s was gathered for this tenant' % source_input.what, None))


def _earliest(first, second, key):
    """Of two summary entries (dicts or None), the one whose ``key`` age is the smaller number."""
    ages = [get(item, key) if isinstance(get(item, key), (int, float)) and not isinstance(get(item, key), bool) else None
            for item in (first, second)]
    if ages[1] is None:
        return first if first is not None else second
    return second if ages[0] is None or ages[1] < ages[0] else first


def merge_restores(entries):
    """One restore state of several summary entries of one source: counts added, the latest success and failure."""
    merged = {'total': 0, 'by_status': {}, 'running': 0, 'last_success': None, 'last_failure': None}
    for entry in entries:
        for key in ('total', 'running'):
            merged[key] += entry.get(key) if isinstance(entry.get(key), int) else 0
        for status, count in (entry.get('by_status') or {}).items():
            merged['by_status'][status] = merged['by_status'].get(status, 0) + (count if isinstance(count, int) else 0)
        for key in ('last_success', 'last_failure'):
            theirs = entry.get(key) if isinstance(entry.get(key), Mapping) else None
            merged[key] = _earliest(merged[key], theirs, 'age_seconds')
    return merged


def _restores_reading(results, source_input, cluster):
    """Restores of every host, matched to a tenant by the source their own rows name: a drill on another cluster
    counts for the tenant backed up; a restore into a tenant never counts for it."""
    if isinstance(results, (str, Mapping)) or not isinstance(results, (list, tuple)):
        raise ComplianceError('gathered.%s must be the list of registered restore task results of every host; got %r'
                              % (source_input.key, results))
    by_source, windowed = {}, False
    # Only this cluster's tenants are asked for: the drills of the other clusters' tenants (most of a fleet's) are
    # skipped without being gathered.
    prefix = '%s/' % cluster
    for result in results:
        error = query_error(result, source_input.what, 'summary')
        if error is None and not isinstance(get(result, 'summary', 'tenants'), Mapping):
            error = 'the %s result has no summary.tenants' % source_input.what
        if error:
            # A drill of any tenant may be among the rows of the query that failed: no tenant's answer is known.
            return _Reading({}, lambda name, error=error: (None, error, None))
        args = get(result, 'invocation', 'module_args') or {}
        windowed = windowed or bool(get(args, 'start_time') or get(args, 'end_time'))
        for key, entry in result['summary']['tenants'].items():
            key = str(key)
            if key.startswith(prefix) and isinstance(entry, Mapping):
                by_source.setdefault(key, []).append(entry)

    def restore_state(name):
        state = merge_restores(by_source.get(prefix + name, ()))
        state['windowed'] = windowed
        return state, None, None
    return _Reading({}, restore_state)


# How each Input kind is read: reader(given, source_input, cluster) -> _Reading.
READERS = {'cluster': _cluster_reading, 'per_tenant': _per_tenant_reading, 'restores': _restores_reading}


def _wanted(gathered):
    tenants = gathered.get('tenants')
    if tenants is None:
        return None
    if isinstance(tenants, (str, Mapping)) or not isinstance(tenants, (list, tuple)):
        raise ComplianceError('gathered.tenants must be a list of tenant names, or null for every tenant except sys; got %r' % (tenants,))
    return list(dict.fromkeys(map(str, tenants))) or None


def source_of(gathered):
    """The validated source name of a gathered dict."""
    if not isinstance(gathered, Mapping):
        raise ComplianceError('backup_compliance_checks expects a dict {source, cluster, tenants, ...}; got %r' % (gathered,))
    source = gathered.get('source')
    if source not in SOURCES:
        raise ComplianceError('gathered.source must be %s; got %r' % (' or '.join("'%s'" % name for name in SOURCES), source))
    return source


def tenant_states(gathered):
    """One TenantState per tenant of a gathered dict {source, cluster, tenants, <the source's inputs>}, in name order.

    ``tenants`` null or empty: every tenant the results name except sys; when failed queries leave none to name,
    one tenant ``*`` carries their errors.
    """
    source = source_of(gathered)
    cluster = gathered.get('cluster')
    cluster = cluster if cluster is None or isinstance(cluster, (int, float)) else str(cluster)
    readings = []
    for source_input in SOURCES[source]:
        if not source_input.required and source_input.key not in gathered:
            continue
        readings.append((source_input.state, READERS[source_input.kind](gathered.get(source_input.key), source_input, cluster)))
    if not readings:
        # Every input of the source is optional on its own, but a gathered dict with none of them would give no check.
        raise ComplianceError('gathered has none of the %s results (%s)' % (source, ', '.join(item.key for item in SOURCES[source])))
    names = _wanted(gathered)
    if names is None:
        names = sorted(set(name for _state, reading in readings for name in reading.slots) - {'sys'})
        if not names and any(reading.failed for _state, reading in readings):
            names = [ANY]
    tenants = []
    for name in names:
        tenant = TenantState(source, cluster, name)
        for state, reading in readings:
            tenant.put(state, *reading.slot(name))
        tenants.append(tenant)
    return tenants
