"""A chart: its table, its model (:class:`~thbstats.publish.chartdata.spec.ChartSpec`, kept with
the table) and its figure, drawn on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from thbstats.publish.chartdata.common import META, caption, meta
from thbstats.publish.chartdata.spec import ChartSpec

LITERAL_TEXT = {"text.parse_math": False}
"""Text is printed as it is: a ``$`` in a name or a citation is a dollar, never mathtext."""


def _word(name: str) -> property:
    """A chart's ``name``, read from and written to its model (one place for its words)."""

    def get(self: Chart) -> Any:
        return getattr(self.spec, name)

    def put(self: Chart, value: Any) -> None:
        self.spec = replace(self.spec, **{name: value})

    return property(get, put, doc=f"The chart's {name} (its model's).")


class Chart:
    """A figure with what a briefing needs beside it (built with keywords only).

    ``draw(data) -> Figure`` makes the figure when it is first asked for (``chart.fig``); a
    chart may instead be given a finished ``fig``.

    >>> import thbstats as thb
    >>> from thbstats.publish.charts import funnel_chart
    >>> chart = funnel_chart(thb.load(), "ALB", 2018)
    >>> chart
    Chart(id='funnel-alb-2018', title='The impunity gap: Albania, 2018', rows=4)
    >>> chart.drawn, chart.citations
    (False, ['unodc-glotip-2025-04-14', 'walkfree-gsi-2018-data'])

    Its words are its table's model, so what the image prints and what the manifest says agree:

    >>> chart.title = "Albania, 2018"
    >>> chart.spec.kind, chart.data.attrs["chart"].title
    ('funnel', 'Albania, 2018')
    """

    def __init__(
        self,
        *,
        id: str,
        title: str,
        subtitle: str,
        source: str,
        alt: str,
        data: pd.DataFrame,
        note: str = "",
        citations: list[str] | None = None,
        params: dict[str, Any] | None = None,
        searched: list[str] | None = None,
        fig: Figure | None = None,
        draw: Callable[[pd.DataFrame], Figure] | None = None,
        png: bytes | None = None,
        kind: str = "",
    ) -> None:
        if fig is None and draw is None:
            raise ValueError("Chart: expected a figure (fig=) or a drawing function (draw=)")
        self.data, self.draw, self.png, self._fig = data, draw, png, fig
        self.spec = ChartSpec(
            id=id, kind=kind, title=title, subtitle=subtitle, note=note, alt=alt, source=source,
            citations=list(citations or []), searched=list(searched or []),
            params=dict(params or {}),
        )  # fmt: skip

    @classmethod
    def of(cls, table: pd.DataFrame, draw: Callable[[pd.DataFrame], Figure]) -> Chart:
        """The chart of a table made by a ``chartdata`` function, drawn by ``draw`` when needed:
        its words are the table's model (:class:`ChartSpec`), not a copy of them."""
        meta(table)  # a ValueError for a table without a chart model
        chart = cls.__new__(cls)
        chart.data, chart.draw, chart.png, chart._fig = table, draw, None, None
        return chart

    @property
    def spec(self) -> ChartSpec:
        """The chart's model, kept with its table (``data.attrs["chart"]``): the image is drawn
        from it, and the export and the manifest read it."""
        return meta(self.data)

    @spec.setter
    def spec(self, value: ChartSpec) -> None:
        self.data.attrs[META] = value

    id = _word("id")
    kind = _word("kind")
    title = _word("title")
    subtitle = _word("subtitle")
    note = _word("note")
    alt = _word("alt")
    source = _word("source")
    citations = _word("citations")
    params = _word("params")
    searched = _word("searched")

    @property
    def fig(self) -> Figure:
        """The figure, drawn from the table on first use."""
        if self._fig is None:
            with matplotlib.rc_context(LITERAL_TEXT):  # every text drawn prints a $ as it is
                self._fig = self.draw(self.data)
        return self._fig

    @fig.setter
    def fig(self, value: Figure) -> None:
        self._fig = value

    @property
    def drawn(self) -> bool:
        """Whether the figure exists yet (an export of an unchanged chart never draws it)."""
        return self._fig is not None

    @property
    def caption(self) -> str:
        """Title, subtitle and note as one caption line (each part ends with one full stop)."""
        return caption(self.title, self.subtitle, self.note)

    def __repr__(self) -> str:
        return f"Chart(id={self.id!r}, title={self.title!r}, rows={len(self.data)})"

    def _repr_png_(self) -> bytes:
        """Show the chart in a notebook (and in its HTML rendering), whatever the backend.

        After an export, the exported PNG is shown as it is (no second drawing).
        """
        if self.png is not None:
            return self.png
        import io

        buf = io.BytesIO()
        with matplotlib.rc_context(LITERAL_TEXT):
            self.fig.savefig(buf, format="png", dpi=110)
        return buf.getvalue()
