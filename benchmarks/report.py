"""The targets (issues 7 and 13), checked as ratios of measurements from the same run, and the
tables."""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]
JOBS = 2  # `thbstats run -j 2`: the floor of n runs is n x floor / 2 on this 2-core machine


PREFIXES = (
    "read workbook: pandas",
    "read workbook: thbstats",
    "thbstats data (cold)",
    "thbstats data after editing",
    "thb.load(), in process",
    "thb.load(), fresh",
    "floor:",
    "thbstats run -j 2",
    "fresh kernels:",
    "thbstats run again",
    "papermill CLI",
)


def _seconds(rows: list[Row], prefix: str) -> float | None:
    """Seconds of the first row whose name starts with ``prefix`` (None if absent or skipped)."""
    for r in rows:
        if r["name"].startswith(prefix) and not r["note"].startswith("skipped"):
            return r["seconds"]
    return None


def _peak(rows: list[Row], prefix: str) -> float | None:
    return next((r["peak_mib"] for r in rows if r["name"].startswith(prefix)), None)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _check(name: str, value: float | None, goal: str, passed: bool | None, shown: str) -> Row:
    """One target; ``passed`` None marks an informational line."""
    status = "n/a" if value is None else "info" if passed is None else "pass" if passed else "FAIL"
    measured = "not measured" if value is None else shown
    return {"target": name, "measured": measured, "goal": goal, "status": status, "value": value}


def targets(rows: list[Row], runs: int) -> list[Row]:
    """Each target of the issue with its measured ratio and pass/fail ("n/a" if not measured)."""
    s = {p: _seconds(rows, p) for p in PREFIXES}
    floor = s["floor:"]
    ideal = runs * floor / JOBS if floor and runs else None
    reader = _ratio(s["read workbook: pandas"], s["read workbook: thbstats"])
    cold = s["thbstats data (cold)"]
    openpyxl = s["read workbook: pandas"]
    quick = any(r["name"].startswith("thbstats data (cold)") and "quick" in r["note"] for r in rows)
    half = None if quick else _ratio(cold, openpyxl)  # quick: another workbook, fewer sources
    load = _ratio(s["thb.load(), in process"], cold)
    fresh = _ratio(s["thb.load(), fresh"], cold)
    rebuild = _ratio(s["thbstats data after editing"], cold)
    cli = _ratio(s["papermill CLI"], s["thbstats run -j 2"])
    over = _ratio(s["thbstats run -j 2"], ideal)
    new_kernels = _ratio(s["fresh kernels:"], ideal)
    gain = _ratio(s["fresh kernels:"], s["thbstats run -j 2"])
    rerun = _ratio(s["thbstats run again"], s["thbstats run -j 2"])
    peak = _peak(rows, "thbstats data")
    ok = lambda v, test: None if v is None else bool(test(v))  # noqa: E731
    return [
        _check("reader vs openpyxl", reader, ">= 5x faster",
               ok(reader, lambda v: v >= 5), f"{reader or 0:.1f}x faster"),
        _check("cold `thbstats data` vs one openpyxl read of the newest UNODC workbook", half,
               "< 50%", ok(half, lambda v: v < 0.5),
               f"{half or 0:.0%} ({cold or 0:.1f} s vs {openpyxl or 0:.1f} s)"),
        _check("thb.load() vs cold `thbstats data`", load, "< 5%",
               ok(load, lambda v: v < 0.05), f"{load or 0:.1%}"),
        _check("(thb.load() in a fresh process, imports included)", fresh, "-",
               None, f"{fresh or 0:.1%}"),
        _check("rebuild after editing one transcribed CSV vs cold `thbstats data`", rebuild,
               "< 25%", ok(rebuild, lambda v: v < 0.25), f"{rebuild or 0:.1%}"),
        _check("run -j 2 vs papermill CLI one by one", cli, ">= 2.5x faster",
               ok(cli, lambda v: v >= 2.5), f"{cli or 0:.2f}x faster"),
        _check("run -j 2 vs floor (runs x floor / 2)", over, "<= 1.5x",
               ok(over, lambda v: v <= 1.5),
               f"{over or 0:.2f}x ({s['thbstats run -j 2'] or 0:.1f} s vs {ideal or 0:.1f} s)"),
        _check("(run -j 2 --fresh vs floor: a new kernel per run)", new_kernels, "-", None,
               f"{new_kernels or 0:.2f}x ({s['fresh kernels:'] or 0:.1f} s vs {ideal or 0:.1f} s)"),
        _check("run -j 2 (warm kernels) vs run -j 2 --fresh", gain, "-", None,
               f"{gain or 0:.2f}x faster"),
        _check("no-op rerun vs cold run -j 2", rerun, "< 2%",
               ok(rerun, lambda v: v < 0.02), f"{rerun or 0:.1%}"),
        _check("peak memory of `thbstats data`", peak, "< 1024 MiB",
               ok(peak, lambda v: v < 1024), f"{peak or 0:.0f} MiB"),
        *stress_checks(rows),
    ]  # fmt: skip


def stress_checks(rows: list[Row]) -> list[Row]:
    """One target per stress case: no failed run (the control is information, not a goal)."""
    checks = []
    for r in rows:
        if "failures" not in r:
            continue
        passed = None if r["name"].startswith("stress control") else r["failures"] == 0
        target = r["name"].removeprefix("stress: ").removeprefix("stress control: ")
        shown = f"{r['failures']} of {r['runs']} runs failed"
        checks.append(_check(f"clean exit: {target}", r["failures"], "0 failed", passed, shown))
    return checks


def markdown(rows: list[Row], checks: list[Row], context: dict[str, Any]) -> str:
    """Both tables as Markdown, with the machine and command they came from."""
    lines = ["| measurement | seconds | CPU s | peak MiB | note |", "|---|---:|---:|---:|---|"]
    for r in rows:
        cpu = "" if r.get("cpu") is None else f"{r['cpu']:.1f}"
        peak = "" if r["peak_mib"] is None else f"{r['peak_mib']:.0f}"
        lines.append(f"| {r['name']} | {r['seconds']:.2f} | {cpu} | {peak} | {r['note']} |")
    lines += ["", "| target | measured | goal | status |", "|---|---|---|---|"]
    lines += [f"| {c['target']} | {c['measured']} | {c['goal']} | {c['status']} |" for c in checks]
    ctx = ", ".join(f"{k}: {v}" for k, v in context.items())
    return "\n".join(lines) + f"\n\n{ctx}\n"
