"""Building blocks of the province case study (default Kepulauan Bangka Belitung).

Everything takes the province's canonical name, so any province gives the same study.
"""
from __future__ import annotations

import pandas as pd

from ..methods import rates


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
                    per: float = 10_000, phi: float = 1.0, phi_rest: float | None = None) -> dict:
    """Province rate against the rest of the country (national minus the province).

    The counts of one release vary more than Poisson (a funnel of the same release estimates
    ``phi`` >> 1, METHODS.md 18), so the ratio to the rest carries a quasi-Poisson interval and
    p-value (``rates.rate_ratio_quasi``) with ``phi`` for the province's count and ``phi_rest``
    (default ``phi``) for the rest's (see :func:`release_dispersion`); the exact conditional
    (Poisson) interval is kept in ``ratio_low_poisson``/``ratio_high_poisson`` for comparison
    only. Rates per ``per`` PNS; no interval is given for the province's own rate (its Poisson
    interval would be too narrow by ``sqrt(phi)``)."""
    rest_count, rest_pns = national_count - count, national_pns - pns
    if rest_count < 0 or rest_pns <= 0:
        raise ValueError("national totals must exceed the province's")
    rr = rates.rate_ratio(count, pns, rest_count, rest_pns)
    phi = max(1.0, phi)
    quasi = rates.rate_ratio_quasi(count, pns, rest_count, rest_pns, phi,
                                   phi_rest=phi if phi_rest is None else max(1.0, phi_rest))
    return {"count": count, "pns": pns, "rate": count / pns * per,
            "national_rate": national_count / national_pns * per,
            "ratio_to_rest": quasi.estimate, "ratio_low": quasi.low, "ratio_high": quasi.high,
            "ratio_p": quasi.p_value, "phi_used": quasi.phi, "phi_rest": quasi.phi_rest,
            "ratio_method": quasi.method,
            "ratio_low_poisson": rr.low, "ratio_high_poisson": rr.high}


def release_dispersion(form, pns: pd.Series, province: str, rate_per_pns: float
                       ) -> tuple[float, float]:
    """``(phi_province, phi_rest)``: variance over mean of the province's count and of the sum of
    the other provinces' counts under the variance form of the release's funnel
    (``table.attrs["form"]``, ``V(mu) = phi * mu + omega * mu^2`` or the wider of the two single
    forms for a partial list), at the expected counts ``rate_per_pns * pns`` (``pns`` indexed by
    province): ``V(mu_p) / mu_p`` and ``sum V(mu_j) / sum mu_j`` over the others. The ratio, the
    power statement and the funnel's limits for the province then rest on one variance:
    ``V(mu_p)`` is the variance behind its limits."""
    mu = rate_per_pns * pns.astype(float)
    mine = float(mu[province])
    rest = mu.drop(province).to_numpy()
    return (float(form.variance(mine)) / mine,
            float(form.variance(rest).sum()) / float(rest.sum()))


def detectable_ratio(pns: float, national_rate_per_pns: float, phi: float = 1.0,
                     power: float = 0.8, level: float = 0.95) -> dict:
    """The power statement behind "the rate would have to be N times the national rate":
    ``power.describe_funnel`` for the province's expected count ``mu`` at the national rate and
    the variance ``phi * mu`` behind the funnel's limits for the province (``phi`` from
    :func:`release_dispersion`): the ratio at which its count falls outside those limits with
    probability ``power`` (``higher``; ``lower``: NaN when no lower rate could be;
    ``higher_poisson``: against exact Poisson limits; ``higher_normal``: the normal closed
    form)."""
    from ..methods import power as power_

    expected = national_rate_per_pns * pns
    if expected <= 0:
        return {"mu": expected, "phi": phi, "higher": float("inf"), "lower": float("nan"),
                "higher_poisson": float("inf"), "higher_normal": float("inf"), "power": power,
                "level": level}
    return power_.describe_funnel(expected, max(1.0, phi) * expected, level, power)


def compare_with_nation(figures: pd.DataFrame, headcount: pd.DataFrame, province: str,
                        releases, per: float = 10_000,
                        elections: pd.DataFrame | None = None) -> dict:
    """For each release ``(cycle, election_type, agency, unit)`` that lists provinces: the
    province against the rest of the country with the variance form of the same release's
    funnel (``versus_national`` with ``release_dispersion``: ``phi_used`` for the province,
    ``phi_rest`` for the rest; ``phi`` stays the funnel's Pearson dispersion, or its lower bound
    for a partial list, for display), the power statement with ``phi_used``
    (``detectable_ratio``), the funnel verdict (adjusted position and FDR flag over all
    provinces), and the snapshot's dates.

    Every row says ``count_kind`` ("snapshot": published lists are counts so far, never cycle
    totals), ``as_of_date`` (or ``published_date`` when undated, ``date_basis`` says which) and
    ``days_since_vote`` (negative: before the vote; from the middle of a month- or year-only
    date, with ``days_since_vote_min``/``_max`` the first and last day it can stand for) when
    ``elections`` is given.

    Returns ``comparisons`` (one row per release; ``status`` says why a release could not be
    used), ``funnels`` ({election label: (table, info)}), ``pns`` and ``pns_year``."""
    return _compare(_releases(figures, headcount, releases, per, elections), province, per)


def compare_each_province(figures: pd.DataFrame, headcount: pd.DataFrame, names, releases,
                          per: float = 10_000, elections: pd.DataFrame | None = None
                          ) -> dict[str, dict]:
    """:func:`compare_with_nation` for each province in ``names`` ({name: result}): the
    releases' counts and funnels do not depend on the province and are built once."""
    prepared = _releases(figures, headcount, releases, per, elections)
    return {name: _compare(prepared, name, per) for name in names}


def _releases(figures: pd.DataFrame, headcount: pd.DataFrame, releases, per: float,
              elections: pd.DataFrame | None) -> dict:
    """What :func:`compare_with_nation` needs of every release whatever the province: its
    province counts, their funnel, the PNS by province and the voting days."""
    from ..data.ledger import voting_days
    from . import evidence, provinces

    pns_table, pns_year = provinces.province_headcount(headcount)
    days = (voting_days(elections).set_index(["cycle", "election_type"])["voting_day"]
            if elections is not None else None)
    items = []
    for cycle, election_type, agency, unit in releases:
        counts, info = provinces.province_counts(figures, cycle, election_type, agency, unit=unit)
        table = provinces.province_funnel(counts, info, pns_table, per)
        items.append((cycle, election_type, agency, evidence.cycle_label(cycle, election_type),
                      counts, info, table))
    return {"pns_table": pns_table, "pns_year": pns_year, "days": days, "items": items}


def _compare(prepared: dict, province: str, per: float) -> dict:
    """:func:`compare_with_nation` for one province on the releases :func:`_releases` built."""
    from ..data.ledger import days_from_vote, precision_of

    pns_table, pns_year, days = prepared["pns_table"], prepared["pns_year"], prepared["days"]
    pns_province = pns_table.set_index("region")["pns"].get(province)
    rows, funnels = [], {}
    for cycle, election_type, agency, label, counts, info, table in prepared["items"]:
        if table is not None:
            funnels[label] = (table, info)
        mine = counts[counts["region"] == province]
        if mine.empty or not info.get("national") or pns_province is None or table is None:
            rows.append({"cycle": cycle, "election": label, "agency": agency, "status":
                         "province not in the published list" if info else "no province list"})
            continue
        phi = table.attrs.get("phi", float("nan"))
        rate = info["national"] / pns_table["pns"].sum()
        phi_used, phi_rest = release_dispersion(table.attrs["form"],
                                                pns_table.set_index("region")["pns"], province,
                                                rate)
        result = versus_national(int(mine["count"].iloc[0]), pns_province,
                                 int(info["national"]), pns_table["pns"].sum(), per, phi_used,
                                 phi_rest)
        power = detectable_ratio(pns_province, rate, phi_used)
        row = table.set_index("term").loc[province]
        dated = bool(info.get("as_of_date"))
        when = info["as_of_date"] if dated else info.get("published_date", "")
        lag = lag_min = lag_max = pd.NA
        if days is not None and (cycle, election_type) in days.index and when:
            # a month- or year-only date: its middle, and the first and last day it stands for
            lag, lag_min, lag_max = days_from_vote(when[:10], precision_of(when[:10]),
                                                   days[(cycle, election_type)])
        rows.append({"cycle": cycle, "election": label, "agency": agency, "status": "compared",
                     "id": mine["id"].iloc[0], "national_id": info["national_id"],
                     "snapshot": info["snapshot"], "count_kind": "snapshot",
                     "as_of_date": when, "date_basis": "as_of" if dated else "published",
                     "days_since_vote": lag, "days_since_vote_min": lag_min,
                     "days_since_vote_max": lag_max,
                     "phi": phi, "phi_kind": table.attrs["phi_kind"],
                     "variance_form": table.attrs["form"].describe(),
                     "position_adj": row.get("position_adj", row["position"]),
                     "flag": row["flag"], "q_value": row["q_value"],
                     "n_listed": table.attrs["n_listed"],
                     "n_implied_zero": table.attrs["n_implied_zero"],
                     "detectable_ratio": power["higher"],
                     "detectable_lower": power["lower"],
                     "detectable_ratio_poisson": power["higher_poisson"],
                     "detectable_ratio_normal": power["higher_normal"],
                     "detectable_power": power["power"], "expected": power["mu"]} | result)
    return {"comparisons": pd.DataFrame(rows), "funnels": funnels, "pns": pns_province,
            "pns_year": pns_year}


SPARSE_COLUMNS = {"election": "election", "count": "count", "as_of_date": "snapshot",
                  "days_since_vote": "days_since_vote", "expected": "expected", "phi_used": "phi",
                  "phi_kind": "phi_kind", "detectable_ratio": "detectable_ratio_80pct_power",
                  "detectable_ratio_poisson": "detectable_ratio_poisson",
                  "detectable_lower": "detectable_lower_ratio"}


def compared(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The releases :func:`compare_with_nation` could compare (``status`` 'compared')."""
    if "status" not in comparisons:
        return comparisons
    return comparisons[comparisons["status"] == "compared"]


def sparse_counts(done: pd.DataFrame) -> pd.DataFrame:
    """What the province's counts cannot tell, per compared release: its count and expected
    count, the province's phi (from the funnel's variance form), and the rate ratio to the nation
    it could detect with 80% power (with and without overdispersion; the lower ratio, NaN when
    none could be detected)."""
    if done.empty:
        return pd.DataFrame(columns=list(SPARSE_COLUMNS.values()))
    return done[list(SPARSE_COLUMNS)].rename(columns=SPARSE_COLUMNS).reset_index(drop=True)


CASE_UNITS = ("cases", "reports", "ASN")  # ASN-neutrality counts a regency race is matched with


def incumbents_and_counts(calendar: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """Each regency race of the calendar (not the province-wide rows) with the largest
    ASN-neutrality count reported for that regency and election (cases, reports or ASN; a count
    that is not ASN-only never enters)."""
    counts = own[(own["scope"] == "regency") & (own["metric"] == "reported")
                 & own["unit"].isin(CASE_UNITS)]
    merged = calendar.merge(counts.groupby(["cycle", "election_type", "region"])["value"]
                            .max().rename("reported").reset_index(),
                            on=["cycle", "election_type", "region"], how="left")
    return merged[merged["race"] != "all"]


def regency_counts_not_asn_only(own: pd.DataFrame) -> pd.DataFrame:
    """The province's counts per regency whose unit is not ASN-only (violations of every kind,
    counts that include other actors), largest first per election: shown apart, never in a
    rate or beside an incumbent."""
    from ..data.vocabulary import NOT_ASN_ONLY_UNITS

    rows = own[(own["scope"] == "regency") & own["unit"].isin(NOT_ASN_ONLY_UNITS)]
    return rows.sort_values(["cycle", "election_type", "unit", "value", "region"],
                            ascending=[True, True, True, False, True]).reset_index(drop=True)


def data_gaps(comparisons: pd.DataFrame, calendar: pd.DataFrame, races: pd.DataFrame,
              own: pd.DataFrame, pns_province) -> list[dict]:
    """What the province should collect next, in order: its PNS headcount (when missing), case
    counts for the releases that do not list it, whether an incumbent ran where unknown, case
    counts per regency race, sanction outcomes with dates, a case register. Each gap is a dict
    with ``kind`` and what it names (``elections``, ``races``, ``n``)."""
    gaps = []
    if pns_province is None:
        gaps.append({"kind": "pns"})
    missing = comparisons[comparisons["status"] != "compared"]["election"].tolist() \
        if "status" in comparisons else []
    if missing:
        gaps.append({"kind": "case_counts", "elections": missing})
    unknown = calendar[calendar["incumbent_running"].isna()]
    if len(unknown):
        gaps.append({"kind": "incumbent", "races": [f"{r.region} ({r.election})"
                                                    for r in unknown.itertuples()]})
    no_count = races[races["reported"].isna()]
    if len(no_count):
        gaps.append({"kind": "regency_counts", "n": len(no_count)})
    gaps.append({"kind": "sanctions", "n": int((own["metric"] == "sanction_executed").sum())})
    gaps.append({"kind": "register"})
    return gaps
