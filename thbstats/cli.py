"""The `thbstats` command: data, fetch, claims, run (one line each in `thbstats --help`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from thbstats import __version__
from thbstats.errors import ThbError

COMMANDS = {
    "data": "build data/processed/ from every source (never with less)",
    "fetch": "download the registered official releases, verify their sha256",
    "claims": "check the concept note's figures against the dataset",
    "run": "run the notebooks of notebooks/pipeline.yml, export the figures",
}


def _data(args: argparse.Namespace) -> int:
    from thbstats import build, build_record, load, paths, releases

    downloads = paths.downloads_dir(args.downloads)
    if args.fetch:
        if releases.network_available():
            print(f"fetching missing releases into {downloads}")
            releases.fetch(downloads)
        else:
            print("offline: building from the releases already in the downloads folder")
    notice = build_record.missing_notice(downloads)
    if notice:
        print(f"warning: {notice}", flush=True)
    print(f"building the dataset (downloads folder: {downloads})")
    try:
        report = build.build(downloads, allow_shrink=args.allow_shrink)
    except build_record.DowngradeError as exc:
        print(f"thbstats data: {exc}", file=sys.stderr)
        return build_record.EXIT_REFUSED
    print(build.summary(report, load(vintage="all")))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.require_all and report.missing:
        print(
            f"error: {len(report.missing)} registered release(s) missing: {', '.join(report.missing)}",
            file=sys.stderr,
        )
        return 3
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from thbstats import paths, releases

    downloads = paths.downloads_dir(args.downloads)
    print(f"fetching registered releases into {downloads}")
    failures = releases.fetch(downloads, timeout=args.timeout)
    return 1 if failures else 0


def _claims(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thbstats import claims, paths

    outdir = Path(args.output) if args.output else paths.figures_dir() / "claims"
    table = claims.write_report(outdir)
    for claim, rows in table.groupby("claim", sort=False):
        print(f"{claim}:")
        for r in rows.itertuples():
            print(f"  {r.verdict:<18} {r.check:<24} {r.difference:<18} {r.evidence}")
    print(f"wrote {outdir / 'claims.md'}, claims.csv, sensitivity.csv")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `thbstats` command."""
    p = argparse.ArgumentParser(
        prog="thbstats",
        description="Trafficking in human beings statistics: cited data, notebooks, figures.",
        epilog="`thbstats COMMAND --help` describes a command's options.",
    )
    p.add_argument("--version", action="version", version=f"thbstats {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    d = sub.add_parser("data", help=COMMANDS["data"])
    d.add_argument(
        "--downloads",
        help="folder holding the official releases (default: $THBSTATS_DOWNLOADS "
        "or data/raw/downloads)",
    )
    d.add_argument(
        "--fetch", action="store_true", help="first download missing releases if the network allows"
    )
    d.add_argument(
        "--require-all", action="store_true", help="fail when a registered release is missing"
    )
    d.add_argument(
        "--allow-shrink",
        action="store_true",
        help="replace the earlier build even when this one has fewer releases or rows "
        "(without it: refuse, exit code 4, data/processed unchanged)",
    )
    d.set_defaults(func=_data)
    f = sub.add_parser("fetch", help=COMMANDS["fetch"])
    f.add_argument(
        "--downloads", help="target folder (default: $THBSTATS_DOWNLOADS or data/raw/downloads)"
    )
    f.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    f.set_defaults(func=_fetch)
    c = sub.add_parser("claims", help=COMMANDS["claims"])
    c.add_argument("--output", help="folder for claims.md/.csv (default figures/claims)")
    c.set_defaults(func=_claims)
    try:
        from thbstats import pipeline
    except ImportError:  # pragma: no cover - pipeline not available
        pipeline = None
    if pipeline is not None and hasattr(pipeline, "add_arguments"):
        r = sub.add_parser("run", help=COMMANDS["run"])
        pipeline.add_arguments(r)
        r.set_defaults(func=pipeline.main)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; print user errors without a traceback."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ThbError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
