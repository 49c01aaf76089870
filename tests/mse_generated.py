"""Seeded list-overlap tables for the golden comparison with the reference implementation.

Each table is drawn from one seed: a closed population of N people, t lists (3 to 6) with their
own capture probabilities, people of two kinds (one more often listed: heterogeneity) and one
pair of lists that attract or repel each other (dependence). Small N and probabilities make
sparse tables, some with pairs of lists nobody is on together, some with no estimate at all;
every fifth table has a list nobody is on (for the reference's convention on empty lists).

``python tests/mse_generated.py`` writes tests/golden/mse_generated_tables.csv, the input of
tests/golden/make_reference.R; tests/unit/test_mse_golden.py checks that the file is what the
seeds give.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN = Path(__file__).parent / "golden"
TABLES_FILE = GOLDEN / "mse_generated_tables.csv"
SEEDS = range(1, 61)


def generated_table(seed: int) -> tuple[int, list[tuple[str, int]]]:
    """(t, [(history, count), ...]) for one seed; histories as strings of 0/1, the all-zero left
    out, every other history present (zeros included)."""
    rng = np.random.default_rng(seed)
    t = int(rng.choice([3, 4, 5, 6], p=[0.25, 0.35, 0.3, 0.1]))
    n = int(np.exp(rng.uniform(np.log(60), np.log(4000))))
    p = np.exp(rng.uniform(np.log(0.01), np.log(0.35), size=t))
    if seed % 5 == 0:
        p[rng.integers(t)] = 0.0  # a list nobody is on
    keen = rng.random(n) < 0.3  # people more often listed
    prob = np.where(keen[:, None], np.minimum(3 * p, 0.9), p)
    a, b = rng.choice(t, size=2, replace=False)
    on = rng.random((n, t)) < prob
    factor = float(rng.choice([0.1, 0.5, 2.0, 4.0]))
    pb = np.where(on[:, a], np.minimum(prob[:, b] * factor, 0.95), prob[:, b])
    on[:, b] = rng.random(n) < pb
    seen = on[on.any(axis=1)].astype(int)
    counts = {"".join(map(str, h)): 0 for h in itertools.product((0, 1), repeat=t) if any(h)}
    for h in seen:
        counts["".join(map(str, h))] += 1
    return t, sorted(counts.items())


def generated_frame() -> pd.DataFrame:
    """Every seed's table, long: table, lists, history, count."""
    rows = []
    for seed in SEEDS:
        t, cells = generated_table(seed)
        rows += [(f"gen{seed:02d}", t, h, n) for h, n in cells]
    return pd.DataFrame(rows, columns=["table", "lists", "history", "count"])


def wide(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """One generated table as list columns (A, B, ...) and a count column."""
    rows = frame[frame["table"] == name]
    t = int(rows["lists"].iloc[0])
    cols = {chr(65 + i): [int(h[i]) for h in rows["history"]] for i in range(t)}
    return pd.DataFrame(cols | {"count": rows["count"].to_numpy()})


if __name__ == "__main__":
    generated_frame().to_csv(TABLES_FILE, index=False)
    print(TABLES_FILE)
