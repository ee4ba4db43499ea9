"""`python -m analysis ledger add`: one figure appended with the checks of `validate`, a figure
repeating or contradicting one already there only with a reason, and data/raw/ byte for byte
unchanged on any refusal. Every test works on a copy of data/raw/, never on the real one."""
import csv
import os
import shutil
import subprocess
import sys

import pytest

from analysis import cli, paths
from testpaths import ROOT

GOOD = ["--cycle", "2024", "--election-type", "pilkada", "--scope", "regency",
        "--region", "Kabupaten Bima", "--agency", "KASN", "--agency-detail", "BKN via Antara",
        "--metric", "sanction_executed", "--value", "7", "--unit", "ASN",
        "--as-of-date", "2024-11-01", "--published-date", "2024-11-02",
        "--source-url", "https://example.org/berita/7-asn-bima", "--source-quality", "secondary",
        "--note", "seven ASN in Bima made a public apology (moral sanction)"]
# sd-0045: Bawaslu NTB, 104 cases reported as of 1 Nov 2024
NTB = ["--cycle", "2024", "--election-type", "pilkada", "--scope", "province", "--region", "NTB",
       "--agency", "Bawaslu", "--metric", "reported", "--unit", "cases",
       "--as-of-date", "2024-11-01", "--published-date", "2024-11-01",
       "--source-url", "https://example.org/ntb", "--source-quality", "primary",
       "--note", "Bawaslu NTB total"]


@pytest.fixture
def raw(tmp_path):
    """A copy of data/raw/ that every path of the toolkit points at."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    with paths.scoped(root=root):
        yield root / "data" / "raw"


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def add(*args):
    return cli.main(["ledger", "add", *args])


def refused(raw, capsys, *args) -> str:
    """Run the command, expect a refusal, and check data/raw/ is byte for byte as it was and
    no NIP is echoed; return what it printed."""
    before = snapshot(raw)
    assert add(*args) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "198507262010011003" not in err
    assert snapshot(raw) == before
    return err


def last_row(raw):
    with (raw / "published_figures.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))[-1]


def test_a_good_figure_is_appended_and_the_ledger_still_validates(tmp_path):
    """The real entry point, on a copy of the project named by NETRALITAS_ROOT."""
    root = tmp_path / "project"
    shutil.copytree(paths.RAW, root / "data" / "raw")
    ledger = root / "data" / "raw" / "published_figures.csv"
    before = ledger.read_bytes()
    env = dict(os.environ, NETRALITAS_ROOT=str(root))
    run = subprocess.run([sys.executable, "-m", "analysis", "ledger", "add", *GOOD], cwd=ROOT,
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "added ad-0001" in run.stdout
    after = ledger.read_bytes()
    assert after.startswith(before) and after[len(before):].count(b"\n") == 1
    row = last_row(root / "data" / "raw")
    assert {k: row[k] for k in ("id", "region", "value", "as_of_precision",
                                "published_precision", "source_kind", "source_file")} == {
        "id": "ad-0001", "region": "Kabupaten Bima", "value": "7", "as_of_precision": "day",
        "published_precision": "day", "source_kind": "url", "source_file": ""}
    check = subprocess.run([sys.executable, "-m", "analysis", "validate"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert paths.LEDGER.read_bytes() != after  # the real ledger was not touched


def test_ids_follow_the_prefix_numbering_and_regions_their_canonical_name(raw, capsys):
    assert add(*GOOD) == 0
    assert add(*GOOD, "--value", "8", "--reason", "a later count of the same day") == 0
    assert add(*GOOD, "--value", "9", "--id-prefix", "mn", "--region", "kab. bima",
               "--reason", "a third reading") == 1  # 'kab. bima' is no alias: refused
    assert add(*GOOD, "--value", "9", "--id-prefix", "mn", "--region", "KABUPATEN  BIMA",
               "--reason", "a third reading") == 0
    with (raw / "published_figures.csv").open(encoding="utf-8", newline="") as f:
        added = [r for r in csv.DictReader(f) if not r["source_file"]]
    assert [(r["id"], r["region"]) for r in added] == [
        ("ad-0001", "Kabupaten Bima"), ("ad-0002", "Kabupaten Bima"),
        ("mn-0001", "Kabupaten Bima")]


def test_a_duplicate_is_refused_and_data_raw_is_byte_identical(raw, capsys):
    err = refused(raw, capsys, *NTB, "--value", "104")
    assert "field value (--value): value '104'" in err and "the same figure as sd-0045" in err


def test_a_conflict_is_refused_without_a_reason_and_kept_with_one(raw, capsys):
    assert "a conflict with sd-0045 (104)" in refused(raw, capsys, *NTB, "--value", "110")
    assert add(*NTB, "--value", "110", "--reason", "Antara prints 110 for the same briefing") == 0
    row = last_row(raw)
    assert row["value"] == "110" and row["note"] == (
        "Bawaslu NTB total [added as a conflict with sd-0045 (104): Antara prints 110 for the "
        "same briefing]")


@pytest.mark.parametrize("change, expected", [
    (["--as-of-date", "2024-02-30"], "field as_of_date (--as-of-date): value '2024-02-30': "
                                     "expected a real date as YYYY-MM-DD, YYYY-MM or YYYY"),
    (["--region", "Atlantis"], "field region (--region): value 'Atlantis': expected a region "
                               "named in regions.csv"),
    (["--note", "ASN NIP 198507262010011003 apologised"],
     "field note (--note): expected no personal data"),
    (["--metric", "sanctioned"], "field metric (--metric): value 'sanctioned': expected one of: "
                                 "reported, violation_found"),
    (["--value", "1.116"], "field value (--value): value '1.116': expected a count of ASN: a "
                           "whole number (if '1.116' is Indonesian notation for 1116"),
    (["--published-date", "2024-10-30"], "field published_date (--published-date): value "
                                         "'2024-10-30': expected a date on or after as_of_date"),
    (["--source-url", ""], "field source_url (--source-url): value '': expected a web address"),
    (["--note", ""], "field note (--note): value '': expected a value"),
    (["--id", "NF-1"], "field id (--id): value 'NF-1': expected PREFIX-NNNN"),
])
def test_bad_input_is_refused_naming_field_and_value_and_nothing_is_written(
        raw, capsys, change, expected):
    err = refused(raw, capsys, *GOOD, *change)
    assert expected in err, err


def test_a_reason_is_checked_as_a_note_is(raw, capsys):
    err = refused(raw, capsys, *NTB, "--value", "110", "--reason", "NIP 198507262010011003 said")
    assert "field note (--note): expected no personal data" in err


def test_an_id_already_used_is_refused(raw, capsys):
    err = refused(raw, capsys, *GOOD, "--id", "sd-0045")
    assert "field id (--id): value 'sd-0045': expected a unique id" in err


def test_a_ledger_that_cannot_be_read_is_reported_not_a_traceback(raw, capsys):
    (raw / "published_figures.csv").write_bytes(b"id,cycle\n\xff\xfe1,2024\n")
    err = refused(raw, capsys, *GOOD)
    assert "published_figures.csv cannot be read (UnicodeDecodeError" in err
    assert "Traceback" not in err
