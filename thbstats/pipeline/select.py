"""``--only``: pick runs by exact id, shell-style pattern or geography code.

``*`` matches any text and ``?`` one character; every other character is literal, brackets
included, so ``country_profile[D*]`` and ``*[DEU]`` mean what they say (fnmatch would read
``[...]`` as a character class). A plain code such as ``DEU`` also picks the runs whose foreach
label or geography parameter is that code. No match: an error suggesting the closest run ids.
"""

from __future__ import annotations

import difflib
import re

from thbstats.errors import ThbError

from .config import Run
from .params import geo_values


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a shell-style pattern whose only wildcards are ``*`` and ``?``."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def codes_of(run: Run) -> set[str]:
    """The foreach label items of a run id (``[ALB]``, ``[OSCE,2015]``) and its geo parameters."""
    codes: set[str] = set()
    if run.run_id.endswith("]") and "[" in run.run_id:
        codes.update(run.run_id[run.run_id.index("[") + 1 : -1].split(","))
    codes.update(geo_values(run))
    return codes


def matches(run: Run, pattern: str) -> bool:
    """Whether ``pattern`` picks ``run``: its id, a pattern over ids, or one of its codes."""
    if run.run_id == pattern or pattern in codes_of(run):
        return True
    return ("*" in pattern or "?" in pattern) and bool(pattern_regex(pattern).fullmatch(run.run_id))


def select_runs(runs: list[Run], patterns: list[str] | None) -> list[Run]:
    """Runs picked by any of the ``--only`` patterns (every run without patterns)."""
    if not patterns:
        return runs
    chosen = [r for r in runs if any(matches(r, p) for p in patterns)]
    if chosen:
        return chosen
    ids = [r.run_id for r in runs]
    close = list(dict.fromkeys(c for p in patterns for c in closest(p, runs)))
    hint = f"closest run ids: {', '.join(close)}" if close else "no run id is close"
    raise ThbError(
        f"--only {' '.join(patterns)} matches no run id, pattern or geography code; {hint} "
        f"({len(ids)} runs; `thbstats run --dry-run` lists them all)"
    )


def closest(pattern: str, runs: list[Run], n: int = 5) -> list[str]:
    """Run ids most like ``pattern``, best first: a code in another case, then difflib's."""
    plain = pattern.replace("*", "").replace("?", "")
    same_code = [r.run_id for r in runs if plain.upper() in {c.upper() for c in codes_of(r)}]
    lowered = {r.run_id.lower(): r.run_id for r in runs}
    similar = difflib.get_close_matches(plain.lower(), list(lowered), n=n, cutoff=0.5)
    return list(dict.fromkeys(same_code + [lowered[s] for s in similar]))[:n]
