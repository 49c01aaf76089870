"""The benchmark script keeps working: `python -m benchmarks --quick` (seconds, no notebooks).

No timing assertions here: speed goals are measured by the benchmark (`make bench`), never by
timed tests, which would fail on a busy machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_benchmark_writes_its_tables(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--results", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads((tmp_path / "bench.json").read_text())
    names = [r["name"] for r in data["rows"]]
    assert "thbstats data (cold)" in names
    assert "thbstats data after editing one transcribed CSV" in names
    assert "thb.load(), in process" in names
    assert all(r["seconds"] > 0 for r in data["rows"] if r["name"].startswith("thbstats data"))
    by_target = {t["target"]: t for t in data["targets"]}
    assert by_target["peak memory of `thbstats data`"]["value"] > 0  # measured, not "n/a"
    # notebooks are not run in quick mode: those targets say so instead of guessing
    assert by_target["run -j 2 vs floor (runs x floor / 2)"]["status"] == "n/a"
    table = (tmp_path / "bench.md").read_text()
    assert table.startswith("| measurement | seconds | CPU s | peak MiB | note |")
    assert "| target | measured | goal | status |" in table
    assert "| target |" in proc.stdout  # the table is printed too


def test_targets_are_ratios_of_the_same_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # benchmarks/ is beside the package, not installed
    from benchmarks import report

    rows = [
        {"name": "read workbook: pandas + openpyxl", "seconds": 10.0, "peak_mib": None, "note": ""},
        {"name": "read workbook: thbstats reader", "seconds": 1.0, "peak_mib": None, "note": ""},
        {"name": "thbstats data (cold)", "seconds": 10.0, "peak_mib": 2000.0, "note": ""},
        {"name": "thbstats data after editing one", "seconds": 3.0, "peak_mib": None, "note": ""},
        {"name": "thb.load(), in process", "seconds": 0.1, "peak_mib": None, "note": ""},
        {"name": "floor: kernel", "seconds": 2.0, "peak_mib": None, "note": ""},
        {"name": "thbstats run -j 2 (8 runs)", "seconds": 10.0, "peak_mib": None, "note": ""},
        {
            "name": "fresh kernels: thbstats run -j 2 --fresh",
            "seconds": 20.0,
            "peak_mib": None,
            "note": "",
        },  # fmt: skip
        {"name": "thbstats run again", "seconds": 0.5, "peak_mib": None, "note": ""},
        {"name": "papermill CLI, one after another", "seconds": 30.0, "peak_mib": None, "note": ""},
    ]
    status = {t["target"]: t["status"] for t in report.targets(rows, runs=8)}
    assert status["reader vs openpyxl"] == "pass"  # 10x
    assert status["thb.load() vs cold `thbstats data`"] == "pass"  # 1%
    assert status["rebuild after editing one transcribed CSV vs cold `thbstats data`"] == "FAIL"
    assert status["run -j 2 vs papermill CLI one by one"] == "pass"  # 3x
    assert status["run -j 2 vs floor (runs x floor / 2)"] == "pass"  # 10 s vs 8 x 2 / 2 = 8 s
    fresh = {t["target"]: t for t in report.targets(rows, runs=8)}
    assert fresh["(run -j 2 --fresh vs floor: a new kernel per run)"]["measured"] == (
        "2.50x (20.0 s vs 8.0 s)"
    )
    warm = fresh["run -j 2 (warm kernels) vs run -j 2 --fresh"]
    assert warm["measured"] == "2.00x faster" and warm["status"] == "info"
    assert status["no-op rerun vs cold run -j 2"] == "FAIL"  # 5%
    assert status["peak memory of `thbstats data`"] == "FAIL"  # 2000 MiB
    half = "cold `thbstats data` vs one openpyxl read of the newest UNODC workbook"
    assert status[half] == "FAIL"  # 10 s vs 10 s: 100%, goal < 50%
    rows[2] = rows[2] | {"seconds": 4.0}
    assert {t["target"]: t for t in report.targets(rows, runs=8)}[half]["measured"] == (
        "40% (4.0 s vs 10.0 s)"
    )
    rows[2] = rows[2] | {"note": "fresh data/processed; quick: transcribed sources only"}
    assert {t["target"]: t["status"] for t in report.targets(rows, runs=8)}[half] == "n/a"


def test_stress_counts_signals_exit_codes_and_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import report, stress

    env = dict(os.environ)
    clean = stress.fresh_runs("pass", 2, env)
    assert (clean.runs, clean.failures, dict(clean.exits)) == (2, 0, {"exit 0": 2})
    assert clean.note() == "0 of 2 failed"
    aborted = stress.fresh_runs("import os; os.abort()", 1, env)
    assert (aborted.failures, dict(aborted.exits)) == (1, {"SIGABRT": 1})
    noisy = stress.fresh_runs("import sys; sys.stderr.write('terminate called\\n')", 1, env)
    assert noisy.failures == 1 and noisy.note() == "1 of 1 failed: stderr 'terminate called' x1"
    failed = stress.fresh_runs("raise SystemExit(3)", 1, env)
    assert failed.note() == "1 of 1 failed: exit 3 x1"
    rows = [
        {"name": "stress: thb.load(), fresh process, idle", "runs": 2, "failures": 0},
        {
            "name": "stress: thb.load(), fresh process, 2 busy loops beside",
            "runs": 2,
            "failures": 1,
        },
        {
            "name": "stress control: pandas' own read (pre-fix), 2 busy loops",
            "runs": 2,
            "failures": 1,
        },
    ]
    status = {c["target"]: (c["status"], c["measured"]) for c in report.stress_checks(rows)}
    assert status == {
        "clean exit: thb.load(), fresh process, idle": ("pass", "0 of 2 runs failed"),
        "clean exit: thb.load(), fresh process, 2 busy loops beside": (
            "FAIL",
            "1 of 2 runs failed",
        ),
        "clean exit: pandas' own read (pre-fix), 2 busy loops": ("info", "1 of 2 runs failed"),
    }


def test_stress_flag_is_its_own_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks.__main__ import parse

    assert parse(["--stress"]).stress == 200 and parse(["--stress", "50"]).stress == 50
    assert parse([]).stress is None
    with pytest.raises(SystemExit):
        parse(["--stress", "5", "--quick"])
