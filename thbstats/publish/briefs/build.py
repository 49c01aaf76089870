"""Write the briefs: ``figures/briefs/<CODE>.pdf`` (Typst, A4, vector charts) and ``<CODE>.html``
(the same content, charts as SVG files beside it), ``index.json``, and the ranking and
dark-figure exports. Incremental: a brief is rewritten only when the slice of the table it reads,
its code or its options changed (``briefs.slice``)."""

from __future__ import annotations

import html
import io
import json
import time
from collections.abc import Iterable
from pathlib import Path
from string import Template

import matplotlib
import pandas as pd

from thbstats import geo as geomod
from thbstats import origins, paths
from thbstats.analysis import dark_figure as darkmod
from thbstats.analysis.impunity import ranking
from thbstats.atomic import write_bytes_atomic, write_text_atomic
from thbstats.publish.briefs import content, pdffile, record
from thbstats.publish.briefs import slice as briefslice
from thbstats.publish.briefs.layout import CHART, LAYOUT, STRIP, caption_html, chart_words
from thbstats.publish.briefs.sources import method_text
from thbstats.publish.briefs.strip import position_strip
from thbstats.publish.briefs.table import year_table
from thbstats.publish.charts.sizes import drawn_at
from thbstats.vocabulary import BRIEF_GROUPS, glossary_for

HERE = Path(__file__).parent
TEMPLATE = HERE / "brief.typ"
HTML_TEMPLATE = HERE / "brief.html"
STATE_FILE = record.STATE_FILE
TREND_START = 2010
FLOW_SOURCE = "UNODC"
"""The one publisher of the brief's yearly figures (cards, funnel, table, trend): other
publishers' figures for the same place and year appear beside them in the table, named."""


def targets(df: pd.DataFrame, only: Iterable[str] | None = None) -> list[str]:
    """Participating States with UNODC figures, then the groups; ``only`` (ISO3, OSCE, EU27,
    TIP-EUR) restricts the list, and an unknown code is an error."""
    states = sorted(set(geomod.members("OSCE")) & set(df.loc[df["source"] == "UNODC", "geo"]))
    every = states + list(BRIEF_GROUPS)
    if not only:
        return every
    by_file = {content.file_code(g): g for g in [*geomod.members("OSCE"), *BRIEF_GROUPS]}
    wanted = []
    for code in only:
        key = code.strip().upper()
        if key not in by_file:
            raise ValueError(
                f"--only: {code!r} is not an OSCE participating State (ISO3) nor OSCE, EU27, TIP-EUR"
            )
        wanted.append(by_file[key])
    return wanted


def _svg(fig, fonttype: str) -> str:
    """The figure as SVG: text as text (``none``, for Typst, which sets it in the same font) or
    as outlines (``path``, for the files beside the HTML brief: they look the same anywhere)."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "thbstats", "svg.fonttype": fonttype}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def _figures(df, geo: str, table: pd.DataFrame, fyear: int, end: int) -> tuple[dict, list]:
    """The brief's charts, drawn at the size the brief shows them, and the charts themselves."""
    from thbstats.publish import charts

    with drawn_at(*CHART):
        made = [
            charts.funnel_chart(df, geo, fyear, source=FLOW_SOURCE),
            charts.trends_chart(df, geo, TREND_START, end, source=FLOW_SOURCE),
        ]
        figs = {"funnel": made[0].fig, "trend": made[1].fig}
    figs["strip"] = position_strip(table, geo, STRIP)
    return figs, made


def brief_data(df, geo: str, table: pd.DataFrame, dark: pd.DataFrame) -> tuple[dict, dict]:
    """The brief's content (JSON-able) and its charts as SVG text: ``<kind>`` with text as
    outlines (the files beside the HTML brief), ``typst-<kind>`` with text as text."""
    row = table[table["geo"] == geo].iloc[0]
    years = [int(y) for y in range(int(row["window"][:4]), int(row["window"][-4:]) + 1)]
    fyear = content.funnel_year(df, geo)
    end = int(row["window"][-4:])
    figs, made = _figures(df, geo, table, fyear, end)
    svgs = {k: _svg(f, "path") for k, f in figs.items()}
    svgs |= {f"typst-{k}": _svg(f, "none") for k, f in figs.items()}
    kind = "Participating State" if row["geo_type"] == "country" else "Group of States"
    name = geomod.name(geo)
    data = {
        "code": content.file_code(geo),
        "name": name,
        "title": f"Impunity gap brief: {name}",
        "kicker": f"Trafficking in human beings · impunity gap brief · {kind}",
        "lede": (
            f"Estimated victims, identified victims, prosecutions and convictions, "
            f"{row['window']}: how many cases reach a court."
        ),
        "headline": content._headline(row, row["window"], table),
        "rank_text": content.rank_text(row, table),
        "funnel_year": f"{fyear} (yearly figures: {FLOW_SOURCE})",
        "trend_years": f"{TREND_START}-{end}",
        "dark_text": content.dark_text(
            darkmod.for_state(dark, geo), has_stock=pd.notna(row.get("estimated"))
        ),
        "dark_sources": content.dark_sources(darkmod.for_state(dark, geo)),
        "years": year_table(df, geo, years),
        "caveats": content.caveats(df, geo, row, years, table),
        "method": method_text(row, table),
        "footer_left": f"thbstats · {name} · window {row['window']}",
        "has_data": bool(row.get("has_data", True)),
        "layout": LAYOUT,
        "charts": {"funnel": chart_words(made[0]), "trend": chart_words(made[1])},
        "cites": _cites(made, row),
    }
    data["glossary"] = glossary_for(json.dumps(data, ensure_ascii=False))
    return data, svgs


def _typst(data: dict, svgs: dict, outlines: bool = False, **kw):
    """Compile the template (``brief.typ`` beside this module); the charts' font (DejaVu Sans,
    shipped with matplotlib) is always among the fonts, and the date comes from the data. The
    charts' text is text (a PDF: searchable, measurable), or ``outlines`` (a picture: the
    rasteriser then draws every glyph exactly as matplotlib placed it)."""
    import typst

    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    want = (
        (lambda k: not k.startswith("typst-")) if outlines else (lambda k: k.startswith("typst-"))
    )
    inputs |= {k.removeprefix("typst-"): v for k, v in svgs.items() if want(k)}
    fonts = [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]
    stamp = pdffile.build_timestamp(data.get("cites", []))
    return typst.compile(str(TEMPLATE), sys_inputs=inputs, font_paths=fonts, timestamp=stamp, **kw)


def render_pdf(data: dict, svgs: dict) -> bytes:
    """Typeset the brief with Typst: the same bytes for the same inputs, no reader warnings."""
    return pdffile.clean(_typst(data, svgs))


def render_png(data: dict, svgs: dict, ppi: float = 110.0) -> bytes:
    """The brief's first page as a PNG (for a slide, or the README's example)."""
    pages = _typst(data, svgs, outlines=True, format="png", ppi=ppi)
    return pages[0] if isinstance(pages, list) else pages


def _cites(made: list, row: pd.Series) -> list[str]:
    """The citation keys of the rows the brief shows (its charts and its estimate)."""
    keys = {k for c in made for k in c.citations}
    est = row.get("estimated_citation")
    return sorted(keys | ({str(est)} if pd.notna(est) and est else set()))


def render_html(data: dict, code: str) -> str:
    """The same content as a self-contained page (charts: SVG files beside it)."""
    esc = html.escape
    cards = "".join(
        f'<div class="card"><div class="label">{esc(h["label"])}</div>'
        f'<div class="value">{esc(h["value"])}</div>'
        f'<div class="detail">{esc(h["detail"])}<sup>{h["num"]}</sup></div></div>'
        for h in data["headline"]
    )
    notes = "".join(f"<li>{esc(h['source'])}</li>" for h in data["headline"] if h["first"])
    caveats = "".join(f"<li>{esc(c)}</li>" for c in data["caveats"])
    head = "".join(f"<th>{esc(h)}</th>" for h in data["years"]["header"])
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in data["years"]["rows"]
    )
    text = {k: esc(str(v)) for k, v in data.items() if isinstance(v, str)}
    return Template(HTML_TEMPLATE.read_text(encoding="utf-8")).substitute(
        text,
        cards=cards,
        notes=notes,
        caveats_list=caveats,
        year_title=esc(data["years"]["title"]),
        year_source=esc(data["years"]["source"]),
        glossary="".join(
            f"<dt>{esc(t['words'])}</dt><dd>{esc(t['means'])}</dd>" for t in data["glossary"]
        ),
        year_table=head and f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        strip_svg=f"{code}-strip.svg",
        dark_notes="".join(f"<li>{esc(n)}</li>" for n in data["dark_sources"]),
        funnel_svg=f"{code}-funnel.svg",
        trend_svg=f"{code}-trend.svg",
        **{f"{k}_alt": esc(w["alt"]) for k, w in data["charts"].items()},
        **{f"{k}_caption": caption_html(w) for k, w in data["charts"].items()},
    )


def build(
    df: pd.DataFrame | None = None,
    *,
    only: Iterable[str] | None = None,
    force: bool = False,
    out_dir: str | Path | None = None,
    png: bool = False,
    ppi: float = 110.0,
    history: pd.DataFrame | None = None,
    dry_run: bool = False,
) -> dict:
    """Write the briefs that are out of date (``png``: also the first page as ``<CODE>.png``,
    ``ppi`` pixels per inch); returns {"written": [...], "skipped": [...], "why": {code:
    reason}, "seconds": ...}. ``index.json`` lists every brief present.

    ``history``: the table's figures with the release that first printed each
    (``thbstats.origins``), so that a new release repeating a brief's figures leaves the brief
    alone; default: read from the processed table when ``df`` is None, else from ``df``.
    ``dry_run``: say which briefs would be written and why ("why"), write nothing."""
    import thbstats

    t0 = time.perf_counter()
    out = paths.output_dir(out_dir) / "briefs"
    out.mkdir(parents=True, exist_ok=True)
    state = record.load(out)
    if df is None:
        df = thbstats.load()
        history = origins.read_with_origin(paths.processed_dir() / "thb_figures.parquet")
    history = origins.with_origin(df) if history is None else history
    todo = targets(df, only)
    codes = {g: content.file_code(g) for g in todo}
    table, dark = ranking(df), darkmod.dark_figure(df)
    fyears = {g: content.funnel_year(df, g) for g in todo}
    code = briefslice.code_digest()
    parts = {
        g: {"code": code, "slice": d}
        for g, d in briefslice.digests(history, todo, table, dark, fyears).items()
    }
    shot = ppi if png else None
    why = {
        g: "forced" if force else briefslice.why_stale(state, codes[g], parts[g], out, shot)
        for g in todo
    }
    stale = [] if dry_run else [g for g in todo if why[g]]
    for g in stale:
        c = codes[g]
        data = _write_brief(out, c, brief_data(df, g, table, dark), png and ppi)
        if png:
            state.setdefault("_png", {})[c] = ppi
        state[c] = briefslice.combined(parts[g])
        state.setdefault("_parts", {})[c] = parts[g]
        state.setdefault("_meta", {})[c] = {"name": data["name"], "has_data": data["has_data"]}
    written = [codes[g] for g in stale]
    if not dry_run:  # concurrent runs: merge this run's entries into the record, under its lock
        record.merge(out, state, written, lambda merged: _write_index(out, merged))
    return {
        "written": written,
        "skipped": [codes[g] for g in todo if not why[g]],
        "why": {codes[g]: why[g] for g in todo if why[g]},
        "seconds": time.perf_counter() - t0,
    }


def _write_brief(out: Path, code: str, made: tuple[dict, dict], ppi: float | bool) -> dict:
    """Write one brief's PDF, HTML and SVG files (and its PNG at ``ppi``); returns its data."""
    data, svgs = made
    write_bytes_atomic(out / f"{code}.pdf", render_pdf(data, svgs))
    if ppi:
        write_bytes_atomic(out / f"{code}.png", render_png(data, svgs, float(ppi)))
    for kind, svg in svgs.items():
        if not kind.startswith("typst-"):
            write_text_atomic(out / f"{code}-{kind}.svg", svg)
    write_text_atomic(out / f"{code}.html", render_html(data, code))
    return data


def _write_index(out: Path, state: dict) -> None:
    meta = state.get("_meta", {})
    entries = [
        {
            "code": c,
            "name": m["name"],
            "pdf": f"{c}.pdf",
            "html": f"{c}.html",
            "has_data": m["has_data"],
        }
        for c, m in sorted(meta.items())
        if (out / f"{c}.pdf").is_file()
    ]
    text = json.dumps({"briefs": entries}, indent=1, ensure_ascii=False) + "\n"
    if not (out / "index.json").is_file() or (out / "index.json").read_text() != text:
        write_text_atomic(out / "index.json", text)
