# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gathered dict of one host, built from the registered result of a compliance module.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

ocp_backup_compliance_info and obshell_backup_compliance_info return one key per part they read (data, log,
strategy, restores). A run that failed before it read any part has none of them: that failed result then stands
for every part, so each check on it is an ``error`` that quotes why (never a pass).
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._compliance.errors import ComplianceError

# (part of the module result, key of the gathered dict) per source; restores are read from every host of the play.
PARTS = {
    'ocp': (('data', 'ocp_data'), ('log', 'ocp_log'), ('strategy', 'ocp_policy')),
    'obshell': (('data', 'obshell_data'), ('log', 'obshell_log')),
}
RESULT_PARTS = ('data', 'log', 'strategy', 'restores')
# Read whatever the module was asked for; the strategy only when asked (its checks are absent otherwise).
ALWAYS = ('data', 'log')


def _part(result, name):
    return result[name] if name in result else result


def _asked(result, fallback):
    """The parts a module run was asked for, from its invocation; ``fallback`` when it has none (bad arguments)."""
    invocation = result.get('invocation')
    args = invocation.get('module_args') if isinstance(invocation, Mapping) else None
    gather = args.get('gather') if isinstance(args, Mapping) else None
    return gather if isinstance(gather, (list, tuple)) else fallback


def play_restores(results, gather):
    """The restores part of every host's result that read restores (a failed run that was asked for them counts,
    as the failure it is). ``results`` are the hosts' registered results; ``gather`` the parts this host asks for."""
    restores = []
    for result in results:
        if not isinstance(result, Mapping) or result.get('skipped'):
            continue
        if 'restores' in result:
            restores.append(result['restores'])
        elif not any(name in result for name in RESULT_PARTS) and 'restores' in _asked(result, gather):
            restores.append(result)
    return restores


def gathered_from(source, result, gather, cluster, tenants=None, overviews=None, restores=None):
    """The gathered dict for the checks: ``result`` is the host's registered compliance module result, ``gather``
    the parts it was asked for, ``overviews`` the registered loop of obshell_tenant_backup_overview that replaces
    the data part (an agent without the backup history API), ``restores`` what play_restores gave for the play
    (by default this result's own)."""
    if source not in PARTS:
        raise ComplianceError('source must be one of %s; got %r' % (', '.join(sorted(PARTS)), source))
    if not isinstance(result, Mapping):
        raise ComplianceError('the %s result must be the registered result of %s_backup_compliance_info; got %s'
                              % (source, source, type(result).__name__))
    found = result.get('cluster')
    name = found.get('name') if source == 'ocp' and isinstance(found, Mapping) else None
    gathered = {'source': source, 'tenants': list(tenants) if tenants else None,
                'cluster': name if isinstance(name, str) and name else cluster}
    for part, key in PARTS[source]:
        if part in ALWAYS or part in gather:
            gathered[key] = _part(result, part)
    if overviews is not None:
        if source != 'obshell':
            raise ComplianceError('overviews replace the data part of an obshell agent; the source is %s' % source)
        del gathered['obshell_data']
        gathered['obshell'] = overviews.get('results') if isinstance(overviews, Mapping) else overviews
    if 'restores' in gather:
        gathered['restores'] = list(play_restores([result], gather) if restores is None else restores)
    return gathered
