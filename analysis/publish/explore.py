"""The explorable site: the evidence ledger as a page, and the scripts that make tables sortable
and filterable in the browser, offline.

Every table the build writes is a plain HTML table, complete without JavaScript. The build
copies two scripts into ``reports/assets/``: Tablesort (npm package ``tablesort``, pinned in
``package.json``; sorts rows in place and marks the header with ``aria-sort``) and our
``assets/tables.js`` (sort buttons in the headers, a filter box, a choice of values for some
columns, a status line with the rows shown). Nothing is downloaded when a page is opened.
Without ``node_modules/tablesort`` (``npm ci`` not run) the tables are filterable but not
sortable, and the build says so.

The scripts' names and sources live in :mod:`analysis.publish.site_assets` (no pandas there).

``reports/ledger.html`` lists every row of ``data/raw/published_figures.csv`` with an anchor
per id (``ledger.html#nf-0542``), its source link, Bahasa Indonesia first; the same rows are
published as ``reports/tables/published_figures.csv`` with formula-like cells neutralised.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..data import ledger
from ..data.spreadsheet_safety import to_safe_csv
from ..findings.evidence import cycle_label
from .outputs import TABLES, atomic_write_bytes, atomic_write_text
from .reader_tables import Col, report_pages, table_html
from .site_assets import MISSING_TABLESORT, asset_sources, page_assets, tablesort_available

__all__ = ["write_site_files", "ledger_rows", "ledger_page", "page_assets", "tablesort_available",
           "LEDGER_PAGE", "LEDGER_CSV"]

LEDGER_PAGE = "ledger.html"
LEDGER_CSV = "published_figures"
TEMPLATE = "ledger.html.j2"

LEDGER_COLUMNS = [
    Col("id", "Kode angka", "Figure id"),
    Col("election", "Pemilihan", "Election", filter=True),
    Col("scope", "Cakupan", "Scope", "word", filter=True),
    Col("region", "Wilayah", "Region"),
    Col("agency", "Lembaga", "Agency", filter=True),
    Col("metric", "Tahap", "Stage", "word", filter=True),
    Col("category_text", "Rincian", "Breakdown"),
    Col("value", "Nilai", "Value", "auto", digits=3),
    Col("value_qualifier", "Sifat angka", "Qualifier", "word"),
    Col("unit", "Satuan", "Unit", "word"),
    Col("as_of_date", "Tanggal data", "As of", "date"),
    Col("published_date", "Terbit", "Published", "date"),
    Col("source_url", "Sumber", "Source", "url", label="source_text"),
    Col("source_quality", "Mutu sumber", "Source quality", "word", filter=True),
    Col("note", "Catatan", "Note", "en"),
]


def write_site_files(staging: Path, say=print) -> list[str]:
    """Copy the scripts into ``staging/assets`` and write the ledger page and its CSV; return
    the files written (relative to ``staging``)."""
    written = []
    for relative, source in asset_sources().items():
        atomic_write_bytes(staging / relative, source.read_bytes())
        written.append(relative)
    if not tablesort_available():
        say(MISSING_TABLESORT)
    if not paths.LEDGER.is_file():  # a project without a ledger (a notebook-only test project)
        return written
    raw = ledger.read_raw(paths.LEDGER)
    atomic_write_text(staging / TABLES / f"{LEDGER_CSV}.csv", to_safe_csv(raw))
    atomic_write_text(staging / LEDGER_PAGE, ledger_page(ledger_rows(raw)))
    return written + [f"{TABLES}/{LEDGER_CSV}.csv", LEDGER_PAGE]


def ledger_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """Every row of the ledger as read by :func:`analysis.data.ledger.read_raw` (strings),
    with the columns the page shows."""
    values = pd.to_numeric(raw["value"], errors="coerce")
    category = [": ".join(p for p in (b.replace("_", " "), c.replace("_", " ")) if p)
                for b, c in zip(raw["breakdown"], raw["category"])]
    source_text = [t or r or "sumber / source" for t, r in
                   zip(raw["source_title"], raw["source_register"])]
    return raw.assign(election=[cycle_label(int(c), e) for c, e in
                                zip(raw["cycle"], raw["election_type"])],
                      category_text=category, source_text=source_text, value=values)


def ledger_page(rows: pd.DataFrame) -> str:
    """``reports/ledger.html``: every ledger row, sortable and filterable, one anchor per id."""
    from .footer import context as footer_context, environment

    table = table_html(rows, LEDGER_COLUMNS, "Buku besar bukti: setiap angka yang dipublikasikan",
                       "Evidence ledger: every published figure", csv=LEDGER_CSV, row_ids="id",
                       table_class="ledger-table")
    return environment().get_template(TEMPLATE).render(
        table=table, n_rows=len(rows), n_sources=rows["source_url"].replace("", None).nunique(),
        pages=report_pages(paths.NOTEBOOKS), assets=page_assets(), footer=footer_context())
