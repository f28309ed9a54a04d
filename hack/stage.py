# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Copy the collection (tracked files plus untracked, not ignored ones) to DEST as real files.

ansible-test needs the collection at .../ansible_collections/<ns>/<name>, and a symlink will not do.
"""
import os
import shutil
import subprocess
import sys


def main():
    dest = sys.argv[1]
    names = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                           check=True, stdout=subprocess.PIPE).stdout.decode().split('\0')
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    for name in names:
        if not name or not os.path.isfile(name):
            continue
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(name, target)


if __name__ == '__main__':
    main()
