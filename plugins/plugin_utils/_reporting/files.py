# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing a report set: every file atomically, and the set consistent.

Every file is rendered to a temporary file in the report directory first; only when all of them are
complete are they renamed over the old ones (the JSON last), so an audit that stops half way leaves
the previous set whole. Files of this report name in a format the run did not write are removed, so
no old Markdown or JUnit file says "pass" beside a JSON that says "error".
"""

from __future__ import annotations

import os
import re
import tempfile
import time

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import (
    html_report, json_report, junit, markdown, openmetrics, since, view as view_module)

# format -> (file extension, renderer); in the order files are listed. The JSON is renamed into place last.
FORMATS = {
    'json': ('json', json_report.write),
    'markdown': ('md', markdown.write),
    'html': ('html', html_report.write),
    'junit': ('xml', junit.write),
    'openmetrics': ('prom', openmetrics.write),
}
FILE_MODE = 0o644
STALE_TEMP_SECONDS = 3600
_NAME = re.compile(r'^[^/\\\x00-\x1f]+$')


def check_name(name):
    """A report name is a plain file name without extension; the files are <name>.<extension>."""
    if not isinstance(name, str) or not _NAME.match(name) or name.startswith('.'):
        raise view_module.ReportError('report_name must be a file name without a directory or a leading dot, such as compliance-report; got %r'
                                      % (name,))
    return name


def check_formats(formats):
    unknown = [item for item in formats if item not in FORMATS]
    if unknown:
        raise view_module.ReportError('formats: %s not known; accepted: %s' % (', '.join(map(repr, unknown)), ', '.join(FORMATS)))
    return [item for item in FORMATS if item in formats]


def path_of(report_dir, name, fmt):
    return os.path.join(report_dir, '%s.%s' % (name, FORMATS[fmt][0]))


def _render(report_dir, name, fmt, view):
    fd, temp = tempfile.mkstemp(dir=report_dir, prefix='.%s.' % name, suffix='.%s.tmp' % FORMATS[fmt][0])
    try:
        with os.fdopen(fd, 'w', encoding='utf-8', errors='replace', newline='\n', buffering=1 << 16) as out:
            FORMATS[fmt][1](view, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def _remove_stale_temps(report_dir, name):
    """Temporary files of this report name left by a run that was killed long ago."""
    prefix, limit = '.%s.' % name, time.time() - STALE_TEMP_SECONDS
    for entry in os.scandir(report_dir):
        if entry.name.startswith(prefix) and entry.name.endswith('.tmp') and entry.is_file() and entry.stat().st_mtime < limit:
            os.unlink(entry.path)


def _sync_dir(report_dir):
    fd = os.open(report_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare(report, report_dir, name, formats):
    """Check everything and compare with the previous report, writing nothing: {files: [], removed: [], warnings, view, formats}."""
    name, formats = check_name(name), check_formats(formats)
    previous, warning = since.read_previous(path_of(report_dir, name, 'json'))
    return {'files': [], 'removed': [], 'warnings': [warning] if warning else [], 'view': view_module.View(report, previous),
            'formats': formats, 'name': name}


def write_set(report, report_dir, name, formats):
    """Write ``report`` as ``formats`` into ``report_dir``; {files, removed, warnings, view}."""
    plan = prepare(report, report_dir, name, formats)
    name, formats, view = plan['name'], plan['formats'], plan['view']
    os.makedirs(report_dir, mode=0o755, exist_ok=True)
    temps = []
    try:
        for fmt in formats:
            temps.append((fmt, _render(report_dir, name, fmt, view)))
    except BaseException:
        for _fmt, temp in temps:
            os.unlink(temp)
        raise
    for fmt, temp in sorted(temps, key=lambda item: item[0] == 'json'):
        os.replace(temp, path_of(report_dir, name, fmt))
    removed = []
    for fmt in FORMATS:
        path = path_of(report_dir, name, fmt)
        if fmt not in formats and os.path.lexists(path):
            os.unlink(path)
            removed.append(path)
    _remove_stale_temps(report_dir, name)
    _sync_dir(report_dir)
    plan.update(files=[path_of(report_dir, name, fmt) for fmt in formats], removed=removed)
    return plan
