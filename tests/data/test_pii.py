"""Personal data (NIP, NIK, register names) is found in text and in every published file, and
never shown: findings give file, line or page and kind only."""
import hashlib
import json

import pytest

from analysis.data import pii

NIP = "198503122010011002"  # born 12 Mar 1985, appointed Jan 2010, male, serial 002 (made up)
NIK = "3201014507900001"  # Jawa Barat, born 5 Jul 1990 (female: day + 40), serial 0001 (made up)


@pytest.mark.parametrize("text,kind", [
    (f"NIP {NIP}", "NIP"),
    ("NIP. 19850312 201001 1 002", "NIP"),
    ("19850312.201001.1.002", "NIP"),
    (f"<td>{NIP}</td>", "NIP"),
    (f"NIK: {NIK}.", "NIK"),
    ("320101 450790 0001", "NIK"),
])
def test_identifiers_are_found(text, kind):
    assert [m.kind for m in pii.find_personal_data(text)] == [kind]


@pytest.mark.parametrize("text", [
    "sha256:" + hashlib.sha256(b"x").hexdigest(),
    f"ab{NIP}cd",  # inside a hex digest
    f"9{NIP}",  # inside a longer digit run
    f"{NIP}7",
    f"0.{NIP}",  # decimals
    "123456789012345678",  # not a date
    "198513122010011002",  # month 13
    "198503122010013002",  # gender 3
    "198503121990011002",  # appointed before birth + 17
    "1234567890123456",  # NIK with province 12 but day 78
    "9901014507900001",  # province 99 does not exist
    "3201014507900000",  # serial 0000
    "https://twitter.com/x/status/985031220100110027",
    "1,305 and 872 and 635",
])
def test_long_numbers_that_are_not_identifiers_are_not_flagged(text):
    assert pii.find_personal_data(text) == []


def test_matches_never_carry_the_value():
    m = pii.find_personal_data(f"NIP {NIP}")[0]
    assert NIP not in repr(m) and m.hidden == "(18-digit number hidden)"
    assert pii.redact(f"NIP {NIP}, NIK {NIK}") == (
        "NIP (18-digit number hidden), NIK (16-digit number hidden)")


def minimal_pdf(lines_per_page):
    """A valid PDF with one Helvetica text line per entry, one page per list entry."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in lines_per_page:
        body = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({t}) Tj 0 -16 Td" for t in lines) + " ET"
        objects.append(f"<< /Length {len(body)} >>\nstream\n{body}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return out


@pytest.fixture
def published(tmp_path):
    """A reports folder: clean files plus one identifier in each of several formats."""
    site = tmp_path / "reports"
    (site / "data").mkdir(parents=True)
    (site / "briefs").mkdir()
    (site / "figures").mkdir()
    manifest = {"data": {f"data/raw/f{i}.csv": hashlib.sha256(str(i).encode()).hexdigest()
                         for i in range(500)},
                "git": {"commit": hashlib.sha1(b"c").hexdigest()},
                "rows": 12345678901234567890123, "built": "2026-11-29T22:15:47+00:00"}
    (site / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (site / "index.html").write_text("<html>\n<p>635 of 872 (72.8%)</p>\n</html>\n",
                                     encoding="utf-8")
    (site / "01_report.html").write_text(
        f"<html>\n<body>\n<table><tr><td>NIP</td><td>{NIP}</td></tr></table>\n</body>\n</html>\n",
        encoding="utf-8")
    (site / "data" / "table.csv").write_text(f"id,note\n1,ok\n2,NIK {NIK}\n", encoding="utf-8")
    notebook = {"cells": [{"cell_type": "markdown", "source": ["Kasus\n", f"NIP\n{NIP}"]}]}
    (site / "02_report.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    (site / "figures" / "chart.svg").write_text(
        "<svg>\n<text>Budi  Santoso</text>\n</svg>\n", encoding="utf-8")
    (site / "figures" / "chart.png").write_bytes(NIP.encode())  # images are not scanned
    (site / "briefs" / "brief_id.pdf").write_bytes(
        minimal_pdf([["Ringkasan 635 dari 872"], ["Lampiran", f"NIP {NIP}"]]))
    return site


def test_scan_published_finds_file_line_page_and_kind_never_the_value(published):
    findings = pii.scan_published(published, names=["budi santoso", "Siti Aminah"])
    got = {(f.file, f.line, f.page, f.kind) for f in findings}
    assert got == {
        ("01_report.html", 3, 0, "NIP"),
        ("data/table.csv", 3, 0, "NIK"),
        ("02_report.ipynb", 7, 0, "NIP"),  # after an escaped newline in the JSON
        ("figures/chart.svg", 2, 0, "name"),
        ("briefs/brief_id.pdf", 0, 2, "NIP"),
    }
    for f in findings:
        assert NIP not in str(f) and NIK not in str(f) and "Santoso" not in str(f)
    assert str(next(f for f in findings if f.page)) == (
        "briefs/brief_id.pdf: page 2: a civil-servant number (NIP), value hidden")


def test_a_manifest_with_hashes_does_not_trigger(published):
    assert [f for f in pii.scan_published(published) if f.file == "manifest.json"] == []


def test_a_nip_inside_html_triggers(tmp_path):
    (tmp_path / "page.html").write_text(f'<span class="nip">{NIP}</span>', encoding="utf-8")
    assert [(f.line, f.kind) for f in pii.scan_published(tmp_path)] == [(1, "NIP")]


def test_names_are_whole_words_and_case_insensitive(tmp_path):
    (tmp_path / "a.txt").write_text("BUDI SANTOSO\nBudi Santosoputra\nbudi\nsantoso budi\n",
                                    encoding="utf-8")
    findings = pii.scan_published(tmp_path, names=["Budi Santoso"])
    assert [(f.line, f.kind) for f in findings] == [(1, "name")]


def test_an_unreadable_pdf_is_a_finding_not_a_pass(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    assert [f.kind for f in pii.scan_published(tmp_path)] == ["unreadable"]


def test_a_clean_folder_gives_nothing(tmp_path):
    (tmp_path / "index.html").write_text("<p>1305 reported, 872 recommended, 635 executed</p>",
                                         encoding="utf-8")
    assert pii.scan_published(tmp_path) == []
