"""Text from data is untrusted: escape it before it reaches Markdown or HTML.

Notebooks build Markdown from ledger values (region names, titles, notes, URLs); nbconvert
passes raw HTML in Markdown through, so a name such as ``<img src=x onerror=...>`` would become
live markup. Wrap every data-derived string in :func:`md` (or :func:`md_link` for a source
link) before putting it into ``Markdown(...)``.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

__all__ = ["md", "md_link", "safe_url"]

# Characters with a meaning in Markdown that could start emphasis, links, code, headings,
# tables or raw HTML. Escaped with a backslash after HTML escaping.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md(value) -> str:
    """``value`` as inert Markdown text: HTML-escaped, Markdown punctuation backslash-escaped,
    control characters dropped, line breaks turned into spaces (one value, one line)."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    text = html.escape(text, quote=False)  # text content, never an attribute: quotes stay
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_url(url) -> str | None:
    """``url`` if it is an absolute http(s) URL without spaces or quotes, else None."""
    text = "" if url is None else str(url).strip()
    if not text or any(c in text for c in " \"'<>`\\") or _CONTROL.search(text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def md_link(label, url) -> str:
    """A Markdown link whose label is escaped and whose URL is http(s) only; otherwise the
    escaped label alone (no link), so ``javascript:`` and ``data:`` URLs never become links."""
    target = safe_url(url)
    if target is None:
        return md(label)
    target = target.replace("(", "%28").replace(")", "%29")
    return f"[{md(label)}]({target})"
