"""One quantity, one value, on every page: published numbers carry a machine-readable mark.

Every number a reader may compare across pages (the brief, the landing page, the scorecard, the
reports) is written through :func:`mark`, which wraps the formatted text in
``<data class="q" data-q="KEY" value="VALUE">TEXT</data>`` (HTML's own element for a value with
a machine-readable form), linked to the ledger rows it comes from. :func:`marked` reads every
mark back from a page, so a test can check that each key has one value everywhere (and that
no page formats it differently in the same language).

Keys name the quantity, not the page: ``equal_lag.share_2024``, ``province.detectable_now``.
A value is the number before formatting (a share as 0-1, a ratio, a count).
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

from markupsafe import Markup

LEDGER_PAGE = "ledger.html"  # the explorable ledger, one anchor per row id
_MARK = re.compile(r'<data class="q" data-q="([^"]+)" value="([^"]*)">(.*?)</data>', re.S)


def _value_text(value) -> str:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"a marked quantity needs a number, got {value!r}")
    v = float(value)
    if math.isnan(v):
        return "nan"
    return repr(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)


def mark(key: str, value, text: str, ledger_ids: Iterable[str] = (), root: str = "") -> Markup:
    """``text`` (already formatted for the page's language) as a marked quantity ``key`` with
    ``value``; with ``ledger_ids``, a link to the first row of the ledger page behind it
    (``root``: the relative path from the page to the reports folder, e.g. ``"../"``)."""
    if not re.fullmatch(r"[a-z0-9_.\-]+", key):
        raise ValueError(f"quantity key {key!r}: use lowercase letters, digits, '_', '.', '-'")
    body = (f'<data class="q" data-q="{key}" value="{_value_text(value)}">'
            f"{html.escape(str(text), quote=False)}</data>")
    ids = [i for i in ledger_ids if i]
    if ids:
        title = html.escape(", ".join(ids))
        body = (f'<a class="q-source" href="{root}{LEDGER_PAGE}#{html.escape(ids[0])}" '
                f'title="{title}">{body}</a>')
    return Markup(body)


def marked(page_html: str) -> list[tuple[str, float, str]]:
    """Every marked quantity on a page: (key, value, text as shown)."""
    out = []
    for key, value, text in _MARK.findall(page_html):
        shown = html.unescape(re.sub(r"<[^>]+>", "", text))
        out.append((key, float(value), shown))
    return out


def disagreements(pages: dict[str, str], rel: float = 1e-9) -> list[str]:
    """Keys whose value differs between (or within) pages, each with where and what: empty when
    every quantity reads the same everywhere. ``pages``: {name: html}."""
    seen: dict[str, tuple[float, str]] = {}
    problems = []
    for name, page in sorted(pages.items()):
        for key, value, _ in marked(page):
            if key not in seen:
                seen[key] = (value, name)
                continue
            first, where = seen[key]
            same = (math.isnan(first) and math.isnan(value)) or math.isclose(
                first, value, rel_tol=rel, abs_tol=0.0)
            if not same:
                problems.append(f"{key}: {first!r} on {where} but {value!r} on {name}")
    return problems
