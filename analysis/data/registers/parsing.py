"""Reading one register value: dates (day first), names for pseudonyms, the closest word."""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import codebook as cb


def closest(word: str, choices: dict[str, str]) -> str:
    """The choice nearest ``word`` (keys are matching keys, values what to show)."""
    match = difflib.get_close_matches(cb.key(word), list(choices), n=1, cutoff=0.5)
    return choices[match[0]] if match else ""


_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_DMY_TIME = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})\s+0?0:00(?::00)?$")


def parse_date(text: str) -> tuple[str, int, str]:
    """(ISO date, ordinal, "") or ("", 0, why) for text that is not a possible date."""
    text = text.strip()
    m = _DMY.match(text) or _DMY_TIME.match(text)
    if m:
        d, mth, y = (int(g) for g in m.groups())
    else:
        m = _ISO.match(text)
        if not m:
            return "", 0, "unparseable"
        y, mth, d = (int(g) for g in m.groups())
    try:
        date = dt.date(y, mth, d)
    except ValueError:
        return "", 0, "impossible"
    if not cb.MIN_YEAR <= y <= cb.MAX_YEAR:
        return "", 0, "year"
    return date.isoformat(), date.toordinal(), ""


def normalise_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def region_codes(path: Path) -> dict[str, str]:
    """kemendagri_code -> canonical name of every region of regions.csv that has a code."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return {r.kemendagri_code.strip(): r.canonical_name.strip() for r in frame.itertuples()
            if r.kemendagri_code.strip()}

