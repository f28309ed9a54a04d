# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only module: returns a module result read from a JSON file, doing nothing else.

It measures what ansible-core alone costs to carry a large result back (bench/README.md, run (a0)).
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r'''
module: bench_carry
short_description: Return a module result read from a JSON file (benchmarks only)
description: Returns the result stored in O(path), so that a benchmark can time what carrying it back costs.
options:
  path:
    description: JSON file with the result to return.
    type: path
    required: true
author: contributors to oceanbase.backup
'''


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True)), supports_check_mode=True)
    with open(module.params['path']) as handle:
        result = json.load(handle)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
