"""No personal data in the columns a register stores as written: free text and the case id.

``nip`` and ``name`` become a pseudonym on import, but ``case_id`` and the free-text columns
(position, its level, agency, violation and sanction type) go into ``cases.csv`` as they are.
So the check refuses, in the values the import would store:

- in the case id and every free-text column, an NIP or NIK (the patterns of :mod:`..pii`, as
  the ledger's validator refuses them anywhere), and any NIP of the register's own NIP column,
  however its digits are separated (spaces, dots, dashes);
- in every free-text column, a name of the register's own name column, found as the
  publication scan finds one (:mod:`.scan`): any of its variants, with and without titles
  and degrees (:func:`.pseudonymise.name_variants`), as consecutive words, in any case.

A name that is not in the register's name column cannot be recognised (nor can a name in a
case id, which is not searched for names). Problems never show the value.

Vectorised: only distinct values are searched in Python, and a column with one value per row
(the case id, the names) is first narrowed by polars: the case ids that hold 16 digits or more,
the names that contain a word of the free text (or letters outside ASCII, or an apostrophe,
which the word matching treats specially).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from .. import pii
from . import codebook as cb
from .problem import hidden
from .pseudonymise import name_words, variant_table

if TYPE_CHECKING:
    from .check import Checker
    from .coded import Coded

# 16 digits or more, single spaces, dots or dashes between them: every NIP, NIK or NIP of the
# register, whatever its separators (``[0-9]``: polars' ``\d`` would match other digits)
_LONG_NUMBER = r"[0-9](?:[ .\-]?[0-9]){15,}"
_NUMBER_RUN = re.compile(r"[0-9](?:[ .\-]?[0-9])*", re.ASCII)


def stored_text_columns() -> list[str]:
    """The columns stored as written: the case id and the free-text columns."""
    return ["case_id"] + [c.name for c in cb.COLUMNS if c.free_text]


def _candidates(coded: Coded, pattern: str) -> tuple[np.ndarray, list[str]]:
    """(indices, values) of the distinct values of ``coded`` that may match ``pattern`` (a
    column kept by polars as read is narrowed by polars first; its indices are rows)."""
    if coded.lazy:
        rows = np.flatnonzero(coded.series.str.contains(pattern).to_numpy())
        return rows, coded.series.gather(rows).to_list()
    compiled = re.compile(pattern, re.ASCII)
    values = coded.values.tolist()
    indices = [i for i, v in enumerate(values) if compiled.search(v)]
    return np.asarray(indices, dtype=np.intp), [values[i] for i in indices]


def _rows_of(coded: Coded, indices) -> np.ndarray:
    """Per row: is its value one of ``indices`` (rows of a lazy column, else distinct values)."""
    mask = np.zeros(len(coded.codes), dtype=bool)
    if coded.lazy:
        mask[np.asarray(indices, dtype=np.intp)] = True
        return mask
    return np.isin(coded.codes, np.asarray(indices, dtype=np.intp))


def _nip_windows(value: str) -> set[str]:
    """Every run of 18 digits in ``value`` once spaces, dots and dashes between digits go."""
    found = set()
    for run in _NUMBER_RUN.findall(value):
        digits = re.sub(r"[ .\-]", "", run)
        found.update(digits[i:i + cb.NIP_DIGITS] for i in range(len(digits) - cb.NIP_DIGITS + 1))
    return found


def _register_nips(ck: Checker, windows: set[str]) -> set[str]:
    """Which of ``windows`` are NIPs of the register's NIP column."""
    if not windows or "nip" not in ck.out:
        return set()
    import polars as pl

    nip = ck.out["nip"]
    series = nip.series if nip.lazy else pl.Series(nip.values.tolist(), dtype=pl.String)
    listed = pl.Series(sorted(windows), dtype=pl.String)
    return set(listed.filter(listed.is_in(series.unique().implode())).to_list())


def _numbers(ck: Checker, canon: str, coded: Coded) -> None:
    """NIPs, NIKs and the register's own NIPs in one column stored as written."""
    indices, values = _candidates(coded, _LONG_NUMBER)
    if not values:
        return
    windows = {v: _nip_windows(v) for v in values}
    own = _register_nips(ck, set().union(*windows.values()))
    why = {}
    for index, value in zip(indices.tolist(), values):
        found = [m.description for m in pii.find_personal_data(value)]
        if not found and windows[value] & own:
            found.append(f"an NIP of column '{ck.header.get('nip', 'nip')}' (digits hidden)")
        if found:
            why[index] = ", ".join(found)
    _report(ck, canon, coded, why, "personal_data_in_text", lambda found: (
        f"no personal data in a column stored as written: found {found}, and the import "
        "would store it in cases.csv"), "remove it; an NIP belongs in the NIP column only")


def _names(ck: Checker, texts: dict[str, Coded]) -> None:
    """Register names (their variants) as consecutive words of the free-text values."""
    if "name" not in ck.out or not texts:
        return
    words_of = {}  # distinct text -> its words
    for coded in texts.values():
        for value in coded.values.tolist():
            if value and value not in words_of:
                words_of[value] = name_words(value)
    vocabulary = {w for words in words_of.values() for w in words}
    if not vocabulary:
        return
    variants = _name_variants(ck.out["name"], vocabulary)
    if not variants:
        return
    longest = max(v.count(" ") + 1 for v in variants)
    hits: dict[str, int] = {}  # text -> words of the name found in it
    for text, words in words_of.items():
        for size in range(1, min(longest, len(words)) + 1):
            if any(" ".join(words[i:i + size]) in variants
                   for i in range(len(words) - size + 1)):
                hits[text] = size
                break
    for canon, coded in texts.items():
        values = coded.values.tolist()
        why = {i: ("a one-word name" if hits[v] == 1 else f"a name ({hits[v]} words)")
               for i, v in enumerate(values) if v in hits}
        column = ck.header.get("name", "name")
        _report(ck, canon, coded, why, "name_in_text", lambda found: (
            f"no person's name in a column stored as written: found {found} from column "
            f"'{column}', and the import would store it in cases.csv"),
            f"remove it; a name belongs in column '{column}' only")


def _name_variants(names: Coded, vocabulary: set[str]) -> set[str]:
    """The variants (words joined by one space) of the names that may be found in text of
    ``vocabulary``: only a name that holds one of its words can be, as polars finds: in the
    name as written, for a name in plain ASCII; else in the name normalised as the words are
    (NFKC, lower case, apostrophes dropped), or when a letter of it folds otherwise than to
    lower case (a sharp s folds to ``ss``)."""
    import polars as pl

    series = names.series if names.lazy else pl.Series(names.values.tolist(), dtype=pl.String)
    series = series.cast(pl.String).fill_null("")
    words = sorted(vocabulary)
    maybe = pl.select(series.str.contains_any(words + ["'", "`"], ascii_case_insensitive=True)
                      | (series.str.len_bytes() != series.str.len_chars())).to_series()
    candidates = series.filter(maybe).unique()
    plain = candidates.str.contains(r"^[^'`\x80-\U0010FFFF]*$")  # ASCII without apostrophes
    other = candidates.filter(~plain)
    if len(other):
        normal = other.str.normalize("NFKC").str.to_lowercase().str.replace_all("['\u2019`]", "")
        letters = normal.str.replace_all(r"[\x00-\x7F]", "").str.split("").explode().unique()
        folding = [c for c in letters.drop_nulls().to_list() if c and c.casefold() != c]
        keep = normal.str.contains_any(words, ascii_case_insensitive=True)
        if folding:
            keep = keep | normal.str.contains_any(folding)
        other = other.filter(keep)
    kept = pl.concat([candidates.filter(plain), other]).to_list()
    return set(variant_table(kept).variants) if kept else set()


def _report(ck: Checker, canon: str, coded: Coded, why: dict[int, str], kind: str,
            expected, hint: str) -> None:
    """Errors for the rows whose value (distinct index or, lazy, row) is in ``why``;
    ``expected(what was found)`` says what was expected."""
    if not why:
        return
    mask = _rows_of(coded, list(why))
    lazy = coded.lazy

    def describe(pos):
        key = pos if lazy else int(coded.codes[pos])
        return hidden(coded.take(np.array([pos]))[0]), expected(why[key]), hint
    ck.add_rows(mask, canon, describe, "error", kind)


def check_personal_text(ck: Checker) -> None:
    """NIP, NIK and the register's own NIPs and names in the columns stored as written."""
    stored = [c for c in stored_text_columns() if c in ck.out]
    for canon in stored:
        _numbers(ck, canon, ck.out[canon])
    _names(ck, {c: ck.out[c] for c in stored if c != "case_id"})
