"""Run ids and figure files that cannot collide: lists of codes named by their members (or by
pipeline.yml's ``names:``), runs that would write the same files refused before anything runs,
and a prune that removes every file of a run that left the pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_pipeline import make_project, run

from thbstats.geokey import geo_key, list_hash
from thbstats.pipeline import config, state

ROOT = Path(__file__).resolve().parents[2]
BALTIC = ["EST", "LVA", "LTU"]
CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
TWO_LISTS = f"""
names:
  central_asia: {json.dumps(CENTRAL_ASIA)}
runs:
  - notebook: exports.ipynb
    name: gap
    foreach: {{geo: [{json.dumps(BALTIC)}, {json.dumps(CENTRAL_ASIA)}]}}
"""


def test_a_list_is_named_by_its_members_in_any_order() -> None:
    assert geo_key(["LVA", "EST", "LTU"], names={}) == geo_key(BALTIC, names={}) == "EST+LTU+LVA"
    assert geo_key(CENTRAL_ASIA, names={}) == f"list5-{list_hash(CENTRAL_ASIA)}"
    assert geo_key(CENTRAL_ASIA, names={}) != geo_key(CENTRAL_ASIA[:4] + ["AFG"], names={})
    assert geo_key(list(reversed(CENTRAL_ASIA)), names={"ca": CENTRAL_ASIA}) == "ca"
    assert geo_key("TIP:EUR", names={"ca": CENTRAL_ASIA}) == "TIP:EUR"


def test_list_names_reach_the_kernel_through_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from thbstats.publish.chartdata.common import slug

    assert slug(BALTIC, "gap", 2015, 2019) == "gap-est+ltu+lva-2015-2019"
    monkeypatch.setenv("THBSTATS_GEO_NAMES", json.dumps({"baltic": BALTIC}))
    assert slug(["LTU", "EST", "LVA"], "gap", 2015, 2019) == "gap-baltic-2015-2019"
    monkeypatch.setenv("THBSTATS_GEO_NAMES", "[not json")
    with pytest.raises(ValueError, match="THBSTATS_GEO_NAMES: expected JSON"):
        slug(BALTIC, "gap", 2015, 2019)


def test_foreach_over_lists_gives_ids_from_their_members_or_names(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", TWO_LISTS)
    pipeline = config.load_pipeline(root / "notebooks" / "pipeline.yml", root)
    assert [r.run_id for r in pipeline.runs] == ["gap[EST+LTU+LVA]", "gap[central_asia]"]
    assert pipeline.runs[1].parameters == {"geo": CENTRAL_ASIA}
    assert pipeline.runs[1].list_names == {"geo": "central_asia"}
    assert pipeline.names == {"central_asia": tuple(sorted(CENTRAL_ASIA))}


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("names:\n  a/b: [EST]\n", "'a/b' is not safe as a file name"),
        ("names:\n  b: EST\n", "names: b: expected a list of codes, found 'EST'"),
        ("names:\n  b: [EST, LVA]\n  c: [LVA, EST]\n", "names: c and b name the same codes"),
    ],
)
def test_bad_names_are_refused(tmp_path: Path, names: str, message: str) -> None:
    root = make_project(tmp_path / "p", names + "runs:\n  - ok.ipynb\n")
    code, out, err = run(root)
    assert code == 2 and message in err, err


def test_runs_that_would_write_the_same_files_are_refused_before_anything_runs(
    tmp_path: Path,
) -> None:
    yml = """
runs:
  - notebook: exports.ipynb
    name: baltic
    parameters: {geo: [EST, LVA, LTU]}
  - notebook: exports.ipynb
    name: baltic_again
    parameters: {geo: [LTU, EST, LVA], start: 2015}
  - notebook: exports.ipynb
    name: other_years
    parameters: {geo: [LTU, EST, LVA], start: 2016}
"""
    root = make_project(tmp_path / "p", yml)
    code, out, err = run(root, "--only", "other_years")  # the pair is refused even unselected
    assert code == 2, out + err
    assert "1 pair(s) of runs would write the same files, nothing was run" in err
    assert "runs baltic and baltic_again would write the same files: notebook exports.ipynb" in err
    assert "geo=EST+LTU+LVA, start=2015" in err
    assert not (root / "build").exists() and not (root / "figures").exists()


def test_a_figure_another_run_overwrote_makes_its_run_stale(tmp_path: Path) -> None:
    record = state.RunState(tmp_path)
    parts = {"notebook": "n", "parameters": "p", "inputs": "i", "thbstats": "t"}
    record.record("gap[a]", "ok", parts, 1.0, {"gap-a-2015": "h1"})
    out = tmp_path / "out.ipynb"
    out.write_text("{}")
    mine = {"gap-a-2015": {"id": "gap-a-2015", "hash": "h1", "runs": {"gap[a]": "x"}}}
    assert record.why_stale("gap[a]", parts, [out], mine) is None
    theirs = {"gap-a-2015": {"id": "gap-a-2015", "hash": "h2", "runs": {"gap[b]": "y"}}}
    assert record.why_stale("gap[a]", parts, [out], theirs) == (
        "figure gap-a-2015 changed since (written by gap[b])"
    )
    assert record.why_stale("gap[a]", parts, [out], {}) == "figure gap-a-2015 missing"
    changed = {"gap-a-2015": mine["gap-a-2015"] | {"hash": "h3"}}
    assert record.why_stale("gap[a]", parts, [out], changed) == (
        "figure gap-a-2015 changed since (written by gap[a])"
    )


@pytest.mark.slow
def test_two_list_runs_keep_their_files_and_prune_removes_all_of_a_removed_one(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "p", TWO_LISTS)
    (root / "data" / "raw").mkdir()
    shutil.copy(ROOT / "data/raw/sources.yml", root / "data/raw/sources.yml")  # the XLSX sheet
    code, out, err = run(root, "-j", "2")
    assert code == 0, out + err
    figures = root / "figures"
    entries = {f["id"]: f for f in json.loads((figures / "manifest.json").read_text())["figures"]}
    assert {fid: list(e["runs"]) for fid, e in entries.items()} == {
        "gap-est+ltu+lva-2015-2019": ["gap[EST+LTU+LVA]"],
        "gap-central_asia-2015-2019": ["gap[central_asia]"],
    }
    baltic_csv = (figures / "gap-est+ltu+lva-2015-2019.csv").read_text()
    assert baltic_csv.splitlines()[1:] == ["EST,0.0", "LVA,1.0", "LTU,2.0"]
    assert "KAZ,0.0" in (figures / "gap-central_asia-2015-2019.csv").read_text()
    kept = {p.name: p.stat().st_mtime_ns for p in figures.glob("gap-central_asia-*")}
    assert set(kept) == {f"gap-central_asia-2015-2019.{x}" for x in ("svg", "csv", "xlsx")}

    # the Baltic run leaves the pipeline: a prune removes its figures and its build files
    one = TWO_LISTS.replace(f"{json.dumps(BALTIC)}, ", "")
    (root / "notebooks" / "pipeline.yml").write_text(one)
    code, out, err = run(root, "--prune")
    assert code == 0, out + err
    assert "1 run up to date" in out
    assert not list(figures.glob("gap-est+ltu+lva-*"))
    assert not list((root / "build").rglob("gap[[]EST+LTU+LVA]*"))
    assert {p.name: p.stat().st_mtime_ns for p in figures.glob("gap-central_asia-*")} == kept
    manifest = json.loads((figures / "manifest.json").read_text())["figures"]
    assert [f["id"] for f in manifest] == ["gap-central_asia-2015-2019"]


ACROSS = """
runs:
  - notebook: exports.ipynb
    name: gap
    parameters: {geo: [EST, LVA, LTU]}
  - notebook: exports_again.ipynb
    name: same_chart
    parameters: {geo: [LTU, EST, LVA]}
"""


def across_notebooks(tmp_path: Path) -> Path:
    """Two notebooks that draw the same chart: the static check cannot tell them apart."""
    root = make_project(tmp_path / "p", ACROSS)
    (root / "data" / "raw").mkdir()
    shutil.copy(ROOT / "data/raw/sources.yml", root / "data/raw/sources.yml")
    shutil.copy(root / "notebooks/exports.ipynb", root / "notebooks/exports_again.ipynb")
    return root


def test_recorded_figures_name_runs_of_two_notebooks_that_write_the_same_file(
    tmp_path: Path,
) -> None:
    from thbstats.pipeline.collide import recorded_collisions

    root = across_notebooks(tmp_path)
    runs = config.load_pipeline(root / "notebooks" / "pipeline.yml", root).runs
    record = state.RunState(tmp_path / "build")
    assert recorded_collisions(runs, record) == []  # never run: nothing known yet
    for r in runs:
        parts = state.fingerprint(r, root)
        record.record(r.run_id, "ok", parts, 1.0, {"gap-est+ltu+lva-2015-2019": "h", r.run_id: "h"})
    assert recorded_collisions(runs, record) == [
        "runs gap and same_chart write the same figure(s) gap-est+ltu+lva-2015-2019 (both wrote "
        "them when they last ran); remove the export from one notebook or give the runs other "
        "parameters"
    ]
    moved = [runs[0], type(runs[1])(**{**vars(runs[1]), "parameters": {"geo": ["EST"]}})]
    assert recorded_collisions(moved, record) == []  # other parameters: other files, maybe


@pytest.mark.slow
def test_runs_of_two_notebooks_writing_the_same_file_fail_then_are_refused_before_running(
    tmp_path: Path,
) -> None:
    root = across_notebooks(tmp_path)
    code, out, err = run(root, "-j", "2")
    assert code == 1, out + err  # a first build finds the pair once both ran, and says so
    assert "runs gap and same_chart write the same figure(s) gap-est+ltu+lva-2015-2019" in err
    files = {p: p.stat().st_mtime_ns for p in (root / "figures").rglob("*")}
    files |= {p: p.stat().st_mtime_ns for p in (root / "build").rglob("*") if p.is_file()}
    code, out, err = run(root, "--force")
    assert code == 2, out + err
    assert "1 pair(s) of runs would write the same files, nothing was run" in err
    assert "runs gap and same_chart write the same figure(s) gap-est+ltu+lva-2015-2019" in err
    after = {p: p.stat().st_mtime_ns for p in (root / "figures").rglob("*")}
    after |= {p: p.stat().st_mtime_ns for p in (root / "build").rglob("*") if p.is_file()}
    assert after == files  # nothing ran, nothing was written
