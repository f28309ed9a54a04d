# -*- coding: utf-8 -*-
# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Use as:
#   extends_documentation_fragment:
#     - oceanbase.backup.attributes
#     - oceanbase.backup.attributes.info_module
#     - oceanbase.backup.attributes.actiongroup_ocp      (or actiongroup_obshell)
# or, for a module whose action works on the controller alone, with ansible.builtin.action_common_attributes:
#     - oceanbase.backup.attributes.on_controller


class ModuleDocFragment(object):

    # Descriptions of the attributes; the other fragments say how a module supports them.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
'''

    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This module only reads, so it does exactly the same in check mode and always returns C(changed=false).
  diff_mode:
    support: none
    details:
      - This module changes nothing, so there is no diff to show.
'''

    ACTIONGROUP_OCP = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/oceanbase.backup.ocp) in C(module_defaults) to set the connection options once for all OCP modules.
    support: full
    membership:
      - oceanbase.backup.ocp
'''

    ACTIONGROUP_OBSHELL = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/oceanbase.backup.obshell) in C(module_defaults) to set the connection options once for all obshell modules.
    support: full
    membership:
      - oceanbase.backup.obshell
'''

    # The compliance modules, which have an action plugin (plugin_utils/_worker_module.py).
    # The modules whose action does all the work on the controller (no module process, no connection).
    ON_CONTROLLER = r'''
options: {}
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  diff_mode:
    support: none
  platform:
    platforms: all
    details:
      - Runs on the controller, whatever the host.
'''

    # With on_controller and ansible.builtin.action_common_attributes.facts: a module that sets host variables.
    SETS_VARIABLES = r'''
options: {}
attributes:
  facts:
    support: full
    details:
      - The variables it sets are set as C(ansible.builtin.set_fact) sets them, never as cached facts (before
        ansible-core 2.21, as facts).
'''

    IN_WORKER = r'''
options:
  result_var:
    description:
      - Also set the host variable of this name to the result, the same value O(ignore:register) would give it, at
        the same precedence, without ansible-core templating the result again. For a large cluster that templating
        on ansible-core 2.21 costs about as much as the query itself; with this option, O(ignore:register) can be
        left out.
      - Set only when the task does not fail (as with C(ansible.builtin.set_fact)); use C(failed_when) to keep a
        failed result too. Its C(failed) is the module's own outcome, whatever C(failed_when) says.
      - Before ansible-core 2.21 the variable is a host fact (the result then also holds it under C(ansible_facts)).
      - A name of letters, digits and underscores that does not start with a digit; checked before any request.
    type: str
    version_added: 0.1.0
attributes:
  action:
    description: Indicates this has a corresponding action plugin, so some of its work can happen on the controller.
    support: full
    details:
      - With C(connection=local), no C(become), no C(environment), and C(ansible_python_interpreter) either unset
        (V(auto), the default) or the controller's own Python (for example V({{ ansible_playbook_python }}), as the
        P(oceanbase.backup.ocp#inventory) inventory plugin sets it), the module's code runs in the worker process
        ansible-core forked for the task, not in a module process of its own. The options, the requests and the
        result are the same; a fleet audit saves starting a Python for every host. Run with C(-vvv) to see which way a
        task ran.
      - Otherwise (another connection or interpreter, C(become), C(environment), C(async), or C(requests) or
        C(cryptography) missing from the controller's Python) it runs as a module, as any module does.
'''
