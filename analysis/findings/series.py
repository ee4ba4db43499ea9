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

from ..data.ledger import QUALITY_RANK, choose_figure, days_from_vote, voting_days

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
    # one unit per rate series (METHODS.md 4, 21): counts of ASN only; figures published as
    # cases, reports or complaints belong to other series and are not mixed in
    "asn_reported": Series("asn_reported", "ASN dilaporkan ke KASN/BKN",
                           "ASN reported to KASN/BKN", ("KASN", "BKN"), ("reported",),
                           ("ASN",)),
    "asn_proven": Series("asn_proven", "ASN terbukti melanggar / direkomendasikan sanksi",
                         "ASN found in violation / recommended for sanction", ("KASN", "BKN"),
                         ("violation_found", "recommended"), ("ASN",)),
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
    column ``lag_basis`` says which; the middle of a month- or year-only date, with
    days_since_vote_min/_max the first and last day it can stand for), value_qualifier,
    source_quality, source_url, n_alternatives (other figures of the series for that election),
    min_value, max_value.
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
        # one release, one lag (a hearing quoted by outlets on several dates): the as-of date
        # wins over the published date, and among repeated releases of the same figure by the
        # same agency in the same unit, the earliest as-of date (when it was first true)
        same = group[(group["value"] == chosen["value"]) & (group["agency"] == chosen["agency"])
                     & (group["unit"] == chosen["unit"]) & (group["as_of_date"] != "")]
        if len(same):
            first = same.sort_values(["effective_date", "id"]).iloc[0]
            chosen = chosen.copy()
            chosen["as_of_date"], chosen["as_of_precision"] = (first["as_of_date"],
                                                               first["as_of_precision"])
        if chosen["as_of_date"]:
            date, precision, basis = chosen["as_of_date"], chosen["as_of_precision"], "as_of"
        else:
            date, precision = chosen["published_date"], chosen["published_precision"]
            basis = "published (no as-of date: the count may be older)"
        lag, lag_min, lag_max = days_from_vote(date, precision, vote)
        out.append({
            "series": series, "cycle": cycle, "election_type": election_type,
            "value": chosen["value"], "unit": chosen["unit"], "agency": chosen["agency"],
            "metric": chosen["metric"], "id": chosen["id"],
            "as_of_date": chosen["as_of_date"], "published_date": chosen["published_date"],
            "voting_day": vote.strftime("%Y-%m-%d") if pd.notna(vote) else "",
            "days_since_vote": lag, "days_since_vote_min": lag_min,
            "days_since_vote_max": lag_max,
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
    "PNS of the same year (else the nearest earlier year, else the nearest later one); exact "
    "before rounded; primary before "
    "secondary before weak; the latest as-of date; counts of one government's own employees are "
    "never used"
)
HEADCOUNT_RULE_ID = (
    "PNS tahun yang sama (bila tidak ada, tahun terdekat sebelumnya, lalu tahun terdekat "
    "sesudahnya); angka pasti sebelum angka "
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


def denominator_for(headcount: pd.DataFrame, year: int, unit: str) -> dict:
    """The exposure for a count of ``unit`` in ``year`` (METHODS.md 21).

    ASN counts (PNS + PPPK) are divided by an ASN headcount of the same year where one exists;
    else by PNS (``headcount_for``) and ``mismatch`` says so. Exposure is national: the
    headcount of the regions holding the election exists for one cycle only (2018, rounded), so
    ``exposure_scope`` says "national (all regions, not only those voting)". Returns
    ``denominator``, ``denominator_type``, ``denominator_year``, ``denominator_id``,
    ``exposure_scope``, ``mismatch_en``, ``mismatch_id``."""
    if unit == "ASN":
        asn = headcount_for(headcount, year, employee_type="ASN", scope="national")
        if asn is not None and asn["year_gap"] == 0:
            return {"denominator": float(asn["value"]), "denominator_type": "ASN",
                    "denominator_year": int(asn["year_used"]),
                    "denominator_id": f"{asn['source_file']}:{asn['source_row']}",
                    "exposure_scope": "national", "mismatch_en": "", "mismatch_id": ""}
    pns = headcount_for(headcount, year, scope="national")
    mismatch_en = mismatch_id = ""
    if unit == "ASN":
        mismatch_en = (f"ASN counted (PNS and PPPK) over PNS only: no ASN headcount for {year}; "
                       "the rate is overstated by the PPPK share")
        mismatch_id = (f"ASN (PNS dan PPPK) dibagi PNS saja: tidak ada jumlah ASN untuk {year}; "
                       "tingkatnya terlalu tinggi sebesar porsi PPPK")
    return {"denominator": float(pns["value"]), "denominator_type": "PNS",
            "denominator_year": int(pns["year_used"]),
            "denominator_id": f"{pns['source_file']}:{pns['source_row']}",
            "exposure_scope": "national", "mismatch_en": mismatch_en, "mismatch_id": mismatch_id}


EXPOSURE_NOTE_EN = ("exposure is the national headcount, not that of the regions holding the "
                    "election (not published for this cycle)")
EXPOSURE_NOTE_ID = ("penyebut adalah jumlah pegawai nasional, bukan di daerah yang "
                    "menyelenggarakan pemilihan (tidak dipublikasikan untuk siklus ini)")


def series_rates(figures: pd.DataFrame, elections: pd.DataFrame, headcount: pd.DataFrame,
                 name: str, per: float = 10_000) -> pd.DataFrame:
    """``national_series`` with each figure as a rate per ``per`` of its denominator
    (``denominator_for``: ASN over ASN where the headcount exists, else PNS with the mismatch
    stated), the denominator's type and year in every row.

    No interval is attached: the counts are overdispersed (one viral case brings many reports)
    and no model of that variation can be fitted to one national figure per election, so an
    exact Poisson interval would be known to be too narrow (METHODS.md 3, 18)."""
    rows = []
    for r in national_series(figures, elections, name).to_dict("records"):
        d = denominator_for(headcount, int(r["cycle"]), r["unit"])
        rows.append(r | d | {"rate": r["value"] / d["denominator"] * per,
                             "exposure_note_en": EXPOSURE_NOTE_EN,
                             "exposure_note_id": EXPOSURE_NOTE_ID})
    return pd.DataFrame(rows)


RATE_COLUMNS = ["series", "election", "value", "unit", "agency", "id", "as_of_date",
                "days_since_vote", "days_since_vote_min", "days_since_vote_max", "lag_basis",
                "value_qualifier", "denominator", "denominator_type", "denominator_year",
                "exposure_scope", "rate", "mismatch_en"]
SAME_LAG_DAYS = 30  # two dates stand for the same lag when every day they can mean is this close


def rates_of(figures: pd.DataFrame, elections: pd.DataFrame, headcount: pd.DataFrame,
             names, per: float = 10_000) -> pd.DataFrame:
    """:func:`series_rates` of every series in ``names``, one after another, each row labelled
    with its election ('Pilkada 2020')."""
    from .evidence import with_cycle_label

    rows = pd.concat([series_rates(figures, elections, headcount, name, per) for name in names],
                     ignore_index=True)
    return with_cycle_label(rows)


def same_lag(new: pd.Series, old: pd.Series, days: int = SAME_LAG_DAYS) -> bool:
    """True when even the farthest days the two figures' dates can stand for are within
    ``days`` of each other (a month- or year-only date spans its whole period)."""
    spans = [new["days_since_vote_min"], new["days_since_vote_max"],
             old["days_since_vote_min"], old["days_since_vote_max"]]
    return (not any(pd.isna(v) for v in spans)
            and max(abs(spans[1] - spans[2]), abs(spans[3] - spans[0])) <= days)


LAGS_DIFFER = "lags differ: no interval or test is shown"
LAGS_COMPARABLE = "comparable lags; no model of overdispersion, so no interval"


def pilkada_ratios(rates: pd.DataFrame) -> pd.DataFrame:
    """Each Pilkada's rate over the previous Pilkada's, per series (rows of :func:`rates_of`):
    the ratio with both units, denominators and lags; 'cannot tell' unless the lags are the
    same (:func:`same_lag`), and never an interval (the counts are overdispersed)."""
    out = []
    for name, d in rates.groupby("series", sort=False):
        pilkada = d[d["election_type"] == "pilkada"].sort_values(["cycle", "election_type"])
        pilkada = pilkada.reset_index(drop=True)
        for i in range(1, len(pilkada)):
            new, old = pilkada.iloc[i], pilkada.iloc[i - 1]
            same = same_lag(new, old)
            out.append({"series": name, "comparison": f"{new['election']} vs {old['election']}",
                        "unit_new": new["unit"], "unit_old": old["unit"],
                        "denominator_new": f"{new['denominator_type']} {new['denominator_year']}",
                        "denominator_old": f"{old['denominator_type']} {old['denominator_year']}",
                        "lag_new": new["days_since_vote"], "lag_old": old["days_since_vote"],
                        "lag_new_min": new["days_since_vote_min"],
                        "lag_new_max": new["days_since_vote_max"],
                        "lag_old_min": old["days_since_vote_min"],
                        "lag_old_max": old["days_since_vote_max"],
                        "ratio": new["rate"] / old["rate"],
                        "verdict": "suggestive" if same else "cannot tell",
                        "why": LAGS_COMPARABLE if same else LAGS_DIFFER})
    return pd.DataFrame(out)


def cases_per_region(rates: pd.DataFrame, elections: pd.DataFrame) -> pd.DataFrame:
    """Bawaslu's national case counts (rows of :func:`rates_of`) per region holding the election
    (:func:`regions_holding`), with the source of the region count; elections without one are
    left out."""
    out = []
    for r in rates[rates["series"] == "bawaslu_cases"].itertuples():
        held = regions_holding(elections, int(r.cycle), r.election_type)
        if held is None:
            continue
        n_regions = int(held["regions_in_election"])
        out.append({"election": r.election, "cases": r.value,
                    "days_since_vote": r.days_since_vote,
                    "days_since_vote_min": r.days_since_vote_min,
                    "days_since_vote_max": r.days_since_vote_max,
                    "regions": n_regions, "regions_source": held["source_url"],
                    "cases_per_region": r.value / n_regions})
    return pd.DataFrame(out)


def latest_profiles(figures: pd.DataFrame) -> pd.DataFrame:
    """The latest published national percentage per violation type and position level
    (breakdown x category rows, one column per election): descriptive, the bases and dates
    differ between sources."""
    from .evidence import with_cycle_label

    shares = figures[(figures["metric"] == "share")
                     & figures["breakdown"].isin(["violation_type", "position_level"])
                     & (figures["scope"] == "national")]
    latest = (with_cycle_label(shares).sort_values(["effective_date", "id"])
              .groupby(["election", "agency", "breakdown", "category"]).tail(1))
    profile = latest.pivot_table(index=["breakdown", "category"], columns="election",
                                 values="value", aggfunc="first")
    return profile
