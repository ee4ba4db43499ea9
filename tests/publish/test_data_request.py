"""The data request: every open question's fields, cycles, dates and holder, with the register
column each field is, as a page and a CSV/XLSX template with formula-like cells neutralised."""
import dataclasses
import io

import openpyxl
import pandas as pd
import pytest

from analysis.data.registers import codebook
from analysis.findings import headlines
from analysis.publish import brief, data_request


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def written(h, tmp_path_factory):
    folder = tmp_path_factory.mktemp("request")
    return folder, data_request.write(folder, h, brief.tags(h))


def test_one_row_per_requested_field_of_every_open_question(h):
    for lang in ("id", "en"):
        table = data_request.table(h, brief.tags(h), lang)
        head = data_request.HEADERS[lang]
        assert len(table) == sum(len(d.request) for d in h["decisions"])
        questions = [d.question_id if lang == "id" else d.question_en for d in h["decisions"]]
        assert list(dict.fromkeys(table[head["question"]])) == questions
        assert (table[head["holder"]] != "").all() and (table[head["what"]] != "").all()
        assert (table[head["status"]] == "").all()  # for the holder to fill in
        assert not table[head["dates"]].str.contains(" / ").any()  # one language


def test_register_fields_are_named_by_the_codebook_header():
    headers, kinds = data_request.register_columns("date_report, date_sanction", "id")
    assert headers == (f"{codebook.BY_NAME['date_report'].header_id}; "
                       f"{codebook.BY_NAME['date_sanction'].header_id}")
    assert kinds == "tanggal (dd/mm/yyyy)"
    assert data_request.register_columns("asn_headcount", "en") == ("not a register column", "")
    assert data_request.register_columns("region (38 provinces)", "en")[0] == \
        codebook.BY_NAME["region"].header_id


def test_every_finding_it_would_settle_is_named(h):
    table = data_request.table(h, brief.tags(h), "en")
    tags = set(", ".join(table["Findings"]).replace(" ", "").split(","))
    assert {brief.tags(h)[d.key] for d in h["decisions"] if d.key in brief.tags(h)} <= tags


def test_csv_and_xlsx_hold_the_same_rows_and_the_xlsx_is_byte_stable(h, written):
    folder, files = written
    for lang in ("id", "en"):
        csv = pd.read_csv(folder / f"data_request_{lang}.csv", dtype=str, keep_default_na=False)
        wb = openpyxl.load_workbook(folder / f"data_request_{lang}.xlsx")
        rows = list(wb.active.values)
        assert list(rows[0]) == list(csv.columns)
        assert [[c or "" for c in r] for r in rows[1:]] == csv.values.tolist()
        again = data_request.xlsx_bytes(csv, wb.active.title)
        assert again == (folder / f"data_request_{lang}.xlsx").read_bytes()
    assert set(files) == {f"data_request_{lang}.{ext}" for lang in ("id", "en")
                          for ext in ("html", "csv", "xlsx")}


def test_formula_like_cells_are_neutralised(h, tmp_path):
    d = h["decisions"][0]
    evil = dataclasses.replace(d, request=({**d.request[0], "what_en": "=HYPERLINK(\"x\")",
                                            "what_id": "+cmd", "holder": "@BKN"},))
    bad = {**h, "decisions": [evil]}
    data_request.write(tmp_path, bad, brief.tags(h))
    text = (tmp_path / "data_request_en.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@BKN" in text
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "data_request_id.xlsx").read_bytes()))
    values = [c for r in wb.active.values for c in r]
    assert "'+cmd" in values and "+cmd" not in values
    page = (tmp_path / "data_request_en.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;x&#34;)" in page or "=HYPERLINK(&quot;x&quot;)" in page


def test_the_page_lists_every_question_with_its_blocker_and_links_its_templates(h, written):
    folder, _ = written
    for lang in ("id", "en"):
        page = (folder / f"data_request_{lang}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        for d in h["decisions"]:
            assert d.blocked(lang) in page
        assert f'href="data_request_{lang}.csv"' in page and \
            f'href="data_request_{lang}.xlsx"' in page
        other = "en" if lang == "id" else "id"
        assert f'href="data_request_{other}.html"' in page
        assert page.count("<h1") == 1
