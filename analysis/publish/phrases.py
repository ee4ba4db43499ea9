"""Findings-layer text with numbers, written for readers: a :class:`~analysis.findings.scorecard.
Phrase` becomes escaped HTML whose every number is a marked quantity (:func:`quantities.mark`),
formatted the same way on every page (:func:`fmt_quantity`), and whose dates read as
``9 Desember 2020``. :func:`mark_numbers` does the same for a finished sentence (the
"what would decide it" texts of :mod:`analysis.findings.decide`): it marks the numbers it is told
about where they appear.
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

from .formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from .quantities import mark

_FIELD = re.compile(r"\{(\w+)\}")


def ledger_ids(ids) -> tuple[str, ...]:
    """The ledger rows a mark links to, on the explorable ledger page (quantities.LEDGER_PAGE,
    written by every build)."""
    return tuple(ids)


def fmt_quantity(q, lang: str) -> str:
    """A scorecard quantity as a reader sees it, by its kind: a share '1,6%', a count '1.158',
    a rate per 10,000 '2,45', percentage points with their sign '−33,4', a ratio '12,5'."""
    return {"pct": lambda v: fmt_pct(v, lang),
            "int": lambda v: fmt_int(v, lang),
            "num": lambda v: fmt_num(v, lang),
            "rate": lambda v: fmt_num(v, lang, 2),
            "points": lambda v: fmt_num(100 * v, lang),
            "ratio": lambda v: fmt_num(v, lang)}[q.kind](q.value)


def _value(v, lang: str, root: str, marks: bool) -> str:
    if isinstance(v, str):  # an ISO date
        return html.escape(fmt_date(v, lang)) if marks else fmt_date(v, lang)
    text = fmt_quantity(v, lang)
    return str(mark(v.key, v.value, text, ledger_ids(v.ids), root)) if marks else text


def render(phrase, lang: str, root: str = "") -> Markup:
    """``phrase`` in ``lang`` as HTML: text escaped, each ``{name}`` a marked quantity (linked to
    its ledger row under ``root``) or a formatted date."""
    text = phrase.text(lang)
    out, last = [], 0
    for m in _FIELD.finditer(text):
        out.append(html.escape(text[last:m.start()], quote=False))
        out.append(_value(phrase.values[m.group(1)], lang, root, True))
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return Markup("".join(out))


def plain_text(phrase, lang: str) -> str:
    """``phrase`` in ``lang`` as plain text (numbers and dates formatted, nothing marked)."""
    return _FIELD.sub(lambda m: _value(phrase.values[m.group(1)], lang, "", False),
                      phrase.text(lang))


def mark_numbers(text: str, numbers, lang: str, root: str = "") -> tuple[Markup, list[str]]:
    """``text`` escaped, with each of ``numbers`` — (key, value, shown, ledger ids), in the order
    they appear — marked at its first appearance after the previous one. Returns the HTML and
    the keys that were not found (a test keeps that list empty)."""
    escaped = html.escape(text, quote=False)
    out, pos, missing = [], 0, []
    for key, value, shown, ids in numbers:
        found = re.compile(r"(?<![\d.,])" + re.escape(html.escape(shown, quote=False))
                           + r"(?![\d]|[.,]\d)").search(escaped, pos)
        if not found:
            missing.append(key)
            continue
        out.append(escaped[pos:found.start()])
        out.append(str(mark(key, value, shown, ledger_ids(ids), root)))
        pos = found.end()
    out.append(escaped[pos:])
    return Markup("".join(out)), missing
