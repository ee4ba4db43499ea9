"""Tables and page fragments for the reader editions: words in both languages as headers, numbers
in the Indonesian locale, links that can be clicked, tables that scroll by keyboard, and HTML
that is safe to publish.

:func:`reader_table` turns a DataFrame into such a table (``Col`` says how each column is
headed and formatted); :func:`en` marks an English passage in an Indonesian page with its
``lang``. :func:`clean_fragment` is a sanitiser that keeps headings, paragraphs, tables and
``lang`` (which nbconvert's own ``clean_html`` escapes) and still drops scripts, event handlers
and ``javascript:`` links; :class:`analysis.publish.reader_page.ReaderPagePreprocessor` hands it
and the navigation bar to the nbconvert template.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .formatting import MISSING, fmt_date, fmt_days, fmt_int, fmt_num, fmt_pct, is_missing
from .outputs import TABLES
from .safe_text import md, safe_url

__all__ = ["Col", "reader_table", "table_html", "en", "bi", "clean_fragment", "report_pages"]

# ----------------------------------------------------------------------------- safe HTML

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "data", "dd", "del", "details", "div",
    "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li",
    "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_COMMON = ["class", "id", "lang", "title"]
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON + ["href"],
    "div": _COMMON + ["role", "tabindex", "aria-label", "aria-labelledby"],
    "th": _COMMON + ["scope", "colspan", "rowspan", "data-sort-method", "data-filter"],
    "td": _COMMON + ["colspan", "rowspan", "data-sort"],
    "ol": _COMMON + ["start"],
    "data": _COMMON + ["value", "data-q"],  # a marked quantity (analysis.publish.quantities)
}


def clean_fragment(fragment) -> str:
    """``fragment`` with only :data:`ALLOWED_TAGS` and :data:`ALLOWED_ATTRIBUTES` kept (http,
    https, mailto and relative links); any other tag is removed, its text kept and escaped.
    Remembered per text: a report's two editions clean the same fragments (bleach: 0.3 s a
    page)."""
    text = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    return _clean(text)


@functools.lru_cache(maxsize=1024)
def _clean(text: str) -> str:
    import bleach

    return bleach.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        protocols={"http", "https", "mailto"}, strip=True, strip_comments=True)


def en(text: str) -> str:
    """An English passage inside an Indonesian page: ``<span lang="en">text</span>``. ``text``
    is Markdown or HTML the caller made safe (data-derived parts through ``safe_text.md``)."""
    return f'<span lang="en">{text}</span>'


def verdict_md(verdict) -> str:
    """A verdict in bold, Indonesian then its English translation, in one Markdown paragraph
    (so that the page's language switch knows the English for a translation)."""
    return f"**{md(verdict.text('id'))}** / **{en(md(verdict.text('en')))}**"


def bi(id_text: str, en_text: str, sep: str = " / ") -> str:
    """Bahasa Indonesia first, then the English with its ``lang``: ``'Temuan / <span lang=en>
    Finding</span>'``. Both parts are trusted text (escape data first)."""
    return f"{id_text}{sep}{en(en_text)}"


# ----------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Col:
    """One column of a reader table: the DataFrame column, its header in Bahasa Indonesia and in
    English, and how its values read: ``text``, ``int``, ``num`` (``digits``), ``pct`` (a
    proportion 0-1), ``date`` (ISO, partial dates allowed), ``days`` (signed days from the vote),
    ``url`` (a link; ``label`` names the column holding its text, else ``sumber / source``),
    ``word`` (a vocabulary code in words in both languages, :data:`WORDS`), ``pair`` (text
    'Indonesian / English', the English part marked with its ``lang``), ``en`` (English text,
    marked with its ``lang``), ``auto`` (a number with the decimals it has, up to ``digits``),
    ``html`` (markup the caller built with every data-derived part escaped; the page sanitiser
    still applies). ``filter``: the explorable table offers a choice of this column's values."""

    name: str
    id: str
    en: str
    kind: str = "text"
    digits: int = 1
    label: str | None = None
    filter: bool = False


NUMERIC = frozenset({"int", "num", "pct", "days", "auto"})  # right-aligned, sorted as numbers


def _cell(value, col: Col, row, lang: str = "id") -> str:
    if col.kind == "url":
        url = safe_url(value)
        text = row[col.label] if col.label else None
        text = html.escape(str(text)) if text is not None and not is_missing(text) else None
        if url is None:
            return text or MISSING
        shown = text or 'sumber / <span lang="en">source</span>'
        return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
    if is_missing(value):
        return MISSING
    if col.kind == "html":
        return str(value)
    if col.kind == "word":
        pair = WORDS.get(str(value))
        if pair is None:
            return html.escape(str(value).replace("_", " "))
        if pair[0] == pair[1]:
            return html.escape(pair[0])
        return f'{html.escape(pair[0])} / <span lang="en">{html.escape(pair[1])}</span>'
    if col.kind == "pair":  # "Indonesian / English" text
        id_text, sep, en_text = str(value).partition(" / ")
        if not sep:
            return html.escape(id_text)
        return f'{html.escape(id_text)} / <span lang="en">{html.escape(en_text)}</span>'
    if col.kind == "en":
        return f'<span lang="en">{html.escape(str(value))}</span>'
    if col.kind == "auto":
        places = len(f"{float(value):.{col.digits}f}".rstrip("0").partition(".")[2])
        return fmt_num(float(value), lang, places)
    if col.kind == "int":
        return fmt_int(float(value), lang)
    if col.kind == "num":
        return fmt_num(float(value), lang, col.digits)
    if col.kind == "pct":
        return fmt_pct(float(value), lang, col.digits)
    if col.kind == "date":
        return html.escape(fmt_date(str(value), lang))
    if col.kind == "days":  # with the span of a month- or year-only date when the row has it
        return html.escape(fmt_days(value, lang, row.get(f"{col.name}_min"),
                                    row.get(f"{col.name}_max")))
    return html.escape(str(value))


def _sort_key(value, col: Col) -> str:
    """What the explorable table sorts a cell by: the raw number, the ISO date, else nothing
    (the text shown)."""
    if col.kind in NUMERIC or col.kind == "date":
        return "" if is_missing(value) else html.escape(str(value), quote=True)
    return ""


def _header(col: Col) -> str:
    attrs = ' data-sort-method="number"' if col.kind in NUMERIC else ""
    attrs += ' data-filter="select"' if col.filter else ""
    if col.id == col.en:
        return f'<th scope="col"{attrs}>{html.escape(col.id)}</th>'
    return (f'<th scope="col"{attrs}>{html.escape(col.id)}<br><span lang="en" class="en">'
            f"{html.escape(col.en)}</span></th>")


def table_html(df: pd.DataFrame, columns: list[Col], caption_id: str, caption_en: str,
               lang: str = "id", csv: str | None = None, row_ids: str | None = None,
               table_class: str = "reader-table") -> str:
    """The markup of :func:`reader_table` (also used by the ledger page): ``csv`` the stem of
    the table's file in ``tables/``, linked under it; ``row_ids`` a column whose value becomes
    each row's ``id`` (an anchor)."""
    missing = [c.name for c in columns if c.name not in df.columns
               or (c.label and c.label not in df.columns)]
    if missing:
        raise KeyError(f"reader_table: columns {missing} not in the table "
                       f"(has {list(df.columns)})")
    head = "".join(_header(c) for c in columns)
    body = []
    for _, row in df.iterrows():
        cells = "".join(
            f'<td class="num" data-sort="{_sort_key(row[c.name], c)}">'
            f"{_cell(row[c.name], c, row, lang)}</td>" if c.kind in NUMERIC else
            f'<td data-sort="{_sort_key(row[c.name], c)}">{_cell(row[c.name], c, row, lang)}</td>'
            if c.kind == "date" else f"<td>{_cell(row[c.name], c, row, lang)}</td>"
            for c in columns)
        anchor = f' id="{html.escape(str(row[row_ids]), quote=True)}"' if row_ids else ""
        body.append(f"<tr{anchor}>{cells}</tr>")
    caption = f'{caption_id} / <span lang="en">{caption_en}</span>'
    label = html.escape(re.sub(r"<[^>]+>", "", f"{caption_id} / {caption_en}"), quote=True)
    link = ""
    if csv:
        href = html.escape(f"{TABLES}/{csv}.csv", quote=True)
        link = (f'<p class="table-csv"><a href="{href}">Tabel ini sebagai CSV / <span lang="en">'
                f"This table as CSV</span></a> (<code>{html.escape(csv)}.csv</code>)</p>")
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f'<table class="{table_class}"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{link}")


def reader_table(df: pd.DataFrame, columns: list[Col], caption_id: str, caption_en: str,
                 lang: str = "id", max_rows: int | None = None, csv: str | None = None):
    """``df`` as a table for readers: bilingual headers in words, locale-formatted values, a
    dash for a missing value, clickable source links, a bilingual caption; wrapped in a region
    that scrolls sideways by keyboard (``tabindex=0``) when it is wider than the page; cells
    carry their raw value for sorting (the site's script makes the table sortable and
    filterable; without JavaScript it stays a plain table).

    ``csv``: the stem of the table's file in ``tables/``, linked under the table; by default the
    table the notebook saved last (:func:`analysis.publish.outputs.save_table`) when it has as
    many rows as ``df``. Every value is escaped; captions are trusted text. Returns an IPython
    HTML object.
    """
    from IPython.display import HTML

    from .outputs import last_saved_table

    csv = csv or last_saved_table(len(df))
    shown = df if max_rows is None else df.head(max_rows)
    return HTML(table_html(shown, columns, caption_id, caption_en, lang, csv))


# ----------------------------------------------------------------------------- navigation

_TITLE = re.compile(r"^#\s*#\s+(.+?)\s*$")


def report_pages(notebooks_dir: Path) -> list[dict]:
    """The reports built from ``notebooks_dir`` (``NN_*.py``), in reading order, each as
    ``{"stem", "number", "title_id", "title_en"}`` from the notebook's first ``# `` heading
    ("01 · Buku besar bukti / Evidence ledger"), as plain text (tags dropped, entities read)."""
    pages = []
    for source in sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.py")):
        title = source.stem
        for line in source.read_text(encoding="utf-8").splitlines():
            match = _TITLE.match(line)
            if match:
                title = match.group(1)
                break
        title = re.sub(r"^\d\d\s*·\s*", "", title)
        id_title, _, en_title = (html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
                                 for part in title.partition(" / "))
        pages.append({"stem": source.stem, "number": source.stem[:2], "title_id": id_title,
                      "title_en": en_title or id_title})
    return pages


# ----------------------------------------------------------------------------- words for codes

WORDS = {
    # enforcement stages (metric)
    "reported": ("dilaporkan", "reported"),
    "violation_found": ("terbukti melanggar", "violation found"),
    "recommended": ("sanksi direkomendasikan", "sanction recommended"),
    "sanction_executed": ("sanksi dijalankan", "sanction executed"),
    "forwarded": ("diteruskan", "forwarded"),
    "not_violation": ("bukan pelanggaran", "not a violation"),
    "pending": ("dalam proses", "pending"),
    "stopped": ("dihentikan", "stopped"), "other": ("lainnya", "other"),
    "supervision_measure": ("langkah pengawasan", "supervision measure"),
    "vulnerability_index": ("indeks kerawanan", "vulnerability index"),
    "share": ("persentase", "percentage"),
    # units
    "ASN": ("ASN", "ASN"), "PNS": ("PNS", "PNS"), "PPPK": ("PPPK", "PPPK"),
    "persons": ("orang", "persons"), "cases": ("kasus", "cases"),
    "reports": ("laporan", "reports"), "complaints": ("aduan", "complaints"),
    "recommendations": ("rekomendasi", "recommendations"), "percent": ("persen", "percent"),
    "percent_change": ("perubahan persen", "percent change"),
    "list_position": ("urutan dalam daftar", "list position"), "rank": ("peringkat", "rank"),
    "provinces": ("provinsi", "provinces"),
    "asn_records": ("data ASN diblokir", "ASN records blocked"),
    "violation_forms": ("bentuk pelanggaran", "forms of violation"),
    "reports_per_day": ("laporan per hari", "reports per day"),
    "complaints_per_day": ("aduan per hari", "complaints per day"),
    "officials": ("pejabat", "officials"), "court_rulings": ("putusan pengadilan", "court rulings"),
    "index_score": ("skor indeks", "index score"), "flag": ("ya/tidak", "yes/no"),
    "items": ("langkah", "measures"),
    "candidate_pairs": ("pasangan calon", "candidate pairs"),
    "votes": ("suara", "votes"),
    # counts that are not ASN-only (never in an ASN rate)
    "cases_incl_non_asn": ("kasus, termasuk non-ASN", "cases incl. non-ASN"),
    "persons_incl_non_asn": ("orang, termasuk non-ASN", "persons incl. non-ASN"),
    "cases_all_violations": ("pelanggaran pemilu semua jenis", "election violations of all kinds"),
    # scopes
    "national": ("nasional", "national"), "province": ("provinsi", "province"),
    "regency": ("kabupaten/kota", "regency/city"),
    "election_regions": ("daerah pemilihan", "election regions"),
    # breakdowns
    "detection_source": ("sumber deteksi", "detection source"),
    "violation_type": ("jenis pelanggaran", "violation type"),
    "position_level": ("jabatan", "position level"),
    # qualifiers, verdicts
    "exact": ("tepat", "exact"), "approximate": ("perkiraan", "approximate"),
    "at_least": ("paling sedikit", "at least"), "more_than": ("lebih dari", "more than"),
    "at_most": ("paling banyak", "at most"), "less_than": ("kurang dari", "less than"),
    "approx": ("perkiraan", "approximate"), "forecast": ("proyeksi", "forecast"),
    "lower_bound": ("batas bawah", "lower bound"), "upper_bound": ("batas atas", "upper bound"),
    # source quality
    "primary": ("utama", "primary"), "secondary": ("sekunder", "secondary"),
    "weak": ("lemah", "weak"),
    "supported": ("didukung", "supported"), "suggestive": ("indikatif", "suggestive"),
    "cannot tell": ("belum dapat disimpulkan", "cannot tell"),
    "as_of": ("tanggal data", "as-of date"), "published": ("tanggal terbit", "publication date"),
}


def word(code, lang: str | None = None) -> str:
    """A vocabulary code in words: ``word('sanction_executed', 'id') == 'sanksi dijalankan'``;
    ``lang=None`` gives 'Indonesian / English' (the same word once). Unknown codes are returned
    with underscores as spaces; missing values as the dash."""
    if is_missing(code):
        return MISSING
    pair = WORDS.get(str(code))
    if pair is None:
        return str(code).replace("_", " ")
    if lang is not None:
        return pair[0] if lang == "id" else pair[1]
    return pair[0] if pair[0] == pair[1] else f"{pair[0]} / {pair[1]}"


def words(series: pd.Series) -> pd.Series:
    """:func:`word` (both languages) over a column."""
    return series.map(word)
