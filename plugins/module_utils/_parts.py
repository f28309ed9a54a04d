# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Several reads in one module run, each a part of the result: what the *_backup_compliance_info modules share.

FOR INTERNAL COLLECTION USE ONLY: names may change without notice.

A part is what a single-purpose module reads, over a connection the parts share. Every part's options are checked
before the first request (``prepare``); a part that fails does not hide the others: its result is the failure.
"""

from __future__ import annotations

from ansible_collections.oceanbase.backup.plugins.module_utils._errors import AuthError, InputError, OceanBaseError, TransportError


class Part:
    """One thing the checks read: ``prepare(params, warn, now)`` checks its options and returns the reader, which
    makes its requests when called with what the parts share."""

    __slots__ = ('name', 'prepare')

    def __init__(self, name, prepare):
        self.name, self.prepare = name, prepare


class PartsFailed(OceanBaseError):
    """Some parts failed: ``result`` holds every part, the failed ones as their failure."""

    def __init__(self, failed, result):
        super().__init__('; '.join('%s: %s' % (name, result[name]['msg']) for name in failed), failed_parts=failed, **result)


# Handled on the controller by the module's action (plugin_utils/_worker_module.py); the module accepts it and
# does nothing with it.
RESULT_VAR_ARGSPEC = {'result_var': dict(type='str')}


def gather_argspec(parts):
    names = [part.name for part in parts]
    return dict(type='list', elements='str', choices=names, default=names)


def prepare_parts(parts, params, warn, now):
    """The readers of the parts in ``gather``, every option checked; InputError before any request."""
    if not params.get('gather'):
        raise InputError('gather', 'the list is empty; expected one or more of %s' % ', '.join(part.name for part in parts))
    return [(part.name, part.prepare(params, warn, now)) for part in parts if part.name in params['gather']]


def _fatal(exc):
    """After refused credentials or a connection that failed (not a slow answer: that is one endpoint's), every
    later part would fail the same way, retrying first: they are not tried."""
    return isinstance(exc, AuthError) or (isinstance(exc, TransportError) and 'timeout' not in exc.details)


def read_parts(readers, result, *shared):
    """Fill ``result`` with each part, a failed one as its failure; PartsFailed at the end if any failed."""
    failed = []
    fatal = None
    for name, read in readers:
        if fatal is not None:
            result[name] = dict(fatal, msg='not queried after an earlier part failed: %s' % fatal['msg'])
        else:
            try:
                result[name] = read(*shared)
                continue
            except OceanBaseError as exc:
                result[name] = dict(exc.to_fail_kwargs(), failed=True)
                fatal = result[name] if _fatal(exc) else None
        failed.append(name)
    if failed:
        raise PartsFailed(failed, result)
    return result
