"""`thbstats data`: every reader -> one validated tidy table -> data/processed (atomic writes)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from thbstats import citations, geo, paths, schema
from thbstats.atomic import exclusive, remove_stale_temps, write_atomic, write_text_atomic
from thbstats.csv_out import write_csv
from thbstats.errors import InputError
from thbstats.ingest import (
    audit,
    build_record,
    checks,
    derive,
    new_release,
    release_cache,
    releases,
)
from thbstats.ingest import damaged as damaged_files
from thbstats.ingest import missing as missing_releases
from thbstats.ingest.build_report import BuildReport
from thbstats.ingest.datapackage import datapackage
from thbstats.ingest.readers import ReadResult, Release, second_voice
from thbstats.ingest.readers.second_voice import read_second_voice
from thbstats.ingest.readers.transcribed import read_transcribed, transcribed_files

TABLE = "thb_figures"


def _read_all(downloads: Path, report: BuildReport, log: Callable[[str], None]) -> list[ReadResult]:
    results = []
    found, missing, unregistered = releases.locate(downloads)
    report.missing = [r.key for r in missing]
    by_key: dict[str, Release] = {r.key: r for r in releases.registered()}
    for key, path in found.items():
        results.append(_read_one(by_key[key], path, report, log))
    damaged = damaged_files.damaged_releases(missing, unregistered)
    report.damaged = {key: str(path) for key, path in damaged.items()}
    for path in unregistered:
        if path in damaged.values():
            continue  # a registered release, damaged: reported with the missing ones
        try:
            release = new_release.identify(path)
        except InputError as exc:  # damaged, or no workbook: a copy of a present release?
            copied = damaged_files.copy_of(path, found)
            if copied is None:
                raise
            report.warnings.append(
                f"{path}: skipped, a damaged copy of {copied} (read from {found[copied]}): "
                f"expected {exc.expected}, found {exc.found}; delete it"
            )
            continue
        if release is None:
            report.unregistered.append(str(path))
            continue
        results.append(_read_one(release, path, report, log))
        key, entry, warning = new_release.accept(release, path, results[-1])
        report.sources[key] = entry
        report.warnings.append(warning)
    new_release.one_file_per_release(results, list(report.found.values()))
    for path in transcribed_files(paths.raw_dir()):
        results.append(read_transcribed(path))
    second, report.review, report.words = read_second_voice(paths.raw_dir())
    report.second_voice = [str(second_voice.folder(paths.raw_dir()) / r.origin) for r in second]
    return results + second


def _read_one(
    release: Release, path: Path, report: BuildReport, log: Callable[[str], None]
) -> ReadResult:
    t = time.perf_counter()
    res, cached = release_cache.read(release, path)
    report.found[release.key] = str(path)
    report.dropped[release.key] = res.dropped
    if cached:
        report.cached.add(release.key)
    how = "parse cached" if cached else "parsed"
    log(
        f"  read {release.key}: {len(res.frame):,} rows from {path.name} "
        f"({how}, {time.perf_counter() - t:.1f} s)"
    )
    return res


def _un_regions(results: list[ReadResult]) -> pd.DataFrame:
    """UN region and subregion per country, from the newest UNODC release (older ones fill gaps)."""
    frames = [r.extra["un_regions"] for r in results if "un_regions" in r.extra]
    if not frames:
        return pd.DataFrame(columns=["iso3", "name", "region", "subregion"])
    return (
        pd.concat(frames[::-1]).drop_duplicates("iso3").sort_values("iso3").reset_index(drop=True)
    )


def _validate(results: list[ReadResult], origins: list[str], extra_keys: set[str]) -> None:
    keys = set(citations.all_sources()) | extra_keys
    for res, origin in zip(results, origins, strict=True):
        countries = {g for g in res.frame["geo"].unique() if geo.is_country(g)}
        known = geo.known_codes(countries)
        if res.cached and set(res.frame["citation"]) <= keys and set(res.frame["geo"]) <= known:
            continue  # its fields passed when it was parsed (the cache key covers the schema)
        schema.validate(res.frame, origin, res.rows, citations=keys, geos=known)


def counts(table: pd.DataFrame) -> pd.DataFrame:
    """Rows per source (and publication) and stage: what the dataset holds."""
    return table.pivot_table(
        index=["source", "publication"], columns="stage", values="geo", aggfunc="size", fill_value=0
    )


def _combine(results: list[ReadResult], origins: list[str]) -> pd.DataFrame:
    """All readers' rows in one table, each with its origin file and row (for the audit)."""
    frames = [
        r.frame.assign(_file=Path(o).name, _row=r.rows.to_numpy())
        for r, o in zip(results, origins, strict=True)
        if len(r.frame)  # a release without rows (an MSE list table) adds nothing
    ] or [pd.DataFrame(columns=[*schema.columns(), "_file", "_row"])]
    table = pd.concat(frames, ignore_index=True)
    origin = table[["_file", "_row"]]
    table = schema.coerce(table).join(origin)
    dup = table.duplicated(schema.KEY, keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        raise InputError(
            "data/raw",
            None,
            "publication",
            "each figure in one file only",
            f"{first['publication']} {first['geo']} {first['year_start']}",
        )
    return table


def _derive(table: pd.DataFrame, report: BuildReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bounds, vintages, consistency and breaks in series (only where rows changed since the last
    build: thbstats.ingest.derive); the audit of every source row touched."""
    table, lines, report.breaks = derive.derive(table)
    readers = [r.audit for r in report.results if r.audit is not None]
    trail = audit.concat([*readers, lines])
    table = table.drop(columns=["_file", "_row"]).sort_values(
        ["source", "publication", "geo", "year_start", "stage", "form", "sex", "age", "unit"]
    )
    return table[schema.columns()].reset_index(drop=True), trail


def build(
    downloads: Path | None = None, log: Callable[[str], None] = print, allow_shrink: bool = False
) -> BuildReport:
    """Read every source, validate, write the processed files; earlier files survive any failure.

    One build at a time (a lock in data/processed); temporary files of a killed build are removed.
    A build with fewer releases or rows than the last raises DowngradeError (build_record.py)
    unless ``allow_shrink``.
    """
    out = paths.processed_dir()
    with exclusive(out / ".build.lock", "`thbstats data`"):
        remove_stale_temps(out)
        return _build(downloads, log, allow_shrink)


def _build(downloads: Path | None, log: Callable[[str], None], allow_shrink: bool) -> BuildReport:
    t0 = time.perf_counter()
    report = BuildReport()
    downloads = downloads or paths.downloads_dir()
    results = _read_all(downloads, report, log)
    report.results = results
    origins = [
        *report.found.values(),
        *[str(p) for p in transcribed_files(paths.raw_dir())],
        *report.second_voice,
    ]
    _validate(results, origins, set(report.sources))
    table = _combine(results, origins)
    table, trail = _derive(table, report)
    report.audited = audit.counts(trail)
    report.rows = len(table)
    out = paths.processed_dir()
    record = build_record.check(out, downloads, report, table, allow_shrink, log)
    write_csv(out / "audit.csv", trail)
    write_csv(out / "breaks_in_series.csv", report.breaks[checks.BREAK_COLUMNS])
    write_text_atomic(out / citations.AUTO_SOURCES, yaml.safe_dump(report.sources, sort_keys=True))
    write_atomic(
        out / f"{TABLE}.parquet", lambda p: table.to_parquet(p, index=False, engine="pyarrow")
    )
    write_csv(out / f"{TABLE}.csv", table)  # formulas neutralised; the parquet keeps the raw text
    write_csv(out / "un_regions.csv", _un_regions(results))
    write_csv(out / "second_voice_review.csv", report.review)
    write_csv(out / "second_voice_words.csv", report.words)
    (out / "osce_with_data.csv").unlink(missing_ok=True)  # earlier versions' list: now computed
    write_text_atomic(
        out / "datapackage.json",
        json.dumps(
            datapackage(TABLE, report, set(table["citation"])), indent=2, ensure_ascii=False
        ),
    )
    build_record.write(out, record)
    geo.clear_cache()
    report.seconds = time.perf_counter() - t0
    return report


def summary(report: BuildReport, table: pd.DataFrame) -> str:
    """A short summary: rows per source and stage, releases found and missing, what was dropped."""
    counts = table.pivot_table(
        index="source", columns="stage", values="geo", aggfunc="size", fill_value=0
    )
    lines = [f"thb_figures: {len(table):,} rows ({report.seconds:.1f} s)", counts.to_string(), ""]
    lines += [f"release found:   {k} ({Path(v).name})" for k, v in report.found.items()]
    lines += missing_releases.missing_lines(report.missing, list(report.found), report.damaged)
    lines += [
        f"UNREGISTERED release read: {k} ({Path(report.found[k]).name}) as "
        f"{e['title'].split(' read as ')[-1]}"
        f" - register it: thbstats register {report.found[k]}"
        for k, e in report.sources.items()
    ]
    lines += [
        f"unregistered file ignored (no layout thbstats reads): {p}" for p in report.unregistered
    ]
    lines += _audit_lines(report)
    return "\n".join(lines)


def _audit_lines(report: BuildReport) -> list[str]:
    """The audit in a few lines: what each release lost, merged or had flagged, and the breaks."""
    lines = ["audit (data/processed/audit.csv), source rows per publication and action:"]
    for pub, d in report.audited.items():
        by_action: dict[str, list[str]] = {}
        for k, v in d.items():
            action, reason = k.split(":", 1)
            reason = reason.split(":")[0] if action == "flagged" else reason
            by_action.setdefault(action, []).append(f"{reason} {v:,}")
        for action, parts in by_action.items():
            lines.append(f"  {pub}: {action} {', '.join(_merge_counts(parts))}")
    for key, d in report.dropped.items():
        if d.get("summed_figures"):
            lines.append(
                f"  {key}: {d['summed_figures']:,} figures summed from parts; where the release "
                f"also prints the child/adult split, {d['parts_agree']:,} agree with it and "
                f"{d['parts_disagree']:,} do not"
            )
    if report.breaks is not None and len(report.breaks):
        kinds = report.breaks["kind"].value_counts()
        lines.append(
            f"breaks in series: {len(report.breaks)} (data/processed/breaks_in_series.csv): "
            f"{int(kinds.get('outlier', 0))} one-year outliers (flagged outlier), "
            f"{int(kinds.get('level_shift', 0))} changes of level (flagged break_in_series)"
        )
    return lines


def _merge_counts(parts: list[str]) -> list[str]:
    """'revised 3', 'revised 4' -> 'revised 7' (flag reasons carry details after a colon)."""
    total: dict[str, int] = {}
    for p in parts:
        name, n = p.rsplit(" ", 1)
        total[name] = total.get(name, 0) + int(n.replace(",", ""))
    return [f"{k} {v:,}" for k, v in total.items()]
