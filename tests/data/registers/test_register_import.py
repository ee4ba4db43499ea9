"""Importing case registers (issue 10): pseudonymised, stored atomically, no personal data."""
import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.registers import codebook
from analysis.data.registers.commands import import_main
from analysis.data.registers.pseudonymise import (ENV_KEY, KeyProblem, Pseudonymiser,
                                                  key_fingerprint, load_key, person_id)
from analysis.data.registers.store import (RegisterError, csv_bytes, load_register,
                                           register_path)
from testpaths import REGISTER_FIXTURES

FIX = REGISTER_FIXTURES
KEY = "k" * 32
OTHER_KEY = "z" * 32
SECRETS = ["198503302010011001", "199001012015032002", "19900101 201503 2 002",
           "Budi Santoso", "Siti Aminah", "Ahmad  Fauzan", "Ahmad Fauzan", "ahmad fauzan",
           "budi santoso", "siti aminah"]


@pytest.fixture
def env(register_project):
    """A copy of the project, in scope; KEY in the environment."""
    return register_project(KEY)


def stored_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_import_stores_pseudonymised_register_without_personal_data(env, capfd):
    assert import_main(FIX / "good.csv", "reg2024", "2024-12-31") == 0
    folder = env / "data" / "private" / "registers" / "reg2024"
    # names.json holds keyed hashes of the names (for the published-files scan), never a name
    assert sorted(p.name for p in folder.iterdir()) == ["cases.csv", "names.json", "register.json",
                                                         "rollup.csv"]
    data = stored_bytes(folder)
    for secret in SECRETS:
        assert secret.encode() not in data, secret
        assert secret.lower().encode() not in data.lower(), secret
    out = capfd.readouterr()
    for secret in SECRETS:
        assert secret not in out.out and secret not in out.err, secret
    assert "5 cases" in out.out

    header = (folder / "cases.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == codebook.STORED_COLUMNS and "nip" not in header and "name" not in header
    meta = json.loads((folder / "register.json").read_text(encoding="utf-8"))
    assert meta["name"] == "reg2024" and meta["data_date"] == "2024-12-31"
    assert meta["synthetic"] is False and meta["rows"] == 5
    assert meta["cases_file"] == "cases.csv" and meta["columns"] == codebook.STORED_COLUMNS
    assert meta["key_fingerprint"] == key_fingerprint(KEY.encode())
    import hashlib
    assert meta["source_sha256"] == hashlib.sha256((FIX / "good.csv").read_bytes()).hexdigest()

    cases, meta2 = load_register("reg2024")
    assert meta2 == meta

    # the aggregates the import wrote are the rollup of the register it stored
    from analysis.data.registers.rollup import rollup
    stored = pd.read_csv(folder / "rollup.csv", dtype=str, keep_default_na=False)
    again = rollup(cases, meta).astype(str).replace({"nan": ""})
    assert len(stored) == meta["rollup_rows"] > 0 and meta["rollup_unit"] == "ASN"
    pd.testing.assert_frame_equal(stored, again.reset_index(drop=True), check_dtype=False)
    assert meta["rollup_elections_sha256"] == hashlib.sha256(
        paths.ELECTIONS.read_bytes()).hexdigest()
    # counted from the checked columns (categoricals) as from the stored file, in both units
    from analysis.data.registers.check import inspect_register
    from analysis.data.registers.rollup import checked_frame
    ins = inspect_register(FIX / "good.csv")
    for unit in ("ASN", "cases"):
        pd.testing.assert_frame_equal(
            rollup(checked_frame(ins.columns, len(ins.rows), unit), meta, unit=unit),
            rollup(cases, meta, unit=unit))
    assert cases["date_report"].dtype.kind == "M"
    assert cases["date_report"].iloc[0] == pd.Timestamp("2024-09-05")
    assert pd.isna(cases["date_sanction"].iloc[1])
    assert cases["cycle"].tolist() == [2024] * 5
    assert cases["incumbent_running"].tolist()[:2] == [True, False]
    assert pd.isna(cases["incumbent_running"].iloc[2])
    assert cases["outcome"].tolist() == ["sanctioned", "pending", "not_proven", "stopped",
                                         "pending"]
    pid = cases["person_id"].tolist()
    assert pid[0] == pid[3]  # same NIP in rows 2 and 5: same person
    assert pid[0] == person_id(KEY.encode(), nip="198503302010011001")
    assert pid[2] == person_id(KEY.encode(), name="ahmad fauzan")  # no NIP: keyed by the name
    assert pid[4] == ""  # neither NIP nor name
    assert all(len(p) == codebook.PERSON_ID_HEX for p in pid[:4])
    assert cases["agency"].iloc[1] == "Dinas Pendidikan, Kebudayaan"  # quoted comma survives


def test_same_key_same_ids_different_key_different_ids(env, tmp_path, monkeypatch):
    assert import_main(FIX / "good.csv", "a", "2024-12-31") == 0
    assert import_main(FIX / "good.csv", "b", "2024-12-31") == 0
    a, _ = load_register("a")
    b, _ = load_register("b")
    assert a["person_id"].tolist() == b["person_id"].tolist()
    assert (register_path("a") / "cases.csv").read_bytes() == \
        (register_path("b") / "cases.csv").read_bytes()
    monkeypatch.setenv(ENV_KEY, OTHER_KEY)
    assert import_main(FIX / "good.csv", "c", "2024-12-31") == 0
    c, meta = load_register("c")
    assert set(c["person_id"][:4]).isdisjoint(a["person_id"][:4])
    assert meta["key_fingerprint"] != key_fingerprint(KEY.encode())


def test_reimport_with_a_different_key_is_refused(env, monkeypatch, capsys):
    assert import_main(FIX / "good.csv", "a", "2024-12-31") == 0
    before = (register_path("a") / "cases.csv").read_bytes()
    monkeypatch.setenv(ENV_KEY, OTHER_KEY)
    assert import_main(FIX / "good.csv", "a", "2025-01-31") == 1
    assert "different key" in capsys.readouterr().out
    assert (register_path("a") / "cases.csv").read_bytes() == before
    monkeypatch.setenv(ENV_KEY, KEY)
    assert import_main(FIX / "good.csv", "a", "2025-01-31") == 0  # same key: replaced
    assert load_register("a")[1]["data_date"] == "2025-01-31"
    leftovers = [p.name for p in register_path("a").parent.iterdir() if p.name != "a"]
    assert leftovers == []


def test_a_date_after_the_data_date_refuses_the_import(env, capsys):
    # good.csv row 2 was sanctioned on 15/11/2024: a data date before that cannot be true
    assert import_main(FIX / "good.csv", "early", "2024-11-14") == 1
    out = capsys.readouterr().out
    assert "row 2, column 'Tanggal Sanksi', value '15/11/2024'" in out
    assert "on or before the data date 2024-11-14" in out and "nothing stored" in out
    assert not register_path("early").exists()


def test_missing_key_stops_with_a_clear_message(env, monkeypatch, capsys):
    monkeypatch.delenv(ENV_KEY)
    assert import_main(FIX / "good.csv", "a", "2024-12-31") == 1
    out = capsys.readouterr().out
    assert ENV_KEY in out and "--key-file" in out
    assert not (env / "data" / "private").exists()


def test_key_file_inside_the_repository_is_refused(env, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ENV_KEY)
    inside = env / "secret.key"
    inside.write_text(KEY)
    assert import_main(FIX / "good.csv", "a", "2024-12-31", key_file=inside) == 1
    assert "inside the repository" in capsys.readouterr().out
    outside = tmp_path / "outside.key"
    outside.write_text(KEY + "\n")
    assert import_main(FIX / "good.csv", "a", "2024-12-31", key_file=outside) == 0
    # the key file and the environment give the same pseudonyms (whitespace stripped)
    monkeypatch.setenv(ENV_KEY, KEY)
    assert import_main(FIX / "good.csv", "b", "2024-12-31") == 0
    assert load_register("a")[0]["person_id"].tolist() == \
        load_register("b")[0]["person_id"].tolist()


def test_short_key_is_refused(tmp_path):
    with pytest.raises(KeyProblem, match="at least 16"):
        load_key(environ={ENV_KEY: "short"}, root=tmp_path / "repo")
    with pytest.raises(KeyProblem, match=ENV_KEY):
        load_key(environ={}, root=tmp_path / "repo")


def test_import_refuses_a_file_with_errors(env, capsys):
    assert import_main(FIX / "bad.csv", "bad", "2024-12-31") == 1
    out = capsys.readouterr().out
    assert "import refused" in out and "31/02/2024" in out
    for secret in ["198503302010011", "Budi Santoso", "Siti Aminah"]:
        assert secret not in out
    assert not (env / "data" / "private" / "registers" / "bad").exists()


@pytest.mark.parametrize("name", ["../evil", "a/b", "", "a b", ".."])
def test_unsafe_register_names_are_refused(env, name, capsys):
    assert import_main(FIX / "good.csv", name, "2024-12-31") == 1
    assert "not allowed" in capsys.readouterr().out


def test_bad_data_date(env, capsys):
    assert import_main(FIX / "good.csv", "a", "31/12/2024") == 1
    assert "YYYY-MM-DD" in capsys.readouterr().out


def test_base_folder_parameter(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY, KEY)
    base = tmp_path / "regs"
    assert import_main(FIX / "semicolon_bom.csv", "s", "2024-12-31", base=base) == 0
    cases, meta = load_register("s", base=base)
    assert cases["case_id"].tolist() == ["B-1", "B-2"]
    assert cases["person_id"].tolist() == ["", ""]
    assert load_register(base / "s")[1]["rows"] == 2  # a folder path works too


def test_load_register_reads_the_synthetic_layout(tmp_path):
    folder = tmp_path / "synthetic-seed1"
    folder.mkdir()
    cols = ["case_id", "person_id"] + [c for c in codebook.STORED_COLUMNS
                                        if c not in ("case_id", "person_id")] + ["synthetic"]
    row = {c: "" for c in cols}
    row.update(case_id="SYN-2020-000001", person_id="SYN-P000001", region="Bangka",
               cycle="2020", election_type="pilkada", date_report="2020-10-01",
               outcome="pending", incumbent_running="True", synthetic="True")
    with (folder / "synthetic_cases.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerow(row)
    (folder / "register.json").write_text(json.dumps(
        {"name": "synthetic-seed1", "data_date": "2021-03-01", "synthetic": True, "rows": 1,
         "cases_file": "synthetic_cases.csv"}))
    cases, meta = load_register(folder)
    assert meta["synthetic"] is True and len(cases) == 1
    assert bool(cases["incumbent_running"].iloc[0]) is True
    assert cases["date_report"].iloc[0] == pd.Timestamp("2020-10-01")


def test_load_register_refuses_personal_data_and_bad_cases_file(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "cases.csv").write_text("case_id,nip,region,cycle,election_type,date_report,"
                                      "outcome\nA,1,Bangka,2024,pilkada,2024-01-01,pending\n")
    (folder / "register.json").write_text(json.dumps({"cases_file": "cases.csv"}))
    with pytest.raises(RegisterError, match="personal data"):
        load_register(folder)
    (folder / "register.json").write_text(json.dumps({"cases_file": "../cases.csv"}))
    with pytest.raises(RegisterError, match="file name"):
        load_register(folder)


def test_csv_writer_matches_the_csv_module():
    rng = np.random.default_rng(0)
    n = 500
    words = np.array(["a", "b,c", 'say "hi"', "", "x\ny", "plain", '"', "x\r\ny"],
                     dtype=object)
    columns = []
    for j in range(6):
        values = words if j % 2 else np.array([f"v{j}-{i}" for i in range(40)], dtype=object)
        columns.append((f"c{j}", rng.integers(0, len(values), n), values))
    columns.append(("ids", np.arange(n), np.array([f"id{i}" for i in range(n)], dtype=object)))
    got = csv_bytes(columns, n).decode()
    rows = list(csv.reader(got.splitlines(keepends=True)))
    assert rows[0] == [c[0] for c in columns]
    expected = [[values[codes[i]] for _, codes, values in columns] for i in range(n)]
    assert rows[1:] == expected


def test_pseudonymiser_is_hmac_sha256():
    import hashlib
    import hmac
    key = b"0123456789abcdef" * 5  # longer than a block
    p = Pseudonymiser(key)
    want = hmac.new(key, b"nip:198503302010011001", hashlib.sha256).hexdigest()[:16]
    assert p.digest(b"nip:198503302010011001") == want
    assert p.many("nip:", ["198503302010011001", ""]).tolist() == [want, ""]
