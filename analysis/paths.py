"""Every path the toolkit reads or writes, in one place.

``NETRALITAS_ROOT`` overrides the project root (tests build into a temporary copy).
``NETRALITAS_PROCESSED`` points the processed tables at another folder: the report build runs
the notebooks on a staged data build, published together with the reports.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("NETRALITAS_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = Path(os.environ.get("NETRALITAS_PROCESSED", DATA / "processed"))
PROCESSED_PUBLISHED = DATA / "processed"  # where a staged data build is swapped in
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
TEMPLATES = Path(__file__).resolve().parent / "publish" / "templates"

LEDGER = RAW / "published_figures.csv"
ELECTIONS = RAW / "elections.csv"
HEADCOUNT = RAW / "asn_headcount.csv"
REGIONS = RAW / "regions.csv"
MEASURES = RAW / "supervision_measures.csv"
RAW_PACKAGE = RAW / "datapackage.json"
