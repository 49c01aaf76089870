"""The options of `thbstats briefs`, kept apart from the briefs package so that building the
command line imports neither pandas nor matplotlib (every `thbstats` command builds it)."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of `thbstats briefs`."""
    p.add_argument(
        "--only",
        help="comma-separated codes: ISO3 of participating States, OSCE, EU27, TIP-EUR",
    )
    p.add_argument("--force", action="store_true", help="rewrite even the briefs up to date")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="list the briefs that would be written and why; write nothing",
    )
    p.add_argument(
        "--png", action="store_true", help="also write each brief's first page as <CODE>.png"
    )
    p.add_argument(
        "--ppi",
        type=float,
        default=110.0,
        help="pixels per inch of the --png picture (default 110; 96 is A4 at 100%% on a screen)",
    )
