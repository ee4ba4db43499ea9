"""The privacy gate reads published PDFs with PDFium (:func:`analysis.data.pii.pdf_pages`), not
pypdf as before: on pages printed by Chromium, as the briefs are, and built to hide identifiers
and names from a text extractor, PDFium's text must show everything pypdf's showed.

The adversary lays the same NIP, NIK or name out in every way we could think of that survives
printing: styled and coloured pieces, table cells, SVG text, rotation, vertical writing, digits
placed one by one (also in reverse drawing order), CSS-generated content, transparent text,
letter spacing, small caps. One case per printed page. PDFium writes glyphs in the order they
were drawn, so two of the cases (a number set vertically under a word, or across it) came out
joined to the word, hiding the number, until :func:`analysis.data.pii.pdf_pages` split glyphs
that are apart or turned differently.
"""
import pytest

from analysis.data import pii

NIP = "198503122010011002"  # made up (born 12 Mar 1985, appointed Jan 2010)
NIK = "3201014507900001"  # made up
NAMES = ["Ahmad Fauzi", "Effi Fikri"]  # invented for the test


def _digits_at(order):
    return ("<div style='position:relative;height:2em'>"
            + "".join(f"<span style='position:absolute;left:{0.6 * i:.1f}em'>{NIP[i]}</span>"
                      for i in order) + "</div>")


CASES = {
    "plain": f"<p>NIP {NIP}</p>",
    "spaced groups": "<p>NIP 19850312 201001 1 002</p>",
    "dotted groups": "<p>NIP 19850312.201001.1.002</p>",
    "styled pieces": "<p>NIP <b>19850312</b><i>201001</i><span style='color:#c00'>1</span>"
                     "<u>002</u></p>",
    "table cell": f"<table><tr><td>a</td><td>{NIP}</td><td>b</td></tr></table>",
    "adjacent cells": "<table style='border-collapse:collapse'><tr><td style='padding:0'>"
                      "19850312</td><td style='padding:0'>2010011002</td></tr></table>",
    "link": f"<p><a href='https://example.org/x'>{NIP}</a></p>",
    "letter spacing": f"<p style='letter-spacing:0.4em'>{NIP}</p>",
    "tight letters": f"<p style='letter-spacing:-0.05em'>{NIP}</p>",
    "tiny font": f"<p style='font-size:5px'>{NIP}</p>",
    "huge font": f"<p style='font-size:40px'>{NIP}</p>",
    "word spacing": "<p style='word-spacing:3em'>19850312 201001 1 002</p>",
    "justified": "<p style='text-align:justify;width:20em'>lorem ipsum dolor sit amet NIP "
                 f"{NIP} consectetur adipiscing elit sed do eiusmod tempor incididunt</p>",
    "svg text": f"<svg width='400' height='40'><text x='5' y='20'>{NIP}</text></svg>",
    "svg pieces": "<svg width='400' height='40'><text x='5' y='20'><tspan>19850312</tspan>"
                  "<tspan>201001</tspan><tspan>1002</tspan></text></svg>",
    "rotated": f"<p style='transform:rotate(-20deg);margin:4em'>{NIP}</p>",
    "vertical": f"<p style='writing-mode:vertical-rl;height:20em'>{NIP}</p>",
    "vertical under a word": "<p>tahun</p><p style='writing-mode:vertical-rl;height:20em'>"
                             f"{NIP}</p>",
    "vertical across a word": "<p>kode</p><p style='writing-mode:vertical-rl;height:14em;"
                              f"margin-top:-1.5em'>{NIP}</p>",
    "monospace": f"<pre>{NIP}</pre>",
    "right to left": f"<p dir='rtl'>{NIP}</p>",
    "columns": f"<div style='columns:2'>{'kata ' * 40} NIP {NIP} {'kata ' * 40}</div>",
    "flex items": "<div style='display:flex'><span>19850312</span><span>201001</span>"
                  "<span>1</span><span>002</span></div>",
    "digits placed one by one": _digits_at(range(len(NIP))),
    "digits drawn right to left": _digits_at(reversed(range(len(NIP)))),
    "css generated": f"<style>.g::before{{content:'NIP {NIP}'}}</style><p class='g'></p>",
    "transparent": f"<p style='color:transparent'>{NIP}</p>",
    "nik": f"<p>NIK {NIK}</p>",
    "nik spaced": "<p>NIK 320101 450790 0001</p>",
    "name": "<p>Terlapor: Ahmad Fauzi (Kab.)</p>",
    "name styled": "<p>Terlapor: <b>Ahmad</b> <i>Fauzi</i></p>",
    "name upper case": "<p style='text-transform:uppercase'>terlapor: ahmad fauzi</p>",
    "name small caps": "<p style='font-variant:small-caps'>Ahmad Fauzi</p>",
    "name with ligatures": "<p>Terlapor: Effi Fikri</p>",
    "name in two cells": "<table><tr><td>Ahmad</td><td>Fauzi</td></tr></table>",
    "name over two lines": "<p style='text-align:justify;width:12em'>kata kata kata kata Ahmad "
                           "Fauzi kata kata kata kata kata kata kata</p>",
    "name in a url": "<p style='width:8em'>https://example.org/berita-ahmad-fauzi-dipanggil</p>",
}
# Found by neither extractor's text: digits spaced apart read as single digits; the NIP/NIK and
# name scan reads a PDF line by line (the register-name scan joins lines); a URL joins words
# with hyphens. The brief's HTML, published beside its PDF, is scanned as source text, where
# none of these hides anything.
NEITHER = {"letter spacing", "name over two lines", "name in a url"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, require_browser):
    from analysis.publish import brief

    if not brief.chromium():
        require_browser("printing the adversarial PDF")
    folder = tmp_path_factory.mktemp("adversary")
    page = folder / "cases.html"
    page.write_text(
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<style>section { break-after: page; }</style></head><body>"
        + "".join(f"<section><h2>kasus</h2>{body}</section>" for body in CASES.values())
        + "</body></html>", encoding="utf-8")
    note = brief.print_pdf(page, folder / "cases.pdf")  # the briefs' own print path
    assert note is None, note
    return folder / "cases.pdf"


def _kinds(text: str, page: int) -> list[str]:
    return sorted(f.kind for f in pii._scan_text(text, pii.names_pattern(NAMES), "x", page=page))


def test_pdfium_finds_every_identifier_and_name_pypdf_finds_on_an_adversarial_printout(printed):
    from pypdf import PdfReader

    ours = pii.pdf_pages(printed)
    theirs = [page.extract_text() or "" for page in PdfReader(printed).pages]
    assert len(ours) == len(theirs) == len(CASES)  # one case per page
    missed, nobody = [], set()
    for number, case in enumerate(CASES, start=1):
        found, reference = _kinds(ours[number - 1], number), _kinds(theirs[number - 1], number)
        if any(found.count(k) < reference.count(k) for k in reference):
            missed.append((case, found, reference))
        if not found and not reference:
            nobody.add(case)
    assert not missed, missed
    assert nobody == NEITHER  # and every other case is found by PDFium
    assert pii.scan_file(printed, NAMES)  # the gate's own entry point reads the same text


def test_glyphs_apart_on_the_page_never_run_together():
    """Two glyphs PDFium drew one after the other but far apart on the page (a heading, then a
    number set vertically below it) are split; neighbours in a line or column are not."""
    size = (0.0, 0.0, 6.0, 9.0)
    right = (6.5, 0.0, 12.5, 9.0)
    below = (0.0, -10.0, 6.0, -1.0)
    far = (0.0, -30.0, 6.0, -21.0)
    assert pii._touching(size, right) and pii._touching(size, below)
    assert not pii._touching(size, far) and not pii._touching(size, (20.0, 0.0, 26.0, 9.0))
    assert not pii._touching(size, (3.0, -10.0, 9.0, -1.0 - 0.001 - 9.0))  # below, apart


def test_an_unreadable_or_missing_pdf_gives_none(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    assert pii.pdf_pages(tmp_path / "broken.pdf") is None
    assert pii.pdf_pages(tmp_path / "absent.pdf") is None
