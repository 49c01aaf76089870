"""Project paths, all derived from one root (cookiecutter-data-science habit)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT_VARIABLE = "THBSTATS_ROOT"
"""Environment variable naming the project root explicitly (a data folder kept elsewhere)."""

MARKERS = (Path("data") / "raw" / "sources.yml", Path("pyproject.toml"))
"""Files that mark a folder as a project root: the registered sources, or the project file."""


def find_root(start: str | os.PathLike[str]) -> Path | None:
    """The nearest folder at or above ``start`` holding a marker file (None if there is none).

    A kernel started in ``notebooks/`` (JupyterLab, ``thbstats run``) finds the project above it.
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in MARKERS):
            return folder
    return None


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The project root, the one place it is decided: $THBSTATS_ROOT, else the nearest folder
    at or above ``start`` (default: the working directory) with data/raw/sources.yml or
    pyproject.toml, else the folder this package is installed from."""
    env = os.environ.get(ROOT_VARIABLE)
    if env:
        return Path(env).resolve()
    return (
        find_root(Path.cwd() if start is None else start) or Path(__file__).resolve().parent.parent
    )


def raw_dir() -> Path:
    """Curated, cited figures transcribed from publications (committed)."""
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    """The built dataset (not committed)."""
    return project_root() / "data" / "processed"


def figures_dir() -> Path:
    """Exported figures and the gallery (built)."""
    return project_root() / "figures"


def output_dir(out_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where exports go: ``figures/`` of the project by default; a relative folder is taken
    from the project root, not from the current directory, so a notebook run from JupyterLab
    (working directory ``notebooks/``) and one run by ``thbstats run`` write to the same place.
    """
    if out_dir is None or str(out_dir) == "":
        return figures_dir()
    path = Path(out_dir).expanduser()
    return path if path.is_absolute() else project_root() / path


def downloads_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where official releases are looked for: --downloads, $THBSTATS_DOWNLOADS, or data/raw/downloads."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("THBSTATS_DOWNLOADS")
    if env:
        return Path(env).expanduser().resolve()
    return raw_dir() / "downloads"
