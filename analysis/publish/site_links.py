"""Links between the pages of the published site, added to sanitised report fragments.

* :func:`link_ledger_ids`: every figure id of the evidence ledger shown in a report's text or
  tables (``nf-0542``) becomes a link to its row on the ledger page (``ledger.html#nf-0542``);
  only ids that are rows of ``data/raw/published_figures.csv`` are linked, never text inside a
  link already.
* :func:`from_subfolder`: the researcher editions live in ``researcher/``; links that notebooks
  write relative to the reports folder (``tables/…``, ``ledger.html#…``) get ``../`` there.

Both work on HTML that :func:`analysis.publish.reader_tables.clean_fragment` produced (tags
well formed, text escaped), so a regular expression over tags and text is enough.
"""
from __future__ import annotations

import csv
import functools
import html
import re
from pathlib import Path

from .quantities import LEDGER_PAGE

# folders and pages at the top of the reports folder that a notebook may link to
SITE_TARGETS = ("ledger.html", "index.html", "tables/", "figures/", "data/", "briefs/", "assets/")
_TAG = re.compile(r"(<[^>]*>)")
_ID = re.compile(r"(?<![\w-])([a-z]{1,6}-\d{1,6})(?![\w-])")
_SITE_HREF = re.compile(r'(\shref=")((?:' + "|".join(re.escape(t) for t in SITE_TARGETS) + r"))")


@functools.lru_cache(maxsize=4)
def ledger_ids(ledger_csv: Path) -> frozenset[str]:
    """The ``id`` column of the ledger file (empty when the file is missing)."""
    if not Path(ledger_csv).is_file():
        return frozenset()
    with open(ledger_csv, encoding="utf-8-sig", newline="") as handle:
        return frozenset(row["id"] for row in csv.DictReader(handle) if row.get("id"))


def ledger_href(figure_id: str, up: str = "") -> str:
    """``ledger.html#<id>`` relative to a page ``up`` (``""`` or ``"../"``) from the reports
    folder, escaped for an attribute."""
    return html.escape(f"{up}{LEDGER_PAGE}#{figure_id}", quote=True)


def link_ledger_ids(fragment: str, ids: frozenset[str], up: str = "") -> str:
    """``fragment`` with every ledger id in its text (outside links) linked to its ledger row."""
    if not ids:
        return fragment
    out, inside_link = [], 0
    for part in _TAG.split(fragment):
        if part.startswith("<"):
            name = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            inside_link += (name == "a") - (name == "/a")
            out.append(part)
        elif inside_link > 0 or not part:
            out.append(part)
        else:
            out.append(_ID.sub(lambda m: (f'<a class="ledger-id" href="{ledger_href(m[1], up)}">'
                                          f"{m[1]}</a>") if m[1] in ids else m[0], part))
    return "".join(out)


def from_subfolder(fragment: str, up: str) -> str:
    """Links to :data:`SITE_TARGETS` made relative to a page ``up`` from the reports folder."""
    return _SITE_HREF.sub(lambda m: f"{m[1]}{up}{m[2]}", fragment) if up else fragment
