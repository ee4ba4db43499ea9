"""Hostile registers (issue 23): each is refused by ``register check`` and ``register import``
with sheet, row, column and what was expected, never a traceback, and nothing is stored.

Every NIP and name here is invented (see tests/fixtures/registers/README.md).
"""
import csv
import io

import openpyxl
import pytest

from analysis.data.registers.check import check_register
from analysis.data.registers.commands import check_main
from testpaths import REGISTER_FIXTURES

GOOD = REGISTER_FIXTURES / "good.csv"


def good_rows():
    with GOOD.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def write_xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    for row in [header, *rows]:
        ws.append(row)
    wb.save(path)
    return path


def errors(problems, kind=None):
    return [p for p in problems if p.severity == "error" and kind in (None, p.kind)]


def with_column_again(header, rows, name, cells=None):
    """The register with a last column headed ``name`` (its cells ``cells`` or copied)."""
    at = header.index(name) if name in header else None
    extra = cells or [r[at] if at is not None else "x" for r in rows]
    return header + [name], [r + [c] for r, c in zip(rows, extra)]


# --------------------------------------------------------------------------- headers twice
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("name,spelled,columns", [
    # the region: a province and a regency column are allowed, one column twice is not
    ("Kabupaten/Kota", "Kabupaten/Kota", "columns 7 (G) and 21 (U)"),
    ("Jabatan", "JABATAN", "columns 4 (D) and 21 (U)"),  # a codebook column, other capitals
    ("Catatan", "Catatan", "columns 21 (U) and 22 (V)"),  # a column the check ignores
])
def test_a_header_given_twice_is_refused_naming_it_and_both_columns(tmp_path, suffix, name,
                                                                   spelled, columns):
    header, rows = good_rows()
    if name not in header:
        header, rows = with_column_again(header, rows, name)
    header, rows = with_column_again(header, rows, name)
    header[-1] = spelled
    write = write_csv if suffix == ".csv" else write_xlsx
    path = write(tmp_path / f"r{suffix}", header, rows)
    found = errors(check_register(path), "duplicate_header")
    assert len(found) == 1, [str(p) for p in check_register(path)]
    p = found[0]
    assert (p.row, p.column) == (1, spelled)
    assert f"one column named {spelled!r}" in p.expected and columns in p.expected
    assert check_main(path) == 1


def test_two_different_headers_for_one_column_name_both_positions(tmp_path):
    header, rows = good_rows()
    header, rows = with_column_again(header, rows, "Nama")
    header[-1] = "Nama ASN"
    path = write_csv(tmp_path / "r.csv", header, rows)
    p = errors(check_register(path), "duplicate_column")[0]
    assert "'Nama' in column 3 (C)" in p.expected and "'Nama ASN' in column 21 (U)" in p.expected


def test_province_and_regency_columns_are_still_one_region(tmp_path):
    header, rows = good_rows()
    header, rows = with_column_again(header, rows, "Provinsi", ["Kepulauan Bangka Belitung"] * 5)
    path = write_csv(tmp_path / "r.csv", header, rows)
    assert errors(check_register(path)) == []


# --------------------------------------------------------------------------- NUL bytes
@pytest.mark.parametrize("reader_kind", ["polars", "pandas"])
@pytest.mark.parametrize("column,personal", [("Jabatan", False), ("Nama", True),
                                             ("No. Register", False)])
def test_a_nul_byte_in_a_cell_is_refused_with_row_and_column(tmp_path, column, personal,
                                                             reader_kind):
    header, rows = good_rows()
    at = header.index(column)
    rows[1][at] = rows[1][at][:3] + "\x00" + rows[1][at][3:]  # row 3
    if reader_kind == "pandas":  # a carriage return alone in a cell: pandas reads the file
        rows[3][header.index("Jenis Sanksi")] = "teguran\rtertulis"
    path = write_csv(tmp_path / "r.csv", header, rows)
    found = errors(check_register(path), "nul_byte")
    assert [(p.row, p.column) for p in found] == [(3, column)], [str(p) for p in found]
    assert "no NUL byte" in found[0].expected
    if personal:
        assert "Siti" not in str(found[0]) and "hidden" in found[0].value
    assert check_main(path) == 1


def test_no_nul_byte_no_problem_and_the_file_is_still_read_by_polars(tmp_path):
    from analysis.data.registers.reader import read_table

    assert read_table(GOOD).nul_free and read_table(GOOD).reader == "polars"
    assert errors(check_register(GOOD)) == []


@pytest.mark.parametrize("column", ["Jenis Pelanggaran", "No. Register"])
def test_a_cell_longer_than_a_spreadsheet_cell_is_refused(tmp_path, column):
    header, rows = good_rows()
    rows[2][header.index(column)] = "kampanye " * 4000  # 36,000 characters, row 4
    path = write_csv(tmp_path / "r.csv", header, rows)
    found = errors(check_register(path), "cell_too_long")
    assert [(p.row, p.column) for p in found] == [(4, column)]
    assert "at most 32,767 characters" in found[0].expected and "36,000" in found[0].expected
    assert len(str(found[0])) < 400


# --------------------------------------------------------------------------- personal data
# row 3 of good.csv: Siti Aminah, NIP 19900101 201503 2 002; rows 2 and 5: Budi Santoso
NIP_OF_ROW_2 = "198503302010011001"
OTHER_NIP = "197002152001121003"  # an invented, well-formed NIP that is not in the register
OTHER_NIK = "3201014507900001"  # an invented, well-formed NIK


def personal(problems):
    return sorted((p.row, p.column, p.kind) for p in errors(problems)
                  if p.kind in ("personal_data_in_text", "name_in_text"))


@pytest.mark.parametrize("reader_kind", ["polars", "pandas"])
@pytest.mark.parametrize("column,row,value,kind", [
    ("Jabatan", 2, "Staf Siti Aminah", "name_in_text"),  # another row's name
    ("Instansi", 4, "dinas budi   SANTOSO", "name_in_text"),  # any case and spacing
    ("Jenis Pelanggaran", 6, "kampanye bersama Ahmad Fauzan", "name_in_text"),
    ("Instansi", 3, f"Dinas {OTHER_NIP}", "personal_data_in_text"),  # an NIP by its pattern
    ("Eselon", 2, OTHER_NIP[:8] + " " + OTHER_NIP[8:14] + " 1 003", "personal_data_in_text"),
    ("Jenis Sanksi", 5, f"NIK {OTHER_NIK}", "personal_data_in_text"),
    ("Jenis Sanksi", 2, "teguran 1985-0330-2010-0110-01", "personal_data_in_text"),  # own NIP
    ("No. Register", 4, f"Reg/{OTHER_NIP}", "personal_data_in_text"),  # stored as the case id
])
def test_personal_data_in_a_stored_column_is_refused_without_showing_it(
        tmp_path, column, row, value, kind, reader_kind, capsys):
    header, rows = good_rows()
    rows[row - 2][header.index(column)] = value
    if reader_kind == "pandas":  # a carriage return alone in a cell: pandas reads the file
        rows[4][header.index("Jenis Sanksi")] = "teguran\rlisan"
    path = write_csv(tmp_path / "r.csv", header, rows)
    problems = check_register(path)
    assert personal(problems) == [(row, column, kind)], [str(p) for p in problems]
    shown = str(next(p for p in problems if p.kind == kind))
    assert value not in shown and "hidden" in shown
    assert check_main(path) == 1
    out = capsys.readouterr().out
    for secret in (value, "Siti", "Santoso", "Fauzan", OTHER_NIP, OTHER_NIK, NIP_OF_ROW_2):
        assert secret not in out


@pytest.mark.parametrize("name,text", [
    ("Drs. H. Budi Santoso, M.Si.", "Kepala Dinas Budi Santoso"),  # titles and degrees cut
    ("Ma'ruf Hidayat", "Staf Ma\u2019ruf Hidayat"),  # another apostrophe
    ("Sébastien Wijaya", "Guru SÉBASTIEN WIJAYA"),  # letters outside ASCII
    ("Wiryono", "Kepala Seksi Wiryono"),  # a one-word name
])
def test_names_are_found_as_the_publication_scan_finds_them(tmp_path, name, text):
    header, rows = good_rows()
    rows[0][header.index("Nama")] = name
    rows[3][header.index("Jabatan")] = text  # row 5
    path = write_csv(tmp_path / "r.csv", header, rows)
    assert personal(check_register(path)) == [(5, "Jabatan", "name_in_text")]


@pytest.mark.parametrize("text", [
    "Kepala Dinas Santoso Group",  # one word of a two-word name is not the name
    "Budi",  # likewise
    "Sekretaris 1985 Dinas 20100110",  # numbers that are not an NIP
    "Dinas Pendidikan (Aminah Siti)",  # the words in another order
])
def test_words_of_names_and_numbers_that_are_not_personal_data_pass(tmp_path, text):
    header, rows = good_rows()
    rows[3][header.index("Jabatan")] = text
    path = write_csv(tmp_path / "r.csv", header, rows)
    assert personal(check_register(path)) == []


def test_import_refuses_personal_data_in_free_text_and_stores_nothing(tmp_path,
                                                                      register_project, capsys):
    from analysis.data.registers.commands import import_main

    repo = register_project("k" * 32)
    header, rows = good_rows()
    rows[0][header.index("Jabatan")] = "Staf Siti Aminah"
    rows[1][header.index("Instansi")] = f"Dinas {OTHER_NIP}"
    path = write_csv(tmp_path / "r.csv", header, rows)
    assert import_main(path, "leaky", "2024-12-31") == 1
    assert not (repo / "data" / "private").exists()
    out = capsys.readouterr().out
    assert "nothing stored" in out and "Siti" not in out and OTHER_NIP not in out


def test_braces_in_a_header_are_shown_as_written(tmp_path):
    header, rows = good_rows()
    header[header.index("Nama")] = "Nama {}"  # still the name column (punctuation aside)
    rows[0][header.index("Jabatan")] = "Staf Siti Aminah"
    path = write_csv(tmp_path / "r.csv", header, rows)
    p = next(p for p in check_register(path) if p.kind == "name_in_text")
    assert "from column 'Nama {}'" in p.expected
