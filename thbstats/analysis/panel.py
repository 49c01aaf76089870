"""Questions about a group's figures between two years, summed honestly.

:func:`total` sums a stage over a group's countries, year by year, with its coverage;
:func:`change` compares two years. By default both use a **balanced panel**: only the countries
that report the stage in every year compared, so that a change measures the figures and not who
reported. The countries left out are named (``missing``), "<5" cells are carried as bounds (1 to 4
persons, never 0) into every sum and every percent change, and one release of the source is used
(the latest that has the rows, or ``release``).

The keyword vocabulary is the one of the whole API: ``geo`` (a country, a group code or a list),
``stage``, ``years`` (or ``start``/``end``), ``form``/``sex``/``age``, ``source``, ``release``
(a publication name such as ``"UNODC GLOTIP data 2025-04-14"``), ``exclude`` (flags to leave out).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.groups import group, label
from thbstats.analysis.metrics.aggregate import aggregate
from thbstats.analysis.metrics.ranges import percent_change_range
from thbstats.schema import newest as newest_release
from thbstats.vocabulary import OUTCOME_STAGES

_CHANGE_NOTE = (
    "{stage}: {n} of {size} countries ({who}) in {start} and {end}, {how}; {missing}"
    "{lt5} {release}."
)


def _table(df: pd.DataFrame | None, release: str | None = None) -> pd.DataFrame:
    """``df``, or the table: the latest figure of each key, or every release's rows when a
    ``release`` is named (an older release's superseded rows are not in the latest view)."""
    if df is None:
        from thbstats.table import load

        df = load(vintage="all" if release else "latest")
    if release is not None:
        _check_release(df, release)
    return df


def _check_release(df: pd.DataFrame, release: str) -> None:
    """A named release must be in the table, whole: a latest-only table lacks the figures a later
    release superseded, so an older release would be summed with gaps."""
    pubs = df[["source", "publication"]].drop_duplicates()
    hit = pubs[pubs["publication"] == release]
    if hit.empty:
        found = ", ".join(sorted(pubs.loc[pubs["source"] == "UNODC", "publication"]))
        raise ValueError(
            f"release: expected a publication of the table ({found}), found {release!r}"
        )
    same = pubs.loc[pubs["source"] == hit["source"].iloc[0], "publication"]
    newest = newest_release(same)
    if "latest" in df.columns and bool(df["latest"].all()) and release != newest:
        raise ValueError(
            f"release={release!r}: the table holds only the latest figure of each key, so this "
            f'older release is incomplete in it; pass thb.load(vintage="all")'
        )


def total(
    df: pd.DataFrame | None = None,
    *,
    geo: str | Iterable[str],
    stage: str | Iterable[str],
    years: int | Iterable[int],
    balanced: bool = True,
    source: str = "UNODC",
    form: str = "all",
    sex: str = "all",
    age: str = "all",
    release: str | None = None,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per (stage, year): the sum over ``geo``'s countries, with bounds and coverage.

    ``balanced=True`` keeps the countries that report every requested stage in every requested
    year (a joint balanced panel); ``balanced=False`` sums whoever reports each year. Columns are
    those of :func:`thbstats.analysis.metrics.aggregate.aggregate` (``value``, ``value_min``,
    ``value_max``, ``n_countries``, ``n_suppressed``, ``countries``, ``publication``, ...) plus
    ``missing``: the members without a figure in the sum. ``df`` defaults to ``thb.load()``
    (``thb.load(vintage="all")`` when a ``release`` is named: pass that table yourself too, since
    the latest view holds no superseded figure of an older release).

    >>> import thbstats as thb
    >>> t = thb.total(geo="NORDIC", stage="convicted", years=[2015, 2022])
    >>> t[["year", "value", "value_min", "value_max", "n_suppressed", "countries"]]
       year  value  value_min  value_max  n_suppressed    countries
    0  2015   21.5       20.0       23.0             1  DNK;NOR;SWE
    1  2022    7.5        3.0       12.0             3  DNK;NOR;SWE
    >>> t["missing"].tolist()
    ['FIN;ISL', 'FIN;ISL']
    """
    df = _table(df, release)
    members = group(geo, df)
    years = [int(years)] if isinstance(years, int) else sorted(int(y) for y in years)
    out = aggregate(
        df,
        members,
        stage,
        years,
        mode="balanced" if balanced else "all",
        source=source,
        form=form,
        sex=sex,
        age=age,
        publication=release,
        exclude=exclude,
    )
    out["geo"] = label(geo)
    out["missing"] = [_missing(members, c) for c in out["countries"]]
    return out


def _missing(members: list[str], countries: str) -> str:
    have = set(countries.split(";")) - {""}
    return ";".join(m for m in members if m not in have)


def change(
    df: pd.DataFrame | None = None,
    *,
    geo: str | Iterable[str],
    stage: str | Iterable[str] = OUTCOME_STAGES,
    start: int,
    end: int,
    balanced: bool = True,
    source: str = "UNODC",
    form: str = "all",
    sex: str = "all",
    age: str = "all",
    release: str | None = None,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Percent change of each stage from ``start`` to ``end``, summed over ``geo``'s countries.

    One row per stage. ``value``/``value_min``/``value_max`` are the percent change and its
    bounds (each "<5" cell counted as 1 to 4, the central value as 2.5): a stage whose figures
    are "<5" gets a range, never -100 %. ``value_start``/``value_end`` (each with ``_min`` and
    ``_max``) are the two sums. With ``balanced=True`` (the default) both years sum the same
    countries, those that report the stage in both years (each stage has its own panel);
    ``countries`` names them and ``missing`` the members left out. ``balanced=False`` sums whoever
    reports each year (``countries_start``, ``countries_end``) and says so in ``note``.

    >>> import thbstats as thb
    >>> c = thb.change(geo="NORDIC", stage="convicted", start=2015, end=2022)
    >>> c[["value_start_min", "value_start_max", "value_end_min", "value_end_max"]]
       value_start_min  value_start_max  value_end_min  value_end_max
    0             20.0             23.0            3.0           12.0
    >>> c[["value", "value_min", "value_max"]].round(1)
       value  value_min  value_max
    0  -65.1      -87.0      -40.0
    >>> c.loc[0, "countries"], c.loc[0, "missing"]
    ('DNK;NOR;SWE', 'FIN;ISL')
    """
    df = _table(df, release)
    stages = [stage] if isinstance(stage, str) else list(stage)
    rows = []
    for st in stages:
        t = total(
            df,
            geo=geo,
            stage=st,
            years=[start, end],
            balanced=balanced,
            source=source,
            form=form,
            sex=sex,
            age=age,
            release=release,
            exclude=exclude,
        )
        rows.append(_change_row(t.set_index("year"), st, int(start), int(end), balanced))
    out = pd.DataFrame(rows)
    out.insert(0, "geo", label(geo))
    return out


def _change_row(t: pd.DataFrame, stage: str, start: int, end: int, balanced: bool) -> dict:
    a, b = t.loc[start], t.loc[end]
    pct = percent_change_range(t, start, end)
    n_sup = int(a["n_suppressed"] + b["n_suppressed"])
    both = sorted(set(a["countries"].split(";")) & set(b["countries"].split(";")) - {""})
    row = {
        "stage": stage,
        "year_start": start,
        "year_end": end,
        "value": pct.value,
        "value_min": pct.low,
        "value_max": pct.high,
        "unit": "percent",
        **{f"value_start{s}": float(a[f"value{s}"]) for s in ("", "_min", "_max")},
        **{f"value_end{s}": float(b[f"value{s}"]) for s in ("", "_min", "_max")},
        "n_countries": len(both),
        "group_size": int(a["group_size"]),
        "countries": ";".join(both),
        "missing": b["missing"] if balanced else _union_missing(a, b),
        "countries_start": a["countries"],
        "countries_end": b["countries"],
        "n_suppressed": n_sup,
        "balanced": balanced,
        "source": ";".join(sorted(set(f"{a['source']};{b['source']}".split(";")) - {""})),
        "publication": ";".join(sorted({a["publication"], b["publication"]} - {""})),
        "citation": ";".join(sorted(set(f"{a['citation']};{b['citation']}".split(";")) - {""})),
    }
    return row | {"note": _note(row)}


def _union_missing(a: pd.Series, b: pd.Series) -> str:
    gone = set(a["missing"].split(";")) | set(b["missing"].split(";"))
    return ";".join(sorted(gone - {""}))


def _note(r: dict) -> str:
    how = (
        "the same countries both years (balanced panel)"
        if r["balanced"]
        else f"whoever reports each year ({r['countries_start'] or 'none'} in {r['year_start']}, "
        f"{r['countries_end'] or 'none'} in {r['year_end']}): coverage differs between the years"
    )
    missing = f"left out: {r['missing'].replace(';', ', ')}." if r["missing"] else "none left out."
    lt5 = (
        f" {r['n_suppressed']} '<5' cell(s) counted as 1 to 4 (2.5 central)."
        if r["n_suppressed"]
        else ""
    )
    return _CHANGE_NOTE.format(
        stage=r["stage"],
        n=r["n_countries"],
        size=r["group_size"],
        who=r["countries"].replace(";", ", ") or "none",
        start=r["year_start"],
        end=r["year_end"],
        how=how,
        missing=missing,
        lt5=lt5,
        release=f"Release: {r['publication'] or 'none'}",
    )
