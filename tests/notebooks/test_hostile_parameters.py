"""Parameters that reach notebooks are checked values, never code: hostile geography strings.

Title and other string parameters are covered in test_pipeline.py (papermill injects them as
literals, checked by ``params.check_injection``). Here: geography values, from pipeline.yml or
from a CSV list, and YAML tags, are refused before any notebook runs, and nothing executes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_pipeline import make_project, run

from thbstats.pipeline import hooks

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '"); __import__("os").system("touch {root}/pwned")  #'


@pytest.fixture(autouse=True)
def real_geography(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real thbstats.geo check, on the real project's group files."""
    real = hooks.geo_checker
    monkeypatch.setattr(hooks, "geo_checker", lambda root: real(ROOT))


def refused(root: Path, *needles: str) -> None:
    code, out, err = run(root)
    assert code == 2 and out == "", out + err
    for needle in needles:
        assert needle in err, err
    assert not (root / "pwned").exists()
    assert not (root / "build" / "notebooks").exists() and not (root / "notebooks" / "out").exists()


def test_hostile_geo_parameter_is_refused_before_anything_runs(tmp_path: Path) -> None:
    root = tmp_path / "p"
    value = json.dumps(HOSTILE.format(root=root))
    make_project(root, f"runs:\n  - notebook: ok.ipynb\n    parameters: {{geo: {value}}}\n")
    refused(root, "parameter 'geo': unknown geography code", "pwned")


def test_hostile_geo_list_item_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    value = json.dumps(HOSTILE.format(root=root))
    yml = (
        f"runs:\n  - notebook: ok.ipynb\n    name: trend\n    parameters: {{geo: [ALB, {value}]}}\n"
    )
    make_project(root, yml)
    code, out, err = run(root)
    assert code == 2 and not (root / "pwned").exists()
    # a Geo parameter takes a list of codes: each item is checked, the hostile one refused
    assert "parameter 'geo': unknown geography code" in err and "nothing was run" in err


def test_hostile_geo_from_a_csv_list_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(
        root,
        "lists:\n  osce: {csv: data/raw/members.csv, column: iso3}\n"
        "runs:\n  - notebook: ok.ipynb\n    name: profile\n    foreach: {geo: osce}\n",
    )
    (root / "data" / "raw").mkdir()
    hostile = HOSTILE.format(root=root).replace('"', '""')
    (root / "data/raw/members.csv").write_text(f'iso3,name\nALB,Albania\n"{hostile}",x\n')
    refused(root, "is not safe as a file name")


def test_hostile_geo_that_is_a_safe_file_name_is_still_an_unknown_code(tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(
        root,
        "runs:\n  - notebook: ok.ipynb\n    name: profile\n    foreach: {geo: [ALB, __import__]}\n",
    )
    refused(root, "run profile[__import__] (ok.ipynb): parameter 'geo': unknown geography code")


def test_yaml_tags_do_not_construct_objects(tmp_path: Path) -> None:
    root = tmp_path / "p"
    yml = (
        "runs:\n  - notebook: ok.ipynb\n    parameters:\n"
        f'      title: !!python/object/apply:os.system ["touch {root}/pwned"]\n'
    )
    make_project(root, yml)
    refused(root, "not valid YAML")


REGIONS_CELL = """from thbstats import Geo

group: Geo = "OSCE"  # a name other than geo: checked by its declared type
regions: Geo = []
year = 2015
"""


def _regions_notebook(root: Path, parameters: str) -> Path:
    """A project whose notebook declares ``group: Geo`` and ``regions: Geo``."""
    import nbformat

    make_project(root, f"runs:\n  - notebook: regions.ipynb\n    parameters: {parameters}\n")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(REGIONS_CELL)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("open('ran', 'w').write('yes')")]
    nbformat.write(nb, root / "notebooks" / "regions.ipynb")
    return root


@pytest.mark.parametrize(
    ("parameters", "needle"),
    [
        ("{group: NARNIA}", "parameter 'group': unknown geography code 'NARNIA'"),
        ("{regions: ['TIP:XX']}", "parameter 'regions': unknown geography code 'TIP:XX'"),
        (
            "{regions: [OSCE, 'UN:NARNIA']}",
            "parameter 'regions': unknown geography code 'UN:NARNIA'",
        ),
    ],
)
def test_a_geography_is_checked_by_its_type_not_its_name(
    tmp_path: Path, parameters: str, needle: str
) -> None:
    root = _regions_notebook(tmp_path / "p", parameters)
    refused(root, needle, "nothing was run")
    assert not (root / "notebooks" / "ran").exists() and not (root / "ran").exists()


def test_the_real_notebooks_take_one_geography_parameter(tmp_path: Path) -> None:
    """``geo`` everywhere: the old names are unknown parameters, refused before any run."""
    root = tmp_path / "p"
    make_project(root, "runs:\n  - notebook: attrition.ipynb\n    parameters: {group: OSCE}\n")
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        (root / "notebooks" / nb.name).write_bytes(nb.read_bytes())
    refused(root, "unknown parameter 'group'")


def test_every_geography_parameter_of_the_notebooks_is_declared() -> None:
    """Each notebook parameter whose default is a geography code is declared ``Geo`` and named
    ``geo``."""
    from thbstats import geo
    from thbstats.pipeline import params

    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        defaults = params.notebook_parameters(nb) or {}
        declared = params.geo_parameters(nb)
        for name, default in defaults.items():
            if isinstance(default, str) and geo.is_known(default):
                assert name in declared, f"{nb.name}: {name} = {default!r} is not declared Geo"
        assert declared <= {"geo"}, (nb.name, declared)
        for name in declared:
            value = defaults[name]
            codes = [value] if isinstance(value, str) else value
            assert all(geo.is_known(c) for c in codes), (nb.name, name)
