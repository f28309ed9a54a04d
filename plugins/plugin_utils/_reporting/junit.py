# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The JUnit XML report: one test suite per cluster, one test case per check record.

A fail is a <failure>, an error an <error>, a waiver a <skipped>, so a CI job reading the file goes red
exactly when the audit found something. Only XML 1.0 characters are written, whatever the servers said.
"""

from __future__ import annotations

import re

from ansible_collections.oceanbase.backup.plugins.plugin_utils._reporting import values

_SPECIAL = re.compile('[&<>"\n\t]')
_ELEMENT = {'fail': 'failure', 'error': 'error', 'waived': 'skipped'}


def text(value):
    value = values.clean_text(value)
    if not _SPECIAL.search(value):
        return value
    return value.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def attribute(value):
    """An attribute value; newlines and tabs as character references, which attribute normalisation keeps."""
    value = values.clean_text(value)
    if not _SPECIAL.search(value):
        return value
    return text(value).replace('"', '&quot;').replace('\n', '&#10;').replace('\t', '&#9;')


def _counts(counts):
    return 'tests="%d" failures="%d" errors="%d" skipped="%d"' % (
        sum(counts.values()), counts['fail'], counts['error'], counts['waived'])


def _value(record, key):
    value = record.get(key)
    shown, exact = values.human(value, values.unit_of(record))
    return '%s (%s)' % (shown, exact) if exact else shown


def _testcase(out, record):
    out.write('    <testcase classname="%s.%s" name="%s">\n' % (
        attribute(record.get('cluster')), attribute(record.get('tenant')), attribute(record.get('check'))))
    message = attribute(record.get('message'))
    element = _ELEMENT.get(record['status'])
    if element == 'failure':
        out.write('      <failure message="%s" type="%s">observed: %s; limit: %s</failure>\n' % (
            message, attribute(record.get('check')), text(_value(record, 'observed')), text(_value(record, 'threshold'))))
    elif element:
        out.write('      <%s message="%s"/>\n' % (element, message))
    out.write('      <system-out>%s</system-out>\n    </testcase>\n' % text(record.get('message')))


def write(view, out):
    stamp = attribute(view.generated_at)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<testsuites name="oceanbase-backup-compliance" %s timestamp="%s">\n' % (_counts(view.summary), stamp))
    clusters = list(view.clusters.values())
    for cluster in clusters:
        out.write('  <testsuite name="%s" %s timestamp="%s">\n' % (attribute(cluster.name), _counts(cluster.counts), stamp))
        out.write('    <properties>\n      <property name="generated_at" value="%s"/>\n      <property name="mode" value="%s"/>\n'
                  '    </properties>\n' % (stamp, attribute(view.mode)))
        for record in cluster.records:
            _testcase(out, record)
        out.write('  </testsuite>\n')
    if not clusters:
        out.write('  <testsuite name="oceanbase-backup-compliance" %s timestamp="%s"/>\n' % (_counts(view.summary), stamp))
    out.write('</testsuites>\n')
