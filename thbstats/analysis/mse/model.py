"""Poisson log-linear models on a capture table: terms, design, fit, estimate.

A model holds the intercept, every main effect and a set of interactions, each a tuple of list
indices (0-based). Written in the usual notation by its maximal terms, lists numbered from 1:
``[12,3]`` is main effects 1, 2, 3 plus the interaction of lists 1 and 2.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import gammaln

from thbstats.analysis.mse.tables import CaptureTable

Term = tuple[int, ...]
Model = frozenset  # of interaction terms (tuples of two or more list indices)

MAIN: Model = frozenset()


def model(terms: Iterable[Iterable[int]]) -> Model:
    """A model from interaction terms given as index tuples (0-based), e.g. ``[(0, 1)]``.

    >>> sorted(model([(1, 0), (2,), (2, 3)]))
    [(0, 1), (2, 3)]
    """
    return frozenset(tuple(sorted(t)) for t in terms if len(tuple(t)) >= 2)


def hierarchical(m: Model) -> Model:
    """The model with every lower-order interaction its terms contain (hierarchy).

    >>> sorted(hierarchical(model([(0, 1, 2)])))
    [(0, 1), (0, 1, 2), (0, 2), (1, 2)]
    """
    out = set()
    for t in m:
        for k in range(2, len(t) + 1):
            out.update(itertools.combinations(t, k))
    return frozenset(out)


def notation(m: Model, t: int) -> str:
    """The bracket notation of a model's maximal terms: ``[12,3]``, ``[1,2,3]`` for main effects.

    >>> notation(model([(0, 1)]), 3), notation(model([]), 3), notation(model([(0, 1), (2, 3)]), 4)
    ('[12,3]', '[1,2,3]', '[12,34]')
    """
    full = hierarchical(m)
    maximal = [s for s in full if not any(set(s) < set(u) for u in full)]
    covered = {i for s in maximal for i in s}
    terms = sorted(maximal + [(i,) for i in range(t) if i not in covered])
    sep = "" if t < 10 else "."
    return "[" + ",".join(sep.join(str(i + 1) for i in s) for s in terms) + "]"


def parse(text: str, t: int) -> Model:
    """The model written ``[12,3]`` (lists numbered from 1), made hierarchical.

    >>> sorted(parse("[123,4]", 4))
    [(0, 1), (0, 1, 2), (0, 2), (1, 2)]
    """
    body = text.strip().strip("[]")
    terms = []
    for part in filter(None, (p.strip() for p in body.split(","))):
        idx = [int(c) - 1 for c in (part.split(".") if "." in part else part)]
        if any(i < 0 or i >= t for i in idx):
            raise ValueError(f"model {text!r}: a list number outside 1..{t}")
        terms.append(idx)
    return hierarchical(model(terms))


def term_column(histories: np.ndarray, term: Term) -> np.ndarray:
    """1 where a history is on every list of the term.

    >>> from thbstats.analysis.mse.tables import all_histories
    >>> term_column(all_histories(2), (0, 1)).tolist()
    [0.0, 0.0, 1.0]
    """
    return histories[:, list(term)].all(axis=1).astype(float)


def design(
    histories: np.ndarray, terms: Iterable[Term], mains: Iterable[int] | None = None
) -> np.ndarray:
    """Columns: intercept, main effects (of ``mains``, default every list), then the given
    interactions.

    >>> from thbstats.analysis.mse.tables import all_histories
    >>> design(all_histories(2), [(0, 1)]).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]
    """
    lists = range(histories.shape[1]) if mains is None else list(mains)
    cols = [np.ones(len(histories)), *(histories[:, i].astype(float) for i in lists)]
    cols += [term_column(histories, s) for s in terms]
    return np.column_stack(cols)


def n_star(table: CaptureTable, term: Term) -> int:
    """People observed on every list of the term (whatever else they are on).

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> n_star(two, (0, 1)), n_star(two, (0,))
    (10, 40)
    """
    return int(table.counts[table.histories[:, list(term)].all(axis=1)].sum())


@dataclass
class Fit:
    """A fitted model: the estimate of the unobserved cell and what it rests on.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> f = mse.fit(kosovo, "[12,13,14,23,34]")
    >>> f.label, f.observed, round(f.dark), round(f.total)
    ('[12,13,14,23,34]', 4400, 9942, 14342)
    """

    model: Model
    label: str
    observed: int
    dark: float  # fitted count of the all-zero history
    loglik: float
    n_params: int  # parameters: intercept, main effects, interactions (those at minus infinity too)
    mu: np.ndarray  # fitted mean of every observable history (0 for structural zeros)
    minus_infinity: tuple[Term, ...] = ()  # interactions at minus infinity (no overlap)
    coef: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.observed + self.dark

    @property
    def ratio(self) -> float:
        """The dark figure ratio: estimated total / observed."""
        return self.total / self.observed

    def bic(self, n: float | None = None) -> float:
        """-2 log-likelihood + parameters x log(n); n is the number observed by default."""
        return -2 * self.loglik + self.n_params * np.log(n or self.observed)

    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.n_params


def poisson_fit(
    X: np.ndarray,
    y: np.ndarray,
    start: np.ndarray | None = None,
    tol: float = 1e-9,
    max_iter: int = 100,
) -> np.ndarray:
    """Maximum likelihood coefficients of a Poisson log-linear model (Newton-Raphson, started
    like a GLM from mu = y + 0.5, or from the fitted means ``start`` of a neighbouring model). The
    caller has checked that the MLE exists and is identifiable (thbstats.analysis.mse.checks).

    Two lists, independence: the intercept is the log of the unobserved cell, 30 x 20 / 10 = 60:

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> import numpy as np
    >>> beta = poisson_fit(design(two.histories, []), two.counts.astype(float))
    >>> round(float(np.exp(beta[0])), 6)
    60.0"""
    mu = y + 0.5 if start is None else np.maximum(start, 0.1)
    z = np.log(mu) + (y - mu) / mu
    beta = np.linalg.solve(X.T @ (X * mu[:, None]), X.T @ (mu * z))
    for _ in range(max_iter):
        mu = np.exp(X @ beta)
        step = np.linalg.solve(X.T @ (X * mu[:, None]), X.T @ (y - mu))
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    return beta


def loglik(y: np.ndarray, mu: np.ndarray) -> float:
    """Poisson log-likelihood (cells with mu = 0 must have y = 0 and add nothing).

    >>> import numpy as np
    >>> round(loglik(np.array([1.0, 0.0]), np.array([1.0, 0.0])), 6)  # log P(Y=1 | mu=1) = -1
    -1.0
    """
    pos = mu > 0
    return float(np.sum(y[pos] * np.log(mu[pos]) - mu[pos] - gammaln(y[pos] + 1)))
