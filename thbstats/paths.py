"""Project paths, all derived from one root (cookiecutter-data-science habit)."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project root: $THBSTATS_ROOT, else the nearest folder above the cwd with data/raw/sources.yml."""
    env = os.environ.get("THBSTATS_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw" / "sources.yml").is_file():
            return folder
    return Path(__file__).resolve().parent.parent


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
