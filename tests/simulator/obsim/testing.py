# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator in-process, for pytest: a scenario by name, or an OCP a test fills itself (README.md, "In pytest")."""
import contextlib
import json
import urllib.request

from obsim import scenario
from obsim.ocp import QUIRKS
from obsim.server import Simulator

# The credentials of the integration scenario, and of ocp_doc(): HTTP Basic and the documented AK/SK pair.
USER, PASSWORD = 'admin', 'Adm1n-sim!'
AK, SK = 'cqammmxBpfGjFlto', '2fc0c299cc94c6be266f2ceece765d4d'


def ocp_doc(**settings):
    """A scenario with an OCP that knows the test credentials and has no cluster yet (sim.ocp.add_cluster adds them)."""
    ocp = {'users': [{'username': USER, 'password': PASSWORD}, {'access_key_id': AK, 'access_key_secret': SK}]}
    ocp.update(settings)
    return {'ocp': ocp}


class Handle:
    def __init__(self, sim):
        self.sim = sim
        self.ocp = sim.ocp
        self.ocp_url = sim.ocp_url
        self.obshell_urls = sim.obshell_urls

    def stats(self):
        with urllib.request.urlopen(self.ocp_url + '/__sim__/stats') as answer:
            return json.load(answer)

    def set_faults(self, faults):
        self.sim.set_faults(faults)

    @property
    def requests(self):
        """The API requests served so far, oldest first (obsim.server.Seen: path, query, headers, status, trace_id)."""
        with self.sim.lock:
            return list(self.sim.requests)

    def paths(self):
        return [seen.path for seen in self.requests]

    # ---- an OCP fleet built by the test (the same calls a scenario's `clusters` goes through)
    def add_cluster(self, cluster_id, name, **spec):
        """A cluster; ``spec`` takes the scenario keys (type, ob_cluster_id, status, ob_version, quirks, tenants...)."""
        return self.ocp.add_cluster(dict(spec, id=cluster_id, name=name))

    def add_tenant(self, cluster_id, tenant_id, name, **spec):
        return self.ocp.add_tenant(cluster_id, dict(spec, id=tenant_id, name=name))

    def add_tasks(self, endpoint, cluster_id, rows):
        """Task rows (dataBackupTasks, logBackupTasks) sent exactly as given."""
        self.ocp.add_tasks(endpoint, cluster_id, rows)

    def set_quirks(self, *quirks):
        """The quirks of every OCP list answer from now on (obsim.ocp.QUIRKS)."""
        unknown = set(quirks) - QUIRKS
        if unknown:
            raise ValueError('unknown quirks %s; known: %s' % (', '.join(sorted(unknown)), ', '.join(sorted(QUIRKS))))
        self.ocp.quirks = set(quirks)


@contextlib.contextmanager
def running_simulator(name='integration', faults=None, tls=None, doc=None):
    sim = Simulator(doc if doc is not None else scenario.load(name), faults=faults, tls=tls)
    sim.run()
    try:
        yield Handle(sim)
    finally:
        sim.stop()
