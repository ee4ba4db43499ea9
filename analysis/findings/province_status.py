"""Each province's status on the province overview (report 07): its verdict where a comparison
says it differs, else what data exist for it.

Statuses, strongest first: ``supported`` and ``suggestive`` (the verdict of its comparison with
the rest of the country), ``listed`` (in a published province list, cannot tell), ``figures``
(published figures name it, but no province list does), ``none`` (no published figure yet).
"""
from __future__ import annotations

import pandas as pd

STATUSES = ("supported", "suggestive", "listed", "figures", "none")


def status(row) -> str:
    """The status of one row of :func:`analysis.findings.overview.province_overview`."""
    if row["verdict"] in ("supported", "suggestive"):
        return row["verdict"]
    if row["n_releases_listed"] > 0:
        return "listed"
    return "figures" if row["n_figures"] > 0 else "none"


def with_status(table: pd.DataFrame) -> pd.DataFrame:
    """The overview with each province's ``status``."""
    return table.assign(status=table.apply(status, axis=1))


def status_counts(table: pd.DataFrame) -> dict:
    """Provinces per status (every status, zero included), ``listed_any`` (in at least one
    published list: supported, suggestive or listed) and ``total``."""
    counts = table["status"].value_counts()
    n = {k: int(counts.get(k, 0)) for k in STATUSES}
    return n | {"listed_any": n["supported"] + n["suggestive"] + n["listed"],
                "total": len(table)}


def latest_list_date(table: pd.DataFrame) -> str:
    """The latest date of any province's latest count (ISO text)."""
    return max(d for d in table["latest_date"].dropna().astype(str) if d)
