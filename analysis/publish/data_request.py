"""The data request a province or Bawaslu can send to BKN or Bawaslu: for every open question,
the fields, cycles and dates that would decide it and who holds them
(:attr:`analysis.findings.decide.Decision.request`), each field with its column of the case
register where it is one (``data/registers/CODEBOOK.md``, :mod:`analysis.data.registers.codebook`).

Written in each language as a page (``briefs/data_request_{id,en}.html``) and as a template to
fill in (``.csv`` and ``.xlsx``, formula-like cells neutralised, the XLSX byte-stable).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import footer as site_footer
from . import decisions, glossary
from .frontpage import pick
from .outputs import atomic_write_bytes, atomic_write_text
from ..data import spreadsheet_safety
from ..data.registers import codebook

PAGE = "data_request_{lang}"
HEADERS = {
    "id": {"question": "Pertanyaan", "findings": "Temuan", "what": "Data yang diminta",
           "column": "Kolom register", "type": "Jenis isian", "cycles": "Siklus",
           "dates": "Tanggal", "holder": "Dipegang", "field": "Kode kolom",
           "status": "Status (diisi pemegang data)", "note": "Catatan"},
    "en": {"question": "Question", "findings": "Findings", "what": "Data requested",
           "column": "Register column", "type": "Kind of entry", "cycles": "Cycles",
           "dates": "Dates", "holder": "Held by", "field": "Field code",
           "status": "Status (filled in by the holder)", "note": "Note"},
}
NOT_IN_REGISTER = {"id": "bukan kolom register", "en": "not a register column"}
TYPES = {"id": {"date": "tanggal (dd/mm/yyyy)", "string": "teks", "integer": "bilangan",
                "boolean": "ya/tidak"},
         "en": {"date": "date (dd/mm/yyyy)", "string": "text", "integer": "whole number",
                "boolean": "yes/no"}}


def register_columns(field: str, lang: str) -> tuple[str, str]:
    """The register columns (template headers) and kinds of entry a request field names, e.g.
    'date_report, date_sanction' -> ('Tanggal Laporan; Tanggal Sanksi', 'tanggal …')."""
    names = [part.split("(")[0].strip() for part in field.split(",")]
    found = [codebook.BY_NAME[n] for n in names if n in codebook.BY_NAME]
    if not found:
        return NOT_IN_REGISTER[lang], ""
    kinds = list(dict.fromkeys(TYPES[lang][c.type] for c in found))
    return "; ".join(c.header_id for c in found), "; ".join(kinds)


def table(h: dict, tags: dict[str, str], lang: str) -> pd.DataFrame:
    """One row per requested field, in the order of the questions; columns in ``lang``."""
    head, rows = HEADERS[lang], []
    for d in h.get("decisions", ()):
        settles = decisions.settles(d, tags)
        for r in d.request:
            column, kind = register_columns(r["field"], lang)
            rows.append({head["question"]: d.question_id if lang == "id" else d.question_en,
                         head["findings"]: ", ".join(settles),
                         head["what"]: r["what_id"] if lang == "id" else r["what_en"],
                         head["column"]: column, head["type"]: kind,
                         head["cycles"]: pick(r["cycles"], lang),
                         head["dates"]: pick(r["dates"], lang),
                         head["holder"]: glossary.expand_holders(r["holder"], lang),
                         head["field"]: r["field"], head["status"]: "", head["note"]: ""})
    return pd.DataFrame(rows, columns=list(head.values()))


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """``frame`` (already neutralised) as a one-sheet workbook, headers bold, byte-stable."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from ..data.stable_xlsx import workbook_bytes

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in ws.columns:
        letter = column[0].column_letter
        ws.column_dimensions[letter].width = min(60, max(12, max(len(str(c.value or ""))
                                                                 for c in column) + 2))
        for c in column[1:]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


def page(h: dict, tags: dict[str, str], lang: str) -> str:
    """The request page in ``lang``: per open question its verdict, what blocks it, what would
    decide it and the fields to ask for; then the templates to download and the glossary."""
    from . import scorecard as scorecard_view
    from .frontpage import PAGES, _environment

    head, items = HEADERS[lang], []
    rows = table(h, tags, lang)
    for d in h.get("decisions", ()):
        question = d.question_id if lang == "id" else d.question_en
        sentence, _ = decisions.sentence(d, lang, "../")
        items.append({"key": d.key, "question": question,
                      "tags": rows.loc[rows[head["question"]] == question,
                                       head["findings"]].head(1).str.cat(),
                      "chip": scorecard_view.chip(d.verdict, lang),
                      "blocked": decisions.blocked(d, lang), "sentence": sentence,
                      "rows": rows[rows[head["question"]] == question].to_dict("records")})
    other = "en" if lang == "id" else "id"
    return _environment(lang, "../").get_template("data_request.html.j2").render(
        lang=lang, items=items, head=head, stem=PAGE.format(lang=lang),
        other_page=PAGE.format(lang=other) + ".html", other_lang=other,
        home=f"../{PAGES[lang]}", province=h["province"]["province"],
        terms=glossary.TERMS[lang], footer=site_footer.context())


def write(folder: Path, h: dict, tags: dict[str, str]) -> dict[str, Path]:
    """Write the page, CSV and XLSX in both languages into ``folder``. Returns {name: path}."""
    out = {}
    for lang in ("id", "en"):
        frame = spreadsheet_safety.neutralise(table(h, tags, lang))
        stem = PAGE.format(lang=lang)
        out[f"{stem}.csv"] = atomic_write_text(folder / f"{stem}.csv",
                                               spreadsheet_safety.to_safe_csv(frame))
        out[f"{stem}.xlsx"] = atomic_write_bytes(
            folder / f"{stem}.xlsx", xlsx_bytes(frame, "Permintaan data" if lang == "id"
                                                else "Data request"))
        out[f"{stem}.html"] = atomic_write_text(folder / f"{stem}.html", page(h, tags, lang))
    return out
