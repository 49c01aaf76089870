"""Point and click through the table: the widgets of ``notebooks/explore.ipynb``.

:class:`Explorer` holds ipywidgets to choose a State, a group or a list of States, the years, the
stages, the source and its release, and the form of exploitation; the chart, the text saying what
its figures are, and the data table update on every change; a button exports the current view
like any other figure (``thbstats.publish.export``: images, CSV, XLSX, an entry in the manifest
of the project's ``figures/``) and rebuilds the gallery. Everything it shows is computed by
:mod:`thbstats.publish.explorer_view` from the current :attr:`Explorer.selection`, so a test can
set the widgets' values without a browser and read :attr:`Explorer.table`.

In a notebook cell, ``Explorer()`` shows the widgets, the chart, its text and the table; what a
view is called when exported:

    >>> from thbstats.publish.explorer_view import Selection, chart_id
    >>> chart_id(Selection(geo="ALB", start=2015, end=2022, stages=("prosecuted",)))
    'explore-alb-unodc-latest-all-p-2015-2022'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from thbstats.publish import explorer_view as view
from thbstats.publish.explorer_view import FORMS, LATEST, Selection
from thbstats.vocabulary import EXPLORER_GROUPS, EXPLORER_STAGES


def _where_options(df: pd.DataFrame) -> list[tuple[str, str]]:
    """Groups first, then every State with a figure, as (label, code)."""
    from thbstats import geo

    states = sorted(set(df.loc[df["geo_type"] == "country", "geo"]))
    labels = [(f"{geo.name(c)} ({c})", c) for c in states]
    return [(f"{geo.name(g)} ({g})", g) for g in EXPLORER_GROUPS] + sorted(labels)


class Explorer:
    """Widgets over the tidy table; :attr:`table` and :attr:`chart` follow their values.

    >>> import thbstats as thb
    >>> ex = Explorer(thb.load())
    >>> ex.where.value, ex.chart.id
    ('OSCE', 'explore-osce-unodc-latest-all-ipc-2015-2022')
    """

    def __init__(
        self,
        df: pd.DataFrame | None = None,
        selection: Selection | None = None,
        *,
        out_dir: str | Path | None = None,
    ) -> None:
        import ipywidgets as w

        import thbstats as thb

        self.df = thb.load(vintage="all") if df is None else df
        self.out_dir = out_dir
        sel = selection or Selection()
        sources = sorted(set(self.df["source"]))
        opts = _where_options(self.df)
        codes = [c for _, c in opts]
        states = [(label, c) for label, c in opts if c not in EXPLORER_GROUPS]
        style = {"description_width": "7em"}
        layout = w.Layout(width="34em")
        first = sel.geo if isinstance(sel.geo, str) and sel.geo in codes else "OSCE"
        chosen = () if isinstance(sel.geo, str) else tuple(sel.geo)
        self.where = w.Dropdown(
            options=opts, value=first, description="Where", style=style, layout=layout
        )
        self.states = w.SelectMultiple(
            options=states,
            value=chosen,
            rows=6,
            description="or States",
            style=style,
            layout=layout,
        )
        self.years = w.IntRangeSlider(
            value=(sel.start, sel.end),
            min=min(int(self.df["year_start"].min()), sel.start),
            max=max(int(self.df["year_end"].max()), sel.end),
            step=1,
            description="Years",
            style=style,
            layout=layout,
        )
        self.stages = w.SelectMultiple(
            options=list(EXPLORER_STAGES),
            value=sel.stages,
            rows=4,
            description="Stages",
            style=style,
            layout=layout,
        )
        self.source = w.Dropdown(
            options=sources, value=sel.source, description="Source", style=style
        )
        self.release = w.Dropdown(
            options=view.releases(self.df, sel.source),
            value=sel.release,
            description="Release",
            style=style,
            layout=layout,
        )
        self.form = w.Dropdown(options=list(FORMS), value=sel.form, description="Form", style=style)
        self.mode = w.ToggleButtons(
            options=[("balanced panel", "balanced"), ("all reporting", "all")],
            value=sel.mode,
            description="Countries",
            style=style,
        )
        self.export_button = w.Button(description="Export this view", icon="download")
        self.status = w.HTML()
        self.output = w.Output()
        self._chart = None
        self._table: pd.DataFrame | None = None
        self._error = ""
        self.source.observe(self._source_changed, names="value")
        for widget in (
            self.where,
            self.states,
            self.years,
            self.stages,
            self.release,
            self.form,
            self.mode,
        ):
            widget.observe(self._changed, names="value")
        self.export_button.on_click(lambda _b: self.export())
        controls = [
            self.where,
            self.states,
            self.years,
            self.stages,
            self.source,
            self.release,
            self.form,
            self.mode,
            w.HBox([self.export_button, self.status]),
        ]
        self.widget = w.VBox([*controls, self.output])

    @property
    def selection(self) -> Selection:
        """The view the widgets describe; a list of States, when some are chosen, wins over Where."""
        geo = tuple(self.states.value) if self.states.value else self.where.value
        start, end = self.years.value
        return Selection(
            geo=geo,
            start=int(start),
            end=int(end),
            stages=tuple(self.stages.value),
            source=self.source.value,
            release=self.release.value,
            form=self.form.value,
            mode=self.mode.value,
        )

    @property
    def table(self) -> pd.DataFrame:
        """The data table of the current view (one row per stage and year, bounds, coverage)."""
        if self._table is None:
            self._table = view.table(self.df, self.selection)
        return self._table

    @property
    def chart(self):
        """The chart of the current view (drawn on first use after a change)."""
        if self._chart is None:
            self._chart = view.chart(self.table, self.selection)
        return self._chart

    def describe(self) -> str:
        """Markdown saying what the current view's figures are."""
        from thbstats.publish.narrative_series import describe_series

        return describe_series(self.table, self.chart.title, self.selection.years)

    def markdown(self):
        """:meth:`describe` as ``IPython.display.Markdown``, for a notebook cell."""
        from IPython.display import Markdown

        return Markdown(self.describe())

    def export(self) -> dict[str, Any]:
        """Export the current view to the project's figures/ (or ``out_dir``); rebuild the gallery."""
        from thbstats.publish import export, gallery

        entry = export.export(self.chart, self.out_dir)
        gallery.build_gallery(self.out_dir)
        self.status.value = f"exported <code>{entry['id']}</code> (PNG, SVG, PDF, CSV, XLSX)"
        return entry

    def _source_changed(self, change: dict) -> None:
        self.release.options = view.releases(self.df, change["new"])
        self.release.value = LATEST
        self._changed(change)

    def _changed(self, _change: dict | None = None) -> None:
        self._chart = self._table = None
        self.status.value = ""
        if self._shown:
            self.render()

    _shown = False

    def render(self) -> None:
        """Put the current view into the output area: chart, text, table (or what is wrong).

        The outputs are set on the widget (``append_display_data``), not captured from the
        kernel's output, so rendering never depends on a front end being attached.
        """
        from IPython.display import Markdown

        try:
            items = [self.chart, Markdown(self.describe()), self.table]
        except ValueError as exc:  # a selection that cannot be drawn: say why
            items = [Markdown(f"**Cannot show this selection:** {exc}")]
        self.output.outputs = ()
        for item in items:
            self.output.append_display_data(item)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        self._shown = True
        self.render()
        display(self.widget)
