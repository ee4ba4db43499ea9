"""Each validation rule with a failing fixture and its message; the real raw data is clean.

Fixtures are copies of ``tests/fixtures/ledger_small.csv`` (five real ledger rows: one KASN
snapshot of Pilkada 2020, a stated share and a Babel count) with one thing broken.
"""
import csv
import hashlib
import io

import pytest

from analysis import paths
from analysis.data import validate
from testpaths import FIXTURES

FIXTURE = FIXTURES / "ledger_small.csv"


def rows():
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(tmp_path, data, name="published_figures.csv", columns=None):
    columns = columns or list(data[0].keys())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(data)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def errors_of(path):
    return [p for p in validate.validate_files([path]) if p.severity == "error"]


def at(data, figure_id):
    return next(i for i, r in enumerate(data) if r["id"] == figure_id)


# Fixture rows: nf-0117 (Babel, 3 cases, undated), nf-0298/0299/0301 (KASN snapshot of
# 2020-12-19: reported 1305, recommended 872, executed 635), nf-0310 (72.8 percent).
def broken(tmp_path, figure_id, column, value):
    data = rows()
    data[at(data, figure_id)][column] = value
    return errors_of(write(tmp_path, data))


def only(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_real_raw_files_have_no_errors():
    assert errors_of_all() == []


def errors_of_all():
    return [str(p) for p in validate.validate_files() if p.severity == "error"]


def test_fixture_is_clean(tmp_path):
    assert errors_of(write(tmp_path, rows())) == []


def test_wrong_type_names_file_spreadsheet_row_column_value_and_expectation(tmp_path):
    p = only(broken(tmp_path, "nf-0299", "value", "abc"))
    assert (p.row, p.column, p.value) == (4, "value", "abc")  # header = row 1, nf-0299 = row 4
    assert "a number" in p.expected
    assert str(p).startswith(f"ERROR {tmp_path / 'published_figures.csv'}:4: column 'value': "
                             "value 'abc':")


def test_indonesian_thousands_separator_is_explained(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "value", "1.305"))
    assert p.value == "1.305" and "no thousands separator" in p.expected
    assert "1305" in p.expected


def test_impossible_date(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "published_date", "2020-02-30"))
    assert p.column == "published_date" and "real date" in p.expected


def test_published_before_as_of(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "published_date", "2020-12-01"))
    assert p.column == "published_date" and "on or after as_of_date '2020-12-19'" in p.expected


def test_precision_must_match_the_date(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "as_of_precision", "month"))
    assert p.column == "as_of_precision" and "'day'" in p.expected


def test_negative_count(tmp_path):
    p = only(broken(tmp_path, "nf-0117", "value", "-3"))
    assert p.column == "value" and "not negative" in p.expected


def test_percent_outside_0_100(tmp_path):
    data = rows()
    share = next(i for i, r in enumerate(data) if r["unit"] == "percent")
    data[share]["value"] = "172.8"
    p = only(errors_of(write(tmp_path, data)))
    assert p.value == "172.8" and "between 0 and 100" in p.expected


def test_metric_outside_vocabulary(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "metric", "sanctioned"))
    assert p.column == "metric" and "one of: reported" in p.expected


def test_unit_outside_vocabulary(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "unit", "orang"))
    assert p.column == "unit" and "one of:" in p.expected


def test_unknown_region_suggests_closest_known_name(tmp_path):
    p = only(broken(tmp_path, "nf-0117", "region", "Kep. Bangka Belitong"))
    assert p.column == "region" and "'Kepulauan Bangka Belitung'" in p.expected


def test_duplicate_id(tmp_path):
    data = rows()
    data[1]["id"] = data[0]["id"]
    p = only(errors_of(write(tmp_path, data)))
    assert p.row == 3 and "already used on row 2" in p.expected


def test_missing_source_url(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "source_url", ""))
    assert p.column == "source_url" and "required" in p.expected


def test_source_url_must_be_a_web_address(tmp_path):
    p = only(broken(tmp_path, "nf-0298", "source_url", "kompas.com/artikel"))
    assert "http" in p.expected


def test_missing_and_unknown_columns(tmp_path):
    data = rows()
    for r in data:
        r["nilai"] = r.pop("value")
    problems = errors_of(write(tmp_path, data))
    assert {(p.column, p.row) for p in problems} == {("value", 1), ("nilai", 1)}
    assert any("column is missing" in p.expected for p in problems)
    assert any("unknown column" in p.expected for p in problems)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    data = rows()
    data[0]["value"] = "abc"
    data[1]["metric"] = "x"
    data[3]["source_url"] = ""
    assert len(errors_of(write(tmp_path, data))) == 3


def test_funnel_must_narrow_within_one_snapshot(tmp_path):
    data = rows()
    executed = next(i for i, r in enumerate(data) if r["metric"] == "sanction_executed")
    data[executed]["value"] = "900"  # recommended is 872 in the same snapshot
    p = only(errors_of(write(tmp_path, data)))
    assert p.value == "900" and "sanction_executed <= recommended" in p.expected
    assert "recommended is 872" in p.expected


def test_empty_file(tmp_path):
    path = tmp_path / "published_figures.csv"
    path.write_bytes(b"")
    p = only(errors_of(path))
    assert "file is empty" in p.expected


def test_header_without_rows(tmp_path):
    path = tmp_path / "published_figures.csv"
    path.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no data rows" in only(errors_of(path)).expected


def test_utf8_bom_as_excel_writes_it_is_read_correctly_with_a_warning(tmp_path):
    path = tmp_path / "published_figures.csv"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    problems = validate.validate_files([path])
    assert [p.severity for p in problems] == ["warning"]
    assert "byte-order mark" in problems[0].expected


def test_semicolon_delimited_excel_export_is_rejected_not_misparsed(tmp_path):
    data = rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(data[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for r in data:
        writer.writerow(r | {"value": r["value"].replace(".", ",")})
    path = tmp_path / "published_figures.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    p = only(errors_of(path))
    assert p.row == 1 and "';'-delimited" in p.expected and "rejected" in p.expected


def test_non_utf8_file_is_rejected_with_its_row(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("Kepulauan", "Kepulauan\u00e9", 1)
    path = tmp_path / "published_figures.csv"
    path.write_bytes(text.encode("cp1252"))
    p = only(errors_of(path))
    assert "not UTF-8" in p.expected and p.row > 1


def test_a_file_with_another_name_is_matched_to_its_schema_by_columns(tmp_path):
    problems = broken(tmp_path, "nf-0298", "metric", "x")
    renamed = write(tmp_path, rows(), name="my_register_copy.csv")
    assert errors_of(renamed) == [] and len(problems) == 1


def test_cli_exit_codes_and_raw_files_left_untouched(tmp_path, capsys):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths.RAW.iterdir()}
    data = rows()
    data[0]["value"] = "-1"  # nf-0117, row 2
    data[1]["as_of_date"] = "2020-13-01"  # nf-0298, row 3
    bad = write(tmp_path, data)
    assert validate.main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:2: column 'value': value '-1'" in out
    assert f"{bad}:3: column 'as_of_date': value '2020-13-01'" in out
    assert "2 error(s)" in out
    assert validate.main([]) == 0
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths.RAW.iterdir()}
    assert before == after


@pytest.mark.parametrize("name", ["elections.csv", "asn_headcount.csv", "regions.csv"])
def test_other_raw_files_check_their_own_schema(tmp_path, name):
    source = paths.RAW / name
    lines = source.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    first = dict(zip(header, next(csv.reader([lines[1]]))))
    first[header[1]] = "?bad?" if name != "regions.csv" else "planet"
    path = write(tmp_path, [first], name=name, columns=header)
    problems = errors_of(path)
    assert problems and problems[0].row == 2 and problems[0].column == header[1]


def test_the_checks_stay_importable_from_validate_after_its_split():
    """Other commands reuse the validator's checks through ``analysis.data.validate``; its
    modules (reading, cell rules, table rules) are an inside matter."""
    from analysis.data import cell_rules, csv_table, problem, table_rules

    assert validate.check_text is cell_rules.check_text
    assert validate.check_cell is cell_rules.check_cell
    assert validate.check_url is cell_rules.check_url
    assert validate.parse_partial_date is cell_rules.parse_partial_date
    assert validate.open_table is csv_table.open_table
    assert validate.READ_LIMIT == csv_table.READ_LIMIT
    assert validate.check_table is table_rules.check_table
    assert validate.Problem is problem.Problem and validate.UnreadableFile is problem.UnreadableFile
    assert set(validate.__all__) <= set(dir(validate))
    schema = validate.match_schema(next(csv.reader([FIXTURE.read_text().splitlines()[0]])))
    assert schema.name == "published_figures"
    assert validate.check_text(schema, "category", "=1+1")  # a formula start, refused
    assert validate.check_cell(schema, "value", "1,116")  # Indonesian notation, refused
    assert validate.check_cell(schema, "value", "7") is None
