"""The two places where the runner calls other parts of thbstats, if they exist.

``thbstats.geo.is_known(code)`` checks geography parameters; ``thbstats.gallery`` rebuilds the
figure gallery after the runs. Both are optional: a missing module is skipped, not an error.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

GALLERY_FUNCTIONS = ("build_gallery", "build")


def _optional_module(name: str) -> object | None:
    """Import ``name`` if it exists; errors raised inside an existing module propagate."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def geo_checker(root: Path) -> Callable[[str], bool] | None:
    """``thbstats.geo.is_known`` reading the group files of ``root``; None when it is missing.

    thbstats.geo finds its files through thbstats.paths (``$THBSTATS_ROOT``), so each call
    sets that variable to the pipeline's root for its duration. Every group, the UN regions
    included, is a committed table under data/raw/geo/: no code depends on a build.
    """
    module = _optional_module("thbstats.geo")
    is_known = getattr(module, "is_known", None)
    if not callable(is_known):
        return None

    def check(code: str) -> bool:
        with _env("THBSTATS_ROOT", str(root)):
            return bool(is_known(code))

    return check


def rebuild_gallery(root: Path) -> str | None:
    """Rebuild the figure gallery of ``root`` if ``thbstats.gallery`` exists; say what was done.

    The gallery function gets ``root=`` or ``out_dir=<root>/figures`` when it takes one, and
    runs with ``$THBSTATS_ROOT`` set to the root either way.
    """
    module = _optional_module("thbstats.gallery")
    func = next(
        (getattr(module, n) for n in GALLERY_FUNCTIONS if callable(getattr(module, n, None))), None
    )
    if func is None:
        return None
    accepts = inspect.signature(func).parameters
    kwargs = (
        {"root": root}
        if "root" in accepts
        else {"out_dir": root / "figures"}
        if "out_dir" in accepts
        else {}
    )
    with _env("THBSTATS_ROOT", str(root)):
        result = func(**kwargs)
    written = list(result) if isinstance(result, list | tuple) else [result] if result else []
    shown = [os.path.relpath(p, root) if isinstance(p, str | Path) else str(p) for p in written]
    return "gallery rebuilt" + (f": {', '.join(shown)}" if shown else "")


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the duration of a block."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
