"""Every province at a glance: for readers who ask "and my province?".

One row per province (the 38 of ``regions.csv``): how many published figures name it, its latest
count in a published province list with the rate per PNS, the date that count held (as-of, or
the publication date when none was given) and the days from the vote, and the verdict of its
comparison with the rest of the country (:func:`analysis.findings.verdicts.province`, on the
comparisons of :func:`analysis.findings.casestudy.compare_with_nation`). Nothing here is new
statistics: it gathers the case-study findings for every province.
"""
from __future__ import annotations

import pandas as pd

from . import casestudy, verdicts

__all__ = ["province_overview", "tile_category"]


def tile_category(strength: str, n_releases_listed: int, n_figures: int) -> str:
    """A province's category on the overview map: its verdict when it differs (supported or
    suggestive), else 'listed' (in a published province list), 'figures' (figures but in no
    list) or 'none'."""
    if strength in (verdicts.SUPPORTED, verdicts.SUGGESTIVE):
        return strength
    if n_releases_listed > 0:
        return "listed"
    return "figures" if n_figures > 0 else "none"


def province_overview(figures: pd.DataFrame, headcount: pd.DataFrame, regions: pd.DataFrame,
                      elections: pd.DataFrame, releases, per: float = 10_000) -> pd.DataFrame:
    """One row per province, in ``regions.csv`` order (BPS code order: west to east):

    ``region``, ``bps_code``, ``n_figures`` (ledger figures about the province or its regencies),
    ``n_releases_listed`` (of ``releases``, how many list the province), ``latest_election``,
    ``latest_agency``, ``latest_count``, ``latest_rate`` (per ``per`` PNS), ``national_rate``,
    ``latest_date`` (ISO), ``date_basis`` ('as_of' or 'published'), ``days_since_vote``
    (negative: before the vote) with ``days_since_vote_min``/``_max`` (the span of a month- or
    year-only date), ``pns``, ``pns_year``, ``verdict`` (supported / suggestive /
    cannot tell), ``verdict_id``, ``verdict_en`` (the reason in each language).
    """
    provinces = regions[regions["level"] == "province"].copy()
    provinces["bps_code"] = pd.to_numeric(provinces["bps_code"], errors="coerce")
    provinces = provinces.sort_values(["bps_code", "canonical_name"])
    rows = []
    every = casestudy.compare_each_province(figures, headcount, provinces["canonical_name"],
                                            releases, per, elections=elections)
    for name, code in zip(provinces["canonical_name"], provinces["bps_code"]):
        names = casestudy.province_regions(regions, name)
        own = casestudy.province_figures(figures, names)
        compared = every[name]
        table = compared["comparisons"]
        done = table[table["status"] == "compared"] if "status" in table else table
        verdict = verdicts.province(done.to_dict("records"), name)
        row = {"region": name, "bps_code": code, "n_figures": len(own),
               "n_releases_listed": len(done), "pns": compared["pns"],
               "pns_year": compared["pns_year"], "verdict": verdict.strength,
               "verdict_id": verdict.reason("id"), "verdict_en": verdict.reason("en")}
        if len(done):
            latest = done.assign(_when=done["as_of_date"].astype(str)).sort_values(
                ["_when", "cycle"]).iloc[-1]
            row |= {"latest_election": latest["election"], "latest_agency": latest["agency"],
                    "latest_count": latest["count"], "latest_rate": latest["rate"],
                    "national_rate": latest["national_rate"],
                    "latest_date": latest["as_of_date"], "date_basis": latest["date_basis"],
                    "days_since_vote": latest["days_since_vote"],
                    "days_since_vote_min": latest["days_since_vote_min"],
                    "days_since_vote_max": latest["days_since_vote_max"]}
        rows.append(row)
    columns = ["region", "bps_code", "n_figures", "n_releases_listed", "latest_election",
               "latest_agency", "latest_count", "latest_rate", "national_rate", "latest_date",
               "date_basis", "days_since_vote", "days_since_vote_min", "days_since_vote_max",
               "pns", "pns_year", "verdict", "verdict_id", "verdict_en"]
    return pd.DataFrame(rows).reindex(columns=columns).reset_index(drop=True)
