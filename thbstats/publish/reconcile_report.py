"""`thbstats reconcile`: the reconciliation of UNODC with the second publishers, as files a
briefing writer can use: figures/reconcile/ holds the table of every comparison, how often each
pair agrees within 10%, the States where they never do, the figures still to review, and one chart
per State with narrative figures."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from thbstats import paths
from thbstats.analysis.metrics.select import has_flag
from thbstats.analysis.reconcile import never_agree, reconcile, second_figures, summary
from thbstats.atomic import write_text_atomic
from thbstats.csv_out import write_csv
from thbstats.publish.markdown_text import md_text

OUT = "reconcile"


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def summary_markdown(
    table: pd.DataFrame, stats: pd.DataFrame, never: pd.DataFrame, periods: int = 0
) -> str:
    """The summary as Markdown: agreement by pair and stage, and the States that never agree;
    ``periods``: narrative figures of a reporting period (April to March), never compared."""
    lines = [
        "# Two publishers, one figure: UNODC, the TIP Report's narratives, the Commission",
        "",
        f"{len(table):,} comparisons of one State, stage and period printed by two publishers "
        f"({table['geo'].nunique()} States); {int(table['same_unit'].sum()):,} in the same unit "
        "are scored: two figures agree when they differ by at most 10% of the larger (bounds "
        'of a "<5" kept). Comparisons in different units (cases against persons) are listed '
        "in reconcile.csv, never scored. "
        + (
            f"{periods:,} narrative figures name no calendar year (they cover the report's "
            "April-to-March reporting period) and are set against no UNODC year."
            if periods
            else ""
        ),
        "",
        "| first | second | stage | compared | within 10% | share | States | other unit |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in stats.itertuples():
        lines.append(
            f"| {r.first} | {r.second} | {r.stage} | {r.compared} | {r.within_10pct} | "
            f"{_percent(r.within_10pct, r.compared)} | {r.states} | {r.other_unit} |"
        )
    lines += ["", "## States whose figures never agree within 10%", ""]
    if never.empty:
        lines.append("None: every State with a scored comparison agrees at least once.")
    for r in never.itertuples():
        n = f"{r.compared} comparison{'s' if r.compared != 1 else ''}"
        lines.append(f"- {md_text(r.geo_name)} ({r.geo}): {n}, none within 10%")
    lines += [
        "",
        "Files: reconcile.csv (every comparison, with both citations), summary.csv, "
        "never_agree.csv, review.csv (narrative figures not read alike by two readers: not in "
        "the table), reconcile-<state>.png/svg (one chart per State).",
    ]
    return "\n".join(lines) + "\n"


def write(df: pd.DataFrame, only: list[str] | None = None, log=print) -> dict[str, int]:
    """Write figures/reconcile/ from the table ``df``; return counts of what was written."""
    from thbstats.publish.charts.reconcile import reconcile_chart
    from thbstats.publish.export import export

    out = paths.output_dir(None) / OUT
    out.mkdir(parents=True, exist_ok=True)
    words_file = paths.processed_dir() / "second_voice_words.csv"
    words = (
        pd.read_csv(words_file, dtype=str, keep_default_na=False) if words_file.is_file() else None
    )
    table = reconcile(df, words)
    stats, never = summary(table), never_agree(table)
    write_csv(out / "reconcile.csv", table)
    write_csv(out / "summary.csv", stats)
    write_csv(out / "never_agree.csv", never)
    review = paths.processed_dir() / "second_voice_review.csv"
    if review.is_file():
        write_text_atomic(out / "review.csv", review.read_text(encoding="utf-8"))
    periods = int(has_flag(df["flag"], "reporting_period").sum())
    write_text_atomic(out / "summary.md", summary_markdown(table, stats, never, periods))
    second = second_figures(df)
    states = sorted(set(second.loc[second["source"] == "TIP", "geo"]))
    if only:
        states = [s for s in states if s in only]
    for geo in states:
        export(reconcile_chart(df, geo), out)
    scored = table[table["same_unit"]]
    log(
        f"reconcile: {len(table):,} comparisons ({len(scored):,} scored, "
        f"{int(scored['within_10pct'].sum()):,} within 10%), {len(states)} State charts, "
        f"{len(never)} States never within 10%; {Path('figures') / OUT}/summary.md"
    )
    return {"comparisons": len(table), "charts": len(states)}


def main(args: argparse.Namespace) -> int:
    """Entry point of `thbstats reconcile`."""
    import thbstats

    only = [c.strip().upper() for c in (args.only or "").split(",") if c.strip()] or None
    write(thbstats.load(), only)
    return 0
