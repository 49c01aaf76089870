"""The impunity funnel's table: estimated -> identified -> prosecuted -> convicted for one year."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from thbstats.analysis.metrics import Range, estimate, range_label, ratio, stage_table
from thbstats.analysis.metrics.matched import Panel, group_panel
from thbstats.publish.chartdata.common import finish_table, geo_title, searched, slug
from thbstats.publish.chartdata.notes import coverage_phrase, data_note
from thbstats.vocabulary import ESTIMATE_CONCEPTS, ESTIMATE_SHORT, FUNNEL_STAGES, STAGE_LABELS


def _estimate_row(df: pd.DataFrame, geo, year: int) -> dict:
    e = estimate(df, geo, near_year=year) if len(geo) else None
    get = lambda k, empty="": e[k] if e else empty  # noqa: E731
    return {
        "stage": "estimated",
        "value": get("value", float("nan")),
        "value_min": get("value", float("nan")),
        "value_max": get("value", float("nan")),
        "period": str(e["year"]) if e else "",
        "kind": "stock",
        "publication": get("publication"),
        "citation": get("citation"),
        "n_countries": get("n_countries", pd.NA),
        "group_size": get("group_size", pd.NA),
        "n_suppressed": 0,
        "origin": get("origin"),
        "form": get("form"),
    }


def _flow_row(t: pd.DataFrame | None, st: str, year: int) -> dict:
    r = t[t["stage"] == st] if t is not None else pd.DataFrame({"value": []})
    ok = not r.empty and pd.notna(r["value"].iloc[0])
    r = r.iloc[0] if ok else {}
    get = lambda k, empty="": r[k] if ok else empty  # noqa: E731
    return {
        "stage": st,
        "value": get("value", float("nan")),
        "value_min": get("value_min", float("nan")),
        "value_max": get("value_max", float("nan")),
        "period": str(year),
        "kind": "flow",
        "publication": get("publication"),
        "citation": get("citation"),
        "n_countries": get("n_countries", pd.NA),
        "group_size": get("group_size", pd.NA),
        "n_suppressed": get("n_suppressed", 0),
        "origin": get("origin"),
        "form": "all",
    }


def stage_label(stage: str, form: str) -> str:
    """'Identified victims'; an estimate with what it estimates: 'Estimated:\\nmodern slavery'.

    >>> stage_label("estimated", "modern_slavery"), stage_label("convicted", "all")
    ('Estimated:\\nmodern slavery', 'Convicted')
    """
    if stage == "estimated" and form in ESTIMATE_SHORT:
        return f"Estimated:\n{ESTIMATE_SHORT[form]}"
    return STAGE_LABELS.get(stage, stage)


def value_label(r) -> str:
    """ "1,234", or for a figure holding "<5" cells "1-4 (published as '<5')"; "" for no data.

    >>> from types import SimpleNamespace as Row
    >>> value_label(Row(value=54.0, value_min=54.0, value_max=54.0, n_suppressed=0))
    '54'
    >>> value_label(Row(value=2.5, value_min=1.0, value_max=4.0, n_suppressed=1))
    "1-4 (published as '<5')"
    """
    if pd.isna(r.value):
        return ""
    text = range_label(r.value_min, r.value_max)
    if r.value_min == r.value_max:
        return text
    n = int(r.n_suppressed)
    return text + (
        " (published as '<5')"
        if text == "1-4"
        else f" (includes {n} figure{'' if n == 1 else 's'} published as '<5')"
    )


def _rng(r: pd.Series) -> Range:
    return Range(float(r["value"]), float(r["value_min"]), float(r["value_max"]))


def ratio_label(upper: pd.Series, lower: pd.Series) -> str:
    """ "19.5 prosecuted\\nper 100 identified" (per 1,000 under a stock), a range with "<5".

    >>> import pandas as pd
    >>> row = {"kind": "flow", "value": 95.0, "value_min": 95.0, "value_max": 95.0}
    >>> up = pd.Series(row | {"stage": "identified"})
    >>> low = pd.Series({**row, "stage": "prosecuted", "value": 54.0, "value_min": 54.0,
    ... "value_max": 54.0})
    >>> print(ratio_label(up, low))
    56.8 prosecuted
    per 100 identified
    """
    per = 1000 if upper["kind"] == "stock" else 100
    r = ratio(_rng(lower), _rng(upper), per)
    fmt = lambda x: f"{x:,.1f}" if x < 100 else f"{x:,.0f}"  # noqa: E731
    num = fmt(r.value) if fmt(r.low) == fmt(r.high) else f"{fmt(r.low)}-{fmt(r.high)}"
    return f"{num} {lower['stage']}\nper {per:,} {upper['stage']}"


def _labels(out: pd.DataFrame) -> pd.DataFrame:
    """Stage and value labels, and under each stage with data its ratio to the one above."""
    out["stage_label"] = [stage_label(s, f) for s, f in zip(out["stage"], out["form"], strict=True)]
    out["value_label"] = [value_label(r) for r in out.itertuples()]
    out["ratio_label"] = ""
    have = [
        i for i in range(len(out)) if pd.notna(out["value"].iloc[i]) and out["value"].iloc[i] > 0
    ]
    for i, j in zip(have, have[1:], strict=False):
        out.loc[j, "ratio_label"] = ratio_label(out.iloc[i], out.iloc[j])
    return out


def _missing_note(data: pd.DataFrame) -> str:
    """Why a stage has no data when a release is missing (e.g. the Walk Free workbook)."""
    from thbstats.ingest.missing import missing_notes

    lost = missing_notes(stages=list(data.loc[data["value"].isna(), "stage"]))
    return " ".join(f"{n[0].upper()}{n[1:]}." for n in lost)


def _scope_note(df: pd.DataFrame, panel: Panel | None, out: pd.DataFrame, year: int) -> str:
    """Which countries every stage sums (the estimate included), and the members left out; or
    that a group's printed estimate does not cover the same countries as its summed flows."""
    if panel is None:
        est = out[(out["stage"] == "estimated") & out["value"].notna()]
        flows = out[(out["kind"] == "flow") & out["value"].notna()]
        if not len(est) or not len(flows):
            return ""
        e_pub, f_pub = (est["origin"] == "published").all(), (flows["origin"] == "published").all()
        if e_pub and not f_pub:
            n = int(pd.to_numeric(flows["n_countries"]).max())
            return (
                f"The estimate is printed for the whole area; the yearly figures sum {n} countries: the "
                "first ratio does not compare the same countries."
            )
        if f_pub and not e_pub:
            e = est.iloc[0]
            return (
                f"The yearly figures are printed for the whole area; the estimate sums {e['n_countries']} "
                f"of {e['group_size']} countries' estimates: the first ratio may not compare the "
                "same countries."
            )
        return ""
    if not panel.countries:
        return (
            f"No member has a figure for every stage shown in {year}: no funnel of one country set."
        )
    names = {g: geo_title(df, g) for g in panel.members}
    kept = ", ".join(sorted(names[g] for g in panel.countries)) or "none"
    left = panel.left_out_text(names)
    return (
        f"Every stage sums the same {len(panel.countries)} of {len(panel.members)} countries, "
        f"those with a figure for every stage shown in {year}: {kept}."
        + (f" Left out: {left}." if left else "")
    )


def _concept_note(concept: str) -> str:
    """Say that the estimate is not of trafficking victims when it is not."""
    if not concept or concept == ESTIMATE_CONCEPTS["trafficking"]:
        return ""
    return (
        f"The estimate counts {concept}, not victims of trafficking only: the identified, "
        "prosecuted and convicted stages count trafficking cases."
    )


def funnel_data(
    df: pd.DataFrame,
    geo: str | Iterable[str] = "WORLD",
    year: int = 2016,
    stages: Iterable[str] = FUNNEL_STAGES,
    *,
    source: str | None = None,
    mode: str = "balanced",
) -> pd.DataFrame:
    """One row per stage: the figure (NaN = no data), its bounds, source, period, coverage and
    the labels the funnel prints; the estimate is the one nearest ``year``.

    >>> import thbstats as thb
    >>> t = funnel_data(thb.load(), "ALB", 2018)
    >>> print(t[["stage", "value_label", "publication"]].to_string(index=False))
         stage value_label                  publication
     estimated      20,000    Global Slavery Index 2018
    identified          95 UNODC GLOTIP data 2025-04-14
    prosecuted          54 UNODC GLOTIP data 2025-04-14
     convicted
    """
    stages = list(stages)
    panel = group_panel(df, geo, stages, [year], source=source) if mode == "balanced" else None
    scope = panel.countries if panel is not None else geo
    flows = [s for s in stages if s != "estimated"]
    t = stage_table(df, scope, flows, [year], source=source, mode=mode) if len(scope) else None
    rows = [_estimate_row(df, scope, year) if st == "estimated" else _flow_row(t, st, year)
            for st in stages]  # fmt: skip
    out = pd.DataFrame(rows)
    if panel is not None:  # the sums cover the common set: of how many members
        out["group_size"] = len(panel.members)
        out["n_countries"] = out["n_countries"].where(out["value"].isna(), len(panel.countries))
    out.insert(0, "geo", geo if isinstance(geo, str) else "custom")
    out = _labels(out)
    name = geo_title(df, geo)
    flows = out[(out["kind"] == "flow") & out["value"].notna()]
    cov = coverage_phrase(flows.assign(mode=mode), "stages") if len(flows) else "no yearly figures"
    est = out[out["kind"] == "stock"]
    concept = ESTIMATE_CONCEPTS.get(est["form"].iloc[0], "") if len(est) else ""
    est_txt = (
        f"; estimate: {concept}, {est['period'].iloc[0]}"
        if len(est) and est["period"].iloc[0]
        else ""
    )
    missing = [f"{s} ({year})" for s in out.loc[out["value"].isna(), "stage"]]
    parts = [
        f"{lab}: ".replace("\n", " ")
        + (f"{r.value_label} ({r.publication}, {r.period})" if pd.notna(r.value) else "no data")
        for lab, r in zip(out["stage_label"], out.itertuples(), strict=True)
    ]
    note_parts = [
        "'Estimated' counts people in the situation on one day; the other stages count persons "
        "in a year, so the first ratio compares two different kinds of count."
        if len(est) and est["value"].notna().any()
        else "",
        _concept_note(concept),
        "Bars are on a log scale.",
        f"No data for {', '.join(missing)}." if missing else "",
        _scope_note(df, panel, out, year),
        data_note(out, "labels and whiskers give the range, ratios are ranges"),
        _missing_note(out),
    ]
    return finish_table(
        out,
        id=slug(geo, "funnel", year),
        kind="funnel",
        title=f"The impunity gap: {name}, {year}",
        subtitle=f"{name} · counts in {year}{est_txt} · {cov}",
        note=" ".join(p for p in note_parts if p),
        alt=f"Funnel chart, horizontal bars on a log scale, for {name}, {year}. "
        + "; ".join(parts)
        + ".",
        plotted=out[out["value"].notna()],
        params={"geo": geo, "year": year, "stages": stages, "source": source, "mode": mode},
        searched=searched(df, stages, source),
        year=year,
    )
