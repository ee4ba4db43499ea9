"""A ledger figure cites a web page, a document or a register (source_kind), each with its own
rules; reports can list which figures come from unpublished data."""
import csv
import io

import pandas as pd
import pytest

from analysis import paths
from analysis.data import schemas, validate
from analysis.data.vocabulary import LEDGER_COLUMNS, SOURCE_KINDS
from testpaths import FIXTURES

FIXTURE = FIXTURES / "ledger_small.csv"


def rows():
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(tmp_path, data):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LEDGER_COLUMNS, lineterminator="\n",
                            restval="")
    writer.writeheader()
    writer.writerows(data)
    path = tmp_path / "published_figures.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def errors(tmp_path, change):
    data = rows()
    data[0].update(change)
    return [p for p in validate.validate_files([write(tmp_path, data)]) if p.severity == "error"]


def test_schema_and_vocabulary():
    assert LEDGER_COLUMNS[-2:] == ["source_kind", "source_register"]
    assert set(SOURCE_KINDS) == {"url", "document", "register"}
    assert schemas.LEDGER.field("source_kind").enum == ("url", "document", "register")
    assert not schemas.LEDGER.field("source_url").required  # required per kind, by the validator


def test_real_ledger_rows_are_all_web_pages():
    ledger = pd.read_csv(paths.LEDGER, dtype=str, keep_default_na=False)
    assert set(ledger["source_kind"]) == {"url"} and set(ledger["source_register"]) == {""}


@pytest.mark.parametrize("change", [
    {"source_kind": "url"}, {"source_kind": ""},
    {"source_kind": "document", "source_url": "", "source_title": "Surat KASN No. B-1/2020"},
    {"source_kind": "document", "source_title": "Surat KASN No. B-1/2020"},  # URL allowed
    {"source_kind": "register", "source_url": "", "source_register": "bawaslu_babel-2024"},
])
def test_valid_citations(tmp_path, change):
    assert errors(tmp_path, change) == []


def test_a_file_without_the_new_columns_is_read_as_web_pages(tmp_path):
    path = tmp_path / "published_figures.csv"
    FIXTURE_TEXT = FIXTURE.read_text(encoding="utf-8")
    assert "source_kind" not in FIXTURE_TEXT.splitlines()[0]
    path.write_text(FIXTURE_TEXT, encoding="utf-8")
    assert [p for p in validate.validate_files([path]) if p.severity == "error"] == []


@pytest.mark.parametrize("change, column, expected", [
    ({"source_kind": "url", "source_url": ""}, "source_url", "required when source_kind is url"),
    ({"source_kind": "", "source_url": ""}, "source_url", "an empty source_kind means url"),
    ({"source_kind": "document", "source_url": "", "source_title": ""}, "source_title",
     "required when source_kind is document"),
    ({"source_kind": "register", "source_url": "", "source_register": ""}, "source_register",
     "required when source_kind is register"),
    ({"source_kind": "register", "source_register": "babel"}, "source_url",
     "empty when source_kind is register"),
    ({"source_kind": "register", "source_url": "", "source_register": "my register"},
     "source_register", "a register name"),
    ({"source_kind": "url", "source_register": "babel"}, "source_register",
     "empty when source_kind is url"),
    ({"source_kind": "web"}, "source_kind", "one of: url, document, register"),
    ({"source_kind": "document", "source_url": "ftp://x"}, "source_url", "http:// or https://"),
])
def test_rules_per_kind_name_file_row_and_column(tmp_path, change, column, expected):
    found = errors(tmp_path, change)
    assert len(found) == 1, "\n".join(map(str, found))
    problem = found[0]
    assert problem.file.endswith("published_figures.csv") and problem.row == 2
    assert problem.column == column and expected in problem.expected
    assert f"published_figures.csv:2: column '{column}'" in str(problem)


def test_unpublished_sources_lists_documents_and_registers():
    ledger = pd.DataFrame([
        {"id": "nf-1", "source_kind": "url", "source_title": "Page", "source_register": ""},
        {"id": "nf-2", "source_kind": "", "source_title": "Page", "source_register": ""},
        {"id": "doc-1", "source_kind": "document", "source_title": "SK No. 5/2020",
         "source_register": ""},
        {"id": "rg-babel-000001", "source_kind": "register", "source_title": "register babel",
         "source_register": "babel"},
    ])
    found = schemas.unpublished_sources(ledger, ["nf-1", "nf-2", "doc-1", "rg-babel-000001"])
    assert [(s.id, s.kind, s.label) for s in found] == [
        ("doc-1", "document", "SK No. 5/2020"), ("rg-babel-000001", "register", "register babel")]
    assert str(found[0]) == "doc-1: SK No. 5/2020 (document)"
    assert schemas.unpublished_sources(ledger, ["nf-1"]) == []
    assert len(schemas.unpublished_sources(ledger.to_dict("records"))) == 2
    legacy = pd.DataFrame([{"id": "x", "source_title": "t"}])  # no source_kind column: url
    assert schemas.unpublished_sources(legacy) == []


def test_register_rollup_rows_validate_as_register_figures(tmp_path):
    from analysis.data.registers.rollup import rollup
    from analysis.data.registers.synth import register_meta, synth_register

    cases, truth = synth_register(300, 3)
    out = rollup(cases, register_meta(cases, truth))
    assert (out["source_register"] == "synthetic-seed3").all()
    assert set(schemas.unpublished_sources(out)) and \
        {s.kind for s in schemas.unpublished_sources(out)} == {"register"}
    sample = out[schemas.LEDGER.columns].head(20).astype(str).replace({"nan": ""})
    sample["source_row"] = ""
    path = tmp_path / "published_figures.csv"
    sample.to_csv(path, index=False)
    problems = [p for p in validate.validate_files([path]) if p.severity == "error"]
    assert not [p for p in problems if p.column in ("source_url", "source_kind",
                                                    "source_register")], problems
