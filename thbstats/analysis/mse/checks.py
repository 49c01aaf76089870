"""Sparse data: which models can be fitted (Chan, Silverman and Vincent 2021, Section 2).

Three steps for a model on a table:

1. Nonoverlapping terms. An interaction whose lists nobody is on together (N*_s = 0) has an
   extended MLE of minus infinity: every history containing it has fitted mean 0. Those cells are
   structural zeros, dropped from the fit with the term (and every term containing it).
2. Identifiability: the design on the remaining cells must have full column rank.
3. Existence (Fienberg and Rinaldo 2012): the MLE fails to exist when some direction d of the
   parameters leaves every cell with a positive count unchanged (X+ d = 0) and lowers the fitted
   mean of some zero cell (X0 d <= 0, not all 0): the likelihood then rises without bound along d.
   When X+ has full rank no such d exists; otherwise a linear program (scipy.optimize.linprog)
   looks for one, and names the cells that would need fitted mean 0.

A model failing 2 or 3 is refused with the reason; it is never fitted or selected.

A list nobody is on is handled as the reference implementation handles it: its main effect is at
minus infinity like a nonoverlapping interaction (N*_i = 0), the cells on it are structural zeros,
and the check goes on with the other lists (``Check.note`` says so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

from thbstats.analysis.mse.model import Model, Term, design, n_star, notation
from thbstats.analysis.mse.tables import CaptureTable

TOL = 1e-9


@dataclass
class Check:
    """What a model leaves to fit on a table, and whether it can be fitted.

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> two = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 10]}))
    >>> from thbstats.analysis.mse.model import parse
    >>> c = check(two, parse("[12]", 2))
    >>> c.ok, c.reason
    (False, 'model [12]: parameters not identifiable on the observed cells')
    """

    ok: bool
    reason: str
    keep: np.ndarray  # cells fitted (False: structural zero)
    terms: tuple[Term, ...]  # interactions fitted
    minus_infinity: tuple[Term, ...]  # effects at minus infinity (lists nobody is on: (i,))
    X: np.ndarray  # design on the kept cells
    mains: tuple[int, ...] = ()  # lists whose main effect is fitted
    note: str = ""  # how lists nobody is on were treated


def _history(h: np.ndarray) -> str:
    return "".join(str(int(x)) for x in h)


def structural(
    table: CaptureTable, m: Model
) -> tuple[np.ndarray, tuple[Term, ...], tuple[Term, ...]]:
    """Cells kept, interactions kept, effects at minus infinity (nonoverlapping interactions, and
    the main effects of lists nobody is on, as ``(i,)``).

    Two lists nobody is on together: their interaction is at minus infinity, the cell dropped:

    >>> import pandas as pd
    >>> from thbstats.analysis.mse.tables import from_frame
    >>> from thbstats.analysis.mse.model import model
    >>> apart = from_frame(pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [30, 20, 0]}))
    >>> keep, terms, dead = structural(apart, model([(0, 1)]))
    >>> keep.tolist(), terms, dead
    ([True, True, False], (), ((0, 1),))
    """
    mains = [(i,) for i in range(table.n_lists)]
    empty = [s for s in [*mains, *sorted(m)] if n_star(table, s) == 0]
    keep = np.ones(len(table.counts), dtype=bool)
    for s in empty:
        keep &= ~table.histories[:, list(s)].all(axis=1)
    dead = tuple(s for s in [*mains, *sorted(m)] if any(set(e) <= set(s) for e in empty))
    kept = tuple(sorted((s for s in m if s not in dead), key=lambda s: (len(s), s)))
    return keep, kept, dead


def _no_mle_cells(X: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """Indices (into X's rows) of zero cells forced to fitted mean 0; None if the MLE exists."""
    pos = y > 0
    Xp, X0 = X[pos], X[~pos]
    if len(X0) == 0 or np.linalg.matrix_rank(Xp) == X.shape[1]:
        return None
    B = null_space(Xp)
    A = X0 @ B
    res = linprog(
        np.zeros(B.shape[1]),
        A_ub=A,
        b_ub=np.zeros(len(A)),
        A_eq=A.sum(axis=0, keepdims=True),
        b_eq=[-1.0],
        bounds=[(None, None)] * B.shape[1],
        method="highs",
    )
    if res.status != 0:
        return None  # infeasible: no direction of unbounded likelihood
    return np.flatnonzero(~pos)[(A @ res.x) < -TOL]


def check(table: CaptureTable, m: Model) -> Check:
    """Whether the model has an identifiable maximum likelihood estimate on the table.

    >>> from thbstats.analysis import mse
    >>> kosovo = mse.registered_table("mse-kosovo-1999")
    >>> from thbstats.analysis.mse.model import parse
    >>> check(kosovo, parse("[12,13,14,23,34]", 4)).ok
    True
    """
    keep, terms, dead = structural(table, m)
    mains = tuple(i for i in range(table.n_lists) if (i,) not in dead)
    X = design(table.histories[keep], terms, mains)
    y = table.counts[keep]
    label = notation(m, table.n_lists)
    note = _empty_note(table, mains)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        why = f"model {label}: parameters not identifiable on the observed cells"
        return Check(False, why, keep, terms, dead, X, mains, note)
    bad = _no_mle_cells(X, y)
    if bad is not None:
        cells = ", ".join(_history(h) for h in table.histories[keep][bad])
        why = f"model {label}: no maximum likelihood estimate (cells {cells} would need fitted mean 0)"
        return Check(False, why, keep, terms, dead, X, mains, note)
    return Check(True, "", keep, terms, dead, X, mains, note)


def _empty_note(table: CaptureTable, mains: tuple[int, ...]) -> str:
    empty = [table.lists[i] for i in range(table.n_lists) if i not in mains]
    if not empty:
        return ""
    return (
        f"nobody is on list(s) {', '.join(empty)}: their effect is taken at minus infinity (the "
        "reference implementation's convention) and the model is checked on the other lists"
    )
