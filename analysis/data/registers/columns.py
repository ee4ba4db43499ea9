"""Each register column checked and normalised on its distinct values: canonical codes, ISO
dates and day numbers, NIPs without separators, free text with its spaces collapsed.

Only the distinct values are parsed in Python (a column is factorised first); a column with
about one value per row (case id, NIP, name) is scanned by polars when nothing in it needs
normalising.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import codebook as cb
from .codebook import nip_digits, normalise_nip
from .coded import Coded
from .parsing import closest, parse_date
from .problem import hidden

if TYPE_CHECKING:
    from .check import Checker

# columns with about one value per row: kept row by row instead of factorised
IDENTITY_CODED = ("case_id", "nip", "name")


def factorize(ck: Checker, canon: str, positions: list[int]) -> Coded:
    """Column ``canon`` as read (the region from several columns: the most specific first)."""
    if len(positions) == 1:
        if canon in IDENTITY_CODED:  # (nearly) one distinct value per row: no factorising
            codes = np.arange(len(ck.t), dtype=np.intp)
            if ck.t.polars_frame is not None:
                return Coded(codes, series=ck.t.polars_frame[str(positions[0])])
            return Coded(codes, ck.t.values(positions[0]))
        return Coded(*ck.t.coded(positions[0]))
    # region given twice (Provinsi and Kabupaten/Kota): the more specific first
    order = sorted(positions, key=lambda p: 0 if "kab" in cb.key(ck.t.headers[p])
                   or "kota" in cb.key(ck.t.headers[p]) else 1)
    values = ck.t.values(order[0])
    for p in order[1:]:
        values = np.where(values == "", ck.t.values(p), values)
    ck.header[canon] = ck.t.headers[order[0]]
    codes, uniques = pd.factorize(values)
    return Coded(codes.astype(np.intp, copy=False), np.asarray(uniques, dtype=object))


def normalise(ck: Checker, canon: str, raw: Coded) -> None:
    """Check the values of column ``canon`` and keep them normalised in ``ck.out``."""
    col = cb.BY_NAME[canon]
    header = ck.header[canon]
    if canon in ("nip", "name") or col.free_text or canon == "case_id":
        if _fast_text(ck, canon, raw):
            return
    uniques = raw.values
    normal = np.empty(len(uniques), dtype=object)
    bad: dict[str, list[int]] = {}  # kind -> distinct indices
    why: dict[int, tuple[str, str]] = {}  # distinct index -> (expected, hint)
    ords = None
    if col.type == "date":
        ords = np.zeros(len(uniques), dtype=np.int64)
    for i, v in enumerate(uniques):
        v = v.strip()
        if canon in ("nip", "name"):
            normal[i] = normalise_nip(v) if canon == "nip" else v
            if canon == "nip" and normal[i] and not (
                    len(normal[i]) == cb.NIP_DIGITS and normal[i].isdigit()):
                bad.setdefault("nip", []).append(i)
            continue
        if v == "":
            normal[i] = ""
            continue
        if col.type == "date":
            iso, ordinal, problem = parse_date(v)
            normal[i], ords[i] = iso, ordinal
            if problem:
                bad.setdefault("date_" + problem, []).append(i)
        elif col.categories:
            code = cb.category_code(canon, v)
            normal[i] = code or ""
            if code is None:
                bad.setdefault("category", []).append(i)
                words = {cb.key(w): f"{w}" + (f" ({c})" if cb.key(w) != cb.key(c) else "")
                         for c, ws in col.categories.items() for w in (c, *ws)}
                guess = closest(v, words)
                why[i] = ("one of: " + ", ".join(
                    f"{ws[0]} ({c})" if cb.key(ws[0]) != cb.key(c) else c
                    for c, ws in col.categories.items()),
                    f"did you mean '{guess}'?" if guess else "")
        elif canon == "cycle":
            m = re.fullmatch(r"(\d{4})(?:[.,]0+)?", v)
            year = int(m.group(1)) if m else 0
            normal[i] = str(year) if m else ""
            if not cb.MIN_YEAR <= year <= cb.MAX_YEAR:
                bad.setdefault("cycle", []).append(i)
        elif canon == "region":
            name = ck.resolver.resolve(v)
            normal[i] = name or ""
            if name is None:
                bad.setdefault("region", []).append(i)
                guess = ck.resolver.closest(v)
                why[i] = ("a region of data/raw/regions.csv (a canonical name or alias)",
                          f"did you mean '{guess}'?" if guess else "")
        elif canon == "region_code":
            digits = re.sub(r"[\s.]", "", v)
            digits = digits[:-2] if re.fullmatch(r"\d+,0+", digits) else digits
            normal[i] = digits
            if digits not in ck.region_codes:
                bad.setdefault("region_code", []).append(i)
        else:  # free text, case_id
            normal[i] = " ".join(v.split())
    coded = Coded(raw.codes, normal)
    ck.out[canon] = coded
    if ords is not None:
        ck.ords[canon] = ords[raw.codes]
    for kind, indices in bad.items():
        mask = np.isin(raw.codes, np.asarray(indices, dtype=np.intp))
        _describe_bad(ck, canon, header, kind, uniques, raw.codes, mask, why)

def _fast_text(ck: Checker, canon: str, raw: Coded) -> bool:
    """Keep the distinct values as they are when none needs normalising (one C-speed
    scan of all of them instead of a Python loop); False when some do."""
    if canon == "name":  # normalised only where needed, when pseudonymising
        ck.out[canon] = raw
        return True
    if raw.lazy:  # polars scans its column
        if canon == "nip":
            lengths = raw.series.str.len_bytes().to_numpy()
            fine = (lengths[lengths > 0] == cb.NIP_DIGITS).all() and bool(
                raw.series.str.contains(r"^[0-9]*$").all())
        else:
            fine = not raw.series.str.contains(r"  |[\t\n\r\xa0]|^ | $").any()
        if fine:
            ck.out[canon] = raw
        return bool(fine)
    values = raw.values.tolist()
    if not values:
        return False
    if canon == "nip":
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        filled = lengths > 0
        if (lengths[filled] == cb.NIP_DIGITS).all() and (
                not filled.any() or "".join(values).isdigit()):
            ck.out[canon] = raw
            return True
        return False
    joined = "\x00" + "\x00".join(values) + "\x00"
    if any(s in joined for s in ("  ", "\t", "\n", "\r", "\x00 ", " \x00", "\xa0")):
        return False
    if canon == "name" and not joined.isascii():
        return False  # NFKC / casefold may change it
    normal = raw.values if canon != "name" else np.asarray(
        joined[1:-1].casefold().split("\x00"), dtype=object)
    ck.out[canon] = Coded(raw.codes, normal)
    return True

def _describe_bad(ck: Checker, canon, header, kind, uniques, codes, mask, why):
    """The problems of the rows whose value is bad in the way ``kind`` says."""
    def value(pos):
        v = uniques[codes[pos]]
        return hidden(v) if canon in cb.PERSONAL else v

    if kind == "nip":
        def describe(pos):
            v = uniques[codes[pos]]
            hint = ("looks like a number in scientific notation: format the NIP column "
                    "as Text" if re.search(r"[eE][+]", v) else
                    f"{len(nip_digits(v))} characters after removing spaces, dots and dashes")
            return hidden(v), f"an NIP of {cb.NIP_DIGITS} digits", hint
    elif kind.startswith("date_"):
        expected = {"date_unparseable": "a date dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd "
                                        "(or an Excel date cell)",
                    "date_impossible": "a date that exists (day within the month)",
                    "date_year": f"a year between {cb.MIN_YEAR} and {cb.MAX_YEAR}"}[kind]
        def describe(pos):
            v = uniques[codes[pos]]
            hint = ("an Excel serial number? format the cells as dates"
                    if v.strip().isdigit() else
                    "dates are read day first (Indonesian order)" if kind == "date_impossible"
                    else "")
            return v, expected, hint
    elif kind == "cycle":
        def describe(pos):
            return value(pos), f"a year such as 2024 ({cb.MIN_YEAR}-{cb.MAX_YEAR})", ""
    elif kind == "region_code":
        def describe(pos):
            return value(pos), "a kemendagri_code of data/raw/regions.csv", ""
    else:
        def describe(pos):
            expected, hint = why[codes[pos]]
            return value(pos), expected, hint
    ck.add_rows(mask, canon, describe, "error", kind)

