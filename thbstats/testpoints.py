"""Named moments where a fault test can stop a process (so that a kill lands there every time)
or make it fail once (``fail_once``: a kernel that does not start).

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


class TestPointFailure(RuntimeError):
    """The failure a test asked for at a named point (``THBSTATS_TEST_FAIL_AT``)."""

    __test__ = False  # not a test class, whatever pytest's name rules say


def fail_once(name: str, what: str) -> None:
    """Raise TestPointFailure(``what``) the first time any process reaches ``name``, when a test
    asked for it with ``THBSTATS_TEST_FAIL_AT=<name>``; otherwise return at once.

    "First" holds across processes: the process that creates the file named by
    ``THBSTATS_TEST_MARKER`` (exclusively) fails; every later call passes.
    """
    if os.environ.get("THBSTATS_TEST_FAIL_AT") != name:
        return
    marker = os.environ.get("THBSTATS_TEST_MARKER")
    if marker:
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return  # an earlier call failed already
        os.write(fd, str(os.getpid()).encode("ascii"))
        os.close(fd)
    raise TestPointFailure(f"{what} (test point {name!r})")
