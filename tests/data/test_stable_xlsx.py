"""Byte-stable workbooks: the same content gives the same bytes on every build."""
import time
import zipfile
import io

import openpyxl

from analysis.data.stable_xlsx import FIXED_TIME, workbook_bytes


def _book():
    wb = openpyxl.Workbook()
    wb.active.append(["kolom", "nilai"])
    wb.active.append(["a", 1])
    return wb


def test_the_same_workbook_gives_the_same_bytes_a_moment_later():
    first = workbook_bytes(_book())
    time.sleep(1.1)  # openpyxl would stamp a new save time
    assert workbook_bytes(_book()) == first


def test_every_zip_entry_and_the_modified_stamp_carry_the_fixed_time():
    data = workbook_bytes(_book())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME}
        assert b"2024-01-01T00:00:00Z" in z.read("docProps/core.xml")
    assert list(openpyxl.load_workbook(io.BytesIO(data)).active.values) == [("kolom", "nilai"),
                                                                            ("a", 1)]
