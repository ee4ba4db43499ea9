"""supervision_measures.csv: valid against its schema, traceable to the collected sources, and
holding the measures issue 11 names (the 2020 decree; Babel's MoU, circular, working group,
cyber patrol)."""
import csv
import json

import pytest

from analysis import paths
from analysis.data import datapackage, schemas, validate
from analysis.data.vocabulary import MEASURE_DATE_BASIS, MEASURE_KINDS

MEASURES = paths.RAW / "supervision_measures.csv"
SOURCES = paths.ROOT.parent / "shared" / "sources"


def rows():
    with MEASURES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_schema_registered_and_file_valid():
    assert schemas.MEASURES in schemas.ALL
    assert schemas.BY_PATH["supervision_measures.csv"] is schemas.MEASURES
    problems = validate.validate_files([MEASURES])
    assert [str(p) for p in problems] == []


def test_columns_and_vocabulary():
    data = rows()
    assert list(data[0].keys()) == schemas.MEASURES.columns
    assert {r["kind"] for r in data} <= set(MEASURE_KINDS)
    assert {r["date_basis"] for r in data} <= set(MEASURE_DATE_BASIS)
    assert len({r["measure_id"] for r in data}) == len(data)


def test_every_row_has_source_and_date_or_says_why():
    for r in rows():
        assert r["source_url"].startswith(("http://", "https://")), r["measure_id"]
        assert r["source_title"], r["measure_id"]
        if r["start_date"]:
            assert r["date_basis"] in ("start", "reported_by", "count_as_of")
            assert {10: "day", 7: "month", 4: "year"}[len(r["start_date"])] == r["start_precision"]
        else:
            assert r["date_basis"] in ("planned", "unknown"), r["measure_id"]
            assert r["note"], r["measure_id"]  # says why there is no date


def test_measures_named_in_the_issue():
    data = rows()

    def find(**kw):
        return [r for r in data if all(r[k] == v for k, v in kw.items())]

    decree = find(kind="decree", scope="national", cycle="2020")
    assert [r["start_date"] for r in decree] == ["2020-09-10"]
    assert find(kind="mou", region="Belitung")
    assert find(kind="circular", region="Bangka Selatan", cycle="2024")
    assert find(kind="working_group", region="Belitung Timur", cycle="2024")
    assert find(kind="monitoring", region="Kepulauan Bangka Belitung")  # cyber patrol
    assert find(kind="blocking_of_records")
    assert find(kind="institutional_change", start_date="2024-08-24")


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources not present")
def test_rows_trace_back_to_the_collected_sources():
    cache = {}
    for r in rows():
        if not r["source_file"]:
            assert "Not in shared/sources" in r["note"], r["measure_id"]
            continue
        if r["source_file"] not in cache:
            with (SOURCES / r["source_file"]).open(encoding="utf-8", newline="") as f:
                cache[r["source_file"]] = list(csv.DictReader(f))
        src = cache[r["source_file"]][int(r["source_row"]) - 1]
        assert src["source_url"] == r["source_url"], r["measure_id"]


def test_datapackage_lists_the_measures():
    package = json.loads(paths.RAW_PACKAGE.read_text(encoding="utf-8"))
    names = [res["name"] for res in package["resources"]]
    assert "supervision_measures" in names
    assert package == datapackage.descriptor()
