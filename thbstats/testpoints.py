"""Named moments where a fault test can stop a process, so that a kill lands there every time.

With ``THBSTATS_TEST_STOP_AT=<name>``, ``reached(name)`` writes its process id to the file named
by ``THBSTATS_TEST_MARKER`` and then waits: until the process is killed, or, when
``THBSTATS_TEST_RESUME`` names a file, until that file exists. A test waits for the marker, then
kills (or resumes): no sleep decides the outcome. Without the variable it does nothing.
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
    resume = os.environ.get("THBSTATS_TEST_RESUME")
    os.environ.pop("THBSTATS_TEST_STOP_AT")  # once per process
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="ascii")
    while not (resume and Path(resume).exists()):  # the test kills the process here, or resumes it
        time.sleep(0.02)
