"""Build the API reference from the docstrings with pdoc: a static site that works offline.

    python docs/build_api.py [OUTPUT]     # default build/docs; `make docs` (build_site.py) puts it
                                          # in build/docs/api/, beside the pages

Open OUTPUT/index.html (or OUTPUT/thbstats.html) in a browser; no server is needed. The site is
built, not committed.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["thbstats", "thbstats.geo", "thbstats.flags", "thbstats.numbers", "thbstats.analysis"]
"""The API a researcher uses: the package (its ``__all__`` limits its page to the public API), the
geography, the flags' and the number printer's rules, and every analysis module (listed by :func:`modules`)."""


def modules() -> list[str]:
    """MODULES and every module under ``thbstats.analysis``."""
    import pkgutil

    import thbstats.analysis

    walk = pkgutil.walk_packages(thbstats.analysis.__path__, "thbstats.analysis.")
    return MODULES + sorted(m.name for m in walk)


def swap_in(tmp: Path, output: Path) -> None:
    """Put the folder ``tmp`` in the place of ``output`` (the old one kept until the rename is
    done, then removed): a failed build leaves the previous site whole."""
    import shutil

    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    tmp.rename(output)
    shutil.rmtree(old, ignore_errors=True)


FOOTER = "thbstats API reference, generated from the docstrings by pdoc. See docs/cookbook.md."


def build(output: Path) -> Path:
    """Write the site into ``output``; returns its index page.

    The site is written into a folder beside ``output`` and renamed into place, so a failed build
    leaves the previous site whole.
    """
    import shutil

    import pdoc
    import pdoc.render

    import thbstats

    for name in getattr(thbstats, "_LAZY", {}):  # loaded on first use: resolve them for pdoc
        setattr(thbstats, name, getattr(thbstats, name))

    pdoc.render.configure(
        docformat="restructuredtext",
        footer_text=FOOTER,
        search=True,
        show_source=False,
        math=False,
        mermaid=False,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with warnings.catch_warnings():  # a package's spec already adds some of its submodules
        warnings.filterwarnings("ignore", message=".*has already been added", category=UserWarning)
        pdoc.pdoc(*modules(), output_directory=tmp)
    swap_in(tmp, output)
    return output / "index.html"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "build" / "docs"
    index = build(out)
    print(f"API reference: {index} (open it in a browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
