"""The two places where the runner calls other parts of thbstats, if they exist.

``thbstats.geo.is_known(code)`` checks geography parameters; ``thbstats.gallery`` rebuilds the
figure gallery after the runs. Both are optional: a missing module is skipped, not an error.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
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


def geo_checker() -> Callable[[str], bool] | None:
    """``thbstats.geo.is_known``, or None when thbstats.geo does not provide it (yet)."""
    module = _optional_module("thbstats.geo")
    is_known = getattr(module, "is_known", None)
    return is_known if callable(is_known) else None


def rebuild_gallery(root: Path) -> str | None:
    """Rebuild the figure gallery if ``thbstats.gallery`` exists; say what was done.

    The gallery function is called with ``root=`` when it accepts a root argument.
    """
    module = _optional_module("thbstats.gallery")
    func = next((getattr(module, n) for n in GALLERY_FUNCTIONS
                 if callable(getattr(module, n, None))), None)
    if func is None:
        return None
    params = inspect.signature(func).parameters
    result = func(root=root) if "root" in params else func()
    return f"gallery rebuilt ({result})" if result is not None else "gallery rebuilt"
