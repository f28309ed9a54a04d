# Copyright (c) contributors to oceanbase.backup
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paths and fixtures every unit test shares: the simulator package (tests/simulator/obsim) is importable as
``obsim``, and ``ocp`` is a fresh in-process OCP simulator that a test fills itself."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'simulator'))

from obsim.testing import ocp_doc, running_simulator  # noqa: E402  pylint: disable=wrong-import-position
from obsim.transport import scripted_server  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture()
def ocp():
    """An OCP simulator with the test credentials (obsim.testing USER/PASSWORD, AK/SK) and no cluster yet."""
    with running_simulator(doc=ocp_doc()) as sim:
        yield sim


@pytest.fixture()
def server():
    """A loopback server answering the scripted raw HTTP answers of ``server.answers`` (obsim.transport)."""
    with scripted_server() as script:
        yield script
