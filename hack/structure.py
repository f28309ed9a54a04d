# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Structure rules the code review would otherwise have to remember (CONTRIBUTING.md, "Structure").

  python hack/structure.py          list every breach as path:line: what (exit 1 when there is one)
  python hack/structure.py --stats  also print the longest file and function under plugins/

- No Python file under plugins/ over MAX_FILE_LINES lines, except the modules in plugins/modules/ (their
  documentation is most of them).
- No function under plugins/ over MAX_FUNCTION_LINES lines, counted from the `def` line to the last line of its body,
  docstring, comments and blank lines inside included (decorators not). A nested function counts in its parent too.
- No HTTP handler class (a subclass of a *RequestHandler class, directly or through another class of the tests) in
  tests/ outside tests/simulator/: one fake server for every test.
- No sys.path edit in the tests outside tests/unit/conftest.py, the one place that makes the simulator importable
  (and tests/simulator/, whose scripts run as programs).
- No text in plugins/, roles/ or tests/ citing a document a reader of the collection does not have (a design
  document, its sections, notes under research/, an issue by number): say the reason itself.

Files are those git would stage (tracked, plus untracked ones that are not ignored), as hack/stage.py copies them.
Standard library only, so that it runs before any virtualenv exists.
"""
import argparse
import ast
import os
import re
import subprocess
import sys

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 40
# Modules are documentation plus one call; their length is the documentation's.
FILE_LENGTH_EXEMPT = ('plugins/modules/',)
SIMULATOR = 'tests/simulator/'
PATHS_CONFTEST = 'tests/unit/conftest.py'
CITING_DIRS = ('plugins/', 'roles/', 'tests/')
CITING_RE = re.compile(r'\bDESIGN\b|\bresearch/|\u00a7|\bissues? #?\d+', re.IGNORECASE)


def project_files():
    out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                         check=True, stdout=subprocess.PIPE).stdout.decode()
    return sorted(n for n in set(out.split('\0')) if n and os.path.isfile(n) and not os.path.islink(n))


def parse(path):
    with open(path, encoding='utf-8') as handle:
        source = handle.read()
    return source.count('\n') + (0 if source.endswith('\n') or not source else 1), ast.parse(source, path)


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def function_lines(node):
    """From the def line (node.lineno is the def, not a decorator) to the body's last line."""
    return node.end_lineno - node.lineno + 1


def plugin_breaches(path, line_count, tree):
    if line_count > MAX_FILE_LINES and not path.startswith(FILE_LENGTH_EXEMPT):
        yield '%s:1: %d lines, more than %d' % (path, line_count, MAX_FILE_LINES)
    for node in functions(tree):
        length = function_lines(node)
        if length > MAX_FUNCTION_LINES:
            yield '%s:%d: function %s is %d lines, more than %d' % (path, node.lineno, node.name, length, MAX_FUNCTION_LINES)


def base_names(node):
    for base in node.bases:
        if isinstance(base, ast.Name):
            yield base.id
        elif isinstance(base, ast.Attribute):
            yield base.attr


def handler_classes(trees):
    """(path, class node) of every HTTP handler class: a *RequestHandler base, or a base that is such a class here."""
    classes = [(path, node) for path, tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    handlers = set()
    grew = True
    while grew:
        grew = False
        for _path, node in classes:
            if node.name not in handlers and any(b.endswith('RequestHandler') or b in handlers for b in base_names(node)):
                handlers.add(node.name)
                grew = True
    return [(path, node) for path, node in classes if node.name in handlers]


def is_sys_path_edit(node):
    """sys.path.insert/append/extend/remove(...), sys.path[...] = ..., sys.path = ..., sys.path += ..."""
    def is_sys_path(expr):
        return (isinstance(expr, ast.Attribute) and expr.attr == 'path'
                and isinstance(expr.value, ast.Name) and expr.value.id == 'sys')
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return is_sys_path(node.func.value)
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    return any(is_sys_path(t) or (isinstance(t, ast.Subscript) and is_sys_path(t.value)) for t in targets)


def test_breaches(trees):
    for path, node in handler_classes(trees):
        if not path.startswith(SIMULATOR):
            yield '%s:%d: HTTP handler class %s outside %s' % (path, node.lineno, node.name, SIMULATOR)
    for path, tree in trees:
        if path.startswith(SIMULATOR) or path == PATHS_CONFTEST:
            continue
        for node in sorted((n for n in ast.walk(tree) if is_sys_path_edit(n)), key=lambda n: n.lineno):
            yield '%s:%d: sys.path edited; %s is the one place for paths' % (path, node.lineno, PATHS_CONFTEST)


def citing_breaches(path):
    try:
        with open(path, encoding='utf-8') as handle:
            lines = handle.read().splitlines()
    except UnicodeDecodeError:
        return
    for number, line in enumerate(lines, 1):
        found = CITING_RE.search(line)
        if found:
            yield '%s:%d: cites %r, a document outside the repository' % (path, number, found.group(0))


def longest(plugin_trees):
    files = max((count, path) for path, count, _tree in plugin_trees if not path.startswith(FILE_LENGTH_EXEMPT))
    funcs = max((function_lines(node), '%s:%d %s' % (path, node.lineno, node.name))
                for path, _count, tree in plugin_trees for node in functions(tree))
    return 'longest file (modules aside): %s, %d lines; longest function: %s, %d lines' % (files[1], files[0], funcs[1], funcs[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--stats', action='store_true', help='also print the longest file and function under plugins/')
    args = parser.parse_args()
    # git lists the files relative to where it runs: always the collection root, wherever this is called from.
    os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    plugin_trees, test_trees, breaches = [], [], []
    for path in project_files():
        if path.startswith(CITING_DIRS):
            breaches.extend(citing_breaches(path))
        if not path.endswith('.py'):
            continue
        if path.startswith('plugins/'):
            plugin_trees.append((path,) + parse(path))
        elif path.startswith('tests/'):
            test_trees.append((path, parse(path)[1]))
    breaches.extend(b for path, count, tree in plugin_trees for b in plugin_breaches(path, count, tree))
    breaches.extend(test_breaches(test_trees))
    if not plugin_trees or not test_trees:
        # A check that read nothing would pass whatever the tree holds.
        breaches.append('no Python file found under plugins/ or tests/: is %s in a git checkout of the collection?' % os.getcwd())
    for breach in breaches:
        print(breach)
    if args.stats and plugin_trees:
        print(longest(plugin_trees))
    print('structure: %d files under plugins/, %d under tests/, %s'
          % (len(plugin_trees), len(test_trees), '%d breaches' % len(breaches) if breaches else 'no breach'))
    return 1 if breaches else 0


if __name__ == '__main__':
    sys.exit(main())
