"""A chart's model: what it shows and says, beside its table (``table.attrs["chart"]``).

Made once, by the chart-data function (:func:`thbstats.publish.chartdata.common.finish_table`);
the drawing, the export, the manifest and the narrative read this one object, so the words under
an image and the words of its manifest entry cannot differ.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChartSpec:
    """What a chart is: its id and kind, its words, what it cites and where it looked, its
    parameters, and what only the drawing needs (``draw``; its ``empty`` is the "no data" reason).

    >>> spec = ChartSpec(id="funnel-alb-2018", kind="funnel", title="The impunity gap",
    ...                  params={"geo": "ALB", "year": 2018})
    >>> spec.kind, spec.geography, spec.empty
    ('funnel', 'ALB', '')
    """

    id: str
    kind: str
    title: str
    subtitle: str = ""
    note: str = ""
    alt: str = ""
    source: str = ""
    citations: list[str] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    draw: dict[str, Any] = field(default_factory=dict)

    @property
    def geography(self) -> Any:
        """The geography parameter (a code or a list of codes), None when the chart has none."""
        return self.params.get("geo")

    @property
    def empty(self) -> str:
        """Why the chart shows no data ("" when it shows some)."""
        return str(self.draw.get("empty") or "")

    def as_dict(self) -> dict[str, Any]:
        """The spec as plain data (a JSON-ready copy)."""
        return asdict(self)
