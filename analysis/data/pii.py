"""Find personal identifiers (NIP, NIK) and registered names in text and in published files.

The ledger holds published aggregate figures; it must never hold a person's identifier, and no
published page, table or PDF may show one. Two Indonesian identifiers are recognised:

- **NIP** (Nomor Induk Pegawai, civil-servant number): 18 digits ``YYYYMMDD YYYYMM G NNN``: birth
  date, appointment year and month, gender (1 or 2), serial. Spaces or dots may separate the
  groups (``YYYYMMDD YYYYMM G NNN`` or ``YYYYMMDD.YYYYMM.G.NNN``; no real-looking example is
  written here, since this docstring is published in the API reference and scanned).
- **NIK** (Nomor Induk Kependudukan, population number): 16 digits ``PPKKCC DDMMYY SSSS``:
  province (a real province code), regency, district, birth day (plus 40 for women), month,
  year, serial. Spaces or dots may separate the three groups.

False positives are avoided by structure, not by length alone: the run must stand alone (no
letter, digit or ``_`` directly before or after it, so a digit run inside a SHA-256 hex digest or
inside a longer number never matches; nor a run that is part of a decimal like ``0.1234...``),
and its date parts must be real (birth date a calendar date in 1940-2010, appointment 17-60
years after birth and not before 1960, gender 1 or 2; NIK province code known, day 1-31 or
41-71, month 1-12, serial not 0000).

Matches never carry the matched text to a message: use :attr:`Match.hidden`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

_SEP = r"[ .]?"
_BEFORE = r"(?<![0-9A-Za-z_])(?<![0-9][.,])"
_AFTER = r"(?![0-9A-Za-z_])(?![.,][0-9])"
NIP_PATTERN = re.compile(
    _BEFORE + r"(\d{8})" + _SEP + r"(\d{6})" + _SEP + r"(\d)" + _SEP + r"(\d{3})" + _AFTER,
    re.ASCII)
NIK_PATTERN = re.compile(
    _BEFORE + r"(\d{6})" + _SEP + r"(\d{6})" + _SEP + r"(\d{4})" + _AFTER, re.ASCII)

_SIX_DIGITS = re.compile(r"\d{6}", re.ASCII)

# BPS province codes (2023: 38 provinces, incl. the Papua split codes in use in either list).
PROVINCE_CODES = frozenset({11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51,
                            52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92,
                            93, 94, 95, 96, 97})

PUBLISHED_SUFFIXES = (".html", ".htm", ".csv", ".tsv", ".json", ".ipynb", ".txt", ".md", ".svg",
                      ".xml", ".pdf")


@dataclass(frozen=True)
class Match:
    kind: str  # "NIP" or "NIK"
    start: int
    end: int
    digits: int

    @property
    def hidden(self) -> str:
        """What a message shows instead of the value."""
        return f"({self.digits}-digit number hidden)"

    @property
    def description(self) -> str:
        what = ("a civil-servant number (NIP)" if self.kind == "NIP"
                else "a population number (NIK)")
        return f"{what} {self.hidden}"


def _is_nip(birth: str, appointed: str, gender: str) -> bool:
    try:
        born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return False
    year, month = int(appointed[:4]), int(appointed[4:])
    return (1940 <= born.year <= 2010 and 1 <= month <= 12 and year >= 1960
            and 17 <= year - born.year <= 60 and gender in "12")


def _is_nik(region: str, birth: str, serial: str) -> bool:
    day, month = int(birth[:2]), int(birth[2:4])
    return (int(region[:2]) in PROVINCE_CODES and (1 <= day <= 31 or 41 <= day <= 71)
            and 1 <= month <= 12 and serial != "0000")


def find_personal_data(text: str) -> list[Match]:
    """Every NIP- or NIK-shaped number in ``text`` (see the module docstring)."""
    if not isinstance(text, str) or not _SIX_DIGITS.search(text):
        return []  # every NIP/NIK has a run of at least 6 digits
    out: list[Match] = []
    for m in NIP_PATTERN.finditer(text):
        if _is_nip(m.group(1), m.group(2), m.group(3)):
            out.append(Match("NIP", m.start(), m.end(), 18))
    taken = [(m.start, m.end) for m in out]
    for m in NIK_PATTERN.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if _is_nik(m.group(1), m.group(2), m.group(3)):
            out.append(Match("NIK", m.start(), m.end(), 16))
    return sorted(out, key=lambda m: m.start)


def redact(text: str) -> str:
    """``text`` with every NIP/NIK replaced by ``(N-digit number hidden)``."""
    matches = find_personal_data(text)
    for m in reversed(matches):
        text = text[:m.start] + m.hidden + text[m.end:]
    return text


# --------------------------------------------------------------------------- names


def names_pattern(names) -> re.Pattern | None:
    """One case-insensitive whole-word pattern for every name (spaces match any whitespace)."""
    parts = []
    for name in names:
        words = str(name).split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# --------------------------------------------------------------------------- published files


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int  # 1-based line in a text file; 0 for a PDF or the file as a whole
    page: int  # 1-based page of a PDF; 0 otherwise
    kind: str  # "NIP", "NIK", "name", or "unreadable"

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page else (f"line {self.line}" if self.line else "")
        what = {"NIP": "a civil-servant number (NIP), value hidden",
                "NIK": "a population number (NIK), value hidden",
                "name": "a name from the register, value hidden",
                "unreadable": "could not be scanned: check it by hand"}.get(self.kind, self.kind)
        return f"{self.file}{': ' + where if where else ''}: {what}"


_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
_SIMPLE = {"n": " ", "t": " ", "r": " ", "b": " ", "f": " ", '"': '"', "\\": "\\", "/": "/"}


def _unescape_json(line: str) -> str:
    """JSON string escapes decoded in place (``\\n`` -> space), so line numbers are kept and a
    number right after an escaped newline is still seen on its own."""
    def one(m: re.Match) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code[0] == "u" else _SIMPLE[code]
    return _JSON_ESCAPE.sub(one, line)


def _scan_text(text: str, names: re.Pattern | None, file: str, page: int = 0,
               json_like: bool = False) -> list[Finding]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if json_like:
            line = _unescape_json(line)
        where = (0, page) if page else (number, 0)
        for m in find_personal_data(line):
            found.append(Finding(file, *where, m.kind))
        if names is not None and names.search(line):
            found.append(Finding(file, *where, "name"))
    return found


def pdf_pages(path: Path) -> list[str] | None:
    """The text of each page of a PDF, as PDFium (pypdfium2) extracts it; None if unreadable.

    PDFium is the PDF engine of Chromium, which prints the briefs; it reads a brief's seven pages
    in about 0.1 s, where pypdf took 0.5 s. Ligatures come out as letters (``fi``, not the
    one-glyph ``\ufb01``); the hyphen PDFium marks at the end of a line is written back as a
    hyphen and a line break, as printed. PDFium joins glyphs in the order they were drawn, so
    two glyphs that do not touch on the page (a heading, then a number set vertically below it)
    could come out as one word: a line break is put between two glyphs further apart than about
    half a glyph, or turned differently. A test prints pages built to split, space, style and
    turn identifiers and names, and checks that every one pypdf's text shows is found in this
    text too."""
    try:
        import pypdfium2

        document = pypdfium2.PdfDocument(str(path))
        try:
            pages = []
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                pages.append(_page_text(textpage))
                textpage.close()
                page.close()
            return pages
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - a PDF we cannot read must not pass as clean
        return None


_LINE_END_HYPHEN = ("\x02", "\ufffe")  # PDFium's mark for a hyphen that ends a line
_APART = 0.6  # glyphs further apart than this many glyph sizes are not one word
_TURN = 0.05  # radians: glyphs turned differently (a word, a number set vertically) are apart


def _page_text(textpage) -> str:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # boxes could not be matched to characters: PDFium's text as is
        text = textpage.get_text_bounded()
        for mark in _LINE_END_HYPHEN:
            text = text.replace(mark, "-\n")
        return text
    from pypdfium2 import raw

    out, previous, turned = [], None, None
    for index, char in enumerate(text):
        if char in _LINE_END_HYPHEN:
            out.append("-\n")
            previous = None
            continue
        if char.isspace():
            out.append(char)
            previous = None
            continue
        box = textpage.get_charbox(index)  # left, bottom, right, top (points)
        if box[2] <= box[0] and box[3] <= box[1]:  # a glyph without size: no position
            out.append(char)
            continue
        angle = raw.FPDFText_GetCharAngle(textpage.raw, index)  # radians; -1 if unknown
        if previous is not None and (not _touching(previous, box)
                                     or abs(angle - turned) > _TURN):
            out.append("\n")
        out.append(char)
        previous, turned = box, angle
    return "".join(out)


def _touching(a, b) -> bool:
    """Whether glyph box ``b`` continues ``a`` as one word: beside it on the same line (either
    direction) or under it in the same column, no further than ``_APART`` glyph sizes."""
    size = max(a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1])
    gap_x = max(a[0], b[0]) - min(a[2], b[2])  # negative: the boxes overlap across
    gap_y = max(a[1], b[1]) - min(a[3], b[3])
    same_line = gap_y < 0 and gap_x <= _APART * size
    same_column = gap_x < 0 and gap_y <= _APART * size
    return same_line or same_column


def scan_file(path: Path, names=(), shown: str | None = None) -> list[Finding]:
    """NIP/NIK patterns and register names in one published file (never their values)."""
    path = Path(path)
    file = shown or str(path)
    pattern = names if isinstance(names, re.Pattern) or names is None else names_pattern(names)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages = pdf_pages(path)
        if pages is None:
            return [Finding(file, 0, 0, "unreadable")]
        found = []
        for number, text in enumerate(pages, start=1):
            found += _scan_text(text, pattern, file, page=number)
        return found
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [Finding(file, 0, 0, "unreadable")]
    return _scan_text(text, pattern, file, json_like=suffix in (".json", ".ipynb"))


def scan_published(folder: Path | str, names=()) -> list[Finding]:
    """Every NIP/NIK pattern and register name (case-insensitive, whole words) in the published
    files under ``folder``: .html, .csv, .json, .ipynb, .txt, .svg, .md, .xml, .tsv as text and
    .pdf page by page. Findings give file, line (or page) and kind, never the value; an
    unreadable PDF is a finding too. Other files (images, fonts) are not scanned."""
    folder = Path(folder)
    pattern = names_pattern(names)
    found: list[Finding] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in PUBLISHED_SUFFIXES:
            found += scan_file(path, pattern, shown=str(path.relative_to(folder)))
    return sorted(found)


def load_names(path: Path | str, column: str = "name") -> list[str]:
    """Names from an imported register (a CSV with a ``name`` column, or one name per line)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        import csv
        import io

        return [r[column].strip() for r in csv.DictReader(io.StringIO(text)) if r.get(column)]
    if path.suffix.lower() == ".json":
        return [str(n) for n in json.loads(text)]
    return [line.strip() for line in text.splitlines() if line.strip()]
