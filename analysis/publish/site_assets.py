"""The scripts and stylesheet every published page links, and where they come from.

Kept apart from :mod:`analysis.publish.explore` (which renders the ledger page with pandas) so
that the build can key and carry over the site's files, and the report pages can name their
scripts, without importing pandas: a no-op rebuild needs only these names and paths.

``reports/assets/`` holds Tablesort (npm package ``tablesort``, pinned in ``package.json``) and
our ``assets/lang.js`` (phrases in the page's language, the language switch's memory),
``tables.js``, ``charts.js`` (a chart's point values by keyboard) and ``tables.css``.
Without ``node_modules/tablesort`` (``npm ci`` not run) the tables are filterable but not
sortable.
"""
from __future__ import annotations

from pathlib import Path

from .. import paths

__all__ = ["ASSETS", "OUR_ASSETS", "TABLESORT", "TABLESORT_FILES", "tablesort_available",
           "page_assets", "asset_sources", "MISSING_TABLESORT"]

ASSETS = "assets"
OUR_ASSETS = Path(__file__).resolve().parent / "assets"  # lang.js, tables.js, charts.js, tables.css
TABLESORT = paths.NODE_MODULES / "tablesort"
TABLESORT_FILES = {"dist/tablesort.min.js": "tablesort.min.js",
                   "LICENCE": "tablesort.LICENCE.txt"}
MISSING_TABLESORT = ("Tables are filterable but not sortable: node_modules/tablesort is missing "
                     "(run `npm ci` once).")


def tablesort_available() -> bool:
    return all((TABLESORT / source).is_file() for source in TABLESORT_FILES)


def page_assets() -> dict:
    """The stylesheet and scripts a page links (relative to the reports folder)."""
    scripts = [f"{ASSETS}/tablesort.min.js"] if tablesort_available() else []
    return {"css": [f"{ASSETS}/tables.css"],
            "js": [f"{ASSETS}/lang.js", *scripts, f"{ASSETS}/tables.js", f"{ASSETS}/charts.js"]}


def asset_sources() -> dict[str, Path]:
    """``{path in the reports folder: the file it is copied from}``, Tablesort only when it is
    installed."""
    sources = {f"{ASSETS}/{p.name}": p for p in sorted(OUR_ASSETS.iterdir()) if p.is_file()}
    if tablesort_available():
        sources |= {f"{ASSETS}/{name}": TABLESORT / source
                    for source, name in TABLESORT_FILES.items()}
    return sources
