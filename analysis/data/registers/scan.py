"""Refuse to publish a name from an imported register, without keeping any name.

What is stored
--------------
A register keeps no names (``person_id`` is a keyed pseudonym). At import,
:func:`.pseudonymise.name_hashes` also writes ``names.json`` beside ``cases.csv``: the
HMAC-SHA256, with the register key, of the words of each distinct name (``"fullname:"`` +
words joined by one space; words are NFKC, casefolded, letters only), for the whole name and
for the name without the titles before it and the degrees after its first comma (a name
written ``Drs. H. <given> <family>, M.Si.`` is stored as the words ``drs h <given> <family> m
si`` and ``<given> <family>``).
The hashes are a sorted set, not linked to cases or person_ids; without the key a guessed name
cannot be tested against them. A 20-bit hash of every name word serves as a prefilter.

How a published folder is scanned
---------------------------------
Every published file (:data:`analysis.data.pii.PUBLISHED_SUFFIXES`: HTML, CSV, JSON, .ipynb,
text, SVG, and PDF page by page with PDFium, :func:`analysis.data.pii.pdf_pages`) is read as
text: JSON string escapes decoded, HTML tags and embedded base64 images removed, entities
decoded. Its words (the same normalisation) form one sequence across lines; every run of 1 to
``max_words`` consecutive words whose words all pass the prefilter is hashed and looked up. A
match is a :class:`~analysis.data.pii.Finding` giving the file and line (or PDF page) and "a
name from register NAME" -- never the name.

False positives
---------------
A finding needs the *whole* stored name as consecutive words, so a common word that is part of
many names (the Indonesian words for beautiful, victorious or daughter) never matches on its
own; a 128-bit hash makes a chance collision negligible. Names with fewer than 4 letters are not
stored. The remaining risks: a register name that is one ordinary word (Indonesian mononyms
such as the word for light): such a finding says "a one-word name", so the reader of the build
log knows to look at that line; and a name whose words stand next to each other in a page
(a list of words, a province label split over two lines). Either still stops the build (a real
name in a published file costs more than a needless stop). Runs across table cells are joined,
so a name split over two cells is found. A name written surname-first (``<family>, <given>``)
or abbreviated (``G. <family>``) is not found.

This module's own documentation, like everything the build publishes (the API reference
included), gives no example of a person's name: a register that held that name would stop
every build (a test keeps common names out of the package's text).

Without a key
-------------
The hashes can only be compared with the key they were made with. When no key is available
(``NETRALITAS_KEY`` unset) or it is a different key, :func:`scan_for_register_names` raises
:class:`NamesNotChecked` and :func:`check_published_names` returns a note saying that names from
that register could not be checked; the build prints the note, records it in the reports'
``manifest.json`` and goes on (the NIP/NIK scan needs no key and always runs). The next build
with the key checks the published reports, even when it has nothing else to rebuild. A register
without ``names.json`` (a synthetic one, or one imported without names) has nothing to check.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .. import pii
from .pseudonymise import (KeyProblem, Pseudonymiser, key_fingerprint, load_key, name_hash,
                           name_words, token_hash)
from .store import RegisterError, read_meta, read_name_hashes, registers_dir

__all__ = ["NamesNotChecked", "scan_for_register_names", "check_published_names",
           "published_text"]

LONGEST_WORD = 40  # longer letter runs are base64 or hashes, not names: they break a run
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,[A-Za-z0-9+/=\s]*")
_TAG = re.compile(r"<[^<>\n]*>")


class NamesNotChecked(Exception):
    """The names of a register cannot be checked (no key, or another key); says why."""


def _clean(line: str, json_like: bool) -> str:
    if json_like:
        line = pii._unescape_json(line)
    line = _DATA_URI.sub(" ", line)
    line = _TAG.sub(" ", line)
    return html.unescape(line)


def published_text(path: Path) -> list[tuple[int, int, str]] | None:
    """(line, page, text) pieces of a published file as the scan reads it; None if unreadable.

    A text file gives one piece per line (page 0); a PDF one piece per page (line 0)."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        pages = pii.pdf_pages(path)
        return None if pages is None else [(0, n, text) for n, text in enumerate(pages, start=1)]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    json_like = path.suffix.lower() in (".json", ".ipynb")
    return [(n, 0, _clean(line, json_like)) for n, line in enumerate(text.splitlines(), start=1)]


class _Matcher:
    def __init__(self, key: bytes, stored: dict):
        self.p = Pseudonymiser(key)
        self.hashes = frozenset(stored.get("hashes", ()))
        self.tokens = frozenset(stored.get("tokens", ()))
        self.max_words = max(1, int(stored.get("max_words") or 1))
        self._member: dict[str, bool] = {}

    def member(self, word: str | None) -> bool:
        if word is None:
            return False
        known = self._member.get(word)
        if known is None:
            known = self._member[word] = token_hash(self.p, word) in self.tokens
        return known

    def matches(self, words: list[str | None]) -> list[tuple[int, int]]:
        """(start index, number of words) of every stored name in the word sequence."""
        out = []
        for i in range(len(words)):
            for n in range(1, self.max_words + 1):
                if i + n > len(words) or not self.member(words[i + n - 1]):
                    break
                if name_hash(self.p, words[i:i + n]) in self.hashes:
                    out.append((i, n))
        return out


def _file_findings(path: Path, shown: str, matcher: _Matcher, register: str) -> list[pii.Finding]:
    pieces = published_text(path)
    if pieces is None:
        return [pii.Finding(shown, 0, 0, "unreadable")]
    found = set()
    by_page: dict[int, list[tuple[int, int, str]]] = {}
    for piece in pieces:  # a PDF's words run on within a page, a text file's across lines
        by_page.setdefault(piece[1], []).append(piece)
    for page, group in by_page.items():
        words: list[str | None] = []
        where: list[int] = []
        for line, _, text in group:
            for w in name_words(text):
                words.append(w if len(w) <= LONGEST_WORD else None)
                where.append(line)
        for start, n in matcher.matches(words):
            what = (f"a one-word name from register {register} (it may also be an ordinary "
                    "word: look at that line), value hidden" if n == 1 else
                    f"a name from register {register}, value hidden")
            found.add(pii.Finding(shown, where[start], page, what))
    return sorted(found)


def _key_for(folder: Path, stored: dict, key: bytes | None) -> bytes:
    name = folder.name
    if key is None:
        raise NamesNotChecked(f"names from register {name} not checked: no key (set "
                              f"NETRALITAS_KEY to the key the register was imported with)")
    wanted = stored.get("key_fingerprint") or read_meta(folder).get("key_fingerprint")
    if wanted and key_fingerprint(key) != wanted:
        raise NamesNotChecked(f"names from register {name} not checked: the key available "
                              f"(fingerprint {key_fingerprint(key)}) is not the one it was "
                              f"imported with ({wanted})")
    return key


def scan_for_register_names(folder: Path | str, register_dir: Path | str,
                            key: bytes | None) -> list[pii.Finding]:
    """Every place in the published files under ``folder`` where a name of the register in
    ``register_dir`` appears (file, line or page; never the name).

    Returns [] when the register stores no name hashes. Raises :class:`NamesNotChecked` when
    ``key`` is None or not the register's key, and RegisterError for a broken register."""
    register_dir = Path(register_dir)
    stored = read_name_hashes(register_dir)
    if not stored or not stored.get("hashes"):
        return []
    matcher = _Matcher(_key_for(register_dir, stored, key), stored)
    register = str(read_meta(register_dir).get("name") or register_dir.name)
    folder = Path(folder)
    files = [folder] if folder.is_file() else sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in pii.PUBLISHED_SUFFIXES)
    found: list[pii.Finding] = []
    for path in files:
        shown = path.name if path == folder else str(path.relative_to(folder))
        found += _file_findings(path, shown, matcher, register)
    return sorted(found)


def check_published_names(folder: Path | str, base: Path | str | None = None,
                          key: bytes | None = None, registers=None
                          ) -> tuple[list[pii.Finding], list[str]]:
    """(findings, notes) for every imported register under ``base`` (default
    ``data/private/registers``) that stores name hashes, or only ``registers`` (names or
    folders). ``key``: default the key from ``NETRALITAS_KEY``, or none. A note is one line for
    the build log: a register whose names could not be checked, and why."""
    if key is None:
        try:
            key = load_key()
        except KeyProblem:
            key = None
    root = registers_dir(base)
    if registers is None:
        folders = sorted(p for p in root.iterdir() if (p / "register.json").is_file()) \
            if root.is_dir() else []
    else:
        folders = [Path(r) if ("/" in str(r) or isinstance(r, Path)) else root / str(r)
                   for r in registers]
    findings: list[pii.Finding] = []
    notes: list[str] = []
    for reg in folders:
        try:
            findings += scan_for_register_names(folder, reg, key)
        except NamesNotChecked as exc:
            notes.append(str(exc))
        except (RegisterError, OSError, json.JSONDecodeError) as exc:
            notes.append(f"names from register {reg.name} not checked: {exc}")
    return sorted(findings), notes
