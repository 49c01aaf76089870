"""Bootstrap intervals that repeat the model selection in every resample (BCa).

Chan, Silverman and Vincent (2021, Section 3.3); Silverman, Chan and Vincent (2024): resample the
observed people (a multinomial on the observed histories, the observed total fixed), select a
model afresh and estimate; the BCa interval's acceleration comes from a delete-one jackknife over
people, computed once per distinct observed history. Resamples are drawn in one process from one
seed, then estimated in worker processes: the same seed gives the same interval on any machine
and with any number of workers.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.stats import norm

from thbstats.analysis.mse.fitting import ModelError
from thbstats.analysis.mse.methods import select
from thbstats.analysis.mse.tables import CaptureTable


@dataclass
class Interval:
    """A BCa interval for the total, with what it rests on.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> iv = bootstrap(kosovo, 14341.7, n_boot=50, seed=1, workers=1)
    >>> iv.n_boot, iv.n_failed, iv.level, len(iv.replicates), iv.low < 14341.7 < iv.high
    (50, 0, 0.95, 50, True)
    """

    low: float
    high: float
    level: float
    n_boot: int
    n_failed: int  # resamples where no model could be fitted (left out)
    z0: float  # bias correction
    acceleration: float
    seed: int | None
    replicates: np.ndarray  # the bootstrap totals (NaN where the selection failed)


def _total(counts: np.ndarray, table: CaptureTable, options: dict) -> float:
    try:
        return select(table.with_counts(counts), **options).fit.total
    except ModelError:
        return float("nan")


def _map(func, items: list, workers: int) -> list[float]:
    if workers <= 1 or len(items) < 8:
        return [func(x) for x in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // (4 * workers))))


def resamples(table: CaptureTable, n_boot: int, seed: int | None) -> np.ndarray:
    """n_boot multinomial resamples of the observed people, one row each.

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> r = resamples(two, 3, seed=1)
    >>> r.shape, r.sum(axis=1).tolist()
    ((3, 3), [60, 60, 60])
    """
    rng = np.random.default_rng(seed)
    p = table.counts / table.observed
    return rng.multinomial(table.observed, p, size=n_boot)


def jackknife(table: CaptureTable, func) -> tuple[np.ndarray, np.ndarray]:
    """The tables with one person removed, one per distinct observed history (rows of counts), and
    their weights (how many people have that history); ``func`` estimates on them later.

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> rows, weights = jackknife(two, None)
    >>> rows.tolist(), weights.tolist()
    ([[29, 20, 10], [30, 19, 10], [30, 20, 9]], [30.0, 20.0, 10.0])
    """
    cells = np.flatnonzero(table.counts > 0)
    rows = []
    for i in cells:
        c = table.counts.copy()
        c[i] -= 1
        rows.append(c)
    return np.array(rows), table.counts[cells].astype(float)


def acceleration(theta: np.ndarray, weights: np.ndarray) -> float:
    """BCa acceleration from weighted delete-one jackknife estimates (0 when they are symmetric).

    >>> import numpy as np
    >>> acceleration(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]))
    0.0
    """
    ok = np.isfinite(theta)
    theta, weights = theta[ok], weights[ok]
    u = np.average(theta, weights=weights) - theta
    denom = 6 * np.sum(weights * u**2) ** 1.5
    return float(np.sum(weights * u**3) / denom) if denom > 0 else 0.0


def bca(
    estimate: float, boot: np.ndarray, accel: float, level: float = 0.95
) -> tuple[float, float, float]:
    """BCa limits (low, high) and the bias correction z0.

    Without bias (half the replicates below the estimate) and acceleration, the percentile
    interval:

    >>> import numpy as np
    >>> bca(50.0, np.arange(1.0, 100.0), 0.0)
    (3.45, 96.55, 0.0)
    """
    boot = boot[np.isfinite(boot)]
    below = (np.sum(boot < estimate) + 0.5 * np.sum(boot == estimate)) / len(boot)
    z0 = float(norm.ppf(np.clip(below, 1 / (2 * len(boot)), 1 - 1 / (2 * len(boot)))))
    limits = []
    for alpha in ((1 - level) / 2, (1 + level) / 2):
        z = z0 + norm.ppf(alpha)
        limits.append(float(np.quantile(boot, norm.cdf(z0 + z / (1 - accel * z)))))
    return limits[0], limits[1], z0


def bootstrap(
    table: CaptureTable,
    estimate: float,
    *,
    method: str = "stepwise",
    pthresh: float = 0.02,
    maxorder: int | None = None,
    tail: str = "both",
    models: list | None = None,
    n_boot: int = 1000,
    seed: int | None = 1234,
    level: float = 0.95,
    workers: int | None = None,
) -> Interval:
    """BCa interval for the total, the model selection repeated in every resample (``method``,
    ``pthresh``, ``maxorder``, ``tail`` as in ``methods.select``; ``models``: the top-ranked models
    the search over all models chooses among in each resample, Silverman, Chan and Vincent 2024).

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> iv = bootstrap(kosovo, 14341.7, n_boot=50, seed=1, workers=1)
    >>> iv.seed, iv.low < 14341.7 < iv.high, bool(iv.z0 == bootstrap(kosovo, 14341.7, n_boot=50, seed=1, workers=1).z0)
    (1, True, True)
    """
    workers = workers or min(2, os.cpu_count() or 1)
    options = dict(method=method, pthresh=pthresh, maxorder=maxorder, tail=tail, models=models)
    func = partial(_total, table=table, options=options)
    boot_rows = resamples(table, n_boot, seed)
    jack_rows, weights = jackknife(table, func)
    values = np.array(_map(func, [*boot_rows, *jack_rows], workers))
    boot, jack = values[:n_boot], values[n_boot:]
    if np.isfinite(boot).sum() < 2:
        raise ModelError("no model could be fitted in the bootstrap resamples")
    accel = acceleration(jack, weights)
    low, high, z0 = bca(estimate, boot, accel, level)
    failed = int((~np.isfinite(boot)).sum())
    return Interval(low, high, level, n_boot, failed, z0, accel, seed, boot)
