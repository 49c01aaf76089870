"""A new UNODC release that changes five States' figures: what a rebuild redoes.

The release is simulated on a copy of the built table (``release_sim``): it repeats every figure
of the latest release and changes the persons convicted of five States in one year. Every brief
is built first; after the release, only the briefs whose slice changed are rewritten, the others'
files keep their bytes and their mtimes. The runs of notebooks/pipeline.yml are counted by their
fingerprints (the runner's own decision; tests/notebooks/test_pipeline_slices.py executes runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import release_sim
from helpers import ROOT

OUTSIDE = ["CZE", "ESP", "HUN", "NLD", "ROU"]  # persons convicted in 2013: before the ranking years
INSIDE = ["AUT", "CZE", "ESP", "HUN", "ROU"]  # persons convicted in 2020: inside them
GROUPS = ["OSCE", "EU27", "TIP-EUR"]  # all five are in the three groups
AWAY = ["KAZ", "MNG", "TJK", "USA", "UZB"]  # OSCE States outside the EU, TIP's and UN's Europe
# start_here describes the whole table (and names the latest release); revisions compares the two
# newest releases: both change with any new release. coverage reads only which figures are
# there (a revised value leaves it alone); claims reads the stages and years its claims name.
EVERY_RELEASE = ["start_here", "revisions"]
TRENDS = [f"trends[{g}]" for g in ("WORLD", "OSCE", "EU27", "TIP:EUR", "UN:EUROPE")]


def briefs(root: Path, *args: str) -> str:
    env = {**os.environ, "THBSTATS_ROOT": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "thbstats.cli", "briefs", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def files(root: Path) -> dict[str, tuple[int, bytes]]:
    folder = root / "figures" / "briefs"
    return {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.iterdir()
        if p.is_file() and p.name not in (".inputs.json", ".inputs.lock")
    }


def code_of(name: str) -> str:
    """The brief a file belongs to: ``TIP-EUR-funnel.svg`` -> ``TIP-EUR``."""
    stem = name.split(".")[0]
    for kind in ("-funnel", "-trend", "-strip"):
        stem = stem.removesuffix(kind)
    return stem


def changed(every: pd.DataFrame, states: list[str], year: int) -> pd.DataFrame:
    """The release: persons convicted of ``states`` in ``year`` each 7 more than printed."""
    values = {}
    for geo in states:
        row = every[release_sim.headline(every, "convicted", geo, year) & every["latest"]]
        values[(geo, year)] = float(row["value"].iloc[0]) + 7
    return release_sim.new_release(every, values, "convicted")


def run_inputs(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Each run's fingerprint of its input data, as ``thbstats run`` computes it."""
    from thbstats.pipeline import cli, config, state

    monkeypatch.setenv("THBSTATS_ROOT", str(root))
    state.file_digest.cache_clear()
    runs = config.load_pipeline(root / "notebooks/pipeline.yml", root).runs
    sliced = cli._slices(runs, root, root / "build")
    return {r.run_id: state.fingerprint(r, root, sliced.get(r.run_id))["inputs"] for r in runs}


def redone(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before if after[k] != before[k])


@pytest.mark.slow
def test_a_release_changing_five_states_redoes_their_runs_and_briefs_only(
    official_dataset: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = release_sim.project(tmp_path / "p", ROOT / "data/processed/thb_figures.parquet")
    every = pd.read_parquet(root / "data/processed/thb_figures.parquet")
    first = briefs(root)
    assert "briefs: 60 written, 0 up to date" in first, first
    before, runs_before = files(root), run_inputs(root, monkeypatch)

    # five States outside the EU: their profiles, the world's and the OSCE's trends; 9 runs
    release_sim.write(changed(every, AWAY, 2013), root)
    runs = redone(runs_before, run_inputs(root, monkeypatch))
    trends = ["trends[WORLD]", "trends[OSCE]"]
    assert runs == sorted(EVERY_RELEASE + trends + [f"country_profile[{g}]" for g in AWAY])
    out = briefs(root)
    assert "briefs: 6 written, 54 up to date" in out, out
    after = files(root)
    assert {code_of(n) for n in after if after[n] != before[n]} == {*AWAY, "OSCE"}
    release_sim.write(every, root)  # back to the built table: the six briefs as they were
    assert "briefs: 6 written, 54 up to date" in briefs(root)
    restored = files(root)
    assert {n: b for n, (_, b) in restored.items()} == {n: b for n, (_, b) in before.items()}
    before = restored  # the same bytes; six of them with new mtimes

    # outside the ranking years (2018-2022): the five States' briefs and their groups'
    release_sim.write(changed(every, OUTSIDE, 2013), root)
    runs = redone(runs_before, run_inputs(root, monkeypatch))
    profiles = [f"country_profile[{g}]" for g in OUTSIDE]
    assert runs == sorted(EVERY_RELEASE + TRENDS + profiles)  # 12 of 73 runs
    out = briefs(root)
    assert "briefs: 8 written, 52 up to date" in out, out
    assert "ranking and dark figure: up to date, skipped" in out
    after = files(root)
    rewritten = {code_of(name) for name in after if after[name] != before[name]}
    assert rewritten == set(OUTSIDE + GROUPS)
    kept = [n for n in before if code_of(n) not in rewritten]
    assert len(kept) == 52 * 5 + 1  # PDF, HTML, three SVGs a brief; index.json
    assert {n: after[n] for n in kept} == {n: before[n] for n in kept}
    assert "briefs: 0 written, 60 up to date" in briefs(root)

    # inside the ranking years: every brief's strip draws the five States' ratios
    release_sim.write(changed(every, INSIDE, 2020), root)
    runs = redone(runs_before, run_inputs(root, monkeypatch))
    profiles = [f"country_profile[{g}]" for g in INSIDE]
    assert runs == sorted(EVERY_RELEASE + TRENDS + profiles)  # the claims of 2020 name releases
    assert "briefs: 60 would be written, 0 up to date" in briefs(root, "--dry-run")
