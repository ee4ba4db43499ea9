"""Numbers and dates for readers, in Bahasa Indonesia (``id``) or English (``en``), via Babel.

``fmt_int(1116, "id") == "1.116"``; ``fmt_pct(0.728, "id") == "72,8%"``;
``fmt_date("2020-12-09", "id") == "9 Desember 2020"``. Partial dates keep their precision.
Negative numbers carry the minus sign U+2212 (``fmt_num(-4, "id") == "\u22124,0"``), not a hyphen.

A missing value (None, NaN, ``pd.NA``) is never printed as ``NaN``: every formatter returns
:data:`MISSING` (an en dash), followed by the reason in brackets when one is given
(``fmt_pct(nan, "id", reason="titik data terlalu sedikit") == "– (titik data terlalu sedikit)"``).
"""
from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"id": "id_ID", "en": "en_GB"}
MISSING = "\u2013"  # en dash
MINUS = "\u2212"


def _minus(text: str) -> str:
    """A formatted number with its leading hyphen-minus replaced by the minus sign (none on a
    value that rounds to zero: '0,0', not '−0,0')."""
    if not text.startswith("-"):
        return text
    return text[1:] if not text[1:].strip("0,.") else MINUS + text[1:]


def is_missing(value) -> bool:
    """True for None, NaN, pandas' NA/NaT and infinite values (nothing a reader can use)."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return str(value) in ("<NA>", "NaT", "nan", "NaN", "")


def fmt_missing(reason: str | None = None) -> str:
    """The dash shown for a missing value, with its reason when given."""
    return f"{MISSING} ({reason})" if reason else MISSING


def fmt_int(value: float, lang: str = "id", reason: str | None = None) -> str:
    if is_missing(value):
        return fmt_missing(reason)
    return _minus(format_decimal(round(value), format="#,##0", locale=LOCALES[lang]))


def fmt_num(value: float, lang: str = "id", digits: int = 1, reason: str | None = None) -> str:
    if is_missing(value):
        return fmt_missing(reason)
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return _minus(format_decimal(value, format=pattern, locale=LOCALES[lang]))


def fmt_p(p: float, lang: str = "id", digits: int = 3) -> str:
    """A p-value: 'p = 0,012' (id) / 'p = 0.012' (en), and 'p < 0,001' below the last digit
    shown: never 'p = 0,000' (the rule of :func:`analysis.findings.verdicts.p_text`)."""
    from ..findings.verdicts import p_text

    return fmt_missing() if is_missing(p) else p_text(float(p), lang, digits)


def fmt_pct(proportion: float, lang: str = "id", digits: int = 1, reason: str | None = None) -> str:
    """A proportion (0-1) as a percentage: 0.728 -> '72,8%' (id) / '72.8%' (en)."""
    if is_missing(proportion):
        return fmt_missing(reason)
    return fmt_num(100 * proportion, lang, digits) + "%"


def fmt_days(days: float, lang: str = "id", low: float | None = None,
             high: float | None = None) -> str:
    """Days from the vote with their sign ('+372', '−66'); when the date is known only to
    the month or year (``low`` < ``high``: the first and last day it can stand for), the middle
    marked as approximate with the span: '≈ +138 (−44 … +321)'."""
    if is_missing(days):
        return fmt_missing()

    def signed(value: float) -> str:
        value = round(float(value))
        return ("+" if value > 0 else "") + fmt_int(value, lang)

    if is_missing(low) or is_missing(high) or round(float(low)) == round(float(high)):
        return signed(days)
    return f"≈ {signed(days)} ({signed(low)} … {signed(high)})"


def fmt_date(value: str | dt.date, lang: str = "id") -> str:
    """'2020-12-09' -> '9 Desember 2020'; '2020-12' -> 'Desember 2020'; '2020' -> '2020'."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not value:
        return "tanpa tanggal" if lang == "id" else "undated"
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    pattern = "d MMMM y" if len(parts) == 3 else "LLLL y"
    return format_date(day, format=pattern, locale=LOCALES[lang])


def fmt_shown_count(text, lang: str = "id") -> str:
    """A cell of a protected count table in the reader's locale: counts formatted, the marks of
    hidden cells ('<5', '–') kept as they are."""
    from ..findings.register_overview import shown_number

    value = shown_number(text)
    return str(text) if value is None else fmt_int(value, lang)


def localised_counts(frame, columns, lang: str = "id"):
    """``frame`` with ``columns`` (display cells of a protected table) in the reader's locale."""
    out = frame.copy()
    for c in columns:
        out[c] = out[c].map(lambda text: fmt_shown_count(text, lang))
    return out
