"""Multiple systems estimation (MSE): the dark figure from list-overlap data.

Read a table, estimate, look at the interval::

    from thbstats import mse
    table = mse.read_table("UKdat.rda")        # or a CSV: 0/1 list columns + a count column
    result = mse.estimate(table, method="downhill", bootstrap=1000, seed=1234)
    result.estimate, result.ci_low, result.ci_high, result.model   # 12350, ..., '[12,13,25,35,36,45]'

* ``estimate(table, method=...)``: select a Poisson log-linear model and estimate the total
  (observed + unobserved). Methods: ``stepwise`` (Chan, Silverman and Vincent 2021: forward
  selection of two-list interactions by a p-value threshold, default 0.02), ``downhill`` and
  ``exhaustive`` (Silverman, Chan and Vincent 2024: lowest BIC among hierarchical models up to
  ``maxorder``). ``bootstrap=N`` adds a BCa interval that repeats the selection in each resample.
* ``registered_table(key)``: a list table registered in data/raw/sources.yml, found by checksum
  in the downloads folder; ``compare(table)``: the estimate of every method side by side.
* ``fit(table, "[12,3]")``: one given model; ``check(table, "[12,13,23]")``: whether it has an
  identifiable maximum likelihood estimate on the table, and if not, why.

Models that cannot be fitted (no MLE, parameters not identifiable) are never fitted or selected;
``Result.refused`` lists those met on the way, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thbstats.analysis.mse.bootstrap import Interval, bootstrap
from thbstats.analysis.mse.checks import Check
from thbstats.analysis.mse.checks import check as _check
from thbstats.analysis.mse.fitting import ModelError, fit_statsmodels
from thbstats.analysis.mse.fitting import fit as _fit
from thbstats.analysis.mse.hierarchy import default_maxorder, default_ntop
from thbstats.analysis.mse.methods import METHODS, select
from thbstats.analysis.mse.model import Fit, Model, notation, parse
from thbstats.analysis.mse.selection import Selection
from thbstats.analysis.mse.tables import CaptureTable, drop_empty_lists, from_frame, read_table

__all__ = [
    "METHODS",
    "CaptureTable",
    "Check",
    "Fit",
    "Interval",
    "ModelError",
    "Result",
    "check",
    "estimate",
    "fit",
    "fit_statsmodels",
    "from_frame",
    "read_table",
]


@dataclass
class Result:
    """An MSE estimate: the total (observed + unobserved), the interval, the model.

    Kosovo 1999 (four lists, 4,400 people observed): the pairwise model of Silverman, Chan and
    Vincent (2024, Table 6: 14,342):

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> r = estimate(kosovo, "stepwise")
    >>> r.observed, round(r.estimate), round(r.dark), r.model, r.lists
    (4400, 14342, 9942, '[12,13,14,23,34]', ('EXH', 'ABA', 'OSCE', 'HRW'))
    """

    observed: int
    estimate: float  # estimated total population
    dark: float  # estimated number on no list
    model: str  # bracket notation, lists numbered from 1
    method: str
    lists: tuple[str, ...]
    ci_low: float | None = None
    ci_high: float | None = None
    interval: Interval | None = None
    selection: Selection | None = None
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Dark figure ratio: estimated total / observed.

        >>> Result(observed=4400, estimate=14342.0, dark=9942.0, model="[12]", method="stepwise",
        ...        lists=("A", "B")).ratio.__round__(3)
        3.26
        """
        return self.estimate / self.observed

    def as_dict(self) -> dict:
        """Plain values (what ``thbstats mse --json`` prints).

        >>> r = Result(observed=4400, estimate=14341.74, dark=9941.74, model="[12]",
        ...            method="stepwise", lists=("A", "B"))
        >>> d = r.as_dict()
        >>> d["estimate"], d["dark_figure"], d["ratio"], d["ci_low"], d["bootstrap"]
        (14341.7, 9941.7, 3.259, None, 0)
        """
        iv = self.interval
        return {
            "observed": self.observed,
            "estimate": round(self.estimate, 1),
            "dark_figure": round(self.dark, 1),
            "ratio": round(self.ratio, 3),
            "ci_low": None if self.ci_low is None else round(self.ci_low, 1),
            "ci_high": None if self.ci_high is None else round(self.ci_high, 1),
            "level": iv.level if iv else None,
            "bootstrap": iv.n_boot if iv else 0,
            "bootstrap_failed": iv.n_failed if iv else 0,
            "seed": iv.seed if iv else None,
            "model": self.model,
            "method": self.method,
            "lists": list(self.lists),
        }


def _model(table: CaptureTable, model: str | Model) -> Model:
    return parse(model, table.n_lists) if isinstance(model, str) else model


def check(table: CaptureTable, model: str | Model) -> Check:
    """Whether a model (``"[12,3]"`` or a set of index tuples) can be fitted; ``.reason`` if not.

    Two lists leave no room for their interaction:

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> check(two, "[1,2]").ok, check(two, "[12]").reason
    (True, 'model [12]: parameters not identifiable on the observed cells')
    """
    return _check(table, _model(table, model))


def fit(table: CaptureTable, model: str | Model) -> Fit:
    """Fit one model; ModelError with the reason when it has no identifiable MLE.

    Two lists, independence: the Lincoln-Petersen estimate 40 x 30 / 10 = 120:

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> round(fit(two, "[1,2]").total, 6)
    120.0
    """
    return _fit(table, _model(table, model))


def estimate(
    table: CaptureTable,
    method: str = "auto",
    *,
    pthresh: float = 0.02,
    maxorder: int | None = None,
    tail: str = "both",
    ntop: int | None = None,
    bootstrap: int = 0,
    seed: int | None = 1234,
    level: float = 0.95,
    workers: int | None = None,
) -> Result:
    """Select a model by ``method`` (one of METHODS), estimate the total, optionally a BCa interval.

    The defaults are the reference implementation's (docs/methods.md, "Options and the reference
    implementation"): ``auto`` is the search over all models by BIC for five lists or fewer and
    stepwise beyond; ``maxorder=None`` the reference's order for the method; ``tail="both"`` its
    stepwise p-value; ``ntop`` the top-ranked models the bootstrap of the search over all models
    chooses among (default: all for three lists or fewer, 20 for four, 100 beyond). Lists nobody
    is on are left out first (``Result.lists`` names the lists the model numbers).

    Kosovo 1999: 14,342 with pairwise interactions, 10,357 with three-list ones (Silverman, Chan
    and Vincent 2024, Table 6), and a BCa interval from 50 resamples:

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> round(estimate(kosovo, "downhill", maxorder=2).estimate), round(estimate(kosovo).estimate)
    (14342, 10357)
    >>> r = estimate(kosovo, "stepwise", bootstrap=50, seed=1)
    >>> r.interval.n_boot, r.ci_low < r.estimate < r.ci_high
    (50, True)
    """
    full, table = table, drop_empty_lists(table)
    sel = select(full, method, pthresh, maxorder, tail=tail)
    res = Result(
        observed=table.observed,
        estimate=sel.fit.total,
        dark=sel.fit.dark,
        model=sel.fit.label,
        method=sel.method,
        lists=table.lists,
        selection=sel,
        refused=sel.refused,
    )
    if bootstrap:
        keep = default_ntop(full.n_lists) if ntop is None else ntop
        top = sel.ranked[:keep] if sel.method == "exhaustive" and keep else None
        opts = dict(method=sel.method, pthresh=pthresh, maxorder=maxorder, tail=tail, models=top)
        if maxorder is None and sel.method != "stepwise":  # as chosen for the full table
            opts["maxorder"] = default_maxorder(sel.method, full.n_lists)
        iv = _bootstrap(table, sel.fit.total, opts, bootstrap, seed, level, workers)
        res.interval, res.ci_low, res.ci_high = iv, iv.low, iv.high
    return res


def _bootstrap(table, total, opts, n, seed, level, workers) -> Interval:
    return bootstrap(table, total, **opts, n_boot=n, seed=seed, level=level, workers=workers)


def registered_table(key: str, downloads: str | None = None) -> CaptureTable:
    """A registered list table (e.g. ``"mse-uk-2013-six-lists"``) from the downloads folder.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> kosovo.lists, kosovo.observed
    (('EXH', 'ABA', 'OSCE', 'HRW'), 4400)
    """
    from thbstats import paths
    from thbstats.errors import ReleaseError
    from thbstats.ingest import releases

    folder = paths.downloads_dir(downloads)
    found = releases.locate(folder)[0] if folder.is_dir() else {}
    if key not in found:
        raise ReleaseError(f"{key}: not in the downloads folder {folder} (run `thbstats fetch`)")
    return read_table(found[key])


def compare(table: CaptureTable, pthresh: float = 0.02, maxorder: int | None = None):
    """One row per selection method: the model and the estimate (how the answer moves); the
    search over all models only where it takes seconds (10,000 models at most).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> print(compare(kosovo, maxorder=2).to_string(index=False))
        method            model  estimate  ratio
      stepwise [12,13,14,23,34]     14342   3.26
      downhill [12,13,14,23,34]     14342   3.26
    exhaustive [12,13,14,23,34]     14342   3.26
    """
    import pandas as pd

    from thbstats.analysis.mse.allmodels import TooManyModels, size_check
    from thbstats.analysis.mse.hierarchy import default_maxorder

    t = drop_empty_lists(table).n_lists
    try:
        order = default_maxorder("exhaustive", t) if maxorder is None else maxorder
        size_check(t, order, limit=10_000)
        methods = METHODS[1:]
    except TooManyModels:
        methods = METHODS[1:3]
    rows = []
    for m in methods:
        r = estimate(table, m, pthresh=pthresh, maxorder=maxorder)
        rows.append(
            {
                "method": m,
                "model": r.model,
                "estimate": round(r.estimate),
                "ratio": round(r.ratio, 2),
            }
        )
    return pd.DataFrame(rows)


__all__ += ["compare", "notation", "registered_table", "select"]
