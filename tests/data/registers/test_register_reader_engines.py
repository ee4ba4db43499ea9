"""The two CSV readers of a register give the same cells (issue 10 item 5).

polars reads a register CSV when it can, pandas otherwise (:mod:`analysis.data.registers.reader`).
These tests generate files with everything that makes CSV hard - quoted separators, quotes and
line breaks, blank rows, rows of empty cells, BOM, CRLF, semicolons, non-ASCII text - and some
broken ones (short and long rows, stray quotes, lone carriage returns, Latin-1 bytes), read each
both ways and require: where polars reads a file, its headers, rows, spreadsheet row numbers and
cells are pandas'; where pandas refuses a file, polars has declined it too, so the user gets
pandas' message.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.data.registers import reader
from testpaths import REGISTER_FIXTURES

ALPHABET = ["a", "b", "Z", "1", " ", ",", ";", '"', "\n", "\r\n", "é", "'", "-", "/", "=", "\t"]


def _cell(rng) -> str:
    k = int(rng.integers(0, 5))
    return "".join(ALPHABET[int(i)] for i in rng.integers(0, len(ALPHABET), k))


def _field(value: str, sep: str, rng) -> str:
    needs = any(ch in value for ch in (sep, '"', "\n", "\r")) or value != value.strip()
    if needs or rng.random() < 0.1:
        return '"' + value.replace('"', '""') + '"'
    return value


def _file(rng, broken: bool) -> bytes:
    sep = ";" if rng.random() < 0.3 else ","
    eol = "\r\n" if rng.random() < 0.4 else "\n"
    ncols = int(rng.integers(1, 5))
    headers = [f"h{j}" for j in range(ncols)]
    lines = [sep.join(headers)]
    for _ in range(int(rng.integers(0, 12))):
        r = rng.random()
        if r < 0.1:
            lines.append("")  # a blank row
        elif r < 0.15:
            lines.append(sep * (ncols - 1))  # a row of empty cells
        else:
            lines.append(sep.join(_field(_cell(rng), sep, rng) for _ in range(ncols)))
    if broken and len(lines) > 1:
        i = int(rng.integers(1, len(lines)))
        kind = int(rng.integers(0, 5))
        if kind == 0:
            lines[i] = lines[i] + sep + "extra"  # a long row
        elif kind == 1 and ncols > 1:
            lines[i] = "short"  # a short row
        elif kind == 2:
            lines[i] = 'ab"c' + sep * (ncols - 1)  # a stray quote
        elif kind == 3:
            lines[i] = "x\ry" + sep * (ncols - 1)  # a lone carriage return
        else:
            lines[i] = '"x"y' + sep * (ncols - 1)  # text after a closing quote
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    data = text.encode("utf-8")
    if rng.random() < 0.2:
        data = b"\xef\xbb\xbf" + data
    if broken and rng.random() < 0.1:
        data = data.replace("é".encode(), b"\xe9")  # Latin-1, not UTF-8
    return data


def _read(path, engine: str, monkeypatch):
    with monkeypatch.context() as m:
        if engine == "pandas":
            m.setattr(reader, "polars_csv", lambda *a, **k: None)
        try:
            table = reader.read_table(path)
        except reader.NotReadable as exc:
            return None, str(exc)
        cells = [table.values(p).tolist() for p in range(len(table.headers))]
        coded = [table.coded(p) for p in range(len(table.headers))]
        distinct = [table.all_distinct(p) for p in range(len(table.headers))]
        return table, (table.headers, table.rows.tolist(), table.read_rows, cells, distinct,
                       coded)


@pytest.mark.parametrize("broken", [False, True])
def test_polars_reads_every_file_as_pandas_does_or_leaves_it_to_pandas(tmp_path, monkeypatch,
                                                                       broken):
    rng = np.random.default_rng(7 if broken else 3)
    by_polars = by_pandas = 0
    for i in range(400):
        path = tmp_path / f"r{i}.csv"
        path.write_bytes(_file(rng, broken))
        slow, want = _read(path, "pandas", monkeypatch)
        fast, got = _read(path, "both", monkeypatch)
        if fast is not None and fast.reader == "polars":
            by_polars += 1
            assert slow is not None, (path.read_bytes(), want)  # pandas refused, polars read
            assert got[:5] == want[:5], path.read_bytes()
            for (fc, fu), (sc, su) in zip(got[5], want[5]):  # the same factorisation
                assert fc.tolist() == sc.tolist() and fu.tolist() == su.tolist()
        else:
            by_pandas += 1
            assert (got == want) if slow is None else (fast.reader == "pandas")
    assert by_polars > (20 if broken else 300)  # the comparison was made, on many files
    if broken:
        assert by_pandas > 200


def test_a_file_with_a_lone_carriage_return_is_read_by_pandas(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"a,b\r\n1,x\ry\r\n2,z\r\n")  # pandas ends a row at the lone CR
    assert reader.has_lone_cr(path)
    table = reader.read_table(path)
    assert table.reader == "pandas" and table.values(0).tolist() == ["1", "y", "2"]
    path.write_bytes(b"a,b\r\n1,x y\r\n2,z\r\n")
    assert not reader.has_lone_cr(path) and reader.read_table(path).reader == "polars"


@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_lone_carriage_returns_are_found_across_blocks(tmp_path, block):
    cases = {b"a\r\nb\r\n": False, b"a\rb": True, b"ab\r": True, b"\r\n\r\n": False,
             b"a\r\r\n": True, b"": False, b"x" * 5 + b"\r" + b"\n": False}
    for data, lone in cases.items():
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        assert reader.has_lone_cr(path, block=block) is lone, (data, block)


def test_polars_codes_factorise_as_pandas_does():
    import pandas as pd
    import polars as pl

    rng = np.random.default_rng(1)
    values = np.array([_cell(rng) for _ in range(5000)], dtype=object)
    codes, distinct = reader.polars_codes(pl.Series(values.tolist(), dtype=pl.String))
    want_codes, want_distinct = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist()
    assert distinct.tolist() == list(want_distinct)
    empty_codes, empty = reader.polars_codes(pl.Series([], dtype=pl.String))
    assert len(empty_codes) == 0 and len(empty) == 0


# --------------------------------------------------------------------------- the check on both
FIX = REGISTER_FIXTURES
WHITE = [" ", "\t", "\x1c", "\x1f", "\xa0", "\u3000", "\u2028", "\x85", "\u200b", "\ufeff"]


def _inspect(path, engine: str, monkeypatch):
    from analysis.data.registers.check import inspect_register

    with monkeypatch.context() as m:
        if engine == "pandas":
            m.setattr(reader, "polars_csv", lambda *a, **k: None)
        inspection = inspect_register(path, data_date="2024-12-31")
        assert inspection.table is None or inspection.table.reader == engine
        problems = [str(p) for p in inspection.problems]
        columns = {c: coded.array().tolist() for c, coded in inspection.columns.items()}
        return problems, columns, inspection


def _awkward_register(tmp_path, rng) -> Path:
    """good.csv's rows with case ids, NIPs and names that need normalising or are wrong:
    spaces, tabs, no-break spaces, separators, Unicode digits, a duplicate."""
    lines = (FIX / "good.csv").read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], [line.split(",") for line in lines[1:]]
    out = [header]
    for i in range(60):
        fields = list(rows[i % len(rows)])
        fields[0] = f"{'R'}{i}" + (["", " ", "  x", "\t", "\xa0", " y"][i % 6] if i % 4 else "")
        nip = "".join(str(d) for d in rng.integers(0, 10, 18))
        fields[1] = [nip, f"{nip[:8]} {nip[8:]}", f" {nip}", "", "12", "١٢٣", nip][i % 7]
        fields[2] = ["Budi Santoso", " Siti", "Drs. H. Ahmad", "", "\u3000", "Ani\x1f"][i % 6]
        out.append(",".join(f'"{f}"' if "," in f else f for f in fields))
    out.append(out[1])  # a duplicate case id
    path = tmp_path / "awkward.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_the_check_gives_the_same_problems_and_values_from_either_reader(tmp_path,
                                                                         monkeypatch):
    """The check keeps case_id, NIP and name as polars columns when polars read the file
    (:class:`.check.Coded` ``series``) and scans them with polars: the problems and the
    normalised values are the ones the pandas path gives, value for value."""
    rng = np.random.default_rng(4)
    for path in (FIX / "good.csv", FIX / "bad.csv", FIX / "semicolon_bom.csv",
                 _awkward_register(tmp_path, rng)):
        fast = _inspect(path, "polars", monkeypatch)
        slow = _inspect(path, "pandas", monkeypatch)
        assert fast[0] == slow[0], path.name
        assert fast[1] == slow[1], path.name
    lazy = fast[2].columns["name"]  # the awkward register's names stayed a polars column
    assert lazy.series is not None


def test_a_lazy_column_answers_as_its_values_would():
    import polars as pl

    from analysis.data.registers.check import Coded

    rng = np.random.default_rng(2)
    cells = ["".join(rng.choice(["a", "b", *WHITE], int(rng.integers(0, 4)))) for _ in range(800)]
    lazy = Coded(np.arange(len(cells)), series=pl.Series(cells, dtype=pl.String))
    eager = Coded(np.arange(len(cells)), np.array(cells, dtype=object))
    assert lazy.blank().tolist() == [not c.strip() for c in cells]  # Python's white space
    assert lazy.blank().tolist() == eager.blank().tolist()
    assert lazy.filled().tolist() == eager.filled().tolist() == [c != "" for c in cells]
    rows = rng.integers(0, len(cells), 50)
    assert lazy.take(rows) == eager.take(rows) == [cells[r] for r in rows]
    assert lazy._values is None  # nothing asked for the Python strings
    assert lazy.values.tolist() == cells and lazy.array().tolist() == cells
