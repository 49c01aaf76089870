"""Named moments where a fault test can stop a process, so that a kill lands there every time.

With ``THBSTATS_TEST_STOP_AT=<name>``, ``reached(name)`` writes its process id to the file named
by ``THBSTATS_TEST_MARKER`` and then waits until the process is killed. A test waits for that
file, then kills: no sleep decides the outcome. Without the variable it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def reached(name: str) -> None:
    """Stop here (until killed) when a test asked for this point; otherwise return at once."""
    if os.environ.get("THBSTATS_TEST_STOP_AT") != name:
        return
    marker = os.environ.get("THBSTATS_TEST_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="ascii")
    while True:  # the test kills the process here
        time.sleep(60)
