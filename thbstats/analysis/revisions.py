"""Revisions between two releases of one source: which figures a later release added, removed or
changed.

A key is one figure (``figureKey`` of thbstats/schema.yml within one source). A "<5" cell (value
empty, flag ``suppressed_lt5``) is a value of its own: "<5" -> 7 is a change, "<5" -> "<5" is not.
By default the two newest releases of the source's official data files are compared, ordered by
the release date in their publication names, so a release added to the downloads folder (even an
unregistered one) becomes the new vintage without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from thbstats.analysis.metrics.ranges import cell_labels
from thbstats.analysis.metrics.select import (
    bounds,
    edition_rank,
    has_flag,
    is_suppressed,
    period_label,
)
from thbstats.errors import NoData
from thbstats.schema import FIGURE_KEY

KEY = [c for c in FIGURE_KEY if c != "source"]  # one figure of the source compared
STATUSES = ("unchanged", "changed", "added", "removed")
TOTAL = {"form": "all", "sex": "all", "age": "all", "unit": "persons"}
"""The dimensions of a headline figure (all forms, sexes and ages, in persons)."""


@dataclass
class Revisions:
    """The comparison of release ``old`` with release ``new`` of ``source``, one row per key.

    Sweden's identified victims of 2019 were "<5" in the 2023 release and 269 in the 2025 one:

    >>> import thbstats as thb
    >>> r = compare(thb.load(vintage="all"))
    >>> r.old, r.new
    ('UNODC GLOTIP data 2023-05-30', 'UNODC GLOTIP data 2025-04-14')
    >>> k = r.keys.set_index(["geo", "year_start", "stage", "form", "sex", "age"])
    >>> swe = k.loc[("SWE", 2019, "identified", "all", "all", "all")]
    >>> swe[["status", "old_cell", "new_cell", "change_kind"]].tolist()
    ['changed', '<5', '269', 'from <5']
    """

    source: str
    old: str
    new: str
    keys: pd.DataFrame
    citations: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Keys per status, overall (row "all") and by stage; "overlapping" = in both releases."""
        by = self.keys.groupby(["stage", "status"]).size().unstack(fill_value=0)
        by = by.reindex(columns=list(STATUSES), fill_value=0)
        by.loc["all"] = by.sum()
        by["overlapping"] = by["unchanged"] + by["changed"]
        by["share_changed"] = (
            by["changed"] / by["overlapping"].where(by["overlapping"] > 0)
        ).round(4)
        moved = self.keys[self.keys["change_kind"] != "value"].query("status == 'changed'")
        to_lt5 = moved.groupby("stage").size()
        by["changed_to_or_from_lt5"] = to_lt5.reindex(by.index).fillna(0).astype(int)
        by.loc["all", "changed_to_or_from_lt5"] = len(moved)
        order = [s for s in by.index if s != "all"] + ["all"]
        cols = ["overlapping", *STATUSES, "share_changed", "changed_to_or_from_lt5"]
        out = by.loc[order, cols].rename_axis("stage").reset_index()
        out.columns.name = None
        return out

    def changed(self) -> pd.DataFrame:
        """The changed keys, largest absolute change first ("<5" changes last)."""
        out = self.keys[self.keys["status"] == "changed"]
        return out.sort_values("change", key=lambda s: -s.abs(), na_position="last")

    def by_country(self) -> pd.DataFrame:
        """Per country: keys per status, the share of overlapping keys changed, changes by stage."""
        k = self.keys
        counts = k.groupby(["geo", "status"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=list(STATUSES), fill_value=0)
        counts.insert(0, "overlapping", counts["unchanged"] + counts["changed"])
        counts["share_changed"] = (
            counts["changed"] / counts["overlapping"].where(counts["overlapping"] > 0)
        ).round(4)
        stages = k[k["status"] == "changed"].groupby(["geo", "stage"]).size().unstack(fill_value=0)
        stages = stages.add_prefix("changed_").reindex(counts.index, fill_value=0)
        names = k.groupby("geo")["geo_name"].first()
        out = pd.concat([names, counts, stages], axis=1).rename_axis("geo").reset_index()
        return out.sort_values(["changed", "geo"], ascending=[False, True], ignore_index=True)

    def totals(self, stage: str | None = None) -> pd.DataFrame:
        """Headline figures (all forms, sexes, ages) per country and stage, summed over the years
        both releases give a number for (``old_sum``, ``new_sum``) and over the revised years
        only (``old_revised``, ``new_revised``); ``change`` is the net change in persons and
        ``rel_change`` its share of the figures it replaced (``old_revised``).

        Years with "<5" in either release are left out of the sums and counted (``n_lt5``).
        """
        k = self.keys[self.keys["status"].isin(["changed", "unchanged"])]
        for col, want in TOTAL.items():
            k = k[k[col] == want]
        if stage is not None:
            k = k[k["stage"] == stage]
        k = k.assign(lt5=k["old_lt5"] | k["new_lt5"], revised=k["status"] == "changed")
        num = k[~k["lt5"]]
        rev = num[num["revised"]]
        g, gr = num.groupby(["geo", "stage"]), rev.groupby(["geo", "stage"])
        index = k.groupby(["geo", "stage"]).size().index
        out = pd.DataFrame(
            {
                "geo_name": k.groupby(["geo", "stage"])["geo_name"].first(),
                "first_year": g["year_start"].min(),
                "last_year": g["year_end"].max(),
                "n_years": g.size(),
                "old_sum": g["old_value"].sum(),
                "new_sum": g["new_value"].sum(),
            },
            index=index,
        )
        out["n_years"] = out["n_years"].fillna(0).astype(int)
        out[["first_year", "last_year"]] = out[["first_year", "last_year"]].astype("Int64")
        out[["old_sum", "new_sum"]] = out[["old_sum", "new_sum"]].fillna(0)
        out["n_revised"] = gr.size().reindex(out.index).fillna(0).astype(int)
        out["years_revised"] = rev.groupby(["geo", "stage"])["year_start"].agg(period_label)
        out["years_revised"] = out["years_revised"].fillna("")
        out["old_revised"] = gr["old_value"].sum().reindex(out.index).fillna(0)
        out["new_revised"] = gr["new_value"].sum().reindex(out.index).fillna(0)
        lt5 = k[k["lt5"]].groupby(["geo", "stage"]).size()
        out["n_lt5"] = lt5.reindex(out.index).fillna(0).astype(int)
        out["change"] = out["new_sum"] - out["old_sum"]
        base = out["old_revised"].where(out["old_revised"] > 0)
        out["rel_change"] = (out["change"] / base).round(4)
        return out.reset_index()

    def largest(
        self, n: int = 10, by: str = "absolute", stage: str | None = None, min_base: float = 100
    ) -> pd.DataFrame:
        """The ``n`` countries and stages whose headline totals changed most.

        ``by="absolute"`` ranks by the net change in persons, ``by="relative"`` by the change as a
        share of the figures it replaced (only where those were at least ``min_base`` persons, so
        that 2 -> 6 does not top the list).
        """
        if by not in ("absolute", "relative"):
            raise ValueError(f"by: expected 'absolute' or 'relative', found {by!r}")
        t = self.totals(stage)
        t = t[t["change"] != 0]
        col = "change" if by == "absolute" else "rel_change"
        if by == "relative":
            t = t[t["old_revised"] >= min_base]
        return t.sort_values(col, key=lambda s: -s.abs(), kind="mergesort").head(n)


def release_rows(df: pd.DataFrame, source: str = "UNODC") -> pd.DataFrame:
    """The rows of ``source`` read from official release files, as printed.

    Such a row cites a release described in data/raw/sources.yml (an entry with a ``release:``
    block) or an unregistered file read by `thbstats data` (``unregistered:...``); transcribed
    figures (report headlines, even under the same publication name) and totals the build derived
    from a release's splits (flag ``derived``: not printed) are left out.

    >>> import thbstats as thb
    >>> sorted(release_rows(thb.load(vintage="all"))["citation"].unique())
    ['unodc-glotip-2023-05-30', 'unodc-glotip-2025-04-14']
    """
    from thbstats import citations

    described = citations.all_sources()
    rows = df[(df["source"] == source) & ~has_flag(df["flag"], "derived")]
    cites = rows["citation"].astype(str)
    known = {c for c in cites.unique() if "release" in described.get(c, {})}
    return rows[cites.isin(known) | cites.str.startswith("unregistered:")]


def release_files(df: pd.DataFrame, source: str = "UNODC") -> list[str]:
    """Publications of ``source`` read from official release files, oldest first (by the release
    date or year in their names).

    >>> import thbstats as thb
    >>> release_files(thb.load(vintage="all"))
    ['UNODC GLOTIP data 2023-05-30', 'UNODC GLOTIP data 2025-04-14']
    """
    return sorted(release_rows(df, source)["publication"].unique(), key=edition_rank)


def compare(
    df: pd.DataFrame | None = None,
    source: str = "UNODC",
    old: str | None = None,
    new: str | None = None,
) -> Revisions:
    """Compare two releases of ``source`` (default: its two newest release files).

    ``df`` is the table with every vintage (``thb.load(vintage="all")`` when None).

    >>> r = compare(source="UNODC")
    >>> s = r.summary().set_index("stage")
    >>> print(s.loc[["all"], ["overlapping", "changed", "changed_to_or_from_lt5"]].to_string())
           overlapping  changed  changed_to_or_from_lt5
    stage
    all          35104     1969                     466
    """
    if df is None:
        import thbstats as thb

        df = thb.load(vintage="all")
    rows_all = release_rows(df, source)
    old, new = _pick(rows_all, source, old, new)
    sides = {}
    for side, pub in (("old", old), ("new", new)):
        rows = rows_all[rows_all["publication"] == pub]
        dup = rows.duplicated(KEY, keep=False)
        if dup.any():
            first = rows.loc[dup, KEY].iloc[0].to_dict()
            raise ValueError(f"{pub}: expected one figure per key, found several for {first}")
        sides[side] = rows
    if "latest" in df.columns and len(sides["old"]) and sides["old"]["latest"].all():
        raise ValueError(
            f"{old}: every row is marked latest, so the table holds one vintage per key; "
            'compare the table of every vintage: thb.load(vintage="all")'
        )
    keys = _join(sides["old"], sides["new"])
    cites = sorted(set(sides["old"]["citation"]) | set(sides["new"]["citation"]))
    return Revisions(source, old, new, keys, cites)


def _pick(rows: pd.DataFrame, source: str, old: str | None, new: str | None) -> tuple[str, str]:
    pubs = sorted(rows["publication"].unique(), key=edition_rank)
    for name, pub in (("old", old), ("new", new)):
        if pub is not None and pub not in pubs:
            raise ValueError(
                f"{name}: expected a release of {source} ({', '.join(pubs) or 'none found'}), "
                f"found {pub!r}"
            )
    new = new or (pubs[-1] if pubs else None)
    older = [p for p in pubs if edition_rank(p) < edition_rank(new or "")]
    old = old or (older[-1] if older else None)
    if not old or not new or old == new:
        raise NoData(
            f"{source}: expected two releases to compare, found {', '.join(pubs) or 'none'}"
        )
    return old, new


def _side(rows: pd.DataFrame, side: str) -> pd.DataFrame:
    lt5 = is_suppressed(rows)
    lo, hi = bounds(rows)
    return rows[KEY].assign(
        **{
            f"{side}_value": rows["value"].astype(float),
            f"{side}_min": lo.to_numpy(),
            f"{side}_max": hi.to_numpy(),
            f"{side}_lt5": lt5.to_numpy(),
            f"{side}_citation": rows["citation"],
            f"{side}_name": rows["geo_name"],
        }
    )


def _join(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per key of either release, with both cells, status, change and kind of change."""
    k = _side(old, "old").merge(_side(new, "new"), on=KEY, how="outer", indicator=True)
    k["geo_name"] = k["new_name"].fillna(k["old_name"])
    k = k.drop(columns=["old_name", "new_name"])
    for side in ("old", "new"):
        k[f"{side}_lt5"] = k[f"{side}_lt5"].astype("boolean").fillna(False).astype(bool)
        k[f"{side}_cell"] = cell_labels(k, f"{side}_min", f"{side}_max")
    both = k.pop("_merge").astype(str)
    # the same figure: the same bounds ("<5" = 1-4; a sum of parts with "<5" among them = its range)
    same = (k["old_min"] == k["new_min"]) & (k["old_max"] == k["new_max"])
    k["status"] = both.map({"left_only": "removed", "right_only": "added"})
    k.loc[both == "both", "status"] = same.map({True: "unchanged", False: "changed"})
    k["change"] = k["new_value"] - k["old_value"]
    k["rel_change"] = (k["change"] / k["old_value"].where(k["old_value"] > 0)).round(4)
    k["change_kind"] = "value"
    k.loc[k["old_lt5"] & ~k["new_lt5"], "change_kind"] = "from <5"
    k.loc[~k["old_lt5"] & k["new_lt5"], "change_kind"] = "to <5"
    k.loc[both != "both", "change_kind"] = ""
    cols = [*KEY, "geo_name", "status", "old_cell", "new_cell", "old_value", "new_value"]
    cols += ["change", "rel_change", "change_kind", "old_lt5", "new_lt5"]
    cols += ["old_citation", "new_citation"]
    return k[cols].sort_values(KEY, ignore_index=True)
