# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every file says who holds its copyright and under which licence, REUSE style.

  python hack/spdx.py --check   list the files without a licence header that REUSE.toml does not cover (exit 1)
  python hack/spdx.py --fix     add the header in each file's comment syntax, and bring old headers up to date

Files are those git would stage (tracked, plus untracked ones that are not ignored), as hack/stage.py copies them.
A file whose type has no known comment syntax fails the check until REUSE.toml covers it or COMMENT_STYLES learns it.
"""
import argparse
import os
import re
import subprocess
import sys
import tomllib

# REUSE-IgnoreStart: the header this script writes, not this file's own licence.
COPYRIGHT = 'Copyright (c) contributors to oceanbase.backup'
GPL = 'GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)'
SPDX = 'SPDX-License-Identifier: GPL-3.0-or-later'
# What reuse takes for a copyright notice, and the header of the first files, which it does not take.
COPYRIGHT_RE = re.compile(r'(SPDX-FileCopyrightText:|Copyright(\s*\([cC]\)|\s*©|\s))')
OLD_COPYRIGHT = '# Copyright: contributors to oceanbase.backup'
# REUSE-IgnoreEnd
HEAD_LINES = 12

# (opening, line prefix, closing) of a comment block per syntax.
SYNTAX = {
    'hash': ('', '# ', ''),
    'jinja': ('{#\n', '  ', '-#}\n'),
    'html': ('<!--\n', '', '-->\n\n'),
    'rst': ('..\n', '  ', '\n'),
}
COMMENT_STYLES = {
    '.py': 'hash', '.yml': 'hash', '.yaml': 'hash', '.sh': 'hash', '.cfg': 'hash', '.toml': 'hash',
    '.txt': 'hash', '.ini': 'hash', '.j2': 'jinja', '.md': 'html', '.html': 'html', '.rst': 'rst',
}
NAMED_STYLES = {'Makefile': 'hash', '.gitignore': 'hash', '.ansible-lint': 'hash', 'aliases': 'hash'}
# reuse needs no header in these: the licence texts themselves.
EXEMPT_RE = re.compile(r'^(LICENSE|LICENSES/.*)$')


def project_files():
    out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                         check=True, stdout=subprocess.PIPE).stdout.decode()
    return sorted(n for n in set(out.split('\0')) if n and os.path.isfile(n) and not os.path.islink(n))


def glob_regex(pattern):
    """REUSE.toml globbing: `**` crosses folders, `*` and `?` do not."""
    parts = re.split(r'(\*\*|\*|\?)', pattern)
    table = {'**': '.*', '*': '[^/]*', '?': '[^/]'}
    return re.compile(''.join(table.get(p, re.escape(p)) for p in parts) + r'\Z')


def reuse_toml_patterns(path='REUSE.toml'):
    if not os.path.exists(path):
        return []
    with open(path, 'rb') as handle:
        data = tomllib.load(handle)
    patterns = []
    for annotation in data.get('annotations', []):
        paths = annotation.get('path', [])
        patterns.extend(glob_regex(p) for p in ([paths] if isinstance(paths, str) else paths))
    return patterns


def style_of(name, text):
    base = os.path.basename(name)
    if base in NAMED_STYLES:
        return NAMED_STYLES[base]
    if text.startswith('#!'):
        return 'hash'
    return COMMENT_STYLES.get(os.path.splitext(base)[1])


def has_header(text):
    head = text.splitlines()[:HEAD_LINES]
    return any(SPDX in line for line in head) and any(COPYRIGHT_RE.search(line) for line in head)


def header_block(style):
    opening, prefix, closing = SYNTAX[style]
    return opening + ''.join(prefix + line + '\n' for line in (COPYRIGHT, GPL, SPDX)) + closing


def insert_at(lines, style, name):
    """After a shebang, a coding line, a YAML document start or an XML declaration: those must stay first."""
    index = 0
    if index < len(lines) and lines[index].startswith('#!'):
        index += 1
    if index < len(lines) and re.match(r'#.*coding[:=]', lines[index]):
        index += 1
    if style == 'hash' and name.endswith(('.yml', '.yaml')) and index < len(lines) and lines[index].rstrip() == '---':
        index += 1
    if style == 'html' and lines and lines[0].startswith('<?xml'):
        index = 1
    return index


def fixed(name, text, style):
    """The text with the header added; a hash-style file first loses the lines of an older header."""
    lines = text.splitlines(keepends=True)
    if style == 'hash':
        old = (OLD_COPYRIGHT, '# ' + COPYRIGHT, '# ' + GPL, '# ' + SPDX)
        lines = [line for i, line in enumerate(lines) if i >= HEAD_LINES or line.rstrip() not in old]
    index = insert_at(lines, style, name)
    return ''.join(lines[:index]) + header_block(style) + ''.join(lines[index:])


def problems(fix):
    covered = reuse_toml_patterns()
    found = []
    for name in project_files():
        if EXEMPT_RE.match(name) or any(p.match(name) for p in covered):
            continue
        with open(name, encoding='utf-8') as handle:
            text = handle.read()
        if has_header(text):
            continue
        style = style_of(name, text)
        if style is None:
            found.append('%s: no comment syntax known for this file; cover it in REUSE.toml' % name)
        elif fix:
            with open(name, 'w', encoding='utf-8') as handle:
                handle.write(fixed(name, text, style))
        else:
            found.append('%s: no SPDX licence header (python hack/spdx.py --fix adds it)' % name)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument('--check', action='store_true', help='list the files without a header; exit 1 if any')
    group.add_argument('--fix', action='store_true', help='add the missing headers')
    args = parser.parse_args()
    found = problems(fix=args.fix)
    for line in found:
        print(line)
    if found:
        sys.exit(1)
    print('spdx: every file has a licence header or is covered by REUSE.toml')


if __name__ == '__main__':
    main()
