"""The dark figure computed, not only quoted: thbstats' own multiple systems estimate from a
country's registered list table (the ``computed`` entries of ``dark_figure.yml``), with its BCa
interval, the table's period and observed count, and yearly figures over that period.

The method is the reference implementation's default (``auto``: stepwise for the six-list tables
of the United Kingdom and the Netherlands), the interval a modest bootstrap (200 resamples,
seed 1234); the downhill search's estimate is kept beside it, to show how the answer moves with
the method. A run is cached (data/processed/cache/mse_dark_figure.json), keyed by the table's
checksum, the MSE code and the options, so the ~60 briefs compute each estimate once.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import yaml

from thbstats import paths

CONFIG = Path(__file__).with_name("dark_figure.yml")
N_BOOT, SEED, METHOD = 200, 1234, "auto"
COLUMNS = [
    "geo",
    "table",
    "years",
    "year_start",
    "year_end",
    "n_years",
    "observed",
    "total",
    "total_low",
    "total_high",
    "per_year",
    "per_year_low",
    "per_year_high",
    "observed_per_year",
    "method",
    "model",
    "downhill_total",
    "n_boot",
    "seed",
    "table_citation",
    "period_citation",
    "period_note",
]


def entries() -> list[dict]:
    """The list tables of a country (geo, registered table, period and where it is stated).

    >>> [(e["geo"], e["table"], e["year_start"], e["year_end"]) for e in entries()]
    [('GBR', 'mse-uk-2013-six-lists', 2013, 2013), ('NLD', 'mse-netherlands-six-lists', 2010, 2015)]
    """
    with open(CONFIG, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh).get("computed", []))


def _cache_file() -> Path:
    return paths.processed_dir() / "cache" / "mse_dark_figure.json"


def _code() -> str:
    from thbstats.digest import code_digest

    return code_digest(Path(__file__).parent / "mse", ("*.py",), f"{METHOD} {N_BOOT} {SEED}\n")


def _estimate(path: Path) -> dict:
    from thbstats.analysis import mse

    table = mse.read_table(path)
    r = mse.estimate(table, METHOD, bootstrap=N_BOOT, seed=SEED)
    alt = mse.estimate(table, "downhill")
    return {
        "observed": r.observed,
        "total": r.estimate,
        "total_low": r.ci_low,
        "total_high": r.ci_high,
        "method": r.method,
        "model": r.model,
        "downhill_total": alt.estimate,
    }


def _cached(path: Path) -> dict:
    from thbstats.digest import sha256_of

    key = f"{sha256_of(path)} {_code()}"
    file = _cache_file()
    try:
        cache = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    if key not in cache:
        cache = {key: _estimate(path)} | {k: v for k, v in cache.items() if k != key}
        if file.parent.parent.is_dir():
            from thbstats.atomic import write_text_atomic

            file.parent.mkdir(exist_ok=True)
            write_text_atomic(file, json.dumps(dict(list(cache.items())[:8]), indent=1))
    return cache[key]


@functools.cache
def computed_estimates(downloads: str | None = None) -> pd.DataFrame:
    """One row per country list table found in the downloads folder: the estimate over the
    table's period and a year (total / years), its interval, the observed count, the model.

    >>> t = computed_estimates()
    >>> uk = t[t["geo"] == "GBR"].iloc[0]
    >>> uk["years"], int(uk["observed"]), round(uk["total"]), uk["method"], uk["model"]
    ('2013', 2744, 11418, 'stepwise', '[12,13,24,25,35,36,45]')
    >>> nl = t[t["geo"] == "NLD"].iloc[0]
    >>> nl["years"], int(nl["n_years"]), round(nl["per_year"]), round(nl["observed_per_year"])
    ('2010-2015', 6, 18523, 1372)
    """
    from thbstats.ingest import releases

    folder = paths.downloads_dir(downloads)
    found = releases.locate(folder)[0] if folder.is_dir() else {}
    rows = []
    for e in entries():
        if e["table"] not in found:
            continue
        n = e["year_end"] - e["year_start"] + 1
        r = _cached(Path(found[e["table"]]))
        years = str(e["year_start"]) + (f"-{e['year_end']}" if n > 1 else "")
        rows.append(
            {
                "geo": e["geo"],
                "table": e["table"],
                "years": years,
                "year_start": e["year_start"],
                "year_end": e["year_end"],
                "n_years": n,
                **r,
                "per_year": r["total"] / n,
                "per_year_low": r["total_low"] / n,
                "per_year_high": r["total_high"] / n,
                "observed_per_year": r["observed"] / n,
                "n_boot": N_BOOT,
                "seed": SEED,
                "table_citation": e["table"],
                "period_citation": e["period_citation"],
                "period_note": e["period_note"],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
