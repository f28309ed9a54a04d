# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""In-process simulator for pytest."""
import contextlib
import json
import urllib.request

from obsim import scenario
from obsim.server import Simulator


class Handle:
    def __init__(self, sim):
        self.sim = sim
        self.ocp_url = sim.ocp_url
        self.obshell_urls = sim.obshell_urls

    def stats(self):
        with urllib.request.urlopen(self.ocp_url + '/__sim__/stats') as answer:
            return json.load(answer)

    def set_faults(self, faults):
        self.sim.set_faults(faults)


@contextlib.contextmanager
def running_simulator(name='integration', faults=None, tls=None, doc=None):
    sim = Simulator(doc if doc is not None else scenario.load(name), faults=faults, tls=tls)
    sim.run()
    try:
        yield Handle(sim)
    finally:
        sim.stop()
