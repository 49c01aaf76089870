"""What every chart must carry (title, subtitle with coverage, a source line from citations, alt
text, plotted data, no jargon or file paths), checked by the chart tests of each folder."""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.text import Text

from thbstats.publish.charts.base import WIDTH


def texts(chart) -> str:
    return "\n".join(t.get_text() for t in chart.fig.findobj(Text))


def check_contract(chart) -> None:
    """Title, subtitle (with coverage), footer built from citations, alt text, plotted data."""
    assert chart.title and chart.subtitle and chart.alt
    assert any(w in chart.subtitle for w in ("countries", "figures as printed", "no figures"))
    assert chart.source.startswith("Source:")
    body = texts(chart)
    assert chart.title.split(":")[0] in body.replace("\n", " ")
    assert chart.source.split(",")[0] in body.replace("\n", " ")
    assert not chart.data.empty
    assert chart.fig.get_size_inches()[0] >= WIDTH["text"]
    caption = " ".join((chart.title, chart.subtitle, chart.note, chart.source))
    for jargon in ("flow / flow", "balanced panel", "figure(s)", "coverage:", "audit.csv"):
        assert jargon not in caption, (chart.id, jargon)
    assert not re.search(r"data/(processed|raw)|\w+/\w+\.(csv|parquet|yml)\b", caption), chart.id
    hollow = chart.data.get("flag", pd.Series(dtype=str)).fillna("").str.contains("secondary")
    assert ("Hollow markers" in caption) == (chart.id.startswith("trends") and hollow.any())
