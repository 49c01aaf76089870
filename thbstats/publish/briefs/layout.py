"""The brief's page geometry, shared by the Typst template (passed in as data) and the charts
(drawn at the size the template shows them, so their text prints at the size it was set)."""

from __future__ import annotations

MM = 1 / 25.4  # inches
PAGE_WIDTH = 210 * MM  # A4
MARGIN_X = 16 * MM
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

CHART = (TEXT_WIDTH, 3.0, round(TEXT_WIDTH / 9.0, 3))
"""Funnel and trend: the text width by 3 inches, fonts scaled as the slide-wide chart would be
at this width (0.78: 11 pt ticks print at 8.6 pt), so the chart keeps its proportions."""

STRIP = (round(TEXT_WIDTH * 0.9, 3), 1.15)
"""The position strip: nine tenths of the text width."""

LAYOUT = {"margin_x_mm": 16}
"""What the template reads (the same numbers as above)."""


def chart_words(chart) -> dict[str, str]:
    """The words a brief sets around a chart drawn without them: subtitle, note, source, and
    the chart's alternative text (for the HTML brief)."""
    return {
        "subtitle": chart.subtitle,
        "note": chart.note,
        "source": chart.source,
        "alt": chart.alt,
    }


def caption_html(words: dict[str, str]) -> str:
    """A chart's words as an HTML figure caption (escaped)."""
    import html

    first = " ".join(w for w in (words["subtitle"] + ".", words["note"]) if w.strip("."))
    return f"<figcaption>{html.escape(first)}<br>{html.escape(words['source'])}</figcaption>"
