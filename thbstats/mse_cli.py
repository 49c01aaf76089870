"""`thbstats mse FILE`: the estimate, its interval, the model and the observed count.

Kept outside the thbstats.analysis.mse package so that building the command's parser imports nothing
heavy (numpy, scipy and pandas are imported only when `thbstats mse` runs)."""

from __future__ import annotations

import argparse
import json
import sys

from thbstats.numbers import number

METHODS = ("auto", "stepwise", "downhill", "exhaustive")  # thbstats.analysis.mse.methods.METHODS
TAILS = ("both", "upper")  # thbstats.analysis.mse.selection.TAILS


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `thbstats mse`."""
    p.add_argument(
        "file", help="list-overlap table: an .rda file or a CSV (0/1 list columns + a count)"
    )
    p.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="model selection; default auto, the reference implementation's default: the search "
        "over all models by BIC (exhaustive) for five lists or fewer, stepwise beyond",
    )
    p.add_argument(
        "--pthresh", type=float, default=0.02, help="stepwise p-value threshold (default 0.02)"
    )
    p.add_argument(
        "--tail",
        choices=TAILS,
        default="both",
        help="stepwise p-value of a pair's overlap: both (default, the reference's rule: the "
        "smaller tail, so unusually low overlaps count too) or upper (unusually high only)",
    )
    p.add_argument(
        "--maxorder",
        type=int,
        default=None,
        help="highest interaction order of the BIC searches (default as the reference: lists - 1 "
        "for downhill; for exhaustive 1, 2, 3, 3 for 2-5 lists and 2 beyond)",
    )
    p.add_argument(
        "--ntop",
        type=int,
        default=None,
        help="exhaustive: models, best by BIC, the bootstrap chooses among (default all for up "
        "to three lists, 20 for four, 100 beyond)",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="BCa interval from N resamples (default: none)",
    )
    p.add_argument("--seed", type=int, default=1234, help="bootstrap seed (default 1234)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


MAX_BOOTSTRAP = 20_000
"""Most resamples asked of one run (1,000 take seconds; the interval changes little beyond)."""


def option_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the options, in words, or None: checked before any file is read."""
    p = args.pthresh
    if not (p == p and 0 < p <= 1):  # p == p: not NaN
        return f"--pthresh: expected a p-value above 0 and at most 1, found {p}"
    if not 0 <= args.bootstrap <= MAX_BOOTSTRAP:
        return f"--bootstrap: expected 0 to {MAX_BOOTSTRAP:,} resamples, found {args.bootstrap:,}"
    for name in ("maxorder", "ntop"):
        v = getattr(args, name)
        if v is not None and v < 1:
            return f"--{name}: expected a whole number of at least 1, found {v}"
    return None


def main(args: argparse.Namespace) -> int:
    """Run the estimate; a model or table problem is an error naming what went wrong."""
    if problem := option_problem(args):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from thbstats.analysis import mse

    table = mse.read_table(args.file)
    try:
        res = mse.estimate(
            table,
            args.method,
            pthresh=args.pthresh,
            maxorder=args.maxorder,
            tail=args.tail,
            ntop=args.ntop,
            bootstrap=args.bootstrap,
            seed=args.seed,
        )
    except (mse.ModelError, ValueError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    out = res.as_dict() | {"file": str(args.file)}
    if args.json:
        print(json.dumps(out))
        return 0
    names = ", ".join(f"{i + 1}={n}" for i, n in enumerate(res.lists))
    print(f"{args.file}: {len(res.lists)} lists ({names})")
    print(f"observed   {res.observed:,}")
    print(
        f"estimate   {number(res.estimate)}  (dark figure {number(res.dark)}; ratio {res.ratio:.2f})"
    )
    if res.interval is not None:
        iv = res.interval
        failed = f", {iv.n_failed} failed" if iv.n_failed else ""
        print(
            f"interval   {number(iv.low)} - {number(iv.high)}  ({iv.level:.0%} BCa, {iv.n_boot} resamples, "
            f"seed {iv.seed}{failed})"
        )
    how = f"{res.method}, from auto" if args.method == "auto" else res.method
    print(f"model      {res.model}  ({how})")
    return 0
