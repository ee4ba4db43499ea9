"""Hostile raw files (red team, issue 12): each gives file, row, column and a clear message, never
a traceback, and the command line exits 1 on every one of them.

Each case builds a bad copy of real data in tmp_path (``data/raw`` itself is never touched) and
states the problem the validator must report: (row, column, words of the message).
"""
import csv
import io
import os
import subprocess
import sys

import pytest

from analysis import paths
from analysis.data import schemas, validate
from testpaths import FIXTURES, ROOT

FIXTURE = FIXTURES / "ledger_small.csv"
NIP = "198503122010011002"  # a made-up but well-formed civil-servant number
NIK = "3201014507900001"  # a made-up but well-formed population number


def ledger_rows():
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_text(rows, columns=None):
    columns = columns or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def raw_rows(name):
    with (paths.RAW / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def ledger_with(figure_id, column, value):
    rows = ledger_rows()
    next(r for r in rows if r["id"] == figure_id)[column] = value
    return csv_text(rows)


# --- the hostile files: name -> (file name, bytes, expected (row, column, words)) -------------
# Ledger fixture rows: nf-0117 row 2, nf-0298 row 3, nf-0299 row 4, nf-0301 row 5, nf-0310 row 6.


def _short_row():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[2]]))
    unit = schemas.LEDGER.columns.index("unit")
    lines[2] = ",".join(cells[: unit + 1])  # nf-0298 cut after unit, before the date columns
    return "\n".join(lines) + "\n"


def _long_row():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    return "\n".join(lines) + "\n"


def _elections_conflict():
    header, rows = raw_rows("elections.csv")
    votes = [r for r in rows if r["scope"] == "national" and r["voting_day"]
             and r["cycle"] == "2020" and r["election_type"] == "pilkada"]
    extra = dict(votes[0], voting_day="2020-12-10", note="hostile: another voting day")
    rows.insert(rows.index(votes[0]) + 1, extra)
    return csv_text(rows, header), rows.index(extra) + 2, rows.index(votes[0]) + 2


def _regions_alias_is_canonical():
    header, rows = raw_rows("regions.csv")
    babel = next(r for r in rows if r["canonical_name"] == "Kepulauan Bangka Belitung")
    babel["aliases"] += "|Bangka"  # Bangka is the canonical name of a regency
    bangka = next(i for i, r in enumerate(rows) if r["canonical_name"] == "Bangka") + 2
    return csv_text(rows, header), rows.index(babel) + 2, bangka


def _duplicated_header(name, column):
    """``name`` with ``column`` repeated as a last column (its cells copied)."""
    if name == "published_figures.csv":
        rows, header = ledger_rows(), list(ledger_rows()[0])
    else:
        header, rows = raw_rows(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header + [column])
    writer.writerows([r[c] for c in header] + [r[column]] for r in rows[:3])
    return buffer.getvalue(), header.index(column) + 1, len(header) + 1


def _column_letter(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


ELECTIONS_CONFLICT, CONFLICT_ROW, FIRST_VOTE_ROW = _elections_conflict()
LEDGER_NOTE_TWICE, NOTE_AT, NOTE_AGAIN = _duplicated_header("published_figures.csv", "note")
ELECTIONS_CYCLE_TWICE, CYCLE_AT, CYCLE_AGAIN = _duplicated_header("elections.csv", "cycle")
REGIONS_BAD, ALIAS_ROW, BANGKA_ROW = _regions_alias_is_canonical()

HOSTILE = {
    "row_cut_short": ("published_figures.csv", _short_row().encode(),
                      (3, "as_of_date", ["ends after 13 field(s)", "before column 'as_of_date'",
                                         "expected 23 fields"])),
    "row_too_long": ("published_figures.csv", _long_row().encode(),
                     (3, "source_row", ["has 24 fields, expected 23"])),
    "cell_over_csv_default_limit": (
        "published_figures.csv", ledger_with("nf-0298", "note", "x" * 200_000).encode(),
        (3, "note", ["at most 10,000 characters", "this one has 200,000"])),
    "long_name_cell": ("published_figures.csv",
                       ledger_with("nf-0298", "agency", "K" * 300).encode(),
                       (3, "agency", ["at most 200 characters"])),
    "utf16_with_bom": ("published_figures.csv", FIXTURE.read_text(encoding="utf-8")
                       .encode("utf-16"), (0, "", ["UTF-16", "expected UTF-8"])),
    "utf16_without_bom": ("published_figures.csv", FIXTURE.read_text(encoding="utf-8")
                          .encode("utf-16-le"), (0, "", ["UTF-16", "expected UTF-8"])),
    "ids_differing_in_case": ("published_figures.csv",
                              ledger_with("nf-0299", "id", "NF-0298").encode(),
                              (4, "id", ["a unique id", "already used on row 3", "'nf-0298'",
                                         "ignoring case"])),
    "arabic_indic_digit_in_value": ("published_figures.csv",
                                    ledger_with("nf-0117", "value", "\u0663").encode(),
                                    (2, "value", ["digits 0-9 only", "ARABIC-INDIC DIGIT THREE"])),
    "arabic_indic_digits_in_date": (
        "published_figures.csv",
        ledger_with("nf-0298", "published_date", "\u0662\u0660\u0662\u0660-12-28").encode(),
        (3, "published_date", ["digits 0-9 only", "ARABIC-INDIC DIGIT TWO"])),
    "devanagari_digit_in_cycle": ("published_figures.csv",
                                  ledger_with("nf-0117", "cycle", "201\u096f").encode(),
                                  (2, "cycle", ["digits 0-9 only", "DEVANAGARI DIGIT NINE"])),
    "nul_byte": ("published_figures.csv", ledger_with("nf-0298", "agency", "KA\x00SN").encode(),
                 (3, "agency", ["no NUL byte"])),
    "control_character_in_region": ("published_figures.csv",
                                    ledger_with("nf-0117", "region", "Ba\x07bel").encode(),
                                    (2, "region", ["no control", "U+0007"])),
    "zero_width_space_in_agency": ("published_figures.csv",
                                   ledger_with("nf-0298", "agency", "KA\u200bSN").encode(),
                                   (3, "agency", ["no control or invisible", "ZERO WIDTH SPACE"])),
    "markup_in_category": ("published_figures.csv",
                           ledger_with("nf-0310", "category", "<script>alert(1)</script>")
                           .encode(), (6, "category", ["no '<' or '>'"])),
    "formula_in_category": ("published_figures.csv",
                            ledger_with("nf-0310", "category", "=HYPERLINK(\"http://x\")")
                            .encode(), (6, "category", ["not starting with '='", "formula"])),
    "plus_formula_in_agency": ("published_figures.csv",
                               ledger_with("nf-0298", "agency", "+cmd|' /C calc'!A0").encode(),
                               (3, "agency", ["not starting with '+'"])),
    "minus_formula_in_breakdown": ("published_figures.csv",
                                   ledger_with("nf-0310", "breakdown", "-2+3").encode(),
                                   (6, "breakdown", ["not starting with '-'"])),
    "at_formula_in_agency_detail": ("published_figures.csv",
                                    ledger_with("nf-0298", "agency_detail", "@SUM(A1:A9)")
                                    .encode(), (3, "agency_detail", ["not starting with '@'"])),
    "tab_then_formula_in_category": ("published_figures.csv",
                                     ledger_with("nf-0310", "category", "\t=1+1").encode(),
                                     (6, "category", ["not starting with '='"])),
    "javascript_url": ("published_figures.csv",
                       ledger_with("nf-0298", "source_url", "javascript:alert(1)").encode(),
                       (3, "source_url", ["http:// or https://"])),
    "url_breaking_out_of_an_attribute": (
        "published_figures.csv",
        ledger_with("nf-0298", "source_url", 'https://x.org/"><script>alert(1)</script>').encode(),
        (3, "source_url", ["no space, '<', '>'"])),
    "nip_in_note": ("published_figures.csv",
                    ledger_with("nf-0298", "note", f"PNS NIP {NIP} disanksi").encode(),
                    (3, "note", ["personal data must not be in the ledger",
                                 "(18-digit number hidden)"])),
    "nip_with_spaces_in_agency_detail": (
        "published_figures.csv",
        ledger_with("nf-0298", "agency_detail", "19850312 201001 1 002").encode(),
        (3, "agency_detail", ["personal data", "NIP", "(18-digit number hidden)"])),
    "nik_in_source_title": ("published_figures.csv",
                            ledger_with("nf-0298", "source_title", f"NIK {NIK}").encode(),
                            (3, "source_title", ["personal data", "NIK",
                                                 "(16-digit number hidden)"])),
    "stray_carriage_return_in_a_note": (
        "published_figures.csv", ledger_with("nf-0298", "note", "first part\rsecond").encode(),
        (3, "note", ["carriage return", "double quotes"])),
    "duplicated_header_in_the_ledger": (
        "published_figures.csv", LEDGER_NOTE_TWICE.encode(),
        (1, "note", ["one column named 'note'",
                     f"columns {NOTE_AT} ({_column_letter(NOTE_AT)}) and {NOTE_AGAIN} "
                     f"({_column_letter(NOTE_AGAIN)})"])),
    "duplicated_header_in_elections": (
        "elections.csv", ELECTIONS_CYCLE_TWICE.encode(),
        (1, "cycle", ["one column named 'cycle'", f"columns {CYCLE_AT} ("
                      f"{_column_letter(CYCLE_AT)}) and {CYCLE_AGAIN}"])),
    "precision_without_date": ("published_figures.csv",
                               ledger_with("nf-0117", "as_of_precision", "day").encode(),
                               (2, "as_of_precision", ["empty, since as_of_date is empty"])),
    "conflicting_voting_days": ("elections.csv", ELECTIONS_CONFLICT.encode(),
                                (CONFLICT_ROW, "voting_day",
                                 ["one national voting day per cycle and election type",
                                  f"row {FIRST_VOTE_ROW} gives '2020-12-09'"])),
    "alias_is_another_regions_canonical_name": (
        "regions.csv", REGIONS_BAD.encode(),
        (ALIAS_ROW, "aliases", ["'Bangka' is the canonical name on row " + str(BANGKA_ROW)])),
}


def write_hostile(tmp_path, case):
    name, data, _ = HOSTILE[case]
    folder = tmp_path / case
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    return path


def errors(path):
    return [p for p in validate.validate_files([path]) if p.severity == "error"]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_gives_file_row_column_and_message(tmp_path, case):
    path = write_hostile(tmp_path, case)
    row, column, words = HOSTILE[case][2]
    problems = errors(path)
    assert problems, f"{case}: no error reported"
    hits = [p for p in problems if p.row == row and p.column == column]
    assert hits, f"{case}: expected row {row} column {column!r}, got:\n" + "\n".join(
        map(str, problems))
    text = str(hits[0])
    assert text.startswith(f"ERROR {path}"), text
    for word in words:
        assert word in text, f"{case}: {word!r} not in {text!r}"


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_cli_exits_1_without_traceback_on_every_hostile_file(tmp_path, case):
    path = write_hostile(tmp_path, case)
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", errors="replace",
                            env=os.environ | {"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    row, column, words = HOSTILE[case][2]
    assert words[0] in result.stdout
    assert NIP not in result.stdout and NIK not in result.stdout  # personal data never echoed


def test_a_folder_given_as_a_file(tmp_path):
    problems = errors(tmp_path)
    assert len(problems) == 1 and "is a folder, not a file" in problems[0].expected
    result = subprocess.run([sys.executable, "-m", "analysis", "validate", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a folder" in result.stdout


def test_a_cell_too_long_to_read_at_all_stops_that_file_with_its_line(tmp_path):
    rows = ledger_rows()
    text = csv_text(rows)
    # an unclosed quote turns the rest of the file into one cell larger than READ_LIMIT
    text += 'nf-9999,2020,pilkada,national,Indonesia,KASN,"' + "y" * (validate.READ_LIMIT + 10)
    path = tmp_path / "published_figures.csv"
    path.write_text(text, encoding="utf-8")
    problems = errors(path)
    assert len(problems) == 1
    assert problems[0].row == 7 and f"longer than {validate.READ_LIMIT:,}" in problems[0].expected


def test_long_values_are_cut_in_messages(tmp_path):
    path = write_hostile(tmp_path, "cell_over_csv_default_limit")
    text = str(next(p for p in errors(path) if p.column == "note"))
    assert len(text) < 400 and "(200,000 characters)" in text


def test_personal_data_is_never_echoed_even_by_other_rules(tmp_path):
    path = tmp_path / "published_figures.csv"
    path.write_text(ledger_with("nf-0117", "region", f"NIP {NIP}"), encoding="utf-8")
    problems = errors(path)
    assert {p.column for p in problems} == {"region"} and len(problems) == 2
    assert all(NIP not in str(p) for p in problems)
    assert any("closest known name" in p.expected for p in problems)  # region rule, value hidden


def test_hashes_and_long_numbers_in_a_note_are_not_personal_data(tmp_path):
    note = ("sha256 3f2a198503122010011002b9c0e1d2 and 1985031220100110029999 and "
            "https://x.org/status/1985031220100110021")
    path = tmp_path / "published_figures.csv"
    path.write_text(ledger_with("nf-0298", "note", note), encoding="utf-8")
    assert errors(path) == []


def test_free_text_may_hold_what_names_may_not(tmp_path):
    """Notes and titles are escaped on output, not rejected."""
    rows = ledger_rows()
    rows[1]["note"] = "=1+1 <b>see</b> -> revised; @KASN said\tso\nsecond line"
    rows[1]["source_title"] = "-3 persen? <i>Judul</i>"
    path = tmp_path / "published_figures.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    assert errors(path) == []


def test_negative_numbers_in_numeric_columns_are_not_formulas():
    assert validate.check_text(schemas.LEDGER, "value", "-3.5") is None
    assert validate.check_text(schemas.LEDGER, "value", "-12") is None


def test_conflicting_voting_days_stop_the_build_with_the_row_not_a_crash(project_copy):
    from analysis.data import build

    data = project_copy(processed=False) / "data"
    (data / "raw" / "elections.csv").write_text(ELECTIONS_CONFLICT, encoding="utf-8")
    assert build.main([]) == 1
    assert not (data / "processed").exists()


def test_an_alias_shared_by_two_regions(tmp_path):
    header, rows = raw_rows("regions.csv")
    rows[2]["aliases"] = "Sumut"
    rows[3]["aliases"] = "SUMUT"
    path = tmp_path / "regions.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    p = only(errors(path))
    assert (p.row, p.column) == (5, "aliases") and "also an alias of 'Sumatera Utara' on row 4" \
        in p.expected


def only(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_real_raw_files_pass_every_new_rule():
    assert [str(p) for p in validate.validate_files() if p.severity == "error"] == []


def test_rows_after_a_stray_carriage_return_are_still_checked(tmp_path):
    rows = ledger_rows()
    rows[1]["note"] = "first part\rsecond"  # nf-0298, row 3: the CR is not quoted by csv_text
    rows[3]["value"] = "-1"  # nf-0301, row 5
    rows[4]["note"] = "quoted \r is fine"
    path = tmp_path / "published_figures.csv"
    text = csv_text(rows).replace("quoted \r is fine", '"quoted \r is fine"')
    path.write_text(text, encoding="utf-8", newline="")
    found = sorted((p.row, p.column) for p in errors(path))
    assert found == [(3, "note"), (5, "value")], "\n".join(map(str, errors(path)))
