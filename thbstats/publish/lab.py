"""What a notebook run by hand (in JupyterLab) does after its exports: rebuild the gallery.

``thbstats run`` rebuilds the gallery once, after all its runs; a notebook run in JupyterLab has
no such step, so its last cell calls :func:`refresh_gallery`, which rebuilds the gallery of the
folder the figures went to, unless the notebook is one run of ``thbstats run`` (which sets
``THBSTATS_RUN_ID``): parallel runs then leave it to the runner.
"""

from __future__ import annotations

import os
from pathlib import Path


def refresh_gallery(out_dir: str | Path | None = None) -> str:
    """Rebuild ``out_dir``'s gallery (default: the project's figures/) outside ``thbstats run``;
    say in words what happened."""
    from thbstats import paths
    from thbstats.publish import gallery, manifest

    out = paths.output_dir(out_dir)
    if os.environ.get("THBSTATS_RUN_ID"):
        return "The gallery is rebuilt by `thbstats run` once its runs are done."
    if not (out / manifest.MANIFEST).is_file():
        return f"No figure has been exported to {out} yet: no gallery to rebuild."
    page, _readme = gallery.build_gallery(out)
    n = len(manifest.read(out))
    return f"The gallery ({page.name} in the figures folder) lists {n} figure(s), these among them."
