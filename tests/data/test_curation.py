"""Curation (scripts/curate_ledger.py): every collected row is accounted for, every decision has a
reason, and the rules for the scout file's own columns do what its docstring says."""
import csv
import importlib.util

import pytest

from analysis import paths
from analysis.data import schemas
from testpaths import ROOT

SCRIPTS = ROOT / "scripts"


@pytest.fixture(scope="module")
def curation():
    spec = importlib.util.spec_from_file_location("curate_ledger", SCRIPTS / "curate_ledger.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_scout_row_has_one_destination_and_every_exclusion_a_reason():
    log = [e for e in rows(SCRIPTS / "curation_log.csv") if e["source_file"] == "scout_2026_12.csv"]
    assert [int(e["source_row"]) for e in log] == list(range(1, 76))
    ledger_ids = {r["id"] for r in rows(paths.LEDGER)}
    candidate_ids = {r["id"] for r in rows(paths.RAW / schemas.CANDIDATES.path)}
    traced = {(r["source_file"], r["source_row"]) for r in rows(paths.ELECTIONS)}
    for entry in log:
        where = entry["destination"]
        if where == "published_figures.csv":
            assert entry["id"] in ledger_ids
        elif where == "candidates.csv":
            assert entry["id"] in candidate_ids
        elif where == "elections.csv":
            assert ("scout_2026_12.csv", entry["source_row"]) in traced
        else:
            assert where == "excluded" and entry["reason"], entry


def test_every_override_changes_a_known_field_and_says_why():
    fields = set(schemas.LEDGER.columns) | set(schemas.CANDIDATES.columns)
    for row in rows(SCRIPTS / "curation_overrides.csv"):
        assert row["field"] in fields | {"exclude", "note_append"}, row
        assert row["reason"].strip(), row


SCOUT_HEADER = ("id,cycle,election_type,scope,geography,agency,metric,value,unit,as_of_date,"
                "published_date,source_url,quote,confidence_note,gap_filled\n")
SCOUT_ROWS = [
    'x,2018,pilkada,province,Jawa Barat,Bawaslu,other,163,cases,2018-03-12,2018-03-12,'
    'https://example.org/a,"""ada 163 pelanggaran""",medium-high; ASN not separated,P3\n',
    'x,2018,pilkada,national,Indonesia (city races),Kemendagri,incumbent_pairs_rerunning,7,pairs,'
    '2018-02-20,2018-02-20,https://example.org/b,"""7 pasangan""",medium-high,P4\n',
    'x,2015,pilkada,national,Indonesia,Bawaslu (bulletin),regions_in_election,264,regions,'
    '2015-12-09,2015-12,https://example.org/c,"""264 daerah""",high; adoc mirror,P4\n',
    'x,2015,pilkada,regency,Nowhere (Atlantis),Panwaslu (via thesis),violation_found,15,ASN,,,'
    'https://example.org/d,"""15 orang""",low,P3\n',
]


def test_scout_rows_go_to_the_ledger_candidates_elections_or_are_excluded(curation, tmp_path):
    (tmp_path / "scout_2026_12.csv").write_text(SCOUT_HEADER + "".join(SCOUT_ROWS),
                                                encoding="utf-8")
    overrides = {
        "sd-0001": [{"field": "unit", "old_value": "cases", "new_value": "cases_incl_non_asn",
                     "reason": "every barred actor"}],
        "sd-0004": [{"field": "exclude", "old_value": "", "new_value": "",
                     "reason": "no region in the quote"}],
    }
    ledger, candidates, log = curation.curate(tmp_path, {"scout_2026_12.csv": "sd"}, overrides)
    assert [(e["id"], e["destination"]) for e in log] == [
        ("sd-0001", "published_figures.csv"), ("sd-0002", "candidates.csv"),
        ("sd-0003", "elections.csv"), ("sd-0004", "excluded")]
    assert log[3]["reason"] == "no region in the quote"
    (figure,) = ledger
    assert (figure["unit"], figure["region"], figure["agency"]) == (
        "cases_incl_non_asn", "Jawa Barat", "Bawaslu")
    assert 'quote: "ada 163 pelanggaran"' in figure["note"]
    assert "[curated: unit 'cases'->'cases_incl_non_asn': every barred actor]" in figure["note"]
    (pairs,) = candidates
    assert {k: pairs[k] for k in ("region", "race", "quantity", "office", "unit", "value")} == {
        "region": "Indonesia", "race": "pilwako", "quantity": "incumbent_pairs_rerunning",
        "office": "", "unit": "candidate_pairs", "value": "7"}
    assert set(pairs) == set(schemas.CANDIDATES.columns)


def test_an_override_whose_old_value_no_longer_matches_stops_curation(curation, tmp_path):
    (tmp_path / "scout_2026_12.csv").write_text(SCOUT_HEADER + SCOUT_ROWS[0], encoding="utf-8")
    stale = {"sd-0001": [{"field": "value", "old_value": "165", "new_value": "163",
                          "reason": "misprint"}]}
    with pytest.raises(curation.CurationError, match="expected old value '165', found '163'"):
        curation.curate(tmp_path, {"scout_2026_12.csv": "sd"}, stale)


def test_figures_added_by_command_survive_a_new_curation(curation, tmp_path):
    path = tmp_path / "published_figures.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=schemas.LEDGER.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerow({"id": "nf-0004", "source_file": "national_figures.csv", "value": "29"})
        writer.writerow({"id": "ad-0001", "source_file": "", "value": "7"})
    assert [r["id"] for r in curation.added_rows(path)] == ["ad-0001"]


SOURCES = ROOT.parent / "shared" / "sources"


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources not present")
def test_the_committed_files_are_what_curation_writes(curation, tmp_path):
    ledger, candidates, log = curation.curate(SOURCES)
    added = curation.added_rows(paths.LEDGER)
    for path, written, columns in (
            (paths.LEDGER, ledger + added, schemas.LEDGER.columns),
            (paths.RAW / schemas.CANDIDATES.path, candidates, schemas.CANDIDATES.columns),
            (SCRIPTS / "curation_log.csv", log, curation.LOG_COLUMNS)):
        out = tmp_path / path.name
        curation.write_csv(out, written, columns)
        assert out.read_bytes() == path.read_bytes(), f"run `make curate` and commit {path.name}"
