"""Numbers and dates for readers, in Bahasa Indonesia (``id``) or English (``en``), via Babel.

``fmt_int(1116, "id") == "1.116"``; ``fmt_pct(0.728, "id") == "72,8%"``;
``fmt_date("2020-12-09", "id") == "9 Desember 2020"``. Partial dates keep their precision.
"""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"id": "id_ID", "en": "en_GB"}


def fmt_int(value: float, lang: str = "id") -> str:
    return format_decimal(round(value), format="#,##0", locale=LOCALES[lang])


def fmt_num(value: float, lang: str = "id", digits: int = 1) -> str:
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def fmt_pct(proportion: float, lang: str = "id", digits: int = 1) -> str:
    """A proportion (0-1) as a percentage: 0.728 -> '72,8%' (id) / '72.8%' (en)."""
    return fmt_num(100 * proportion, lang, digits) + "%"


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
