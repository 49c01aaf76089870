"""Two `thbstats briefs --only` runs at once keep both entries of ``.inputs.json``.

Each run reads the record before either writes it (a barrier in the test makes that certain);
each then merges its entries into the record on disk under the lock, so neither is lost, and
``index.json`` lists both briefs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from thbstats.publish.briefs import record

TESTS = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
import pandas as pd
from figure_fixtures import sample_rows
from thbstats import schema
from thbstats.publish.briefs import record
from thbstats.publish.briefs.build import build

out, code, other = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
load, calls = record.load, []

def barrier(folder):
    calls.append(folder)
    if len(calls) == 1:  # the first read: wait until the other run has read the record too
        (out / f"ready-{{code}}").touch()
        end = time.monotonic() + 60
        while not (out / f"ready-{{other}}").exists() and time.monotonic() < end:
            time.sleep(0.01)
    return load(folder)

record.load = barrier
df = schema.coerce(pd.DataFrame(sample_rows()))
print(build(df, only=[code], out_dir=out)["written"])
"""


def briefs(out: Path, code: str, other: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(tests=str(TESTS)), str(out), code, other],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_runs_keep_both_entries(tmp_path):
    runs = [briefs(tmp_path, "ALB", "AUT"), briefs(tmp_path, "AUT", "ALB")]
    results = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
    assert [out.strip() for out, _ in results] == ["['ALB']", "['AUT']"]
    state = record.load(tmp_path / "briefs")
    assert {"ALB", "AUT"} <= set(state) and set(state["_meta"]) == {"ALB", "AUT"}
    assert set(state["_parts"]) == {"ALB", "AUT"}  # each brief's own slice, both kept
    assert state["ALB"] != state["AUT"]  # two geographies: two slices
    index = json.loads((tmp_path / "briefs/index.json").read_text())
    assert [b["code"] for b in index["briefs"]] == ["ALB", "AUT"]


def test_merge_takes_only_the_written_entries():
    on_disk = {"ALB": "old", "BEL": "b", "_meta": {"ALB": {"name": "Albania"}, "BEL": {}}}
    ours = {"ALB": "stale", "AUT": "new", "_meta": {"ALB": {"name": "x"}, "AUT": {"name": "A"}}}
    assert record.merged(on_disk, ours, ["AUT"]) == {
        "ALB": "old",
        "AUT": "new",
        "BEL": "b",
        "_meta": {"ALB": {"name": "Albania"}, "BEL": {}, "AUT": {"name": "A"}},
    }
    assert record.merged(on_disk, ours, []) == on_disk
