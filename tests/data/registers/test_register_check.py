"""Checking case registers (issue 10): every check fails on a fixture, with row/column/value."""
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis import paths
from analysis.data.registers import codebook, reader
from analysis.data.registers.check import check_register, inspect_register, parse_date
from analysis.data.registers.commands import check_main
from testpaths import REGISTER_FIXTURES, ROOT

FIX = REGISTER_FIXTURES


def errors(problems, kind=None, column=None):
    return [p for p in problems if p.severity == "error" and (kind is None or p.kind == kind)
            and (column is None or p.column == column)]


def one(problems, kind, **where):
    found = [p for p in problems if p.kind == kind
             and all(getattr(p, k) == v for k, v in where.items())]
    assert len(found) == 1, (kind, where, [str(p) for p in problems])
    return found[0]


# --------------------------------------------------------------------------- codebook files
def test_committed_codebook_files_equal_what_the_code_generates():
    folder = ROOT / "data" / "registers"
    assert (folder / "CODEBOOK.md").read_text(encoding="utf-8") == codebook.codebook_markdown()
    assert (folder / "register.schema.json").read_text(encoding="utf-8") == codebook.schema_json()
    assert (folder / "register_template.xlsx").read_bytes() == codebook.template_xlsx_bytes(), (
        "run `python scripts/make_register_template.py` after changing codebook.py")


def test_template_is_byte_stable_and_its_headers_are_recognised(tmp_path):
    assert codebook.template_xlsx_bytes() == codebook.template_xlsx_bytes()
    path = tmp_path / "t.xlsx"
    path.write_bytes(codebook.template_xlsx_bytes())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Register", "Petunjuk"]
    headers = [c.value for c in wb["Register"][1]]
    assert [codebook.column_for_header(h) for h in headers] == codebook.CANONICAL_COLUMNS
    lists = [dv.formula1 for dv in wb["Register"].data_validations.dataValidation]
    assert '"dijatuhi sanksi,tidak terbukti,dihentikan,dalam proses"' in lists


def test_schema_describes_the_stored_columns_without_personal_data():
    schema = codebook.frictionless_schema()
    names = [f["name"] for f in schema["fields"]]
    assert names == codebook.STORED_COLUMNS and "nip" not in names and "name" not in names
    outcome = next(f for f in schema["fields"] if f["name"] == "outcome")
    assert outcome["constraints"]["enum"] == ["sanctioned", "not_proven", "stopped", "pending"]


@pytest.mark.parametrize("header,canon", [
    ("No. Register", "case_id"), ("nomor  register", "case_id"), ("CASE ID", "case_id"),
    ("NIP", "nip"), ("Nama", "name"), ("Eselon", "position_level"),
    ("Tingkat Jabatan", "position_level"), ("Kabupaten/Kota", "region"), ("Provinsi", "region"),
    ("Kode Wilayah", "region_code"), ("Tanggal Penerusan", "date_forwarded"),
    ("Kategori Sanksi", "sanction_severity"), ("Petahana", "incumbent_running"),
    ("Sumber Temuan", "detection_source"), ("Status", "outcome")])
def test_header_aliases(header, canon):
    assert codebook.column_for_header(header) == canon


@pytest.mark.parametrize("column,word,code", [
    ("sanction_severity", "Ringan", "light"), ("sanction_severity", "heavy", "heavy"),
    ("outcome", "TIDAK TERBUKTI", "not_proven"), ("outcome", "not proven", "not_proven"),
    ("detection_source", "patroli siber", "social_media_monitoring"),
    ("detection_source", "ombudsman", "ombudsman"), ("election_type", "Pemilihan Kepala Daerah",
                                                      "pilkada"),
    ("incumbent_running", "Ya", "true")])
def test_category_words(column, word, code):
    assert codebook.category_code(column, word) == code


@pytest.mark.parametrize("text,iso,why", [
    ("05/09/2024", "2024-09-05", ""), ("5/9/2024", "2024-09-05", ""),
    ("05-09-2024", "2024-09-05", ""), ("2024-09-05", "2024-09-05", ""),
    ("31/02/2024", "", "impossible"), ("29/02/2023", "", "impossible"),
    ("05/13/2024", "", "impossible"), ("kemarin", "", "unparseable"),
    ("05/09/1890", "", "year")])
def test_parse_date(text, iso, why):
    assert parse_date(text)[0] == iso and parse_date(text)[2] == why


# --------------------------------------------------------------------------- good files
def test_good_csv_has_no_errors_and_is_normalised():
    ins = inspect_register(FIX / "good.csv")
    assert ins.errors == [], [str(p) for p in ins.errors]
    cols = ins.columns
    assert list(ins.rows) == [2, 3, 4, 5, 6]
    assert cols["region"].array().tolist() == ["Bangka", "Kota Pangkalpinang",
                                               "Kepulauan Bangka Belitung", "Bangka Tengah",
                                               "Jawa Barat"]
    assert cols["date_report"].array().tolist() == [
        "2024-09-05", "2024-09-06", "2024-09-07", "2024-09-08", "2024-09-09"]
    assert cols["date_incident"].array().tolist()[:3] == ["2024-09-01", "2024-09-02",
                                                          "2024-09-03"]
    assert cols["outcome"].array().tolist() == ["sanctioned", "pending", "not_proven",
                                                "stopped", "pending"]
    assert cols["election_type"].array().tolist() == ["pilkada", "pilkada", "pemilu",
                                                      "pilkada", "pilkada"]
    assert cols["incumbent_running"].array().tolist() == ["true", "false", "", "false", ""]
    assert cols["nip"].array().tolist()[1] == "199001012015032002"  # spaces removed
    assert cols["agency"].array().tolist()[1] == "Dinas Pendidikan, Kebudayaan"


def test_semicolon_csv_with_bom_and_decimal_comma():
    ins = inspect_register(FIX / "semicolon_bom.csv")
    assert ins.table.delimiter == ";"
    assert ins.errors == [], [str(p) for p in ins.errors]
    assert ins.columns["case_id"].array().tolist() == ["B-1", "B-2"]  # BOM not in the header
    assert ins.columns["region"].array().tolist() == ["Kota Pangkalpinang", "Sulawesi Selatan"]
    assert ins.columns["date_report"].array().tolist() == ["2024-09-05", "2020-09-06"]
    extra = one(ins.problems, "extra_column", column="Nilai Kerugian")
    assert extra.severity == "warning" and extra.row == 1


def _xlsx(path: Path, headers, rows, sheet="Data", first_sheet=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:
        ws.title = first_sheet
        ws.append(["nothing here"])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_with_indonesian_headers_shuffled_and_excel_dates(tmp_path):
    headers = ["Status", "Tanggal Laporan", "Wilayah", "NIP", "Jenis Pemilihan",
               "Tanggal Sanksi", "Nomor Register", "Tahun Pemilihan", "Tingkat Sanksi", "Nama"]
    rows = [
        ["Dijatuhi Sanksi", dt.datetime(2024, 9, 5), "Babel", "198503302010011001",
         "Pilkada", dt.date(2024, 11, 1), "X-1", 2024, "Berat", "Budi"],
        ["dalam proses", "06/09/2024", "sulsel", "198503302010011002", "pilkada", None, "X-2",
         2024.0, None, "Siti"],
        [None] * 10,  # an empty row is skipped, row numbers kept
        ["tidak terbukti", dt.datetime(2020, 10, 1), "Jabar", None, "pilkada", None, "X-4",
         2020, None, None],
    ]
    path = _xlsx(tmp_path / "reg.xlsx", headers, rows)
    ins = inspect_register(path)
    assert ins.errors == [], [str(p) for p in ins.errors]
    assert list(ins.rows) == [2, 3, 5]
    assert ins.columns["date_report"].array().tolist() == ["2024-09-05", "2024-09-06",
                                                           "2020-10-01"]
    assert ins.columns["date_sanction"].array().tolist() == ["2024-11-01", "", ""]
    assert ins.columns["sanction_severity"].array().tolist() == ["heavy", "", ""]
    assert ins.columns["cycle"].array().tolist() == ["2024", "2024", "2020"]


def test_xlsx_named_sheet_and_problem_names_the_sheet(tmp_path):
    path = _xlsx(tmp_path / "reg.xlsx", ["Nomor Register", "Wilayah", "Tahun Pemilihan",
                                         "Jenis Pemilihan", "Tanggal Laporan", "Status"],
                 [["A", "Bangka", 2024, "pilkada", "31/02/2024", "pending"]],
                 sheet="Register 2024", first_sheet="Sampul")
    problems = check_register(path, sheet="Register 2024")
    p = one(problems, "date_impossible")
    assert (p.sheet, p.row, p.column, p.value) == ("Register 2024", 2, "Tanggal Laporan",
                                                   "31/02/2024")
    missing = check_register(path, sheet="Nope")
    assert missing[0].kind == "not_readable" and "Sampul" in missing[0].expected


def test_xlsx_nip_as_number_cell_is_an_error_without_showing_it(tmp_path):
    path = _xlsx(tmp_path / "reg.xlsx", ["Nomor Register", "NIP", "Wilayah", "Tahun Pemilihan",
                                         "Jenis Pemilihan", "Tanggal Laporan", "Status"],
                 [["A", 198503302010011001, "Bangka", 2024, "pilkada", "05/09/2024",
                   "pending"]])
    problems = check_register(path)
    p = one(problems, "nip_number_cell")
    assert p.row == 2 and p.column == "NIP" and "hidden" in p.value
    assert "19850330" not in "".join(str(q) for q in problems)


# --------------------------------------------------------------------------- each failing check
@pytest.fixture(scope="module")
def bad():
    return check_register(FIX / "bad.csv")


def test_impossible_date(bad):
    p = one(bad, "date_impossible")
    assert (p.row, p.column, p.value, p.severity) == (2, "Tanggal Laporan", "31/02/2024", "error")
    assert "exists" in p.expected


def test_unparseable_date(bad):
    p = one(bad, "date_unparseable")
    assert (p.row, p.column, p.value) == (10, "Tanggal Laporan", "kemarin")
    assert "dd/mm/yyyy" in p.expected


def test_nip_not_18_digits_is_hidden(bad):
    p = one(bad, "nip")
    assert (p.row, p.column) == (3, "NIP")
    assert p.value == "(personal data, hidden; 5 characters)" and "18 digits" in p.expected
    assert "12345" not in str(p)


def test_unknown_region_with_suggestion(bad):
    p = one(bad, "region")
    assert (p.row, p.column, p.value) == (4, "Kabupaten/Kota", "Bangkaa")
    assert "regions.csv" in p.expected and "Bangka" in p.hint


def test_unknown_category_with_suggestion(bad):
    p = one(bad, "category", column="Status")
    assert (p.row, p.value) == (5, "dijatuhkan sanksi")
    assert "dijatuhi sanksi (sanctioned)" in p.expected and "dijatuhi sanksi" in p.hint


def test_duplicate_case_ids(bad):
    dups = errors(bad, "duplicate_case_id")
    assert [(p.row, p.value) for p in dups] == [(2, "R-01"), (6, "R-01")]
    assert dups[0].hint == "also in row 6" and dups[1].hint == "also in row 2"


def test_date_order(bad):
    order = {(p.row, p.column): p for p in errors(bad, "date_order")}
    assert set(order) == {(7, "Tanggal Sanksi"), (8, "Tanggal Laporan"),
                          (9, "Tanggal Rekomendasi")}
    assert order[(7, "Tanggal Sanksi")].value == "01/03/2024"
    assert order[(7, "Tanggal Sanksi")].expected == (
        "a date not before Tanggal Laporan (2024-03-05)")
    assert order[(8, "Tanggal Laporan")].expected == (
        "a date not before Tanggal Kejadian (2024-03-10)")


def test_warnings_not_errors(bad):
    extra = one(bad, "extra_column")
    assert (extra.severity, extra.column, extra.row) == ("warning", "Keterangan", 1)
    sev = one(bad, "severity_missing")
    assert (sev.severity, sev.row, sev.column) == ("warning", 11, "Tingkat Sanksi")


def test_no_personal_data_in_any_problem(bad):
    text = "\n".join(str(p) for p in bad)
    for secret in ["198503302010011", "Budi", "Siti", "Aminah", "Santoso", "Yani"]:
        assert secret not in text


def test_missing_required_columns():
    problems = check_register(FIX / "missing_columns.csv")
    missing = {p.field for p in errors(problems, "missing_column")}
    assert missing == {"date_report", "outcome"}
    p = one(problems, "missing_column", field="outcome")
    assert p.row == 1 and "Status" in p.expected


def test_required_value_empty(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Wilayah,Tahun Pemilihan,Jenis Pemilihan,Tanggal Laporan,"
                    "Status\nA,Bangka,2024,pilkada,,pending\nB,,2024,pilkada,05/09/2024,"
                    "pending\n", encoding="utf-8")
    problems = check_register(path)
    req = errors(problems, "required_value")
    assert {(p.row, p.column) for p in req} == {(2, "Tanggal Laporan"), (3, "Wilayah")}


def test_election_without_a_voting_day_is_an_error_with_the_known_years(tmp_path):
    # there was no Pilkada in 2019 (the general election was); its lags could not be counted
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Wilayah,Tahun Pemilihan,Jenis Pemilihan,Tanggal Laporan,"
                    "Status\nA,Bangka,2019,Pilkada,05/09/2019,pending\n"
                    "B,Bangka,2019,pemilu,05/04/2019,pending\n"
                    "C,Bangka,2020,pilkada,05/09/2020,pending\n", encoding="utf-8")
    problems = check_register(path)
    p = one(problems, "unknown_election")
    assert (p.row, p.column, p.value, p.severity) == (2, "Tahun Pemilihan", "2019", "error")
    assert "pilkada voting day" in p.expected and "2020, 2024" in p.expected
    assert "'Pilkada'" in p.hint and "elections.csv" in p.hint
    assert check_main(path) == 1


def test_a_date_after_the_data_date_is_an_error_when_the_data_date_is_given(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Wilayah,Tahun Pemilihan,Jenis Pemilihan,Tanggal Laporan,"
                    "Tanggal Sanksi,Status\nA,Bangka,2024,pilkada,05/09/2024,,pending\n"
                    "B,Bangka,2024,pilkada,06/09/2024,02/01/2025,dijatuhi sanksi\n"
                    "C,Bangka,2024,pilkada,07/09/2024,31/12/2024,dijatuhi sanksi\n",
                    encoding="utf-8")
    assert not errors(check_register(path))  # without a data date nothing is late
    p = one(check_register(path, data_date="2024-12-31"), "date_after_data_date")
    assert (p.row, p.column, p.value, p.severity) == (3, "Tanggal Sanksi", "02/01/2025",
                                                       "error")
    assert "2024-12-31" in p.expected and "--data-date" in p.hint
    assert check_main(path, data_date="2024-12-31") == 1
    assert check_main(path, data_date="2025-01-02") == 0
    assert check_main(path, data_date="31/12/2024") == 1  # not a date YYYY-MM-DD


def test_region_code_fills_region_and_unknown_code_fails(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Kode Wilayah,Tahun Pemilihan,Jenis Pemilihan,"
                    "Tanggal Laporan,Status\nA,19.01,2024,pilkada,05/09/2024,pending\n"
                    "B,9999,2024,pilkada,05/09/2024,pending\n", encoding="utf-8")
    ins = inspect_register(path)
    p = one(ins.problems, "region_code")
    assert (p.row, p.value) == (3, "9999")
    assert ins.columns["region"].array().tolist()[0] == "Bangka"


def test_problem_limit_counts_the_rest(tmp_path):
    path = tmp_path / "many.csv"
    lines = ["Nomor Register,Wilayah,Tahun Pemilihan,Jenis Pemilihan,Tanggal Laporan,Status"]
    lines += [f"C{i},Nowhere,2024,pilkada,05/09/2024,pending" for i in range(250)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    region = errors(check_register(path), "region")
    assert len(region) == 101 and "250" not in region[-1].expected
    assert "150 more rows" in region[-1].expected
    assert len(errors(check_register(path, limit=None), "region")) == 250


# --------------------------------------------------------------------------- wrong file kinds
def test_xlsx_that_is_really_csv():
    problems = check_register(FIX / "really_csv.xlsx")
    assert len(problems) == 1
    p = problems[0]
    assert (p.kind, p.row, p.severity) == ("not_readable", 0, "error")
    assert "text (CSV)" in p.value and p.hint == "rename it to .csv"


def test_zip_that_is_not_xlsx(tmp_path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "zip archive" in p.value and "xlsx" in p.expected


def test_utf16_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes((FIX / "good.csv").read_text(encoding="utf-8").encode("utf-16"))
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "UTF-16" in p.value and "UTF-8" in p.hint


def test_xlsx_named_csv(tmp_path):
    path = _xlsx(tmp_path / "r.csv", ["Nomor Register"], [["A"]])
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "not a CSV" in p.value


def test_not_utf8_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("Nomor Register,Wilayah\nA,Bangka – Selatan\n".encode("cp1252") * 1)
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "UTF-8" in p.expected


def test_row_with_more_fields_than_the_header(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Wilayah\nA,Bangka\nB,Bangka,extra\n", encoding="utf-8")
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "more fields than the header" in p.value
    assert "line 3 has 3 fields" in p.value


def test_check_main_exit_codes(capsys):
    assert check_main(FIX / "good.csv") == 0
    assert check_main(FIX / "bad.csv") == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "row 2" in out
    for secret in ["198503302010011001", "Budi", "Siti Aminah"]:
        assert secret not in out


def test_reader_keeps_spreadsheet_rows_with_blank_lines(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Wilayah\nA,Bangka\n\nB,Babel\n", encoding="utf-8")
    table = reader.read_table(path)
    assert list(table.rows) == [2, 4]
    assert table.reader == "polars" and table.values(0).tolist() == ["A", "B"]


def test_paths_root_is_the_repository():
    assert paths.ROOT.resolve() == ROOT or "NETRALITAS_ROOT" in __import__("os").environ


def test_province_and_regency_columns_prefer_the_regency(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nomor Register,Provinsi,Kabupaten/Kota,Tahun Pemilihan,Jenis Pemilihan,"
                    "Tanggal Laporan,Status,,\nA,Babel,Bangka,2024,pilkada,05/09/2024,pending,,\n"
                    "B,Jabar,,2024,pilkada,05/09/2024,pending,,\n", encoding="utf-8")
    ins = inspect_register(path)
    assert ins.problems == []  # unnamed trailing columns are skipped silently
    assert ins.columns["region"].array().tolist() == ["Bangka", "Jawa Barat"]
