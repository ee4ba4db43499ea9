"""The build refuses to publish a name from an imported register, though registers keep no names:
keyed hashes of the names are stored at import and every run of words in a published file is
hashed and compared (analysis.data.registers.scan)."""
import json

import numpy as np
import pytest

from analysis.data import pii
from analysis.data.registers import codebook as cb
from analysis.data.registers import store
from analysis.data.registers.pseudonymise import name_hashes, name_variants, name_words
from analysis.data.registers.scan import (NamesNotChecked, check_published_names,
                                          published_text, scan_for_register_names)
from analysis.data.registers.store import NAMES_FILE, load_register, write_register

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
NAMES = ["Drs. H. Ahmad Fauzi, M.Si.", "Indah Permata Sari", "Wahyudi", "Siti Ma'ruf"]


def _register(base, name="kab", names=NAMES, key=KEY):
    n = len(names)
    values = {"case_id": [f"C{i}" for i in range(n)], "cycle": ["2024"] * n,
              "election_type": ["pilkada"] * n, "date_report": ["2024-10-01"] * n,
              "outcome": ["pending"] * n, "region": ["Bangka"] * n}
    columns = {}
    for c in cb.STORED_COLUMNS:
        vals = values.get(c, [""] * n)
        uniq, codes = np.unique(np.array(vals, dtype=object), return_inverse=True)
        columns[c] = (codes, uniq.astype(object))
    meta = {"data_date": "2024-12-31", "synthetic": False, "pseudonymised": True}
    return write_register(name, columns, n, meta, base, name_hashes=name_hashes(key, names))


def _pdf(path, text):
    """A one-page PDF showing ``text`` in Helvetica (written by hand: no PDF library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _published(folder, leak=True):
    folder.mkdir(parents=True)
    who = "Ahmad Fauzi" if leak else "Ahmad Dahlan"
    (folder / "05_register.html").write_text(
        "<html><body><h1>Register overview</h1>\n<p>Keindahan alam; Indah sekali.</p>\n"
        f"<table><tr><td>{who.split()[0]}</td><td>{who.split()[1]}</td></tr></table>\n"
        '<img src="data:image/png;base64,QWhtYWRGYXV6aQ==">\n</body></html>\n',
        encoding="utf-8")
    (folder / "tables").mkdir()
    (folder / "tables" / "05_cases.csv").write_text(
        "region,note\nBangka,ok\n" + ("Belitung,\"kasus Siti Ma’ruf\"\n" if leak else ""),
        encoding="utf-8")
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n"], "outputs": [
        {"output_type": "stream", "text": [f"baris satu\nPak {'WAHYUDI' if leak else 'Wahyu'}"
                                           " hadir\n"]}]}]}
    (folder / "05_register.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    _pdf(folder / "05_register.pdf", f"Terlapor: {'Ahmad  Fauzi' if leak else 'Budi'} (Kab.)")
    return folder


def test_name_words_and_variants_strip_titles_and_degrees():
    assert name_words("Drs. H. Ahmad FAUZI, M.Si.") == ["drs", "h", "ahmad", "fauzi", "m", "si"]
    assert name_words("Ma’ruf") == name_words("Ma'ruf") == ["maruf"]
    assert ("ahmad", "fauzi") in name_variants("Drs. H. Ahmad Fauzi, M.Si.")
    assert name_variants("Ali") == set()  # fewer than 4 letters: not stored


def test_import_stores_hashes_and_no_name(tmp_path):
    folder = _register(tmp_path / "registers")
    stored = (folder / NAMES_FILE).read_text(encoding="utf-8")
    for name in NAMES:
        for word in name_words(name):
            if len(word) > 2:
                assert word not in stored.lower()
    meta = json.loads((folder / "register.json").read_text(encoding="utf-8"))
    assert meta["names_file"] == NAMES_FILE and meta["name_hashes"] >= len(NAMES)
    cases, _ = load_register(folder)  # the register still loads
    assert len(cases) == len(NAMES)


def test_pdf_helper_gives_extractable_text(tmp_path):
    _pdf(tmp_path / "a.pdf", "Terlapor: Budi")
    assert "Budi" in published_text(tmp_path / "a.pdf")[0][2]


def test_names_are_found_in_html_csv_ipynb_and_pdf_never_shown(tmp_path):
    register = _register(tmp_path / "registers")
    published = _published(tmp_path / "site", leak=True)
    findings = scan_for_register_names(published, register, KEY)
    where = {(f.file, f.line, f.page) for f in findings}
    assert ("05_register.html", 3, 0) in where  # split over two table cells
    assert ("tables/05_cases.csv", 3, 0) in where
    assert ("05_register.pdf", 0, 1) in where
    assert any(f.file == "05_register.ipynb" for f in findings)
    assert all(isinstance(f, pii.Finding) for f in findings)
    text = "\n".join(str(f) for f in findings)
    assert "a name from register kab" in text and "one-word name" in text  # Wahyudi
    for name in NAMES:
        for word in name_words(name):
            if len(word) > 3:
                assert word not in text.lower()


def test_clean_folder_and_common_words_give_no_finding(tmp_path):
    register = _register(tmp_path / "registers")
    published = _published(tmp_path / "site", leak=False)
    # 'Indah' (part of a stored name), 'Ahmad' (first word of one) and 'Wahyu' are not names
    assert scan_for_register_names(published, register, KEY) == []


def test_without_the_key_or_with_another_key_the_scan_says_it_could_not_check(tmp_path,
                                                                            monkeypatch):
    register = _register(tmp_path / "registers")
    published = _published(tmp_path / "site", leak=True)
    with pytest.raises(NamesNotChecked, match="no key"):
        scan_for_register_names(published, register, None)
    with pytest.raises(NamesNotChecked, match="not the one it was imported with"):
        scan_for_register_names(published, register, OTHER_KEY)
    monkeypatch.delenv("NETRALITAS_KEY", raising=False)
    findings, notes = check_published_names(published, tmp_path / "registers")
    assert findings == [] and notes == ["names from register kab not checked: no key (set "
                                        "NETRALITAS_KEY to the key the register was imported "
                                        "with)"]
    monkeypatch.setenv("NETRALITAS_KEY", KEY.decode())
    findings, notes = check_published_names(published, tmp_path / "registers")
    assert findings and notes == []


def test_a_register_without_name_hashes_has_nothing_to_check(tmp_path):
    register = _register(tmp_path / "registers")
    (register / NAMES_FILE).unlink()
    assert scan_for_register_names(_published(tmp_path / "site"), register, KEY) == []


# Common Indonesian names (given + family, and mononyms that are also ordinary words). A register
# of a province's civil servants holds many of them; if the package's own text (docstrings are
# published in the API reference, notebooks as reports) showed one, every build with that
# register would stop on it.
COMMON_NAMES = [
    "Ahmad Fauzi", "Budi Santoso", "Siti Aminah", "Sri Wahyuni", "Dewi Lestari", "Agus Salim",
    "Muhammad Rizki", "Nur Hidayah", "Eko Prasetyo", "Rina Marlina", "Jaya Putri", "Indah Sari",
    "Ahmad", "Muhammad", "Indah", "Cahaya", "Putri", "Jaya", "Wahyuni", "Santoso", "Fauzi",
]


def test_the_package_text_shows_no_common_name(tmp_path):
    from analysis import paths
    from analysis.data.registers import scan
    from analysis.data.registers.pseudonymise import name_index

    key = b"k" * 40
    with store.StagedRegister("common", tmp_path / "registers") as staged:
        staged.write_names(name_index(key, COMMON_NAMES))
        staged.commit({"data_date": "2024-12-31", "synthetic": False})
    published = tmp_path / "published"
    sources = [*paths.ROOT.joinpath("analysis").rglob("*.py"),
               *paths.ROOT.joinpath("analysis").rglob("*.html"),
               *paths.ROOT.joinpath("notebooks").glob("*.py")]
    for i, source in enumerate(sources):
        target = published / f"{i:03d}_{source.stem}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    findings = scan.scan_for_register_names(published, tmp_path / "registers" / "common", key)
    shown = {f.file.split("_", 1)[1] for f in findings}
    assert not findings, f"common names in {sorted(shown)}"
