"""Read ``notebooks/pipeline.yml``: the runs of the pipeline, one per notebook and parameter set.

An entry may expand over a list (``foreach``), giving one run per item with its own run id,
for example ``country_profile[ALB]``. Lists are written inline, or named under ``lists:`` (inline,
read from a CSV column, or computed from the data by a query registered by name in
``thbstats.pipeline.lists``), so the file stays data, never code: nothing in it is imported or run.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thbstats import paths
from thbstats.errors import ThbError

DEFAULT_INPUTS = ("data/processed/thb_figures.parquet",)
ENTRY_KEYS = {"notebook", "name", "parameters", "foreach", "inputs"}
TOP_KEYS = {"runs", "lists", "inputs", "names"}
LIST_KEYS = {"csv", "column", "query"}
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
SAFE_RUN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.,:+=-]*(\[[A-Za-z0-9_.,:+=-]+\])?")


class ConfigError(ThbError):
    """pipeline.yml is malformed: the message names the file, the entry and what was expected."""


@dataclass(frozen=True)
class Run:
    """One notebook execution: a notebook, its parameters and the input files it depends on."""

    run_id: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[Path, ...] = ()
    list_names: dict[str, str] = field(default_factory=dict)  # a list parameter's file name


@dataclass(frozen=True)
class Pipeline:
    """The runs of one pipeline.yml, in file order, with the project root they run in."""

    path: Path
    root: Path
    runs: list[Run]
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_pipeline(path: Path, root: Path) -> Pipeline:
    """Read and expand ``path``; notebooks are relative to its folder, inputs to ``root``."""
    import yaml  # ~10 ms; kept out of module import so `--help` stays instant

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (give --config or --root)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("runs"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'runs:' list")
    _no_unknown_keys(path, "top level", doc, TOP_KEYS)
    lists = {
        name: _resolve_list(path, root, name, spec)
        for name, spec in (doc.get("lists") or {}).items()
    }
    names = _names(path, doc.get("names") or {})
    default_inputs = _inputs(path, "top level", doc.get("inputs", list(DEFAULT_INPUTS)), root)
    runs: list[Run] = []
    for number, entry in enumerate(doc["runs"], start=1):
        runs.extend(_expand(path, root, number, entry, lists, default_inputs, names))
    seen: set[str] = set()
    for run in runs:
        if not SAFE_RUN_ID.fullmatch(run.run_id) or ".." in run.run_id:
            raise ConfigError(
                f"{path}: run id {run.run_id!r} is not safe as a file name; use "
                f"letters, digits and _ . , : + - = in names and foreach values"
            )
        if run.run_id in seen:
            raise ConfigError(f"{path}: run id {run.run_id!r} appears twice; give entries a 'name'")
        seen.add(run.run_id)
    return Pipeline(path=path, root=root, runs=runs, names=names)


def _names(path: Path, spec: Any) -> dict[str, tuple[str, ...]]:
    """``names:``: a name for each list of geography codes, used in run ids and figure files."""
    from thbstats.geokey import members

    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: names: expected a mapping of a name to a list of codes")
    names: dict[str, tuple[str, ...]] = {}
    for name, codes in spec.items():
        if not isinstance(name, str) or not SAFE_NAME.fullmatch(name):
            raise ConfigError(
                f"{path}: names: {name!r} is not safe as a file name; use letters, digits, _ and -"
            )
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{path}: names: {name}: expected a list of codes, found {codes!r}")
        same = [other for other, listed in names.items() if listed == members(codes)]
        if same:
            raise ConfigError(
                f"{path}: names: {name} and {same[0]} name the same codes "
                f"({', '.join(members(codes))}); keep one name per list"
            )
        names[name] = members(codes)
    return names


def _expand(
    path: Path,
    root: Path,
    number: int,
    entry: Any,
    lists: dict[str, list[Any]],
    default_inputs: tuple[Path, ...],
    names: dict[str, tuple[str, ...]],
) -> list[Run]:
    """Turn one entry of ``runs:`` into its runs (several when it has ``foreach``)."""
    where = f"runs entry {number}"
    if isinstance(entry, str):
        entry = {"notebook": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("notebook"), str):
        raise ConfigError(f"{path}: {where}: expected a mapping with 'notebook: <file>.ipynb'")
    _no_unknown_keys(path, where, entry, ENTRY_KEYS)
    notebook = (path.parent / entry["notebook"]).resolve()
    if not notebook.is_file():
        raise ConfigError(f"{path}: {where}: notebook {entry['notebook']!r} not found ({notebook})")
    kernel_root = paths.find_root(notebook.parent)
    if kernel_root != root.resolve():  # its kernel (cwd: the notebook's folder) finds this root
        raise ConfigError(
            f"{path}: {where}: notebook {entry['notebook']!r} is not inside the project "
            f"{root} (run in its folder, it would find the project {kernel_root}); keep the "
            "notebooks in the project's notebooks/ folder"
        )
    name = str(entry.get("name") or notebook.stem)
    params = entry.get("parameters") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{path}: {where} ({name}): 'parameters' must be a mapping")
    inputs = _inputs(path, where, entry["inputs"], root) if "inputs" in entry else default_inputs
    foreach = entry.get("foreach")
    if foreach is None:
        return [_run(name, notebook, dict(params), inputs, names)]
    if not isinstance(foreach, dict) or not foreach:
        raise ConfigError(f"{path}: {where} ({name}): 'foreach' must map a parameter to a list")
    axes = {
        key: _axis(path, f"{where} ({name})", key, value, lists) for key, value in foreach.items()
    }
    runs = []
    for combo in itertools.product(*axes.values()):
        item = dict(zip(axes, combo, strict=True))
        label = ",".join(_label(v, names) for v in combo)
        runs.append(_run(f"{name}[{label}]", notebook, {**params, **item}, inputs, names))
    return runs


def _run(
    run_id: str,
    notebook: Path,
    params: dict[str, Any],
    inputs: tuple[Path, ...],
    names: dict[str, tuple[str, ...]],
) -> Run:
    """A run, with the name each list of codes among its parameters has in file names."""
    listed = {
        key: _label(value, names)
        for key, value in params.items()
        if isinstance(value, list) and all(isinstance(v, str) for v in value)
    }
    return Run(run_id, notebook, params, inputs, listed)


def _label(value: Any, names: dict[str, tuple[str, ...]]) -> str:
    """A foreach item in a run id: a list of codes by its name (``thbstats.geokey``)."""
    from thbstats.geokey import geo_key

    if isinstance(value, list):
        return geo_key([str(v) for v in value], names)
    return str(value)


def _axis(path: Path, where: str, key: str, value: Any, lists: dict[str, list[Any]]) -> list[Any]:
    """The items of one ``foreach`` axis: an inline list or the name of a list under ``lists:``."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value in lists:
        return lists[value]
    known = ", ".join(sorted(lists)) or "none defined"
    raise ConfigError(
        f"{path}: {where}: foreach {key!r}: expected a list or the name of a list "
        f"under 'lists:' ({known}), found {value!r}"
    )


def _resolve_list(path: Path, root: Path, name: str, spec: Any) -> list[Any]:
    """A named list: inline, ``{csv: file, column: col}`` or ``{query: name}`` (a list computed by
    ``thbstats.pipeline.lists``); any other key is refused."""
    if isinstance(spec, list):
        return spec
    if isinstance(spec, dict):
        _no_unknown_keys(path, f"lists {name!r}", spec, LIST_KEYS)
    if isinstance(spec, dict) and "query" in spec and len(spec) == 1:
        from thbstats.pipeline import lists

        try:
            return lists.compute(str(spec["query"]), root)
        except (KeyError, lists.ListError) as exc:
            raise ConfigError(f"{path}: lists {name!r}: {exc.args[0]}") from None
    if isinstance(spec, dict) and "csv" in spec:
        file = root / spec["csv"]
        column = spec.get("column", "iso3")
        try:
            with file.open(encoding="utf-8", newline="") as handle:
                return [row[column] for row in csv.DictReader(handle) if row.get(column)]
        except (OSError, KeyError) as exc:
            raise ConfigError(
                f"{path}: lists {name!r}: cannot read column {column!r} of {file}: {exc}"
            ) from None
    raise ConfigError(
        f"{path}: lists {name!r}: expected a list, {{csv: file, column: name}} or "
        f"{{query: name}}, found {spec!r}"
    )


def _inputs(path: Path, where: str, value: Any, root: Path) -> tuple[Path, ...]:
    """Input files (relative to the project root) whose content decides whether a run is stale."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where}: 'inputs' must be a list of file paths")
    found: list[Path] = []
    for v in value:  # a pattern (data/raw/geo/*.csv): the files it matches, in order
        matches = sorted(root.glob(v)) if any(c in v for c in "*?[") else []
        found += matches or [root / v]
    return tuple(found)


def _no_unknown_keys(path: Path, where: str, mapping: dict[str, Any], allowed: set[str]) -> None:
    """Reject typos such as ``parameter:`` early, naming the allowed keys."""
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ConfigError(
            f"{path}: {where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"expected {', '.join(sorted(allowed))}"
        )
