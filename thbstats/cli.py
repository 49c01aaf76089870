"""The `thbstats` command: data, fetch, register, claims, revisions, mse, briefs, reconcile, run (one
line each in
`thbstats --help`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from thbstats import __version__
from thbstats.errors import ThbError, one_line, os_refusal

COMMANDS = {
    "data": "build data/processed/ from every source (never with less)",
    "fetch": "download the registered releases (mirrors first), verify sha256",
    "register": "describe a new release file in data/raw/sources.yml",
    "claims": "check published claims against the dataset",
    "revisions": "compare two releases of one source: what changed",
    "mse": "estimate the dark figure from list overlaps (MSE)",
    "briefs": "write one brief per participating State (PDF and HTML)",
    "reconcile": "set UNODC beside the TIP Report's country narratives",
    "run": "run the notebooks of notebooks/pipeline.yml, export the figures",
}


def _data(args: argparse.Namespace) -> int:
    from thbstats import load, paths
    from thbstats.ingest import build, build_record, releases

    downloads = paths.downloads_dir(args.downloads)
    if args.fetch:
        from thbstats.ingest.fetch import fetch
        from thbstats.ingest.mirror import mirrors

        online = releases.network_available()
        print(
            f"fetching missing releases into {downloads}"
            if online
            else "offline: building from the releases already in the downloads folder "
            "(and the mirrors, if any)"
        )
        fetch(downloads, mirrors=mirrors(args.mirror), offline=not online)
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
    from thbstats import paths
    from thbstats.ingest.fetch import fetch
    from thbstats.ingest.mirror import mirrors

    downloads = paths.downloads_dir(args.downloads)
    chosen = mirrors(args.mirror)
    print(f"fetching registered releases into {downloads}")
    for m in chosen:
        print(f"  mirror  {m.spec} (tried first)")
    return fetch(
        downloads, mirrors=chosen, timeout=args.timeout, look_for_new=not args.registered_only
    )


def _register(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thbstats.ingest import register

    key, text = register.register(
        Path(args.file), key=args.key, urls=args.url or [], dry_run=args.dry_run
    )
    print(text, end="")
    print(
        f"{'would register' if args.dry_run else 'registered'} {key} in {register.sources_file()}"
    )
    return 0


def _claims(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thbstats import paths
    from thbstats.publish import claims_report

    outdir = Path(args.output) if args.output else paths.figures_dir() / "claims"
    table = claims_report.write_report(outdir)
    for claim, rows in table.groupby("claim", sort=False):
        print(f"{claim}:")
        for r in rows.itertuples():
            print(f"  {r.verdict:<18} {r.check:<24} {r.difference:<18} {r.evidence}")
    print(f"wrote {outdir / 'claims.md'}, claims.csv, sensitivity.csv, claims_sensitivity.csv")
    return 0


def _revisions(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thbstats import paths
    from thbstats.analysis import revisions
    from thbstats.publish import revisions_report

    try:
        rev = revisions.compare(source=args.source, old=args.old, new=args.new)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    outdir = Path(args.output) if args.output else paths.figures_dir() / "revisions"
    print(revisions_report.summary_text(rev))
    written = revisions_report.write_report(rev, outdir)
    print(f"\nwrote {len(written)} files to {outdir}: {', '.join(p.name for p in written)}")
    return 0


MIRROR_HELP = (
    "an institution's copy, tried before the public addresses: a URL prefix (files by their "
    "registered name) or a folder (files by sha256, any name); repeatable (default: "
    "$THBSTATS_MIRROR)"
)


class _Help(argparse.HelpFormatter):
    """Room for the longest command name (argparse leaves the commands' indent out)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog)
        self._action_max_length = 4 + max(map(len, COMMANDS))


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `thbstats` command."""
    p = argparse.ArgumentParser(
        prog="thbstats",
        formatter_class=_Help,
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
    d.add_argument("--mirror", action="append", help=MIRROR_HELP)
    d.set_defaults(func=_data)
    f = sub.add_parser(
        "fetch",
        help=COMMANDS["fetch"],
        description="Download the registered official releases (mirrors first, then each "
        "registered address), verify their sha256, keep a new release the publisher serves.",
    )
    f.add_argument(
        "--downloads", help="target folder (default: $THBSTATS_DOWNLOADS or data/raw/downloads)"
    )
    f.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    f.add_argument("--mirror", action="append", help=MIRROR_HELP)
    f.add_argument(
        "--registered-only",
        action="store_true",
        help="only fetch missing registered releases; do not check the publishers' addresses "
        "for a new release",
    )
    f.set_defaults(func=_fetch)
    g = sub.add_parser("register", help=COMMANDS["register"])
    g.add_argument("file", help="the release file (e.g. the one `thbstats fetch` kept)")
    g.add_argument("--key", help="citation key (default: from the file, e.g. unodc-glotip-DATE)")
    g.add_argument(
        "--url",
        action="append",
        help="a pinned address of this file (a fixed commit, an archive snapshot); repeatable. "
        "The publisher's address is taken from the previous release",
    )
    g.add_argument("--dry-run", action="store_true", help="print the entry, write nothing")
    g.set_defaults(func=_register)
    c = sub.add_parser(
        "claims",
        help=COMMANDS["claims"],
        description="Check published claims (concept note, UNODC Global Reports) against the "
        "dataset.",
    )
    c.add_argument("--output", help="folder for claims.md/.csv (default figures/claims)")
    c.set_defaults(func=_claims)
    v = sub.add_parser("revisions", help=COMMANDS["revisions"])
    v.add_argument("--source", default="UNODC", help="source family (default UNODC)")
    v.add_argument("--old", help="older publication (default: the second newest release)")
    v.add_argument("--new", help="newer publication (default: the newest release)")
    v.add_argument("--output", help="folder for the CSV and XLSX files (default figures/revisions)")
    v.set_defaults(func=_revisions)
    from thbstats import mse_cli as mse_command

    m = sub.add_parser("mse", help=COMMANDS["mse"])
    mse_command.add_arguments(m)
    m.set_defaults(func=mse_command.main)
    from thbstats.publish import briefs_options

    b = sub.add_parser("briefs", help=COMMANDS["briefs"])
    briefs_options.add_arguments(b)
    b.set_defaults(func=_briefs)
    rc = sub.add_parser("reconcile", help=COMMANDS["reconcile"])
    rc.add_argument("--only", help="comma-separated ISO3 codes: charts of these States only")
    rc.set_defaults(func=_reconcile)
    try:
        from thbstats import pipeline
    except ImportError:  # pragma: no cover - pipeline not available
        pipeline = None
    if pipeline is not None and hasattr(pipeline, "add_arguments"):
        r = sub.add_parser("run", help=COMMANDS["run"])
        pipeline.add_arguments(r)
        r.set_defaults(func=pipeline.main)
    return p


def _briefs(args: argparse.Namespace) -> int:
    """`thbstats briefs` (the briefs package imports pandas and matplotlib: only when run)."""
    from thbstats.publish.briefs import cli as briefs_command

    return briefs_command.main(args)


def _reconcile(args: argparse.Namespace) -> int:
    """`thbstats reconcile` (imports pandas and matplotlib: only when run)."""
    from thbstats.publish import reconcile_report

    return reconcile_report.main(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; print user errors without a traceback."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ThbError as exc:
        print(f"error: {one_line(str(exc), keep=chr(10))}", file=sys.stderr)  # lines listed
        return 2
    except OSError as exc:  # read-only folder, full disk, permission: one line, no traceback
        print(f"error: {os_refusal(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
