"""Text sizes as printed, read back from a PDF: the check behind the print-size rule.

Every text of a chart or a brief must measure at least ``MIN_PT`` points where it is placed: a
brief's page as it is; an exported chart at A4 text width (``sizes.placed_scale``). The sizes
are read from the PDF's content streams (font size times the text and transformation matrices,
forms included), so what is checked is the file a reader prints, not the drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thbstats.publish.charts.sizes import MIN_PT, placed_scale


@dataclass(frozen=True)
class Text:
    """One run of text in a PDF: its page (from 1), its size in points as printed, its words."""

    page: int
    size: float
    text: str


def _times(m: list[float], n: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f] (m applied first)."""
    a, b, c, d, e, f = m
    return [
        a * n[0] + b * n[2], a * n[1] + b * n[3],
        c * n[0] + d * n[2], c * n[1] + d * n[3],
        e * n[0] + f * n[2] + n[4], e * n[1] + f * n[3] + n[5],
    ]  # fmt: skip


def text_sizes(path: str | Path, scale: float = 1.0) -> list[Text]:
    """Every non-blank run of text in the PDF at ``path``, its size times ``scale`` (the factor
    the page is printed at); the height of a glyph box, so rotated text measures the same."""
    from pypdf import PdfReader

    found: list[Text] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):

        def visit(text, cm, tm, _font, size, number=number) -> None:
            if text.strip() and size:
                m = _times(list(tm), list(cm))
                height = size * (m[2] ** 2 + m[3] ** 2) ** 0.5
                found.append(Text(number, round(height * scale, 2), text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def page_width_in(path: str | Path) -> float:
    """The first page's width in inches (a chart's PDF: the figure's width)."""
    from pypdf import PdfReader

    return float(PdfReader(path).pages[0].mediabox.width) / 72


def chart_text_sizes(path: str | Path) -> list[Text]:
    """The texts of an exported chart's PDF at the size it is read: A4 text width, or its own
    width when narrower."""
    return text_sizes(path, placed_scale(page_width_in(path)))


def too_small(texts: list[Text], min_pt: float = MIN_PT) -> list[Text]:
    """The texts below ``min_pt`` points, smallest first.

    >>> too_small([Text(1, 6.5, "Source: ..."), Text(1, 8.0, "2022")])
    [Text(page=1, size=6.5, text='Source: ...')]
    """
    return sorted((t for t in texts if t.size < min_pt - 0.005), key=lambda t: t.size)
