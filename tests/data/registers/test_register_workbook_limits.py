"""Workbooks that would expand beyond a register's size are refused before they are parsed
(issue 23): a 390 kB .xlsx holding one deflated cell of 400 MB made ``register check`` grow past
7.5 GB with no output. Each case runs the command in a process limited to 1 GiB of address
space and a timeout, and expects a clear refusal within seconds."""
import os
import struct
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest

from analysis.data.registers import codebook, reader, workbook_limits
from analysis.data.registers.check import check_register
from testpaths import ROOT

resource = pytest.importorskip("resource")  # limits the child's memory (not on Windows)

MIB = 1024 ** 2
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    b'"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+'
    b'xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http:'
        b'//schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://'
            b'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Register"'
            b' sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
    b'://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
    b'worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b'</Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http:'
              b'//schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>No. Register</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>Jabatan</t></is></c></row>'
              b'<row r="2"><c r="A2" t="inlineStr"><is><t>001</t></is></c>')
SHEET_TAIL = b'</row></sheetData></worksheet>'
STRINGS_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
                b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                b'<si><t>')
STRINGS_TAIL = b'</t></si></sst>'


def workbook(path, cell=b"Guru", repeat=0, where="sheet", sheet_xml=None):
    """A minimal .xlsx whose row 2 holds ``cell`` followed by ``repeat`` MiB of the letter A,
    inline in the sheet or (``where="strings"``) as its shared string; written by zipfile in
    1 MiB pieces, so a 400 MB cell costs a second to deflate and no memory."""
    inline = where == "sheet"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            if sheet_xml is not None:
                f.write(sheet_xml)
            else:
                f.write(SHEET_HEAD)
                f.write(b'<c r="B2" t="inlineStr"><is><t>' if inline else b'<c r="B2" t="s"><v>')
                if inline:
                    f.write(cell)
                    for _ in range(repeat):
                        f.write(b"A" * MIB)
                f.write(b"</t></is></c>" if inline else b"0</v></c>")
                f.write(SHEET_TAIL)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(STRINGS_HEAD)
            if not inline:
                f.write(cell)
                for _ in range(repeat):
                    f.write(b"A" * MIB)
            f.write(STRINGS_TAIL)
    return path


def declare_size(path, part, size):
    """Make the zip's local header and central directory say ``part`` expands to ``size``."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(part).header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, size)
    central = 0
    while True:
        central = data.find(b"PK\x01\x02", central + 1)
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + length] == name:
            break
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
    return path


def check_in_a_small_process(path, seconds=60):
    """``register check`` in a child limited to 1 GiB of address space: (exit, output, s)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "analysis", "register", "check", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=seconds,
                            preexec_fn=limit, env=os.environ | {"PYTHONIOENCODING": "utf-8"})
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {where: workbook(folder / f"{where}.xlsx", repeat=400, where=where)
            for where in ("sheet", "strings")}


@pytest.mark.parametrize("where,part", [("sheet", "xl/worksheets/sheet1.xml"),
                                        ("strings", "xl/sharedStrings.xml")])
def test_a_small_workbook_expanding_to_400_mb_is_refused_in_seconds(bombs, where, part):
    path = bombs[where]
    assert path.stat().st_size < 500_000
    code, output, seconds = check_in_a_small_process(path)
    assert code == 1 and "Traceback" not in output and "MemoryError" not in output, output
    assert f"its part {part} would expand from" in output and "400.0 MB" in output
    assert "zip bomb" in output and "save the register again from Excel" in output
    assert seconds < 30


def test_a_part_that_declares_less_than_it_holds_is_refused_as_damaged(tmp_path):
    path = workbook(tmp_path / "lying.xlsx", repeat=400)
    declare_size(path, "xl/worksheets/sheet1.xml", 2000)
    with zipfile.ZipFile(path) as z:  # the directory says 2,000 bytes now
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == 2000
    code, output, seconds = check_in_a_small_process(path)
    assert code == 1 and "Traceback" not in output, output
    assert "damaged workbook" in output and "sheet1.xml" in output
    assert seconds < 30


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused_before_parsing(tmp_path):
    import random

    letters = random.Random(1).choices(b"abcdefghijklmnopqrstuvwxyz ", k=3 * MIB)
    path = workbook(tmp_path / "long.xlsx", cell=bytes(letters))  # shrinks less than 2 times
    p = check_register(path)[0]
    assert p.kind == "not_readable" and "xl/worksheets/sheet1.xml" in p.value
    assert "longer than 1.0 MB" in p.value and "32,767 characters" in p.value


@pytest.mark.parametrize("markup,words", [
    (b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
     "DOCTYPE, entity"),
    (b"<!-- " + b"<x>" * 1000 + b" -->", "comment"),
    (b"<![CDATA[" + b"<" * 1000 + b"]]>", "CDATA"),
    (b"<?mso-application progid='Excel.Sheet'?>", "processing instruction"),
])
def test_markup_excel_never_writes_is_refused(tmp_path, markup, words):
    sheet = SHEET_HEAD.replace(b"<sheetData>", markup + b"<sheetData>") + SHEET_TAIL
    path = workbook(tmp_path / "odd.xlsx", sheet_xml=sheet)
    p = check_register(path)[0]
    assert p.kind == "not_readable" and words in p.value and "never writes" in p.value


def test_a_header_row_wider_than_a_register_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append([f"Kolom {i}" for i in range(300)])
    wb.active.append(["x"] * 300)
    wb.save(tmp_path / "wide.xlsx")
    p = check_register(tmp_path / "wide.xlsx")[0]
    assert p.kind == "not_readable" and "300 columns in row 1" in p.value
    assert "at most 256 columns" in p.expected


def test_only_the_codebook_columns_of_a_workbook_are_kept(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Catatan", "No. Register", "Lampiran", "Jabatan"])
    wb.active.append(["panjang " * 100, "001", "x" * 500, "Guru"])
    wb.save(tmp_path / "r.xlsx")
    table = reader.read_table(tmp_path / "r.xlsx")
    assert list(table.frame.columns) == [1, 3] and table.values(3).tolist() == ["Guru"]


def test_the_template_and_an_ordinary_workbook_pass_the_limits(tmp_path):
    (tmp_path / "t.xlsx").write_bytes(codebook.template_xlsx_bytes())
    workbook_limits.check_workbook(tmp_path / "t.xlsx")
    path = workbook(tmp_path / "ok.xlsx", cell=b"Kepala Dinas")
    workbook_limits.check_workbook(path)
    assert reader.read_table(path).values(1).tolist() == ["Kepala Dinas"]


def part(name, size, packed):
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, packed
    return info


@pytest.mark.parametrize("parts,words", [
    ([part("xl/worksheets/sheet1.xml", 3 * 1024 ** 3, 300 * MIB)], "would expand to 3,072.0 MB"),
    ([part("xl/styles.xml", 300 * MIB, 30 * MIB)], "part xl/styles.xml would expand to 300.0 MB"),
    ([part(f"xl/media/{i}.png", 10, 10) for i in range(10_001)], "10,001 parts"),
    ([part("xl/worksheets/sheet1.xml", 200 * MIB, MIB)], "200 times"),
])
def test_the_zip_directory_alone_refuses_what_would_expand_too_far(parts, words):
    with pytest.raises(workbook_limits.TooLarge, match=words.replace("(", r"\(")):
        workbook_limits.check_directory(parts)


def test_a_large_sheet_that_shrinks_as_excel_writes_it_is_read():
    workbook_limits.check_directory([part("xl/worksheets/sheet1.xml", 1024 ** 3, 100 * MIB),
                                     part("xl/sharedStrings.xml", 150 * MIB, 20 * MIB)])


def test_every_row_is_read_whatever_the_sheets_dimension_says(tmp_path):
    """openpyxl reads as many rows as the sheet's <dimension> claims unless told otherwise; a
    workbook whose dimension is wrong (some programs write A1) lost its other rows."""
    wb = openpyxl.Workbook()
    wb.active.append(["No. Register", "Jabatan"])
    for i in range(5):
        wb.active.append([f"00{i}", "Guru"])
    wb.save(tmp_path / "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:B6" />' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'ref="A1:B6"', b'ref="A1:B2"')
    with zipfile.ZipFile(tmp_path / "r.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert list(reader.read_table(tmp_path / "r.xlsx").rows) == [2, 3, 4, 5, 6]
