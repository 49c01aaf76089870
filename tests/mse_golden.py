"""The golden files of the reference implementation (tests/golden/, made by make_reference.R) and
thbstats' answer to each of their rows, for tests/unit/test_mse_golden.py and
tests/integration/test_mse_golden_shared.py.

A row names a table, a method and its options as the reference spells them (method "bic" is
``exhaustive`` here; "auto" is ``auto``), the package (MultipleSystemsEstimation or SparseMSE),
the model in bracket notation (lists numbered as in the table) and the estimated total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from mse_generated import GOLDEN

from thbstats.analysis import mse
from thbstats.analysis.mse.allmodels import TooManyModels
from thbstats.analysis.mse.model import parse

REFERENCE_FILE = GOLDEN / "mse_reference.csv"
CHECKS_FILE = GOLDEN / "mse_reference_checks.csv"
REL = 1e-6
# the registered key of each shared table (data/raw/sources.yml)
SHARED = {
    "UKdat": "mse-uk-2013-six-lists",
    "UKdat_5": "mse-uk-2013-five-lists",
    "Ned": "mse-netherlands-six-lists",
    "Ned_5": "mse-netherlands-five-lists",
    "Kosovo": "mse-kosovo-1999",
    "Korea": "mse-korea-palembang",
    "NewOrl": "mse-new-orleans-eight-lists",
    "NewOrl_5": "mse-new-orleans-five-lists",
    "Western": "mse-us-western-site",
}


def reference() -> pd.DataFrame:
    """The reference's rows (model "" where it gave none; estimate NaN where it failed)."""
    out = pd.read_csv(REFERENCE_FILE, keep_default_na=False)
    out["estimate"] = pd.to_numeric(out["estimate"], errors="coerce")
    out["model"] = out["model"].replace("NA", "")
    return out


def checks() -> pd.DataFrame:
    """The reference's verdict on every pairwise model of the tables with a list nobody is on
    (0: an identifiable estimate exists)."""
    return pd.read_csv(CHECKS_FILE)


def options(text: str) -> dict:
    """ "maxorder=3;niter=20" -> {"maxorder": 3, "niter": 20}; "maxorder=default" -> {}."""
    out: dict = {}
    for part in filter(None, str(text).split(";")):
        key, value = part.split("=")
        if value != "default":
            out[key] = float(value) if "." in value else int(value)
    return out


@dataclass
class Answer:
    """thbstats' answer to a row: the model on the table's own list numbering, or the error."""

    model: frozenset | None
    estimate: float
    method: str = ""
    error: str = ""


def answer(table: mse.CaptureTable, method: str, opts: str) -> Answer:
    """Run thbstats as the row asks (the reference's defaults are thbstats' defaults)."""
    kw = options(opts)
    kw.pop("niter", None)  # 20, the default of both
    try:
        r = mse.estimate(table, method, **kw)
    except (mse.ModelError, TooManyModels) as exc:
        return Answer(None, math.nan, error=str(exc))
    index = [table.lists.index(name) for name in r.lists]  # lists nobody is on were left out
    model = parse(r.model, len(r.lists))
    return Answer(frozenset(tuple(index[i] for i in s) for s in model), r.estimate, r.method)


def same(row: pd.Series, table: mse.CaptureTable, got: Answer) -> str:
    """ "" when thbstats agrees with the row; otherwise what differs. Where the reference stopped
    with an error (the search over all models on more than six lists), thbstats refuses too."""
    if math.isnan(row.estimate) and not row.model:
        return "" if got.model is None else f"the reference stopped ({row.note}); thbstats did not"
    if got.model is None:
        return f"thbstats refused ({got.error}); the reference gave {row.model} {row.estimate}"
    if row.model and parse(row.model, table.n_lists) != got.model:
        return f"model: reference {row.model}, thbstats {sorted(got.model)}"
    if not math.isclose(got.estimate, row.estimate, rel_tol=REL):
        return f"estimate: reference {row.estimate}, thbstats {got.estimate}"
    return ""


def exists_in_reference(row: pd.Series) -> bool:
    """Whether the reference's own check finds an identifiable estimate of the main effects."""
    return "main effects check 0" in str(row.note)
