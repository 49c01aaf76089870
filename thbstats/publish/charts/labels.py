"""Labels at the ends of lines, nudged apart so none overlap (used by the line charts)."""

from __future__ import annotations


def end_labels(ax, labels: list[tuple[float, float, str, str]], gap_pt: float = 15.0) -> None:
    """Write labels at the right of line ends, nudged apart vertically so none overlap.

    ``labels``: (x, y, text, colour) in data coordinates.
    """
    if not labels:
        return
    from thbstats.publish.charts.sizes import pt

    gap_pt = pt(gap_pt)
    fig = ax.figure
    fig.draw_without_rendering()  # run the layout first (no pixels): positions below are final
    to_px = ax.transData.transform
    px_per_pt = fig.dpi / 72
    items = sorted((to_px((x, y))[1], x, y, t, c) for x, y, t, c in labels)
    placed: list[float] = []
    prev_lines = 1
    for ypx, _x, _y, text, _c in items:
        lines = text.count("\n") + 1
        need = gap_pt * px_per_pt * (lines + prev_lines) / 2
        placed.append(max(ypx, placed[-1] + need) if placed else ypx)
        prev_lines = lines
    for (ypx, x, y, text, colour), target in zip(items, placed, strict=True):
        label = ax.annotate(
            text,
            (x, y),
            xytext=(pt(8), (target - ypx) / px_per_pt),
            textcoords="offset points",
            va="center",
            fontsize=pt(10.5),
            color=colour,
            parse_math=False,  # a $ in a name prints as a dollar
        )
        label.set_in_layout(False)  # keep the layout that the positions were computed for
