# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Read the rendered reports back as a reader's tool would: a DOM from the HTML, table rows from the Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = frozenset(('meta', 'input', 'br', 'img', 'link', 'hr', 'source', 'wbr', 'area', 'base', 'col', 'embed', 'track'))


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return ''.join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self, tag=None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find(self, tag, **attrs):
        for node in self.iter(tag):
            if all(node.attrs.get(key.rstrip('_').replace('_', '-')) == value for key, value in attrs.items()):
                return node
        return None

    def kids(self, tag):
        return [child for child in self.children if isinstance(child, Node) and child.tag == tag]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node('#document', {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def html_dom(text):
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def matrix_statuses(dom):
    """{(cluster, tenant, check): (status, tooltip)} from the per-tenant matrix."""
    table = dom.find('table', class_='matrix')
    checks = [th.attrs['title'] for th in list(table.find('thead').iter('th'))[1:]]
    found = {}
    for body in table.kids('tbody'):
        rows = body.kids('tr')
        cluster = rows[0].text()
        for row in rows[1:]:
            tenant = row.kids('th')[0].text()
            for check, cell in zip(checks, row.kids('td')):
                if cell.attrs.get('class') != 'none':
                    found[(cluster, tenant, check)] = (cell.attrs['class'], cell.attrs.get('title', ''))
    return found


def html_record_rows(section):
    """(status, cluster, tenant, check, message) of every record row of a section, folded ones included."""
    rows = []
    for row in section.iter('tr'):
        cells = row.kids('td')
        if len(cells) >= 7 and cells[0].find('span', class_='status') is not None:
            rows.append((cells[0].attrs['class'], cells[1].text(), cells[2].text(), cells[3].attrs['title'], cells[6].text()))
    return rows


_SPLIT = re.compile(r'(?<!\\)\|')
_UNESCAPE = re.compile(r'\\([!-/:-@\[-`{-~])')


def md_cell(text):
    return _UNESCAPE.sub(r'\1', text.strip()).replace('<br>', '\n').replace('&amp;', '&')


def markdown_tables(text):
    """{section heading: [rows as lists of cell texts]} for every table of the Markdown report."""
    tables, heading = {}, None
    for line in text.splitlines():
        if line.startswith('## '):
            heading = line[3:].strip()
        elif line.startswith('| ') and not line.startswith('| ---'):
            cells = [md_cell(part) for part in _SPLIT.split(line)[1:-1]]
            tables.setdefault(heading, []).append(cells)
    return dict((name, rows[1:]) for name, rows in tables.items())


def recovery_rows(dom):
    """{(cluster, tenant): [(cell text, tooltip)]} from the per-tenant policy and restore drill table (grouped by cluster)."""
    table = dom.find('table', class_='recovery')
    found = {}
    for body in (table.kids('tbody') if table is not None else ()):
        rows = body.kids('tr')
        cluster = rows[0].text()
        for row in rows[1:]:
            cells = row.kids('td')
            tips = [(cell.find('span') or cell).attrs.get('title') for cell in cells]
            found[(cluster, row.kids('th')[0].text())] = [(cell.text(), tip) for cell, tip in zip(cells, tips)]
    return found
