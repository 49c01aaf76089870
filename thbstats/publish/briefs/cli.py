"""`thbstats briefs`: the ranking and dark-figure exports, then one brief per State and group."""

from __future__ import annotations

import argparse
import json

from thbstats import paths
from thbstats.atomic import write_text_atomic
from thbstats.publish.briefs_options import add_arguments
from thbstats.vocabulary import JUSTICE_STAGES

__all__ = ["add_arguments", "export_tables", "has_flows", "main"]


NO_FLOWS = (
    "briefs: the table has no UNODC country figures (the UNODC release is missing from the "
    "downloads folder: see `thbstats data`); no brief written, earlier briefs kept"
)


def has_flows(df) -> bool:
    """The table holds UNODC country figures: the ranking and the briefs are made from them."""
    unodc = df[(df["source"] == "UNODC") & (df["geo_type"] == "country")]
    return bool(unodc["stage"].isin(JUSTICE_STAGES).any())


def export_tables(df, *, force: bool = False) -> bool:
    """Export the ranking (figures/ranking/) and the dark-figure chart (figures/dark_figure/)
    when the tables they draw or the code changed (the release names left out: a new release
    that repeats the ranking years' figures leaves them alone); returns True when written."""
    from thbstats.analysis.dark_figure import dark_figure
    from thbstats.analysis.impunity import ranking
    from thbstats.publish.briefs.slice import tables_digest
    from thbstats.publish.charts.dark_figure import dark_figure_chart
    from thbstats.publish.charts.ranking import ranking_chart
    from thbstats.publish.export import export

    stamp = paths.output_dir(None) / "ranking" / ".inputs.json"
    digest = tables_digest(
        [ranking(df), ranking(df, rank_by="estimated_per_conviction"), dark_figure(df)]
    )
    if not force and stamp.is_file() and json.loads(stamp.read_text()).get("hash") == digest:
        return False
    export(ranking_chart(df), "figures/ranking")
    export(ranking_chart(df, rank_by="estimated_per_conviction"), "figures/ranking")
    export(dark_figure_chart(df), "figures/dark_figure")
    write_text_atomic(stamp, json.dumps({"hash": digest}))
    return True


def main(args: argparse.Namespace) -> int:
    """Write what is out of date; print what was written and skipped, and the time taken."""
    import thbstats
    from thbstats.publish.briefs.build import build

    df = thbstats.load()
    if not has_flows(df):
        print(NO_FLOWS)
        return 0
    only = [c for c in (args.only or "").split(",") if c.strip()] or None
    if args.dry_run:
        return _dry_run(df, only, args)
    if only is None:
        wrote = export_tables(df, force=args.force)
        print(f"ranking and dark figure: {'written' if wrote else 'up to date, skipped'}")
    try:
        result = build(
            df, only=only, force=args.force, png=args.png, ppi=args.ppi, history=_history()
        )
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    print(
        f"briefs: {len(result['written'])} written, {len(result['skipped'])} up to date "
        f"(skipped), {result['seconds']:.1f} s; figures/briefs/index.json"
    )
    redone = [f"{c} ({why})" for c, why in result["why"].items() if why != "not written yet"]
    if redone:
        print("rewritten: " + ", ".join(redone))
    if result["written"] or only is None:
        from thbstats.publish.gallery import build_gallery

        build_gallery()  # the site links the briefs, the ranking and the dark figure
        print("gallery rebuilt: figures/index.html")
    return 0


def _history():
    """The processed table's figures with the release that first printed each."""
    from thbstats import origins

    return origins.read_with_origin(paths.processed_dir() / "thb_figures.parquet")


def _dry_run(df, only: list[str] | None, args: argparse.Namespace) -> int:
    """Print the briefs that would be written (and why) and those up to date; write nothing."""
    from thbstats.publish.briefs.build import build

    try:
        result = build(
            df, only=only, force=args.force, png=args.png, ppi=args.ppi, history=_history(),
            dry_run=True,
        )  # fmt: skip
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    for code, why in result["why"].items():
        print(f"would write {code}  ({why})")
    print(f"briefs: {len(result['why'])} would be written, {len(result['skipped'])} up to date")
    return 0
