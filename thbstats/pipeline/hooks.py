"""The two places where the runner calls the rest of thbstats, by plain imports.

``thbstats.geo.is_known`` checks geography parameters against the group tables of the pipeline's
project; ``thbstats.publish.gallery.build_gallery`` rebuilds the figure gallery after the runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def geo_checker(root: Path) -> Callable[[str], bool]:
    """Whether a code is a country or a group of the project at ``root`` (data/raw/geo/)."""
    from thbstats import geo

    return lambda code: geo.is_known(code, root=root)


def rebuild_gallery(root: Path) -> str:
    """Rebuild the gallery of ``root/figures``; say what was written."""
    from thbstats.publish.gallery import build_gallery

    written = build_gallery(root / "figures") or ()
    shown = [os.path.relpath(p, root) if isinstance(p, str | Path) else str(p) for p in written]
    return "gallery rebuilt" + (f": {', '.join(shown)}" if shown else "")
