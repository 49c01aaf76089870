"""The notebook pipeline runner (`thbstats run`): skip logic, failures, parameter checks, lock.

Kernels are the slow part (~1-2 s each), so one module-scoped project runs the fixture notebooks
once (five runs, two workers); tests that change something work on a copy of that project,
whose `.runs.json` still matches because fingerprints hold no absolute paths.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import types
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
import pytest

from thbstats import atomic, pipeline
from thbstats.pipeline import cli, config, hooks, params, state

NOTEBOOKS = Path(__file__).parent / "fixtures"
KNOWN_GEO = {"ALB", "AUT", "OSCE"}
HOSTILE_DQ = '"); import os; os.system("touch {root}/pwned")  #'
HOSTILE_SQ = "\\'''); __import__(\"os\").system('touch {root}/pwned2') #\n\"\"\"x"

PIPELINE_YML = """
lists:
  two: [ALB, AUT]
runs:
  - notebook: ok.ipynb
    name: profile
    foreach: {geo: two}
    parameters: {year: 2016, code: "007"}
  - notebook: broken.ipynb
  - notebook: fails.ipynb
    parameters: {n: 2}
  - notebook: ok.ipynb
    name: hostile
"""


def make_project(root: Path, yml: str = PIPELINE_YML) -> Path:
    """A project root with pyproject.toml, the fixture notebooks, a data file and pipeline.yml."""
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    for nb in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    (root / "data" / "processed" / "thb_figures.parquet").write_bytes(b"release 1")
    (root / "notebooks" / "pipeline.yml").write_text(yml)
    return root


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    """Call `thbstats run` in this process; return exit code, stdout and stderr."""
    parser = argparse.ArgumentParser()
    pipeline.add_arguments(parser)
    args = parser.parse_args(["--root", str(root), *argv])
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = pipeline.main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for the thbstats source folder, so edits to the real library while the tests
    run (other engineers share this tree) do not make the fixture runs stale."""
    lib = tmp_path_factory.mktemp("lib")
    (lib / "__init__.py").write_text('"""thbstats."""\n')
    return lib


def patch_hooks(mp: pytest.MonkeyPatch, library: Path) -> list[Path]:
    """A geography checker knowing KNOWN_GEO, a gallery recording its calls, a fixed library."""
    calls: list[Path] = []
    gallery = types.ModuleType("thbstats.publish.gallery")
    gallery.build_gallery = lambda root: calls.append(root)  # type: ignore[attr-defined]
    mp.setitem(sys.modules, "thbstats.publish.gallery", gallery)
    mp.setattr(hooks, "geo_checker", lambda root: KNOWN_GEO.__contains__)
    mp.setattr(state, "thbstats_dir", lambda: library)
    return calls


@pytest.fixture(autouse=True)
def fake_hooks(monkeypatch: pytest.MonkeyPatch, library: Path) -> list[Path]:
    return patch_hooks(monkeypatch, library)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, library: Path) -> dict:
    """The fixture project after one full run with two workers."""
    root = tmp_path_factory.mktemp("built")
    make_project(root)
    yml = (root / "notebooks" / "pipeline.yml").read_text()
    hostile = {"title": HOSTILE_DQ.format(root=root), "code": HOSTILE_SQ.format(root=root)}
    yml += f"    parameters: {json.dumps(hostile)}\n"
    (root / "notebooks" / "pipeline.yml").write_text(yml)
    with pytest.MonkeyPatch.context() as mp:
        calls = patch_hooks(mp, library)
        # kernels find the root from their folder (as in JupyterLab), not from a stray variable
        mp.setenv("THBSTATS_ROOT", str(tmp_path_factory.mktemp("elsewhere")))
        code, out, err = run(root, "-j", "2")
    return {
        "root": root,
        "code": code,
        "out": out,
        "err": err,
        "hostile": hostile,
        "gallery": calls,
    }


def copy_of(built: dict, tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(built["root"], root)
    return root


def test_full_run_writes_notebooks_html_and_reports_the_failed_cell(built: dict) -> None:
    root, out = built["root"], built["out"]
    assert built["code"] == 1, out + built["err"]
    for run_id in ("profile[ALB]", "profile[AUT]", "hostile"):
        assert (root / "build" / "notebooks" / f"{run_id}.ipynb").is_file()
        html = (root / "build" / "html" / f"{run_id}.html").read_text()
        assert "OUTPUT-MARKER" in html and "CODE-ONLY-MARKER" not in html  # code hidden
    record = json.loads((root / "notebooks" / "out" / "profile[ALB].json").read_text())
    assert record["run_id"] == "profile[ALB]" and record["cwd"] == str(root / "notebooks")
    assert record["root"] == str(root)  # thbstats.paths, from the notebook's folder
    assert (record["geo"], record["year"], record["code"]) == ("ALB", 2016, "007")
    # the failure: kept notebook, its cell (index in the source notebook, first line), the error
    assert (root / "build" / "notebooks" / "broken.failed.ipynb").is_file()
    assert not (root / "build" / "notebooks" / "broken.ipynb").exists()
    where = "0-based index in the notebook's cells, as listed in the .ipynb file"
    assert f"cell 2 ({where}; In [3] when executed): raise ValueError(message)" in out
    assert "ValueError: boom in the third cell" in out
    # right after the injected parameters: papermill's index 3 is the notebook's cell 2
    assert f"cell 2 ({where}; In [3] when executed): raise RuntimeError(" in out
    assert "RuntimeError: failed with n=2" in out
    source = nbformat.read(NOTEBOOKS / "fails.ipynb", as_version=4)
    assert source.cells[2].source.startswith("raise RuntimeError(")
    assert "[5/5 done, 0 running, 2 failed]" in out
    summary = out[out.index("run  ") :]
    assert "profile[ALB]  ok" in summary and "broken        failed" in summary
    assert "3 ok, 2 failed" in summary
    assert built["gallery"] == [root / "figures"]  # rebuilt once, after the runs
    assert not list((root / "build").glob(".tmp/*"))


def test_string_parameters_are_injected_as_literals(built: dict) -> None:
    root = built["root"]
    record = json.loads((root / "notebooks" / "out" / "hostile.json").read_text())
    assert record["title"] == built["hostile"]["title"]
    assert record["code"] == built["hostile"]["code"]
    assert not (root / "pwned").exists() and not (root / "pwned2").exists()


@pytest.mark.parametrize(
    "value",
    [
        HOSTILE_DQ,
        HOSTILE_SQ,
        "a\\",
        '\\\\"',
        "é\u2028\x00",
        ['x"); 1/0 #'],
        {'k"': "v'"},
        1.5,
        True,
    ],
)
def test_injected_code_is_a_literal_that_evaluates_back(value: object) -> None:
    params.check_injection({"p": value})  # raises if papermill's cell is not `p = <literal>`


def test_unchanged_rerun_skips_without_a_kernel_and_leaves_the_gallery(
    built: dict, tmp_path: Path, fake_hooks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of(built, tmp_path)
    (root / "build" / ".tmp").mkdir(exist_ok=True)
    (root / "build" / ".tmp" / "leftover.ipynb").write_text("half")  # a killed run's temp
    started: list[object] = []
    monkeypatch.setattr(cli, "run_jobs", lambda *a, **k: started.append(a) or iter(()))
    code, out, err = run(root, "--only", "profile*", "--only", "hostile")
    assert code == 0, out + err
    assert out == "3 runs up to date\n"  # one line, not a table of skipped runs
    assert started == []  # no worker, no kernel: how long that takes is for `make bench`
    assert fake_hooks == []
    assert not (root / "build" / ".tmp").exists()


def test_noop_rerun_imports_no_papermill_or_pandas(
    built: dict, tmp_path: Path, library: Path
) -> None:
    root = copy_of(built, tmp_path)
    script = (
        "import argparse, sys\n"
        "from thbstats.pipeline import add_arguments, main, state\n"
        f"state.thbstats_dir = lambda: __import__('pathlib').Path({str(library)!r})\n"
        "p = argparse.ArgumentParser(); add_arguments(p)\n"
        f"code = main(p.parse_args(['--root', {str(root)!r}, '--only', 'profile*']))\n"
        "heavy = [m for m in ('papermill', 'pandas', 'matplotlib', 'nbconvert') "
        "if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
    assert "2 runs up to date" in done.stdout  # profile* only


def test_changed_data_notebook_or_parameters_make_runs_stale(built: dict, tmp_path: Path) -> None:
    root = copy_of(built, tmp_path)
    code, out, _ = run(root, "--dry-run")
    assert code == 0
    assert "skip       profile[ALB]" in out and "would run  broken  (last run failed)" in out
    (root / "build" / "html" / "profile[AUT].html").unlink()
    _, out, _ = run(root, "--dry-run", "--only", "profile[AUT]")
    assert "would run  profile[AUT]  (output missing (profile[AUT].html))" in out
    (root / "data" / "processed" / "thb_figures.parquet").write_bytes(b"release 2")
    _, out, _ = run(root, "--dry-run", "--only", "profile*")
    assert out.count("(input data changed)") == 2
    nb = root / "notebooks" / "ok.ipynb"
    nb.write_text(nb.read_text().replace("a notebook that runs", "a notebook that still runs"))
    _, out, _ = run(root, "--dry-run", "--only", "hostile")
    assert "would run  hostile  (notebook changed, input data changed)" in out
    yml = root / "notebooks" / "pipeline.yml"
    yml.write_text(yml.read_text().replace("year: 2016", "year: 2017"))
    _, out, _ = run(root, "--dry-run", "--only", "profile[ALB]")
    assert "parameters changed" in out
    assert (
        not (root / "notebooks" / "out" / "profile[ALB].json").read_text().count("2017")
    )  # nothing ran


def test_changed_data_reruns_and_force_reruns(
    built: dict, tmp_path: Path, fake_hooks: list[Path]
) -> None:
    root = copy_of(built, tmp_path)
    (root / "data" / "processed" / "thb_figures.parquet").write_bytes(b"release 2")
    record = root / "notebooks" / "out" / "profile[ALB].json"
    os.utime(record, ns=(0, 0))  # 1970: any rewrite is newer, however soon it comes
    code, out, err = run(root, "--only", "profile[ALB]")
    assert code == 0, out + err
    assert "profile[ALB]  ok" in out
    assert record.stat().st_mtime_ns > 0  # the notebook ran again
    assert fake_hooks == [root / "figures"]
    _, out, _ = run(root, "--dry-run", "--only", "profile[ALB]")
    assert "skip       profile[ALB]" in out
    _, out, _ = run(root, "--dry-run", "--only", "profile[ALB]", "--force")
    assert "would run  profile[ALB]  (--force)" in out


BAD_YML = """
runs:
  - notebook: ok.ipynb
    name: typo
    parameters: {yeer: 2015}
  - notebook: ok.ipynb
    name: types
    parameters: {year: "2015", code: 7, draft: 1, share: 1, years: [2015, "2016"]}
  - notebook: ok.ipynb
    name: boolint
    parameters: {year: true, title: 2020-01-01}
  - notebook: ok.ipynb
    name: geo
    foreach: {geo: [ALB, NARNIA]}
  - notebook: slow.ipynb
"""


def test_bad_parameters_are_rejected_before_any_run(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BAD_YML)
    code, out, err = run(root)
    assert code == 2 and out == ""
    assert not (root / "build" / "notebooks").exists() and not (root / "notebooks" / "out").exists()
    assert "8 parameter problem(s), nothing was run" in err
    expected = [
        "run typo (ok.ipynb): unknown parameter 'yeer'; the parameters cell defines: code, draft",
        "run types (ok.ipynb): parameter 'year': expected int like the default 2015, "
        "found str '2015'",
        "run types (ok.ipynb): parameter 'code': expected str like the default '007', found int 7",
        "run types (ok.ipynb): parameter 'draft': expected bool like the default False, "
        "found int 1",
        "run types (ok.ipynb): parameter 'years': expected a list of int like the default "
        "[2015, 2016], found item '2016'",
        "run boolint (ok.ipynb): parameter 'year': expected int like the default 2015, "
        "found bool True",
        "run boolint (ok.ipynb): parameter 'title': expected a plain value",
        "run geo[NARNIA] (ok.ipynb): parameter 'geo': unknown geography code 'NARNIA'",
    ]
    for line in expected:
        assert line in err, line
    assert "'share'" not in err and "geo[ALB]" not in err  # float accepts int; ALB is known


@pytest.mark.parametrize(
    ("value", "default", "ok"),
    [
        ("007", 7, False),
        (7, "007", False),
        (True, 1, False),
        (1, False, False),
        (1, 0.5, True),
        (True, 0.5, False),
        (0.5, 1, False),
        ("x", None, True),
        ([1, 2], [0], True),
        (["a"], [0], False),
        ({"a": 1}, {}, True),
        (None, "x", False),
        ("a", "b", True),
        (float("nan"), 0.5, False),
        (object(), None, False),
    ],
)
def test_type_rules(value: object, default: object, ok: bool) -> None:
    assert (params.type_problem(value, default) is None) == ok


def test_parameters_cell_is_read_without_running_it(tmp_path: Path) -> None:
    nb = json.loads((NOTEBOOKS / "ok.ipynb").read_text())
    nb["cells"][1]["source"] = 'import os\nyear: int = 2015\nwhen = os.getcwd()\na = b = "x"\n'
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    found = params.notebook_parameters(path)
    assert found == {"year": 2015, "when": params.NO_DEFAULT, "a": "x", "b": "x"}
    assert params.type_problem("anything", found["when"]) is None


def test_a_notebook_outside_the_project_is_refused(tmp_path: Path) -> None:
    """Its kernel, started in the notebook's folder, would find another project root."""
    other = make_project(tmp_path / "other")
    root = make_project(tmp_path / "p", "runs:\n  - notebook: ../../other/notebooks/ok.ipynb\n")
    with pytest.raises(config.ConfigError, match=r"is not inside the project .* find the project"):
        config.load_pipeline(root / "notebooks" / "pipeline.yml", root)
    assert (other / "notebooks" / "ok.ipynb").is_file()


def test_config_expands_foreach_and_names_runs(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        """
inputs: [data/processed/thb_figures.parquet, data/raw/extra.csv]
lists:
  osce: {csv: data/raw/members.csv, column: iso3}
runs:
  - ok.ipynb
  - notebook: ok.ipynb
    name: profile
    foreach: {geo: osce}
  - notebook: ok.ipynb
    name: trend
    foreach: {geo: [OSCE], year: [2015, 2016]}
    inputs: []
""",
    )
    (root / "data" / "raw").mkdir()
    (root / "data" / "raw" / "members.csv").write_text("iso3,name\nALB,Albania\nAUT,Austria\n")
    runs = config.load_pipeline(root / "notebooks" / "pipeline.yml", root).runs
    assert [r.run_id for r in runs] == [
        "ok",
        "profile[ALB]",
        "profile[AUT]",
        "trend[OSCE,2015]",
        "trend[OSCE,2016]",
    ]
    assert runs[4].parameters == {"geo": "OSCE", "year": 2016} and runs[4].inputs == ()
    assert runs[1].inputs == (
        root / "data/processed/thb_figures.parquet",
        root / "data/raw/extra.csv",
    )


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        ("runs:\n  - ok.ipynb\n  - ok.ipynb\n", "run id 'ok' appears twice"),
        ("runs:\n  - notebook: ok.ipynb\n    parameter: {}\n", "unknown key(s) 'parameter'"),
        ("runs:\n  - notebook: missing.ipynb\n", "notebook 'missing.ipynb' not found"),
        ("runs:\n  - notebook: ok.ipynb\n    foreach: {geo: nolist}\n", "found 'nolist'"),
        ("runs:\n  - notebook: ok.ipynb\n    foreach: {title: [../../x]}\n", "not safe as a file"),
        ("runs: [\n", "not valid YAML"),
    ],
)
def test_config_errors_name_the_problem(tmp_path: Path, yml: str, message: str) -> None:
    root = make_project(tmp_path / "p", yml)
    code, out, err = run(root)
    assert code == 2 and message in err, err


def test_only_without_a_match_suggests_the_closest_ids(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    code, _, err = run(root, "--only", "profile[ALX]", "--dry-run")
    assert code == 2 and "matches no run id, pattern or geography code" in err
    assert "closest run ids: profile[ALB], profile[AUT]" in err
    code, _, err = run(root, "--only", "alb", "--dry-run")  # a code in the wrong case
    assert code == 2 and "closest run ids: profile[ALB]" in err
    code, _, err = run(root, "--only", "zzz", "--dry-run")
    assert code == 2 and "no run id is close (5 runs; `thbstats run --dry-run`" in err


@pytest.mark.parametrize(
    ("pattern", "picked"),
    [
        ("profile[ALB]", ["profile[ALB]"]),  # exact id
        ("profile[A*]", ["profile[ALB]", "profile[AUT]"]),  # brackets literal, * a wildcard
        ("*[AUT]", ["profile[AUT]"]),
        ("profile[A?B]", ["profile[ALB]"]),
        ("AUT", ["profile[AUT]"]),  # a geography code
        ("*", ["profile[ALB]", "profile[AUT]", "broken", "fails", "hostile"]),
    ],
)
def test_only_picks_ids_literal_bracket_patterns_and_codes(
    tmp_path: Path, pattern: str, picked: list[str]
) -> None:
    root = make_project(tmp_path / "p")
    code, out, err = run(root, "--only", pattern, "--dry-run")
    assert code == 0, err
    assert [line.split()[2] for line in out.splitlines()] == picked


def test_dry_run_runs_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    code, out, _ = run(root, "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "would run  profile[ALB]  (never run)",
        "would run  profile[AUT]  (never run)",
        "would run  broken  (never run)",
        "would run  fails  (never run)",
        "would run  hostile  (never run)",
    ]
    assert not (root / "build").exists()


def test_a_second_run_refuses_or_waits_for_the_lock(
    built: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of(built, tmp_path)
    with (root / "build" / ".run.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write("4242")
        held.flush()
        code, out, err = run(root, "--no-wait", "--only", "hostile")
        assert code == 3 and out == ""
        assert "another `thbstats run` (pid 4242) is running" in err
        # release our lock only once the runner has said it waits and asks for the lock
        real_flock, asked = fcntl.flock, threading.Event()

        def flock(fd: object, operation: int) -> None:
            if operation == fcntl.LOCK_EX:  # the blocking call, after LOCK_NB failed
                asked.set()
            real_flock(fd, operation)

        def release() -> None:
            asked.wait(timeout=300)  # a hang guard: without the call, the asserts below fail
            real_flock(held, fcntl.LOCK_UN)

        monkeypatch.setattr(atomic.fcntl, "flock", flock)  # the one lock: thbstats.atomic.file_lock
        threading.Thread(target=release, daemon=True).start()
        code, out, err = run(root, "--only", "hostile")
    assert asked.is_set()
    assert code == 0 and "waiting for it to finish" in err and out == "1 run up to date\n"


def test_an_edit_to_the_library_makes_runs_stale(
    built: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of(built, tmp_path)
    lib = tmp_path / "lib"
    shutil.copytree(state.thbstats_dir(), lib)
    monkeypatch.setattr(state, "thbstats_dir", lambda: lib)
    _, out, _ = run(root, "--dry-run", "--only", "hostile")
    assert out == "skip       hostile\n"
    (lib / "__pycache__").mkdir()
    (lib / "__pycache__" / "x.pyc").write_bytes(b"ignored")
    _, out, _ = run(root, "--dry-run", "--only", "hostile")
    assert out == "skip       hostile\n"
    (lib / "geo.py").write_text("def is_known(code):\n    return True\n")
    _, out, _ = run(root, "--dry-run", "--only", "hostile")
    assert out == "would run  hostile  (thbstats source changed)\n"


def test_the_real_geography_hook_reads_the_pipeline_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real hooks.geo_checker, not the stand-in
    pytest.importorskip("thbstats.geo")
    project = Path(__file__).resolve().parents[2]
    is_known = hooks.geo_checker(project)
    assert is_known is not None
    assert is_known("ALB") and is_known("OSCE") and not is_known("NARNIA")


def test_un_region_codes_are_checked_before_any_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real hooks.geo_checker
    from helpers import make_project as data_project

    from thbstats import geo

    root = data_project(tmp_path / "p")  # a fresh clone: nothing under data/processed
    geo.clear_cache()
    is_known = hooks.geo_checker(root)
    assert is_known("UN:EUROPE") and is_known("UN:SOUTHERN_EUROPE") and is_known("OSCE")
    assert not is_known("UN:EUROPA") and not is_known("NARNIA")


def test_call_in_a_list_is_an_unknown_key(tmp_path: Path) -> None:
    """pipeline.yml is data: a list computed by ``{call: "module:function"}`` is refused."""
    yml = "lists:\n  two: {call: 'os:getcwd'}\nruns:\n  - notebook: ok.ipynb\n    foreach: {geo: two}\n"
    root = make_project(tmp_path / "p", yml)
    with pytest.raises(config.ConfigError, match=r"unknown key\(s\) 'call'"):
        config.load_pipeline(root / "notebooks" / "pipeline.yml", root)
    code, out, err = run(root)
    assert code == 2 and "unknown key(s) 'call'" in err and out == ""
