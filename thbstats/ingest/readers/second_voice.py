"""A second publisher per State: the TIP Report's country narratives (read twice, independently)
and the European Commission's staff working documents, from data/raw/second_voice/.

A narrative prints its figures in prose ("courts convicted 46 traffickers"), so people transcribe
them; a figure enters the table only when two readers read it alike and none read it otherwise.
Every row is flagged ``second_voice``: shown beside UNODC's figure and reconciled with it, never
the default figure. The layout (columns, stage words, citation keys) is in second_voice.yml.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import yaml

from thbstats import geo as geomod
from thbstats import schema
from thbstats.errors import InputError
from thbstats.ingest.readers import ReadResult
from thbstats.ingest.readers.cell_checks import INTEGER, check_text
from thbstats.ingest.readers.transcribed import read_cells

REVIEW_COLUMNS = [
    "family", "edition", "geo", "reporting_year", "stage", "form", "unit", "readings", "reason",
]  # fmt: skip


@cache
def layout() -> dict[str, Any]:
    """The layout of the transcriptions (second_voice.yml beside this module)."""
    with open(Path(__file__).with_name("second_voice.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def folder(raw: Path) -> Path:
    """The folder of the second-voice transcriptions under data/raw."""
    return raw / layout()["folder"]


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    """One transcription file as text cells, header and cells checked (rows: file lines)."""
    df = read_cells(path, columns)
    for col in columns:
        for i, cell in df[col].items():
            check_text(cell, str(path), i + 2, col)
    df["_line"] = df.index + 2
    return df


def _require(df: pd.DataFrame, path: Path, col: str, ok: pd.Series, expected: str) -> None:
    bad = df[~ok]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(str(path), int(row["_line"]), col, expected, row[col] or "an empty cell")


def _whole(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(INTEGER.pattern) & ~s.str.startswith("-")


def read_readings(paths: list[Path]) -> pd.DataFrame:
    """Every TIP reading, checked, with the reader's number (from the file name's last digits)."""
    lay = layout()["tip"]
    frames = []
    for path in paths:
        df = _read(path, lay["columns"])
        _require(df, path, "edition", _whole(df["edition"]), "a TIP Report year, e.g. 2021")
        _require(df, path, "geo", df["geo"].map(geomod.is_country), "an ISO 3166 alpha-3 code")
        year = df["reporting_year"]
        _require(df, path, "reporting_year", (year == "") | _whole(year), "a year or nothing")
        _require(df, path, "stage", df["stage"].isin(lay["stages"]), "|".join(lay["stages"]))
        _require(df, path, "form", df["form"].isin(lay["forms"]), "|".join(lay["forms"]))
        _require(df, path, "unit", df["unit"].isin(lay["units"]), "|".join(lay["units"]))
        _require(df, path, "value", _whole(df["value"]), "a whole number in digits")
        _require(df, path, "quote", df["quote"] != "", "the narrative's words holding the number")
        # a year the reader inferred from context ("not stated in sentence") is not the
        # narrative's: the figure has no calendar year
        inferred = df["year_words"].str.contains(lay["year_not_stated"], case=False, regex=True)
        df.loc[inferred, "reporting_year"] = ""
        digits = "".join(c for c in path.stem if c.isdigit())
        frames.append(df.assign(reader=digits or path.stem, _file=path.name))
    if not frames:
        return pd.DataFrame(columns=[*lay["columns"], "reader", "_file", "_line"])
    return pd.concat(frames, ignore_index=True)


def double_read(readings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the readings into figures read alike (one row per figure, the first agreeing
    reading's words) and the review list: figures read once or read differently.
    A figure for which the narrative names no calendar year covers the report's reporting
    period (April of the year before the edition to March of the edition's year): flagged
    ``reporting_period``.

    Readers agree when each read the same numbers under the key (forced begging and forced
    criminality both count as form ``other``: two numbers there are summed, flagged
    ``summed_parts``; two numbers under another form cannot be told apart and go to review)."""
    lay = layout()["tip"]
    agreed, review = [], []
    groups: dict[tuple, list[dict]] = {}
    for rec in readings.to_dict("records"):  # text cells: no key is missing
        groups.setdefault(tuple(rec[k] for k in lay["key"]), []).append(rec)
    for key in sorted(groups):
        g = groups[key]
        by_reader = {r: () for r in sorted({rec["reader"] for rec in g})}
        for r in by_reader:
            by_reader[r] = tuple(sorted((x["value"] for x in g if x["reader"] == r), key=int))
        said = "; ".join(f"reader {r}: {' + '.join(v)}" for r, v in by_reader.items())
        base = dict(zip(lay["key"], key, strict=True), family="tip", readings=said)
        reason = _disagreement(key, by_reader, lay)
        if reason:
            words = g[0]["year_words"]
            review.append(base | {"reason": reason + (f" ({words})" if words else "")})
            continue
        first = min(g, key=lambda x: (x["reader"], x["_line"]))
        parts = next(iter(by_reader.values()))
        agreed.append(
            first
            | {
                "value": str(sum(int(v) for v in parts)),
                "summed": len(parts) > 1,
                "readers": list(by_reader),
            }
        )
    cols = [*lay["columns"], "reader", "summed", "readers", "_file", "_line"]
    return pd.DataFrame(agreed, columns=cols), pd.DataFrame(review, columns=REVIEW_COLUMNS)


def _disagreement(key: tuple, by_reader: dict[str, tuple], lay: dict) -> str:
    """Why a figure stays out of the table ("" when it goes in)."""
    values = list(by_reader.values())
    if len(set(values)) > 1:
        return "read differently"
    if len(values) < lay["agree"]:
        return "read by one reader only"
    if len(values[0]) > 1 and key[lay["key"].index("form")] != "other":
        return "two figures under one key"
    return ""


def period(edition: str, reporting_year: str) -> tuple[str, str]:
    """The figure's years: the calendar year the narrative names, or its reporting period (the
    year before the edition to the edition's year) when it names none."""
    if reporting_year:
        return reporting_year, reporting_year
    return str(int(edition) - 1), edition


def _host_flag(url: str, hosts: list[str]) -> str:
    host = urlparse(url).netloc.lower()
    return "" if host in hosts else "third_party_copy"


def _flags(*parts: str) -> str:
    return ";".join(p for p in parts if p)


def tip_rows(agreed: pd.DataFrame) -> pd.DataFrame:
    """The agreed narrative figures as rows of the tidy table (TIP, one per figure)."""
    lay, flag = layout()["tip"], layout()["flag"]
    rows = []
    for _, r in agreed.iterrows():
        readers = " and ".join(r["readers"])
        start, end = period(r["edition"], r["reporting_year"])
        rows.append({
            "source": "TIP",
            "publication": f"TIP Report {r['edition']}",
            "geo": r["geo"],
            "geo_name": geomod.name(r["geo"]),
            "geo_type": "country",
            "year_start": start,
            "year_end": end,
            "stage": lay["stages"][r["stage"]],
            "form": r["form"],
            "sex": "all",
            "age": "all",
            "value": r["value"],
            "unit": r["unit"],
            "flag": _flags(
                flag,
                "summed_parts" if r["summed"] else "",
                "" if r["reporting_year"] else "reporting_period",
                _host_flag(r["url"], lay["publisher_hosts"]),
            ),
            "citation": lay["citation"].format(edition=r["edition"]),
            "note": f'{r["unit_words"]}: "{r["quote"]}" ({r["year_words"]}); '
            + ("the sum of the forms it names; " if r["summed"] else "")
            + f"country narrative seen at {r['url']}; read alike by readers {readers}",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=[*schema.source_columns(), "note"])


def commission_rows(path: Path) -> pd.DataFrame:
    """The Commission documents' figures as rows of the tidy table (EC), read once."""
    lay, flag = layout()["commission"], layout()["flag"]
    df = _read(path, lay["columns"])
    _require(df, path, "document", df["document"].isin(lay["citations"]), "a registered document")
    _require(df, path, "stage", df["stage"].isin(lay["stages"]), "|".join(lay["stages"]))
    _require(df, path, "unit", df["unit"].isin(lay["units"]), "|".join(lay["units"]))
    _require(df, path, "value", _whole(df["value"]), "a whole number in digits")
    for col in ("year_start", "year_end"):
        _require(df, path, col, _whole(df[col]), "a year in digits")
    out = pd.DataFrame({
        "source": "EC",
        "publication": "European Commission " + df["document"],
        "geo": df["geo"],
        "geo_name": df["geo_name"],
        "geo_type": ["country" if geomod.is_country(g) else "region" for g in df["geo"]],
        "year_start": df["year_start"],
        "year_end": df["year_end"],
        "stage": df["stage"],
        "form": "all",
        "sex": "all",
        "age": "all",
        "value": df["value"],
        "unit": df["unit"],
        "flag": [_flags(flag, _host_flag(u, lay["publisher_hosts"])) for u in df["url"]],
        "citation": df["document"].map(lay["citations"]),
        "note": df["locator"] + ': "' + df["quote"] + '"; seen at ' + df["url"] + "; read once",
    })  # fmt: skip
    out.attrs["lines"] = df["_line"]
    return out


def _check_citations(tip: pd.DataFrame, agreed: pd.DataFrame, where: Path) -> None:
    """Every edition read has its entry in sources.yml (named by the first reader's line)."""
    from thbstats import citations

    known = citations.all_sources()
    for i, key in enumerate(tip["citation"]):
        if key not in known:
            row = agreed.iloc[i]
            raise InputError(
                str(where / row["_file"]),
                int(row["_line"]),
                "edition",
                f"an edition described in data/raw/sources.yml (key {key})",
                row["edition"],
            )


WORDS_COLUMNS = [
    "publication", "geo", "year_start", "year_end", "stage", "form", "unit", "unit_words",
    "year_words", "quote", "url", "readers",
]  # fmt: skip
"""The narrative's own words of each figure read alike (data/processed/second_voice_words.csv)."""


def words(agreed: pd.DataFrame) -> pd.DataFrame:
    """Each agreed figure's key in the table with the narrative's words, address and readers."""
    lay = layout()["tip"]
    years = [period(e, y) for e, y in zip(agreed["edition"], agreed["reporting_year"], strict=True)]
    return pd.DataFrame({
        "publication": "TIP Report " + agreed["edition"],
        "geo": agreed["geo"],
        "year_start": [y[0] for y in years],
        "year_end": [y[1] for y in years],
        "stage": agreed["stage"].map(lay["stages"]),
        "form": agreed["form"],
        "unit": agreed["unit"],
        "unit_words": agreed["unit_words"],
        "year_words": agreed["year_words"],
        "quote": agreed["quote"],
        "url": agreed["url"],
        "readers": [" and ".join(r) for r in agreed["readers"]],
    }, columns=WORDS_COLUMNS)  # fmt: skip


def read_second_voice(raw: Path) -> tuple[list[ReadResult], pd.DataFrame, pd.DataFrame]:
    """The TIP narratives' agreed figures and the Commission's figures as read results, the
    review list of what was not read alike, and the agreed figures' words (``words``)."""
    where = folder(raw)
    results: list[ReadResult] = []
    readings = read_readings(sorted(where.glob(layout()["tip"]["readings"])))
    agreed, review = double_read(readings)
    if len(agreed):
        tip = tip_rows(agreed)
        _check_citations(tip, agreed, where)
        lines = pd.Series(agreed["_line"].to_numpy())
        schema.validate(tip, str(where / "tip_reading_*.csv"), lines)
        results.append(ReadResult(schema.coerce(tip), lines, {}, {}, origin="tip_narratives"))
    ec_file = where / layout()["commission"]["file"]
    if ec_file.exists():
        ec = commission_rows(ec_file)
        lines = pd.Series(ec.attrs.pop("lines").to_numpy())
        schema.validate(ec, str(ec_file), lines)
        results.append(ReadResult(schema.coerce(ec), lines, {}, {}, origin=ec_file.name))
    return results, review, words(agreed)
