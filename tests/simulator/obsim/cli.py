# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line: start the simulator, write the state file, stop on SIGTERM/SIGINT or after --lifetime."""
import argparse
import json
import os
import signal
import sys
import threading

from obsim import scenario
from obsim.pki import make_pki
from obsim.server import Simulator


def parse_faults(text):
    if not text:
        return []
    if text.startswith('@'):
        with open(text[1:]) as handle:
            text = handle.read()
    faults = json.loads(text)
    return faults if isinstance(faults, list) else [faults]


def main(argv=None):
    parser = argparse.ArgumentParser(description='OCP + obshell API simulator (see tests/simulator/README.md)')
    parser.add_argument('--scenario', default='integration', help='name in scenarios/, a YAML path, or fleet:clusters=C,tenants=T,...')
    parser.add_argument('--state-file', help='required unless --make-pki')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--ocp-port', type=int)
    parser.add_argument('--obshell-port-base', type=int)
    parser.add_argument('--faults', help='JSON list of faults, or @file')
    parser.add_argument('--lifetime', type=float, default=3600)
    parser.add_argument('--tls-cert')
    parser.add_argument('--tls-key')
    parser.add_argument('--tls-client-ca')
    parser.add_argument('--quiet', action='store_true')
    parser.add_argument('--make-pki', metavar='DIR',
                        help='only write a throwaway CA, server certificate (for --host) and client certificate to DIR; print their paths as JSON')
    args = parser.parse_args(argv)
    if args.make_pki:
        print(json.dumps(make_pki(args.make_pki, host=args.host)))
        return 0
    if not args.state_file:
        parser.error('--state-file is required')
    if bool(args.tls_cert) != bool(args.tls_key) or (args.tls_client_ca and not args.tls_cert):
        # Checked here: a started-then-crashed simulator only shows as a timeout in the caller.
        parser.error('--tls-cert and --tls-key go together, and --tls-client-ca needs them')
    doc = scenario.fleet(args.scenario[6:]) if args.scenario.startswith('fleet:') else scenario.load(args.scenario)
    tls = {'cert': args.tls_cert, 'key': args.tls_key, 'client_ca': args.tls_client_ca} if args.tls_cert else None
    sim = Simulator(doc, host=args.host, ocp_port=args.ocp_port, obshell_port_base=args.obshell_port_base,
                    faults=parse_faults(args.faults), tls=tls)
    sim.run()
    state = dict(sim.state(), pid=os.getpid())
    write_state(args.state_file, state)
    if not args.quiet:
        print('simulator ready: %s' % json.dumps(state), flush=True)
    wait_for_stop(args.lifetime)
    sim.stop()
    return 0


def write_state(path, state):
    """Write the state file atomically: a waiting caller never reads half of it."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as handle:
        json.dump(state, handle)
    os.replace(tmp, path)


def wait_for_stop(lifetime):
    """Return on SIGTERM or SIGINT, or after ``lifetime`` seconds."""
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    done.wait(lifetime)


if __name__ == '__main__':
    sys.exit(main())
