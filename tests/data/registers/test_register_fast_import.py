"""The fast import (issue 10 item 5) gives exactly what the plain, name-by-name code gives.

- the name index (:func:`name_hashes`, vectorised) equals a reference written from the
  definition (:func:`name_variants` of each name, HMAC of each distinct variant), on random
  hostile names and on names like a register's;
- the import with a helper process stores byte-identical files to the import without one, and
  falls back to computing everything itself when the helper fails or dies;
- a file that changes while it is imported is refused;
- the chunked CSV writer and the streamed atomic write give the same bytes as the plain ones,
  and leave nothing behind when they fail.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis.data import atomic
from analysis.data.registers import commands, hash_helper, store
from analysis.data.registers import pseudonymise as ps
from analysis.data.registers.pseudonymise import ENV_KEY

from testpaths import REGISTER_FIXTURES

FIX = REGISTER_FIXTURES
KEY = b"k" * 32


# --------------------------------------------------------------------------- the name index

def reference_name_hashes(key: bytes, names) -> dict:
    """names.json from the definition, name by name (the code before it was vectorised)."""
    variants: set[tuple[str, ...]] = set()
    for name in dict.fromkeys(str(n) for n in names if n is not None and str(n).strip()):
        variants |= ps.name_variants(name)

    def mac(message: str, nhex: int) -> str:
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:nhex]

    return {"hashes": sorted({mac("fullname:" + " ".join(v), ps.NAME_HASH_HEX) for v in variants}),
            "tokens": sorted({mac("token:" + w, ps.TOKEN_HASH_HEX) for v in variants for w in v}),
            "max_words": max((len(v) for v in variants), default=0),
            "one_word": sum(len(v) == 1 for v in variants)}


def fast(key: bytes, names) -> dict:
    got = ps.name_hashes(key, names)
    return {k: got[k] for k in ("hashes", "tokens", "max_words", "one_word")}


HOSTILE = ["Drs. H. Ahmad Fauzi, M.Si.", "Ma'ruf Amin", "Ma’ruf  amin", "ＡＢＣＤ Straße", "Ali",
           "Budi 123 Santoso", "a b c d e f g h i j k", "hj Siti", "O'Neil", "'quote' x",
           "Ñuñez-Lopez", "123", "Ir. Joko\tWidodo", "dr", "Hj.", "  lead  trail  ", "H.Ahmad",
           "Hendra", "hjx Amin", "a\rb cd", "x_y z", "drs", "bapak budi", "BAPAK", "-", "Sri",
           "Ab Cd", "Dr. Ir. H. Bambang, S.T., M.T.", ", S.Pd.", "Siti,", "a,b,c,d,e",
           "one two three four five six seven eight",
           "one two three four five six seven eight nine",
           "Dr. one two three four five six seven eight", "ḂȦḊ ĖẊȦṀṖĹĖ", "İstanbul Ígor",
           "line\nbreak in a name", "", "   ", None, 12345]


def test_the_name_index_equals_the_definition_on_hostile_names():
    names = [n for n in HOSTILE if n is None or not isinstance(n, str) or "\n" not in n]
    assert fast(KEY, names) == reference_name_hashes(KEY, names)
    # a line break inside one name sends all of them name by name: still equal
    assert fast(KEY, HOSTILE) == reference_name_hashes(KEY, HOSTILE)


def test_the_name_index_equals_the_definition_on_random_names():
    rnd = random.Random(3)
    alphabet = "abcdeHIJKLmnoz  ,.'`’-_019\tÑñßİ\u00a0\u0301ＡdrshjIr"
    for _ in range(1500):
        names = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 25)))
                 for _ in range(rnd.randint(1, 8))]
        assert fast(KEY, names) == reference_name_hashes(KEY, names), names


def test_the_name_index_equals_the_definition_on_register_like_names():
    rng = np.random.default_rng(5)
    words = ["Budi", "Siti", "Ahmad", "Dewi", "Agus", "Sri", "Rina", "Joko", "Nur", "Eko",
             "Santoso", "Aminah", "Lestari", "Hidayat", "Saputra", "Siregar"]
    titles, degrees = ["", "", "", "Drs. ", "H. ", "Hj. "], ["", "", "", ", S.Pd.", ", M.Si."]
    names = [titles[rng.integers(6)] + " ".join(rng.choice(words, rng.integers(1, 5)))
             + degrees[rng.integers(5)] for _ in range(5000)]
    assert fast(KEY, names) == reference_name_hashes(KEY, names)
    assert ps.joined_variants(names) == {" ".join(v) for n in names for v in ps.name_variants(n)}


def test_the_name_index_file_is_the_json_of_its_content(tmp_path):
    import json

    for names in (HOSTILE, ["Budi Santoso"], [], ["Drs. Ahmad, S.Pd."] * 3 + ["Ali Akbar"]):
        index = ps.name_index(KEY, names)
        content = index.as_dict()
        assert json.loads(index.json_text()) == content and len(index) == len(content["hashes"])
        staged = store.StagedRegister("n", tmp_path)
        staged.write_names(content)
        from_dict = (staged.tmp / store.NAMES_FILE).read_text(encoding="utf-8")
        staged.write_names(index)
        assert (staged.tmp / store.NAMES_FILE).read_text(encoding="utf-8") == from_dict
        staged.abort()
    assert not list(tmp_path.iterdir())


def test_distinct_digests_are_sorted_as_bytes_even_when_first_halves_tie():
    a = bytes(8) + bytes([2] * 8)
    b = bytes(8) + bytes([1] * 8)
    c = bytes([255]) + bytes(15)
    got = ps._sorted_distinct([c, a, b, a, c])
    assert got == b + a + c
    rnd = random.Random(1)
    many = [rnd.randbytes(16) for _ in range(1000)] * 2
    assert ps._sorted_distinct(many) == b"".join(sorted(set(many)))
    # duplicates and first-half ties together, as a list and as the rows of an array
    mixed = many[:50] + [a, b, a, b, c] * 3 + many[:50]
    rnd.shuffle(mixed)
    want = b"".join(sorted(set(mixed)))
    assert ps._sorted_distinct(mixed) == want
    rows = np.frombuffer(b"".join(mixed), dtype=np.uint8).reshape(-1, 16)
    assert ps._sorted_distinct(rows) == want
    with pytest.raises(ValueError):
        ps._sorted_distinct([b"short"])


# --------------------------------------------------------------------------- the helper

@pytest.fixture
def env(register_project):
    """A copy of the project, in scope; KEY in the environment."""
    return register_project(KEY.decode())


def _import(path: Path, base: Path, parallel: bool) -> tuple[int, dict[str, bytes]]:
    code = commands.import_main(path, "reg", "2024-12-31", base=base, parallel=parallel)
    folder = base / "reg"
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}
    return code, files


def test_the_helper_gives_byte_identical_registers(env, tmp_path):
    import csv

    import openpyxl

    with (FIX / "good.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "good.xlsx")
    for source in (FIX / "good.csv", tmp_path / "good.xlsx"):
        plain = _import(source, tmp_path / f"plain-{source.suffix}", parallel=False)
        helped = _import(source, tmp_path / f"helped-{source.suffix}", parallel=True)
        assert plain[0] == helped[0] == 0
        assert plain[1] == helped[1] and set(plain[1]) == {"cases.csv", "names.json",
                                                           "register.json", "rollup.csv"}, source


def test_the_helpers_person_ids_are_used(env, tmp_path, monkeypatch, caplog):
    """The import takes the helper's NIP hashes of the cells it sent (after the blank rows are
    dropped), from an XLSX (as text) and from a CSV (as Arrow IPC bytes)."""
    import csv

    import openpyxl

    taken = []
    real = hash_helper.Pending.nip_ids

    def spy(self):
        got = real(self)
        if not any(p is self for p, _ in taken):
            taken.append((self, got is not None))
        return got

    monkeypatch.setattr(hash_helper.Pending, "nip_ids", spy)
    with (FIX / "good.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    for row in rows[:2] + [[]] + rows[2:]:  # a blank row 3, dropped by the reader
        book.active.append(row)
    book.save(tmp_path / "blank.xlsx")
    lines = (FIX / "good.csv").read_text(encoding="utf-8-sig").splitlines()
    with_blank = tmp_path / "blank.csv"
    with_blank.write_text("\n".join(lines[:2] + [",,,"] + lines[2:]) + "\n", encoding="utf-8")
    for source, helper_ids in ((tmp_path / "blank.xlsx", True), (with_blank, True)):
        taken.clear()
        plain = _import(source, tmp_path / f"plain{source.suffix}", parallel=False)
        helped = _import(source, tmp_path / f"helped{source.suffix}", parallel=True)
        assert [got for _, got in taken] == [False, helper_ids], source
        assert plain == helped and plain[0] == 0
    assert not [r for r in caplog.records if "helper" in r.getMessage()]  # no fallback


def _awkward_csv(tmp_path: Path) -> Path:
    """good.csv with a name holding a quoted line break and a comma, a blank row, a row of
    empty cells, and CRLF line ends: cells the helper must get exactly as the import read them."""
    lines = (FIX / "good.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = lines[1].split(",")
    fields[2] = '"Budi\nSantoso, S.Pd."'
    rows = [lines[0], ",".join(fields), "", lines[2], ",,,,", *lines[3:]]
    path = tmp_path / "awkward.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


@pytest.mark.parametrize("source", ["semicolon_bom.csv", "awkward"])
def test_the_helpers_hashes_of_awkward_cells_are_the_imports(env, tmp_path, monkeypatch, caplog,
                                                              source):
    path = _awkward_csv(tmp_path) if source == "awkward" else FIX / source
    plain = _import(path, tmp_path / "plain", parallel=False)
    helped = _import(path, tmp_path / "helped", parallel=True)
    assert plain == helped and plain[0] == 0
    # the helper's values were used: it neither failed nor read other rows
    assert not [r for r in caplog.records if "helper" in r.getMessage()]


@pytest.mark.parametrize("failure", ["raises", "dies", "does not start"])
def test_a_failing_helper_changes_nothing_but_the_speed(env, tmp_path, monkeypatch, capfd,
                                                        caplog, failure):
    import sys

    commands_for = {
        # the real helper, whose name hashing raises with personal data in its message
        "raises": [sys.executable, "-c",
                   "from analysis.data.registers import hash_helper as h\n"
                   "def boom(*a, **k): raise RuntimeError('Budi Santoso 198503302010011001')\n"
                   "h.name_index = boom\n"
                   "raise SystemExit(h.helper_main())"],
        "dies": [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"],
        "does not start": [str(tmp_path / "no-such-python")],
    }
    monkeypatch.setattr(hash_helper, "HELPER_COMMAND", commands_for[failure])
    plain = _import(FIX / "good.csv", tmp_path / "plain", parallel=False)
    helped = _import(FIX / "good.csv", tmp_path / "helped", parallel=True)
    assert plain == helped and plain[0] == 0
    out = capfd.readouterr()
    assert "Budi" not in out.out + out.err and "198503302010011001" not in out.out + out.err
    said = [r.getMessage() for r in caplog.records if "helper" in r.getMessage()]
    assert len(said) == 1  # the fallback is said, once
    assert "Budi" not in said[0] and "198503302010011001" not in said[0]
    if failure == "raises":
        assert "RuntimeError" in said[0]


def test_the_helper_gets_the_key_through_the_pipe_only(env, tmp_path, monkeypatch):
    seen = {}
    real = hash_helper.subprocess.Popen

    def spy(command, **kwargs):
        seen["command"], seen["env"] = command, kwargs["env"]
        return real(command, **kwargs)

    monkeypatch.setattr(hash_helper.subprocess, "Popen", spy)
    assert _import(FIX / "good.csv", tmp_path / "store", parallel=True)[0] == 0
    assert KEY.decode() not in " ".join(seen["command"])
    assert ENV_KEY not in seen["env"] and KEY.decode() not in " ".join(seen["env"].values())


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_that_changes_during_the_import_is_refused(env, tmp_path, monkeypatch, capsys,
                                                          parallel):
    source = tmp_path / "register.csv"
    shutil.copy(FIX / "good.csv", source)
    real = hash_helper.start

    def start_then_touch(*args, **kwargs):
        pending = real(*args, **kwargs)
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        return pending

    monkeypatch.setattr(hash_helper, "start", start_then_touch)
    code, files = _import(source, tmp_path / "store", parallel=parallel)
    assert code == 1 and files == {}
    assert "changed while it was imported" in capsys.readouterr().out


def test_no_helper_outlives_an_import_that_stops(env, tmp_path, monkeypatch):
    started = []
    real = hash_helper.start

    def record(*args, **kwargs):
        pending = real(*args, **kwargs)
        started.append(pending._proc)
        return pending

    monkeypatch.setattr(hash_helper, "start", record)
    monkeypatch.setattr(commands, "person_ids", lambda *a, **k: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        _import(FIX / "good.csv", tmp_path / "store", parallel=True)
    assert started and started[0] is not None
    assert started[0].poll() is not None  # killed and waited for
    assert not (tmp_path / "store" / "reg").exists()


# --------------------------------------------------------------------------- writing

def _columns(n: int, rng) -> list[tuple[str, np.ndarray, np.ndarray]]:
    values = {"case_id": np.array([f"id,{i}" if i % 7 == 0 else f"c{i}" for i in range(n)],
                                  dtype=object),
              "person_id": np.array([f"{i:016x}" for i in range(n)], dtype=object),
              "region": np.array(["Bangka", "Kota \"Baru\"", "", "a\nb", "c\r\nd", "=1+2"],
                                 dtype=object),
              "date": np.array([f"2024-01-{d:02d}" for d in range(1, 29)], dtype=object)}
    return [("case_id", np.arange(n), values["case_id"]),
            ("person_id", np.arange(n), values["person_id"]),
            ("region", rng.integers(0, 6, n), values["region"]),
            ("date", rng.integers(0, 28, n), values["date"])]


def test_the_csv_writer_gives_the_csv_written_row_by_row(tmp_path):
    rng = np.random.default_rng(2)
    for n in (0, 1, 5, 250_001):
        columns = _columns(n, rng)
        by_row = "".join(",".join(store._quote(str(v[k[i]])) for _, k, v in columns) + "\n"
                         for i in range(n))
        want = (",".join(c for c, _, _ in columns) + "\n" + by_row).encode("utf-8")
        assert store.csv_bytes(columns, n) == want
        assert store.write_csv(tmp_path / "c.csv", columns, n).read_bytes() == want
        assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]  # no temporary file left


def test_the_csv_writer_refuses_values_with_spaces_around_them(tmp_path):
    # polars would not quote them (the row-by-row reference does); the check strips them all
    for padded in (" lead", "trail ", "\tx"):
        columns = [("a", np.array([0, 1]), np.array(["ok", padded], dtype=object))]
        with pytest.raises(store.RegisterError, match="spaces around"):
            store.write_csv(tmp_path / "c.csv", columns, 2)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_by_a_library_leaves_the_old_file_when_it_fails(tmp_path):
    target = tmp_path / "out" / "file.csv"
    atomic.atomic_write_by(target, lambda tmp: tmp.write_bytes(b"first"))
    assert target.read_bytes() == b"first"

    def failing(tmp):
        tmp.write_bytes(b"half")
        raise RuntimeError("the library failed")

    with pytest.raises(RuntimeError, match="library failed"):
        atomic.atomic_write_by(target, failing)
    assert target.read_bytes() == b"first"  # the old file, untouched
    assert [p.name for p in target.parent.iterdir()] == ["file.csv"]  # no temporary file


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_any_split_of_the_nip_hashing_gives_the_same_register(env, tmp_path, monkeypatch,
                                                               caplog, share):
    """The helper hashes the NIPs of the first HELPER_NIP_SHARE of the rows, the import the
    others: every split stores the same register, with no fallback."""
    monkeypatch.setattr(hash_helper, "HELPER_NIP_SHARE", share)
    path = _awkward_csv(tmp_path)
    plain = _import(path, tmp_path / "plain", parallel=False)
    helped = _import(path, tmp_path / "helped", parallel=True)
    assert plain == helped and plain[0] == 0
    assert not [r for r in caplog.records if "helper" in r.getMessage()]
