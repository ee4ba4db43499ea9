"""The series the cross-cycle analyses compare, picked from the ledger by written rules.

A *series* is one agency family counting one kind of thing: KASN/BKN count civil servants (ASN,
or the reports/complaints about them), Bawaslu counts cases. Series are never mixed in a ratio.
For each election the figure is chosen by ``ledger.choose_figure`` among national totals of the
series, and its lag after voting day is kept so a reader sees whether two cycles are comparable.

Denominators: ``headcount_for`` picks the national (or provincial) PNS count of the matching
year by the rule stated in its docstring.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.ledger import QUALITY_RANK, choose_figure, period_mid, voting_days

PERSON_UNITS = ("ASN", "reports", "complaints", "recommendations", "cases", "PNS")


@dataclass(frozen=True)
class Series:
    name: str
    label_id: str
    label_en: str
    agencies: tuple[str, ...]
    metrics: tuple[str, ...]
    units: tuple[str, ...]


SERIES = {
    "asn_reported": Series("asn_reported", "ASN dilaporkan ke KASN/BKN",
                           "ASN reported to KASN/BKN", ("KASN", "BKN"), ("reported",),
                           PERSON_UNITS),
    "asn_proven": Series("asn_proven", "ASN terbukti melanggar / direkomendasikan sanksi",
                         "ASN found in violation / recommended for sanction", ("KASN", "BKN"),
                         ("violation_found", "recommended"), ("ASN", "recommendations")),
    "asn_sanctioned": Series("asn_sanctioned", "ASN dijatuhi sanksi oleh PPK",
                             "ASN sanctioned by the PPK", ("KASN", "BKN"),
                             ("sanction_executed",), ("ASN",)),
    "bawaslu_cases": Series("bawaslu_cases", "Kasus dugaan pelanggaran (Bawaslu)",
                            "Alleged cases handled by Bawaslu", ("Bawaslu",), ("reported",),
                            ("cases",)),
    "bawaslu_forwarded": Series("bawaslu_forwarded", "Kasus diteruskan Bawaslu",
                                "Cases forwarded by Bawaslu", ("Bawaslu",), ("forwarded",),
                                ("cases",)),
}


def national_series(ledger: pd.DataFrame, elections: pd.DataFrame, series: str,
                    scope: str = "national", region: str = "Indonesia") -> pd.DataFrame:
    """One row per election (cycle x election type) with the chosen figure of ``series``.

    Columns: cycle, election_type, value, unit, agency, metric, id, as_of_date, published_date,
    days_since_vote (as-of date, or the published date when undated, minus voting day; the
    column ``lag_basis`` says which), value_qualifier, source_quality, source_url,
    n_alternatives (other figures of the series for that election), min_value, max_value.
    """
    spec = SERIES[series]
    rows = ledger[(ledger["scope"] == scope) & (ledger["region"] == region)
                  & (ledger["breakdown"] == "") & ledger["agency"].isin(spec.agencies)
                  & ledger["metric"].isin(spec.metrics) & ledger["unit"].isin(spec.units)
                  & ledger["election_type"].isin(["pilkada", "pemilu", "pilkada_rerun"])]
    days = voting_days(elections).set_index(["cycle", "election_type"])["voting_day"]
    out = []
    for (cycle, election_type), group in rows.groupby(["cycle", "election_type"], sort=True):
        chosen = choose_figure(group)
        vote = days.get((cycle, election_type), pd.NaT)
        if chosen["as_of_date"]:
            when, basis = period_mid(chosen["as_of_date"], chosen["as_of_precision"]), "as_of"
        else:
            when = period_mid(chosen["published_date"], chosen["published_precision"])
            basis = "published (no as-of date: the count may be older)"
        out.append({
            "series": series, "cycle": cycle, "election_type": election_type,
            "value": chosen["value"], "unit": chosen["unit"], "agency": chosen["agency"],
            "metric": chosen["metric"], "id": chosen["id"],
            "as_of_date": chosen["as_of_date"], "published_date": chosen["published_date"],
            "voting_day": vote.strftime("%Y-%m-%d") if pd.notna(vote) else "",
            "days_since_vote": (when - vote).days if pd.notna(vote) and pd.notna(when) else pd.NA,
            "lag_basis": basis,
            "value_qualifier": chosen["value_qualifier"],
            "source_quality": chosen["source_quality"], "source_url": chosen["source_url"],
            "n_alternatives": len(group) - 1,
            "min_value": group["value"].min(), "max_value": group["value"].max(),
        })
    return pd.DataFrame(out)


def headcount_for(headcount: pd.DataFrame, year: int, region: str = "Indonesia",
                  employee_type: str = "PNS", scope: str | None = None) -> pd.Series | None:
    """The headcount row used as denominator for ``year``; None when nothing qualifies.

    Rule: rows for the region and employee type whose note does not say they count only one
    government's employees; the same year if any, else the nearest earlier year, else the
    nearest later year; then exact before rounded/approximate; primary before secondary before
    weak; the latest as-of date within the year; then the larger id order (source row). The
    returned row has ``year_used`` and ``year_gap`` (year_used - year) so reports can say it.
    """
    rows = headcount[(headcount["region"] == region) & (headcount["employee_type"] == employee_type)
                     & headcount["year"].notna()]
    if scope:
        rows = rows[rows["scope"] == scope]
    rows = rows[~rows["note"].str.contains("employees only|not all ASN", case=False, regex=True)]
    if rows.empty:
        return None
    years = rows["year"].astype(int)
    if (years == year).any():
        chosen_year = year
    elif (years < year).any():
        chosen_year = int(years[years < year].max())
    else:
        chosen_year = int(years.min())
    g = rows[years == chosen_year].assign(
        _exact=lambda d: (d["value_qualifier"] != "exact").astype(int),
        _quality=lambda d: d["source_quality"].map(QUALITY_RANK),
        _asof=lambda d: d["as_of_date"].fillna(""),
    ).sort_values(["_exact", "_quality", "_asof", "source_row"],
                  ascending=[True, True, False, True])
    row = g.iloc[0].drop(["_exact", "_quality", "_asof"]).copy()
    row["year_used"] = chosen_year
    row["year_gap"] = chosen_year - year
    return row


HEADCOUNT_RULE = (
    "PNS of the same year (else the nearest earlier year); exact before rounded; primary before "
    "secondary before weak; the latest as-of date; counts of one government's own employees are "
    "never used"
)
HEADCOUNT_RULE_ID = (
    "PNS tahun yang sama (bila tidak ada, tahun terdekat sebelumnya); angka pasti sebelum angka "
    "bulat; sumber primer sebelum sekunder dan lemah; tanggal data terbaru; jumlah pegawai satu "
    "pemerintah daerah saja tidak pernah dipakai"
)


def regions_holding(elections: pd.DataFrame, cycle: int, election_type: str) -> pd.Series | None:
    """Number of regions holding the election (national total row, ``region_type`` all).

    Rule: primary before secondary before weak sources, then the latest publication, then the
    smaller count; the row is returned so reports can cite it."""
    rows = elections[(elections["cycle"] == cycle) & (elections["election_type"] == election_type)
                     & (elections["scope"] == "national") & (elections["region_type"] == "all")
                     & (elections["regions_in_election"] != "")]
    if rows.empty:
        return None
    rows = rows.assign(_q=rows["source_quality"].map(QUALITY_RANK),
                       _n=rows["regions_in_election"].astype(int))
    rows = rows.sort_values(["_q", "published_date", "_n"], ascending=[True, False, True])
    return rows.iloc[0]


def series_rates(figures: pd.DataFrame, elections: pd.DataFrame, headcount: pd.DataFrame,
                 name: str, per: float = 10_000) -> pd.DataFrame:
    """``national_series`` with each figure as a rate per ``per`` national PNS of the election
    year (``headcount_for``), with its exact Poisson 95% interval (rate, rate_low, rate_high)."""
    from ..methods import intervals

    rows = []
    for r in national_series(figures, elections, name).to_dict("records"):
        hc = headcount_for(headcount, int(r["cycle"]))
        rate, low, high = intervals.rate_per(int(r["value"]), hc["value"], per)
        rows.append(r | {"pns": hc["value"], "pns_year": hc["year_used"],
                         "pns_id": f"{hc['source_file']}:{hc['source_row']}",
                         "rate": rate, "rate_low": low, "rate_high": high})
    return pd.DataFrame(rows)
