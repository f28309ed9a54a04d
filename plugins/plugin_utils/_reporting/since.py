# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

""""Since the last run": what fails now that did not before, and what failed before and passes now.

The previous JSON report can hold hundreds of thousands of records; only the keys of the ones that did
not pass are kept while it is read, so comparing costs little more memory than the file's text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values

PASSING_NOW = ('pass', 'waived')


def _compact(obj):
    """json.load's object_hook: a record becomes (key, status) when it did not pass, else None."""
    if 'status' in obj and 'check' in obj and 'tenant' in obj:
        status = obj.get('status')
        return (values.record_key(obj), status) if status in values.NOT_PASSING else None
    return obj


def read_previous(path):
    """(previous report in compact form, or None; a warning, or None). A missing file is no warning."""
    try:
        with open(path, encoding='utf-8') as handle:
            previous = json.load(handle, object_hook=_compact)
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, 'the previous report %s cannot be read (%s); since_last_run is null' % (path, values.clean_text(str(exc)))
    if not isinstance(previous, Mapping) or not isinstance(previous.get('checks'), list) or not isinstance(previous.get('generated_at'), str):
        return None, 'the previous report %s is not a compliance report; since_last_run is null' % path
    return previous, None


def _failing_before(previous):
    failing = {}
    for item in previous.get('checks') or ():
        if isinstance(item, tuple):
            failing[item[0]] = item[1]
        elif isinstance(item, Mapping) and item.get('status') in values.NOT_PASSING:
            failing[values.record_key(item)] = item['status']
    return failing


def since_last_run(view, previous):
    """{previous_generated_at, new: [records], resolved: [{cluster, tenant, check, previous_status, status}]} or None."""
    if previous is None:
        return None
    before = _failing_before(previous)
    new = [record for record in view.records if record['status'] in values.NOT_PASSING and values.record_key(record) not in before]
    resolved = []
    for (cluster, tenant, check), was in before.items():
        now = view.clusters.get(cluster)
        record = now.tenants.get(tenant, {}).get(check) if now is not None else None
        if record is not None and record['status'] in PASSING_NOW:
            resolved.append({'cluster': record.get('cluster'), 'tenant': record.get('tenant'), 'check': record.get('check'),
                             'previous_status': was, 'status': record['status']})
    return {'previous_generated_at': previous.get('generated_at'), 'new': new, 'resolved': resolved}
