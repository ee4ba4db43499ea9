"""Building blocks of the province case study (default Kepulauan Bangka Belitung).

Everything takes the province's canonical name, so any province gives the same study.
"""
from __future__ import annotations

import pandas as pd

from ..methods import intervals, rates


def province_regions(regions: pd.DataFrame, province: str) -> list[str]:
    """The province and its regencies/cities (canonical names), province first."""
    if province not in set(regions.loc[regions["level"] == "province", "canonical_name"]):
        known = ", ".join(sorted(regions.loc[regions["level"] == "province", "canonical_name"]))
        raise ValueError(f"unknown province {province!r}; expected one of: {known}")
    children = regions.loc[regions["parent_province"] == province, "canonical_name"]
    return [province] + sorted(children)


def election_calendar(elections: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per election x region x race: held (1 when any source says so), incumbent_running
    (1 if any source says an incumbent head or deputy ran, 0 if sources only say none did,
    empty when no source says), who, voting day and the sources."""
    rows = elections[elections["region"].isin(names) & (elections["scope"] != "national")]
    out = []
    for key, g in rows.groupby(["cycle", "election_type", "region", "race"], sort=True):
        flags = pd.to_numeric(g["incumbent_running"], errors="coerce").dropna()
        held = pd.to_numeric(g["held"], errors="coerce").dropna()
        out.append(dict(zip(["cycle", "election_type", "region", "race"], key)) | {
            "held": int(held.max()) if len(held) else pd.NA,
            "incumbent_running": int(flags.max()) if len(flags) else pd.NA,
            "incumbent_detail": "; ".join(sorted({d for d in g["incumbent_detail"] if d})),
            "voting_day": next((d for d in g["voting_day"] if d), ""),
            "sources": " | ".join(sorted(set(g["source_url"]))),
        })
    return pd.DataFrame(out, columns=["cycle", "election_type", "region", "race", "held",
                                      "incumbent_running", "incumbent_detail", "voting_day",
                                      "sources"])


def province_figures(ledger: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Every ledger figure about the province or one of its regencies, oldest first."""
    cols = ["id", "cycle", "election_type", "scope", "region", "agency", "metric", "breakdown",
            "category", "value", "unit", "value_qualifier", "as_of_date", "published_date",
            "source_quality", "source_url", "note"]
    rows = ledger[ledger["region"].isin(names)]
    return rows.sort_values(["cycle", "effective_date", "id"])[cols].reset_index(drop=True)


def versus_national(count: int, pns: float, national_count: int, national_pns: float,
                    per: float = 10_000) -> dict:
    """Province rate against the rest of the country (national minus the province), with exact
    intervals: rates per ``per`` PNS and the rate ratio with its exact conditional interval."""
    rest_count, rest_pns = national_count - count, national_pns - pns
    if rest_count < 0 or rest_pns <= 0:
        raise ValueError("national totals must exceed the province's")
    rate, low, high = intervals.rate_per(count, pns, per)
    nat, nat_low, nat_high = intervals.rate_per(national_count, national_pns, per)
    rr = rates.rate_ratio(count, pns, rest_count, rest_pns)
    return {"count": count, "pns": pns, "rate": rate, "rate_low": low, "rate_high": high,
            "national_rate": nat, "national_low": nat_low, "national_high": nat_high,
            "ratio_to_rest": rr.ratio, "ratio_low": rr.low, "ratio_high": rr.high,
            "p_exact_conditional": rr.p_exact_conditional}


def detectable_ratio(pns: float, national_rate_per_pns: float, confidence: float = 0.95) -> float:
    """Smallest rate ratio (province / national) whose expected count would, on average, put the
    province above the exact upper limit: the upper Poisson limit of the expected count divided
    by the expected count. Large values mean sparse counts cannot show a real difference."""
    from scipy import stats

    expected = national_rate_per_pns * pns
    if expected <= 0:
        return float("inf")
    upper = stats.poisson.ppf(1 - (1 - confidence) / 2, expected)
    return float(upper / expected)


def compare_with_nation(figures: pd.DataFrame, headcount: pd.DataFrame, province: str,
                        releases, per: float = 10_000) -> dict:
    """For each release ``(cycle, election_type, agency, unit)`` that lists provinces: the
    province against the rest of the country (``versus_national``, plus ``detectable_ratio``)
    and the funnel-plot table of all listed provinces.

    Returns ``comparisons`` (one row per release; ``status`` says why a release could not be
    used), ``funnels`` ({election label: (table, info)}), ``pns`` (the province's PNS) and
    ``pns_year``."""
    from . import evidence, provinces

    pns_table, pns_year = provinces.province_headcount(headcount)
    pns_province = pns_table.set_index("region")["pns"].get(province)
    rows, funnels = [], {}
    for cycle, election_type, agency, unit in releases:
        counts, info = provinces.province_counts(figures, cycle, election_type, agency, unit=unit)
        label = evidence.cycle_label(cycle, election_type)
        table = provinces.province_funnel(counts, info, pns_table, per)
        if table is not None:
            funnels[label] = (table, info)
        mine = counts[counts["region"] == province]
        if mine.empty or not info.get("national") or pns_province is None:
            rows.append({"cycle": cycle, "election": label, "agency": agency, "status":
                         "province not in the published list" if info else "no province list"})
            continue
        result = versus_national(int(mine["count"].iloc[0]), pns_province,
                                 int(info["national"]), pns_table["pns"].sum(), per)
        result["detectable_ratio"] = detectable_ratio(pns_province, result["national_rate"] / per)
        rows.append({"cycle": cycle, "election": label, "agency": agency, "status": "compared",
                     "id": mine["id"].iloc[0], "national_id": info["national_id"],
                     "snapshot": info["snapshot"]} | result)
    return {"comparisons": pd.DataFrame(rows), "funnels": funnels, "pns": pns_province,
            "pns_year": pns_year}
