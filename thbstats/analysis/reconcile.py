"""Two publishers, one figure: UNODC's country figures beside the TIP Report's narratives and the
European Commission's documents, for every State, period and stage both print.

A comparison sets two figures of the same State, stage and period side by side: UNODC's default
figure (bounds kept: a "<5" is 1 to 4), the second publisher's figure read alike by two readers
(``second_voice`` rows: thbstats.ingest.readers.second_voice). A period of several years (the
Commission's two-year totals) is set against UNODC's sum over the same years, only when UNODC
prints every one of them. Figures in different units (cases against persons) are listed, never
scored; two figures agree within 10% when some value within the bounds of each lies within 10% of
the larger.
"""

from __future__ import annotations

import pandas as pd

from thbstats import schema
from thbstats.analysis.metrics.ranges import central
from thbstats.analysis.metrics.select import defaults, has_flag
from thbstats.vocabulary import FLOW_STAGES

STAGES = tuple(s for s in FLOW_STAGES if s != "offences")
"""The stages a second publisher prints per State (TIP narratives: victims identified,
investigations, persons prosecuted and convicted): the vocabulary's flows of people."""

TOLERANCE = 0.10
"""Two figures agree when they differ by at most this share of the larger one."""

COLUMNS = [
    "geo", "geo_name", "year_start", "year_end", "stage", "first", "first_value", "first_min",
    "first_max", "first_unit", "second", "second_value", "second_min", "second_max",
    "second_unit", "same_unit", "difference", "relative", "within_10pct",
    "first_citation", "second_citation", "second_publication",
]  # fmt: skip
WORDS = ["second_words", "second_quote", "second_url"]
"""The second publisher's own words for a figure, its sentence and address (from ``words``)."""


def _totals(df: pd.DataFrame) -> pd.DataFrame:
    keep = (
        (df["geo_type"] == "country")
        & df["stage"].isin(STAGES)
        & (df["form"] == "all")
        & (df["sex"] == "all")
        & (df["age"] == "all")
    )
    return df[keep]


def unodc_figures(df: pd.DataFrame) -> pd.DataFrame:
    """UNODC's default single-year figure of each State, stage and year (bounds kept).

    >>> import thbstats as thb
    >>> u = unodc_figures(thb.load())
    >>> bel = u[(u.geo == "BEL") & (u.stage == "identified") & (u.year_start == 2020)]
    >>> bel[["source", "value"]].values.tolist()
    [['UNODC', 88.0]]
    """
    rows = _totals(df[df["source"] == "UNODC"])
    rows = defaults(rows[rows["year_start"] == rows["year_end"]])
    return rows[rows["value_max"].notna()]


def second_figures(df: pd.DataFrame) -> pd.DataFrame:
    """The second publishers' figures (``second_voice`` rows) of a stated period (a narrative's
    reporting period, April to March, is set against no calendar year): for one State, stage,
    period and unit printed by several editions, the newest edition's.

    Germany's investigations as the narratives of 2019-2021 print them, in cases and suspects:

    >>> import thbstats as thb
    >>> s = second_figures(thb.load())
    >>> deu = s[(s.geo == "DEU") & (s.stage == "suspected")]
    >>> print(deu[["publication", "year_start", "value", "unit"]].to_string(index=False))
        publication  year_start  value    unit
    TIP Report 2019        2017  338.0   cases
    TIP Report 2019        2017  550.0 persons
    TIP Report 2020        2018  386.0   cases
    TIP Report 2020        2018  602.0 persons
    TIP Report 2021        2019  313.0   cases
    TIP Report 2021        2019  472.0 persons
    """
    rows = df[has_flag(df["flag"], "second_voice") & ~has_flag(df["flag"], "reporting_period")]
    ordered, by = schema.vintage_order(_totals(rows))  # the "latest release" rule
    return ordered.drop_duplicates(by, keep="last").drop(columns="_variant")


def _unodc_over(unodc: pd.DataFrame, geo: str, stage: str, start: int, end: int) -> dict | None:
    """UNODC's figure (or sum) over ``start``-``end``, or None when a year is missing."""
    rows = unodc[(unodc["geo"] == geo) & (unodc["stage"] == stage)]
    rows = rows[rows["year_start"].between(start, end)]
    if rows["year_start"].nunique() != end - start + 1:
        return None
    keys = sorted({k for c in rows["citation"] for k in str(c).split(";") if k})
    return {
        "min": float(rows["value_min"].sum()),
        "max": float(rows["value_max"].sum()),
        "unit": "persons",
        "citation": ";".join(keys),
    }


def _agree(a_lo: float, a_hi: float, b_lo: float, b_hi: float) -> bool:
    """True when some a in [a_lo, a_hi] and b in [b_lo, b_hi] differ by at most TOLERANCE of
    the larger (an overlap agrees)."""
    if a_hi >= b_lo and b_hi >= a_lo:
        return True
    lo, hi = (a_hi, b_lo) if a_hi < b_lo else (b_hi, a_lo)
    return hi - lo <= TOLERANCE * hi


def _pair(first: str, f: dict, r: pd.Series) -> dict:
    second = {"min": float(r["value_min"]), "max": float(r["value_max"])}
    same = f["unit"] == r["unit"]
    fv, sv = central(f["min"], f["max"]), central(second["min"], second["max"])
    return {
        "geo": r["geo"],
        "geo_name": r["geo_name"],
        "year_start": int(r["year_start"]),
        "year_end": int(r["year_end"]),
        "stage": r["stage"],
        "first": first,
        "first_value": fv,
        "first_min": f["min"],
        "first_max": f["max"],
        "first_unit": f["unit"],
        "second": r["source"],
        "second_value": sv,
        "second_min": second["min"],
        "second_max": second["max"],
        "second_unit": r["unit"],
        "same_unit": same,
        "difference": sv - fv if same else float("nan"),
        "relative": (sv - fv) / fv if same and fv > 0 else float("nan"),
        "within_10pct": _agree(f["min"], f["max"], second["min"], second["max"]) if same else None,
        "first_citation": f["citation"],
        "second_citation": r["citation"],
        "second_publication": r["publication"],
    }


def reconcile(df: pd.DataFrame, words: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every comparison of two publishers' figures for one State, stage and period: UNODC against
    each second publisher, and the TIP Report against the Commission where both print a period.
    ``words`` (data/processed/second_voice_words.csv) adds each narrative figure's own words.

    Belgium's identified victims of 2020: UNODC 88, the TIP Report 2021 ("In 2020, the government
    formally identified and assisted 91 victims"), 3.4% apart:

    >>> import thbstats as thb
    >>> r = reconcile(thb.load())
    >>> bel = r[(r.geo == "BEL") & (r.stage == "identified") & (r.year_start == 2020)]
    >>> print(bel[["first", "first_value", "second", "second_value", "within_10pct"]].to_string(index=False))
    first  first_value second  second_value  within_10pct
    UNODC         88.0    TIP          91.0          True
    """
    unodc, second = unodc_figures(df), second_figures(df)
    out = []
    for _, r in second.iterrows():
        span = (r["geo"], r["stage"], int(r["year_start"]), int(r["year_end"]))
        f = _unodc_over(unodc, *span)
        if f is not None:
            out.append(_pair("UNODC", f, r))
    tip = second[second["source"] == "TIP"]
    for _, r in second[second["source"] == "EC"].iterrows():
        t = tip[(tip["geo"] == r["geo"]) & (tip["stage"] == r["stage"])]
        t = t[t["year_start"].between(r["year_start"], r["year_end"]) & (t["unit"] == "persons")]
        if t["year_start"].nunique() == r["year_end"] - r["year_start"] + 1:
            keys = ";".join(sorted(set(t["citation"])))
            f = {"min": t["value_min"].sum(), "max": t["value_max"].sum(), "unit": "persons"}
            out.append(_pair("TIP", f | {"citation": keys}, r))
    table = pd.DataFrame(out, columns=COLUMNS).astype({"within_10pct": "boolean"})
    table = table.sort_values(["geo", "stage", "year_start", "second"], ignore_index=True)
    return with_words(table, words)


def with_words(table: pd.DataFrame, words: pd.DataFrame | None) -> pd.DataFrame:
    """``table`` with the second publisher's words, sentence and address of each figure.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"second_publication": ["TIP Report 2021"], "geo": ["BEL"],
    ...     "year_start": [2020], "year_end": [2020], "stage": ["identified"],
    ...     "second_unit": ["persons"]})
    >>> w = pd.DataFrame({"publication": ["TIP Report 2021"], "geo": ["BEL"], "year_start": ["2020"],
    ...     "year_end": ["2020"], "stage": ["identified"], "form": ["all"], "unit": ["persons"],
    ...     "unit_words": ["victims"], "quote": ["identified and assisted 91 victims"],
    ...     "url": ["https://www.state.gov/reports/2021-trafficking-in-persons-report/belgium/"]})
    >>> with_words(t, w)[["second_words", "second_quote"]].values.tolist()
    [['victims', 'identified and assisted 91 victims']]
    """
    if words is None or words.empty:
        return table.assign(**{c: "" for c in WORDS})
    w = words[words["form"] == "all"].rename(
        columns={"publication": "second_publication", "unit": "second_unit", "unit_words":
                 "second_words", "quote": "second_quote", "url": "second_url"}
    )  # fmt: skip
    on = ["second_publication", "geo", "year_start", "year_end", "stage", "second_unit"]
    w = w.astype({"year_start": int, "year_end": int}).drop_duplicates(on)
    out = table.merge(w[on + WORDS], on=on, how="left")
    out[WORDS] = out[WORDS].fillna("")
    return out


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """How often each pair of publishers agrees within 10%, by stage (same-unit comparisons),
    and how many comparisons were in another unit (cases against persons).

    >>> import thbstats as thb
    >>> s = summary(reconcile(thb.load()))
    >>> s[s.stage == "suspected"][["compared", "within_10pct", "other_unit"]].values.tolist()
    [[6, 3, 10]]
    """
    scored = table[table["same_unit"]]
    g = scored.groupby(["first", "second", "stage"])
    out = g.agg(
        compared=("within_10pct", "size"),
        within_10pct=("within_10pct", "sum"),
        states=("geo", "nunique"),
    ).reset_index()
    out["share_within_10pct"] = out["within_10pct"] / out["compared"]
    other = table[~table["same_unit"]].groupby(["first", "second", "stage"]).size()
    out["other_unit"] = [
        int(other.get((a, b, s), 0)) for a, b, s in out[["first", "second", "stage"]].to_numpy()
    ]
    return out


def never_agree(table: pd.DataFrame) -> pd.DataFrame:
    """The States whose same-unit comparisons never agree within 10%, with how many there are.

    Italy's six comparisons with the narratives (which count victims assisted by NGOs, and
    persons investigated and indicted under the trafficking article) never agree:

    >>> import thbstats as thb
    >>> n = never_agree(reconcile(thb.load()))
    >>> n[n.geo == "ITA"][["compared", "within_10pct"]].values.tolist()
    [[6, 0]]
    """
    scored = table[table["same_unit"]]
    per = scored.groupby(["geo", "geo_name"])["within_10pct"].agg(["size", "sum"]).reset_index()
    per = per.rename(columns={"size": "compared", "sum": "within_10pct"})
    return per[per["within_10pct"] == 0].reset_index(drop=True)
