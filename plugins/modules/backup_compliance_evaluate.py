# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The work is done on the controller by the action plugin of the same name; this file holds its documentation.

DOCUMENTATION = r'''
module: backup_compliance_evaluate
short_description: Evaluate the backup compliance checks of a registered compliance module result
version_added: 0.1.0
description:
  - Runs the checks of a policy over what M(oceanbase.backup.ocp_backup_compliance_info) or
    M(oceanbase.backup.obshell_backup_compliance_info) returned for this host, and sets the check records as the
    fact O(checks_var), as the P(oceanbase.backup.backup_compliance_checks#filter) filter would return them.
  - The registered results are read as the hosts hold them, by variable name, without templating them again. Over
    a fleet of hundreds of thousands of tenants this costs a fraction of the filter in a C(set_fact), whose
    templating copies every value.
  - A part the module could not read, or a module run that failed before it read any part, makes the checks on it
    C(error) records that quote why; no check passes on data that is missing.
  - Also gives the host's verdict (RV(verdict)) without failing, so the report can be written first.
options:
  source:
    description:
      - Which module registered O(result_var). V(ocp) for M(oceanbase.backup.ocp_backup_compliance_info), V(obshell)
        for M(oceanbase.backup.obshell_backup_compliance_info).
    type: str
    choices: [ocp, obshell]
    required: true
  result_var:
    description:
      - The name of the variable the module result was registered as (a name, not the value).
      - Read as the host holds it, not templated again. A variable the host does not hold (a play or task var) is
        read from the task's variables.
    type: str
    required: true
  gather:
    description:
      - The parts the module was asked to read (its own C(gather) option). V(strategy) is read only when listed;
        V(restores) makes the restores of O(restores) count.
    type: list
    elements: str
    choices: [data, log, strategy, restores]
    default: [data, log]
  overviews_var:
    description:
      - The name of the registered loop of M(oceanbase.backup.obshell_tenant_backup_overview), one item per tenant,
        used instead of the data part (an agent without the backup history API). Only with O(source=obshell).
    type: str
  restores:
    description:
      - The restores parts of every host of the play, as the P(oceanbase.backup.backup_compliance_restores#filter)
        filter picks them, with V(restores) in O(gather). A restore drill usually runs on another cluster than the one
        whose backups it proves. Collect them once for the play (C(run_once)), not once per host.
      - A failed run among them makes every restore_drill_age check an C(error) (a drill of any tenant may have been
        among its rows).
      - Defaults to the restores part of O(result_var) alone. Mutually exclusive with O(restores_var).
    type: list
    elements: raw
  restores_var:
    description:
      - The name of a variable that holds the restores parts of every host of the play, as
        M(oceanbase.backup.backup_compliance_play_restores) sets them or the
        P(oceanbase.backup.backup_compliance_restores#filter) filter returns them (set once for the play, with
        C(run_once)). It is read as this host holds it, without templating it again.
      - The same as O(restores) with that variable's value. Over a big fleet, O(restores) costs a copy of every drill
        of the play on every host; this option does not.
    type: str
  cluster:
    description:
      - The cluster the records name. For O(source=ocp) the cluster name the module found wins.
    type: str
    required: true
  tenants:
    description:
      - Only these tenants get records. A tenant named that the source does not know fails its checks.
      - Default every tenant of the result.
    type: list
    elements: str
  policy:
    description:
      - The policy, as for the P(oceanbase.backup.backup_compliance_checks#filter) filter (overrides of O(preset)).
    type: dict
  preset:
    description:
      - The preset O(policy) overrides.
    type: str
    choices: [audit, gate]
    default: audit
  mode:
    description:
      - The mode of the verdict. V(gate) fails on every failure and error; V(audit) on errors (a query failed), or
        also on failures with O(fail_on_violation).
    type: str
    choices: [audit, gate]
    default: audit
  fail_on_violation:
    description:
      - In V(audit) mode, whether a failed check makes RV(verdict) failed too.
    type: bool
    default: false
  checks_var:
    description:
      - The fact the records are set as.
    type: str
    default: backup_compliance_checks
  release_inputs:
    description:
      - Once the checks ran, set the variables read by name (O(result_var), O(overviews_var), O(restores_var)) to
        null on this host, at the precedence of O(ignore:register). Nothing after the checks needs them.
      - Over a big fleet the module results are most of what the controller holds, and every later task of every
        host pays for them (ansible-core forks a worker per host and task from the controller's memory).
      - Before ansible-core 2.21 they are set as facts, which only replaces a value held as a fact (such as one
        held with the modules' C(result_var)), not a registered one.
      - O(checks_var) is never released.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    details:
      - Evaluates as in a normal run; it changes nothing.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.facts
  - ansible.builtin.action_common_attributes.flow
  - oceanbase.backup.attributes.on_controller
  - oceanbase.backup.attributes.sets_variables
seealso:
  - module: oceanbase.backup.backup_compliance_play_restores
  - plugin: oceanbase.backup.backup_compliance_checks
    plugin_type: filter
  - plugin: oceanbase.backup.backup_compliance_restores
    plugin_type: filter
  - module: oceanbase.backup.backup_compliance_report
author:
  - oceanbase.backup contributors (@oceanbase)
'''

EXAMPLES = r'''
- name: Read every part of the cluster
  oceanbase.backup.ocp_backup_compliance_info:
    cluster_name: obprod
    start_time: -48h
    gather: [data, log, strategy, restores]
  register: gathered
  failed_when: false

- name: The restores of every host, once for the play (a drill counts for the cluster it restored from)
  oceanbase.backup.backup_compliance_play_restores:
    from_hosts: "{{ ansible_play_hosts }}"
    result_var: gathered
    gather: [data, log, strategy, restores]
    restores_var: play_restores
  run_once: true

- name: Evaluate the checks
  oceanbase.backup.backup_compliance_evaluate:
    source: ocp
    result_var: gathered
    gather: [data, log, strategy, restores]
    restores_var: play_restores
    cluster: obprod
    policy:
      full_backup_age: {max_hours: 48}
  register: evaluated

- name: One report over every host's records
  oceanbase.backup.backup_compliance_report:
    from_hosts: "{{ ansible_play_hosts_all }}"
    report_dir: /srv/audit
  run_once: true

- name: Fail the hosts whose verdict says so, after the report
  ansible.builtin.fail:
    msg: "{{ evaluated.verdict.msg }}"
  when: evaluated.verdict.failed
'''

RETURN = r'''
ansible_facts:
  description: The check records, under the name O(checks_var).
  returned: always
  type: dict
  contains:
    backup_compliance_checks:
      description:
        - One record per tenant and check, sorted by cluster, tenant and check, as the
          P(oceanbase.backup.backup_compliance_checks#filter) filter returns them.
      type: list
      elements: dict
      sample:
        - {check: full_backup_age, cluster: obprod, tenant: billing, source: ocp, status: fail, observed: 200000,
           threshold: 172800, message: "last full backup 55.6h ago (limit 48h)"}
summary:
  description: How many records have each status.
  returned: always
  type: dict
  sample: {pass: 40, fail: 2, waived: 1, error: 0}
verdict:
  description:
    - Whether this host fails in O(mode), and why (the blockers of a gate, the failed queries of an audit).
  returned: always
  type: dict
  sample: {failed: true, msg: "1 check(s) could not be evaluated because a query failed: ..."}
'''
