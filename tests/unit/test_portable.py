"""Nothing in the repository is tied to one machine: no tracked symlink, no absolute path of a
machine (a home folder, /tmp, a mount) in a tracked text file.

The scan covers ``git ls-files``. A line that must name such a path (say, a test of how one is
reported) carries the marker ``machine-path-ok``; nothing needs it today.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = "machine-path-ok"
# An absolute path is "/" + a top folder of some machine + "/", not preceded by a character that
# would make it part of a URL or a relative path (https://host/home/... is fine).
UNIX = r"(?<![\w.~/:-])/(?:work|home|Users|tmp|root|mnt|media|srv|opt|Volumes|var/folders|private)/"
WINDOWS = r"\b[A-Za-z]:\\(?:Users|Documents and Settings|work)\\"
FILE_URL = r"file://(?:localhost)?/(?:work|home|Users|tmp|root|mnt|media|srv|opt|Volumes)/"
MACHINE_PATH = re.compile(f"{UNIX}|{WINDOWS}|{FILE_URL}")


def machine_paths(text: str) -> list[tuple[int, str]]:
    """(line number, line) of each line naming an absolute path of a machine, unless marked."""
    return [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), start=1)
        if MACHINE_PATH.search(line) and MARKER not in line
    ]


def tracked() -> list[tuple[str, str]]:
    """(mode, path) of every file git tracks in this checkout."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout: nothing tracked to scan")
    out = subprocess.run(
        ["git", "ls-files", "-s", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    rows = []
    for item in filter(None, out.split("\0")):
        meta, path = item.split("\t", 1)
        rows.append((meta.split()[0], path))
    return rows


def test_no_tracked_symlink() -> None:
    links = [path for mode, path in tracked() if mode == "120000"]
    assert links == [], f"tracked symlinks (they point into one machine): {links}"


def test_no_absolute_path_of_a_machine_in_tracked_files() -> None:
    found = []
    for mode, path in tracked():
        file = ROOT / path
        if mode == "160000" or not file.is_file() or file.stat().st_size > 5_000_000:
            continue
        data = file.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        found += [
            f"{path}:{n}: {line}" for n, line in machine_paths(data.decode("utf-8", "replace"))
        ]
    assert found == [], "absolute paths of a machine:\n" + "\n".join(found)


def _p(*parts: str) -> str:
    """Build a path from parts, so this file does not itself hold one."""
    return "".join(parts)


@pytest.mark.parametrize(
    "line",
    [
        _p('DOWNLOADS = "/', 'home/alice/data"'),
        _p("ln -s /", "work/shared/sources data/raw/downloads"),
        _p("see /", "tmp/clone/figures"),
        _p("/", "Users/bob/Downloads/data_glotip.xlsx"),
        _p("C:", "\\", "Users", "\\", "carol", "\\", "x.xlsx"),
        _p("file:///", "home/alice/x.xlsx"),
        _p("(/", "var/folders/xy/T/abc)"),
    ],
)
def test_detector_finds_machine_paths(line: str) -> None:
    assert machine_paths(line) == [(1, line.strip())]


@pytest.mark.parametrize(
    "line",
    [
        _p("https://example.org/", "home/index.html"),
        _p("data/raw/downloads/", "tmp/x"),
        _p("~/", "work/x"),
        _p("build/.tmp/", "leftover"),
        _p("../shared/", "sources"),
        _p('"/', 'home/alice"  # ', MARKER),
    ],
)
def test_detector_leaves_urls_relative_paths_and_marked_lines(line: str) -> None:
    assert machine_paths(line) == []
