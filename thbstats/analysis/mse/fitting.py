"""Fitting a model: the checks of thbstats.analysis.mse.checks, then the Poisson MLE."""

from __future__ import annotations

import numpy as np

from thbstats.analysis.mse.checks import check
from thbstats.analysis.mse.model import Fit, Model, loglik, notation, poisson_fit
from thbstats.analysis.mse.tables import CaptureTable


class ModelError(ValueError):
    """A model without an identifiable maximum likelihood estimate on a table (the reason).

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> from thbstats.analysis.mse.model import parse
    >>> fit(two, parse("[12]", 2))
    Traceback (most recent call last):
    ...
    thbstats.analysis.mse.fitting.ModelError: model [12]: parameters not identifiable on the observed cells
    """


def _names(table: CaptureTable, terms, mains) -> list[str]:
    lists = [table.lists[i] for i in mains]
    return ["intercept", *lists, *(":".join(table.lists[i] for i in s) for s in terms)]


def fit(table: CaptureTable, m: Model, start: Fit | None = None) -> Fit:
    """Fit a model by maximum likelihood; ModelError (with the reason) when it cannot be fitted.

    ``start``: a fit of a neighbouring model on the same table, whose fitted means start the
    iterations (fewer iterations, the same maximum).

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> from thbstats.analysis.mse.model import parse
    >>> f = fit(two, parse("[1,2]", 2))
    >>> round(f.dark, 6), round(f.total, 6)
    (60.0, 120.0)
    """
    c = check(table, m)
    if not c.ok:
        raise ModelError(c.reason)
    y = table.counts[c.keep].astype(float)
    beta = _solve(c.X, y, None if start is None else start.mu[c.keep], notation(m, table.n_lists))
    mu = np.zeros(len(table.counts))
    mu[c.keep] = np.exp(c.X @ beta)
    return Fit(
        model=m,
        label=notation(m, table.n_lists),
        observed=table.observed,
        dark=float(np.exp(beta[0])),
        loglik=loglik(y, mu[c.keep]),
        n_params=c.X.shape[1] + len(c.minus_infinity),
        mu=mu,
        minus_infinity=c.minus_infinity,
        coef=dict(zip(_names(table, c.terms, c.mains), beta.tolist(), strict=True)),
    )


def _solve(X: np.ndarray, y: np.ndarray, start: np.ndarray | None, label: str) -> np.ndarray:
    """The MLE; from a cold start when a warm one fails; ModelError when neither converges."""
    for s in (start, None) if start is not None else (None,):
        try:
            beta = poisson_fit(X, y, s)
        except np.linalg.LinAlgError:
            continue
        if np.all(np.isfinite(beta)):
            return beta
    raise ModelError(
        f"model {label}: the likelihood maximisation did not converge (numerically singular)"
    )


def fit_statsmodels(table: CaptureTable, m: Model):
    """The same model fitted with statsmodels' GLM (standard errors, deviance, summary).

    Kosovo 1999: the intercept is the log of the unobserved cell, as in :func:`fit`:

    >>> import math
    >>> from thbstats.analysis import mse
    >>> from thbstats.analysis.mse.model import parse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> g = fit_statsmodels(kosovo, parse("[12,13,14,23,34]", 4))
    >>> round(math.exp(g.params[0]))
    9942
    """
    import statsmodels.api as sm

    c = check(table, m)
    if not c.ok:
        raise ModelError(c.reason)
    y = table.counts[c.keep].astype(float)
    return sm.GLM(y, c.X, family=sm.families.Poisson()).fit()
