# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The work is done on the controller by the action plugin of the same name; this file holds its documentation.

DOCUMENTATION = r'''
module: backup_compliance_play_restores
short_description: Collect the restore drills of every host of a play, once, for the compliance checks
version_added: 0.1.0
description:
  - Reads the M(oceanbase.backup.ocp_backup_compliance_info) or M(oceanbase.backup.obshell_backup_compliance_info)
    result each host of O(from_hosts) holds under O(result_var), picks its C(restores) part as the
    P(oceanbase.backup.backup_compliance_restores#filter) filter does, and sets the list as the variable
    O(restores_var), for O(oceanbase.backup.backup_compliance_evaluate#module:restores_var). A restore drill usually
    runs on another cluster than the one whose backups it proves.
  - Run it once for the play (C(run_once)); ansible-core then sets O(restores_var) on every host of the play. Run on
    each host, the work would grow with the square of the hosts.
  - The results are read as the hosts hold them, without templating them again. Over a big fleet that is several
    times faster than the filter in a C(set_fact) over C(hostvars).
  - A host that holds no O(result_var) is left out; a result that read no part (the run failed before it started)
    is kept when it was asked for restores, so that the drill checks become errors that quote why.
options:
  from_hosts:
    description:
      - The hosts whose results to read, usually C(ansible_play_hosts).
    type: list
    elements: str
    required: true
  result_var:
    description:
      - The name of the variable each host holds its compliance module result in (registered, or set with the
        modules' C(result_var)). A name, not the value.
    type: str
    required: true
  gather:
    description:
      - The parts asked for, where a failed result does not say what it was asked.
    type: list
    elements: str
    choices: [data, log, strategy, restores]
    default: [restores]
  restores_var:
    description:
      - The variable to set to the list, at the precedence of C(ansible.builtin.set_fact) (before ansible-core 2.21,
        as a fact).
    type: str
    default: backup_compliance_play_restores
attributes:
  check_mode:
    support: full
    details:
      - Collects as in a normal run; it changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
  - ansible.builtin.action_common_attributes.flow
  - oceanbase.backup.attributes.on_controller
  - oceanbase.backup.attributes.sets_variables
seealso:
  - module: oceanbase.backup.backup_compliance_evaluate
  - plugin: oceanbase.backup.backup_compliance_restores
    plugin_type: filter
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Read every part of the cluster
  oceanbase.backup.ocp_backup_compliance_info:
    cluster_name: "{{ inventory_hostname }}"
    start_time: -48h
    gather: [data, log, strategy, restores]
    result_var: gathered
  no_log: true
  failed_when: false

- name: The restores of every host, once for the play
  oceanbase.backup.backup_compliance_play_restores:
    from_hosts: "{{ ansible_play_hosts }}"
    result_var: gathered
  run_once: true

- name: Evaluate the checks, a drill on any cluster of the play counting
  oceanbase.backup.backup_compliance_evaluate:
    source: ocp
    result_var: gathered
    gather: [data, log, strategy, restores]
    restores_var: backup_compliance_play_restores
    cluster: "{{ inventory_hostname }}"
'''

RETURN = r'''
ansible_facts:
  description: Before ansible-core 2.21, the list, as the fact O(restores_var).
  returned: before ansible-core 2.21
  type: dict
  contains:
    backup_compliance_play_restores:
      description:
        - The restores parts (or failed results), for
          O(oceanbase.backup.backup_compliance_evaluate#module:restores_var). Since ansible-core 2.21 it is set as
          the variable O(restores_var) and not in the result.
      type: list
      elements: dict
hosts:
  description: How many hosts held a result under O(result_var).
  returned: always
  type: int
  sample: 100
restores:
  description: How many entries the list has (one per host that read its restores, or failed before it could).
  returned: always
  type: int
  sample: 100
'''
