"""The sizes a chart is drawn at, and the print-size rule its text keeps.

A chart is exported at its own width (up to a slide's) and read in a document at A4 text width,
scaled down to fit: every text must still measure at least ``MIN_PT`` there. A brief draws its
charts at the size it shows them (``drawn_at``): the figure gets the placed width and height,
its fonts the brief's scale, and the words around the body (title, subtitle, note, source) are
left to the brief, which sets them as its own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

WIDTH = {"column": 3.4, "text": 6.3, "slide": 9.0}
"""The size family, in inches: one A4 column, the A4 text width, a slide. Year-by-year bars are
drawn at text width (fonts at full size); the others at slide width, read at text width at 70%."""

MIN_PT = 7.0
"""The smallest text, in points, at the size a chart is placed."""

PLACED_WIDTH = WIDTH["text"]
"""An exported chart wider than this is read scaled down to it (a document's A4 text width)."""


def placed_scale(width_in: float) -> float:
    """The factor a chart ``width_in`` inches wide is scaled by at A4 text width (1 if narrower).

    >>> placed_scale(9.0), placed_scale(6.3), placed_scale(3.4)
    (0.7, 1.0, 1.0)
    """
    return min(1.0, PLACED_WIDTH / width_in)


@dataclass(frozen=True)
class Placement:
    """A chart drawn for one place: its size in inches and the factor on its font sizes."""

    width: float
    height: float
    scale: float = 0.75


_PLACEMENT: ContextVar[Placement | None] = ContextVar("thbstats_placement", default=None)


@contextmanager
def drawn_at(width: float, height: float, scale: float = 0.75) -> Iterator[Placement]:
    """Draw the charts made inside the block at ``width`` x ``height`` inches, fonts times
    ``scale``, without the words around the body (the caller sets them).

    >>> with drawn_at(3.4, 2.5) as p:
    ...     inside = pt(10.0), placement() == p
    >>> inside, pt(10.0), placement()
    ((7.5, True), 10.0, None)
    """
    p = Placement(width, height, scale)
    token = _PLACEMENT.set(p)
    try:
        yield p
    finally:
        _PLACEMENT.reset(token)


def placement() -> Placement | None:
    """The placement charts are being drawn for (None: the chart on its own, with its words)."""
    return _PLACEMENT.get()


def pt(size: float) -> float:
    """A font size (or an offset in points) as drawn in the current placement."""
    p = _PLACEMENT.get()
    return size * p.scale if p else size


SCALED_RC = (
    "font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
    "legend.fontsize", "lines.linewidth", "lines.markersize", "axes.linewidth", "grid.linewidth",
    "xtick.major.size", "ytick.major.size", "xtick.major.pad", "ytick.major.pad",
    "axes.labelpad", "axes.titlepad",
)  # fmt: skip


def scaled_rc(rc: dict) -> dict:
    """The house style's sizes times the current placement's scale (empty outside one)."""
    p = _PLACEMENT.get()
    if p is None:
        return {}
    return {k: float(rc[k]) * p.scale for k in SCALED_RC if isinstance(rc[k], int | float)}
