"""Fixtures for the metrics, charts, export and gallery tests (imported by those test files).

``tidy_sample`` is a small hand-made tidy table whose sums and ratios are computed by hand in
tests/test_metrics.py; ``real_table`` is the processed dataset, skipped when it is not built.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thbstats import schema

UNODC, OLD = "UNODC GLOTIP data 2025-04-14", "UNODC GLOTIP data 2023-05-30"
SUP = "suppressed_lt5"


def _row(source, pub, geo, year, stage, value, flag="", citation="", form="all", unit="persons"):
    gt = "country" if len(geo) == 3 else "region"
    return {
        "source": source,
        "publication": pub,
        "geo": geo,
        "geo_name": geo,
        "geo_type": gt,
        "year_start": year,
        "year_end": year,
        "stage": stage,
        "form": form,
        "sex": "all",
        "age": "all",
        "value": value,
        "unit": unit,
        "flag": flag,
        "citation": citation,
    }


def sample_rows() -> list[dict]:
    """Hand-made figures: three countries (UNODC), Europe (TIP), estimates and populations."""
    u = lambda geo, y, st, v, flag="": _row(  # noqa: E731
        "UNODC",
        UNODC,
        geo,
        y,
        st,
        v,
        flag,  # noqa: E731
        "unodc-glotip-2025-04-14",
    )
    tip = lambda pub, y, st, v, flag="", key="tip-2017-regional-law-enforcement": _row(  # noqa: E731
        "TIP", pub, "TIP:EUR", y, st, v, flag, key
    )
    wf = lambda geo, st, v, form, unit="persons": _row(  # noqa: E731
        "WALKFREE",
        "Global Slavery Index 2023",
        geo,
        2021,
        st,
        v,
        "",
        "walkfree-gsi-2023-data",
        form,
        unit,
    )
    return [
        u("ALB", 2015, "identified", 100),
        u("ALB", 2016, "identified", 120),
        u("ALB", 2017, "identified", 150),
        _row("UNODC", OLD, "ALB", 2015, "identified", 90, "", "unodc-glotip-2023-05-30"),
        u("AUT", 2015, "identified", 200),
        u("AUT", 2017, "identified", 260),
        u("BEL", 2015, "identified", 50),
        u("BEL", 2016, "identified", 60),
        u("BEL", 2017, "identified", None, SUP),
        u("ALB", 2015, "convicted", 10),
        u("ALB", 2016, "convicted", 12),
        u("ALB", 2017, "convicted", 15),
        u("AUT", 2015, "convicted", 20),
        u("AUT", 2016, "convicted", 25),
        u("AUT", 2017, "convicted", 30),
        u("BEL", 2015, "convicted", None, SUP),
        u("BEL", 2016, "convicted", 5),
        u("BEL", 2017, "convicted", 6),
        tip("TIP Report 2016", 2015, "identified", 1000, "", "tip-2008-global-law-enforcement"),
        tip("TIP Report 2017", 2015, "identified", 1100),
        tip("TIP Report 2017", 2015, "identified", 999, "secondary_source;alternative"),
        tip("TIP Report 2017", 2015, "prosecuted", 400),
        tip("TIP Report 2017", 2015, "convicted", 300),
        tip("TIP Report 2019", 2018, "identified", 1510),
        tip("TIP Report 2019", 2018, "prosecuted", 192),
        tip("TIP Report 2019", 2018, "convicted", 240),
        wf("ALB", "estimated", 10000, "modern_slavery"),
        wf("AUT", "estimated", 20000, "modern_slavery"),
        wf("ALB", "population", 2_800_000, "all"),
        wf("AUT", "population", 9_000_000, "all"),
        wf("BEL", "population", 11_500_000, "all"),
    ]


@pytest.fixture
def tidy_sample() -> pd.DataFrame:
    """The hand-made tidy table, in the schema's columns and dtypes."""
    return schema.coerce(pd.DataFrame(sample_rows()))


@pytest.fixture(scope="session")
def real_table(official_dataset: pd.DataFrame) -> pd.DataFrame:
    """The processed dataset, built from every official release (skips, or fails in CI, without them)."""
    return official_dataset


def drawn(fig):
    """Draw ``fig`` on an Agg canvas (no pyplot) and return its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _marks(ax, renderer) -> list[tuple[str, object]]:
    """Display-space boxes of the plotted marks of ``ax``: markers (as squares of their size),
    bars and scatter dots."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox

    px = ax.figure.dpi / 72
    out = []
    for line in ax.lines:
        if not line.get_visible() or line.get_marker() in (None, "None", "", " ", "|", "_"):
            continue
        half = line.get_markersize() * px / 2
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        for x, y in xy[np.isfinite(xy).all(axis=1)]:
            out.append(
                (
                    f"marker of {line.get_label()!r}",
                    Bbox.from_extents(x - half, y - half, x + half, y + half),
                )
            )
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible():
            box = patch.get_window_extent(renderer)
            if box.width > 0.5 and box.height > 0.5:
                out.append(("bar", box))
    for coll in ax.collections:
        if isinstance(coll, PathCollection):
            half = 4 * px
            for x, y in coll.get_offset_transform().transform(coll.get_offsets()):
                out.append(("dot", Bbox.from_extents(x - half, y - half, x + half, y + half)))
    return out


def text_overlaps(fig) -> list[str]:
    """Every text (titles, notes, labels, annotations) and legend whose drawn box overlaps a
    plotted marker, bar or dot: each as "text -> mark"."""
    renderer = drawn(fig)
    texts = [(t.get_text(), t) for t in fig.texts if t.get_text()]
    for ax in fig.axes:
        texts += [(t.get_text(), t) for t in ax.texts if t.get_text() and t.get_visible()]
        if ax.get_legend() is not None:
            texts.append(("legend", ax.get_legend()))
    found = []
    for ax in fig.axes:
        marks = _marks(ax, renderer)
        for name, artist in texts:
            if artist in ax.texts and ax.get_legend() is not None:  # a label under the legend
                legend = ax.get_legend().get_window_extent(renderer)
                if artist.get_window_extent(renderer).padded(-0.5).overlaps(legend):
                    found.append(f"{name[:40]!r} -> legend")
            box = artist.get_window_extent(renderer).padded(-0.5)
            for kind, mark in marks:
                if box.overlaps(mark):
                    found.append(f"{name[:40]!r} -> {kind} at {mark.bounds}")
                    break
    return found
