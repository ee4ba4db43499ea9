"""Enforcement funnel per election, and what official follow-up claims can support.

Conversions are computed within one snapshot of one agency (the same as-of date), so numerator
and denominator describe the same moment and the same series; KASN/BKN counts of ASN and
Bawaslu counts of cases are never mixed. Intervals are exact (Clopper-Pearson).
"""
from __future__ import annotations

import pandas as pd

from ..methods import intervals
from ..data.ledger import days_from_vote, voting_days
from ..data.vocabulary import UNIT_FAMILY

# (name, numerator stage, denominator stages in order of preference)
CONVERSIONS = (
    ("proven_of_reported", "recommended", ("reported",)),
    ("found_of_reported", "violation_found", ("reported",)),
    ("executed_of_recommended", "executed", ("recommended", "violation_found")),
    ("forwarded_of_reported", "forwarded", ("reported",)),
    ("executed_of_reported", "executed", ("reported",)),
)


def funnel_conversions(snapshots: pd.DataFrame, scope: str = "national",
                       region: str = "Indonesia") -> pd.DataFrame:
    """Every stage-to-stage conversion available in a snapshot, with a Clopper-Pearson 95%
    interval. Only pairs in the same unit family and with numerator <= denominator are used.

    Returns one row per snapshot x conversion: cycle, election_type, agency, as_of_date,
    as_of_precision, days_since_vote (from the middle of a month- or year-only as-of date) with
    days_since_vote_min/_max (the first and last day it can stand for), conversion, numerator,
    denominator, num_unit, den_unit, proportion, low, high, series ("KASN/BKN" counting ASN, or
    "Bawaslu" counting cases).
    """
    snaps = snapshots[(snapshots["scope"] == scope) & (snapshots["region"] == region)]
    out = []
    for _, s in snaps.iterrows():
        for name, num, dens in CONVERSIONS:
            if pd.isna(s.get(num)):
                continue
            for den in dens:
                if pd.isna(s.get(den)):
                    continue
                x, n = float(s[num]), float(s[den])
                fam = UNIT_FAMILY.get(s[f"{num}_unit"])
                if fam is None or fam != UNIT_FAMILY.get(s[f"{den}_unit"]) or not 0 < n or x > n:
                    break
                low, high = intervals.clopper_pearson(int(x), int(n))
                out.append({
                    "cycle": s["cycle"], "election_type": s["election_type"],
                    "agency": s["agency"], "as_of_date": s["as_of_date"],
                    "as_of_precision": s.get("as_of_precision", "day"),
                    "days_since_vote": s["days_since_vote"],
                    "days_since_vote_min": s.get("days_since_vote_min", s["days_since_vote"]),
                    "days_since_vote_max": s.get("days_since_vote_max", s["days_since_vote"]),
                    "conversion": name,
                    "numerator_stage": num, "denominator_stage": den,
                    "numerator": x, "denominator": n, "num_unit": s[f"{num}_unit"],
                    "den_unit": s[f"{den}_unit"], "proportion": x / n, "low": low,
                    "high": high,
                    "series": "Bawaslu" if s["agency"] == "Bawaslu" else "KASN/BKN",
                })
                break
    return pd.DataFrame(out)


def latest_funnel(conversions: pd.DataFrame) -> pd.DataFrame:
    """Per election, series and conversion, the latest snapshot (largest lag). A release
    quoted again later with the same counts keeps its first as-of date (one figure, one lag, as
    :func:`drop_repeated_releases` does for the follow-up curves)."""
    if conversions.empty:
        return conversions
    keys = ["cycle", "election_type", "series", "conversion"]
    ordered = conversions.sort_values(keys + ["days_since_vote", "agency"])
    last = ordered.groupby(keys, sort=True)[["numerator", "denominator"]].transform("last")
    same_as_last = (ordered[["numerator", "denominator"]] == last).all(axis=1)
    # the first row of the final run of identical counts in each group
    run_start = same_as_last & ~same_as_last.groupby([ordered[k] for k in keys]).shift(
        fill_value=False).astype(bool)
    starts = ordered[run_start]
    return starts.groupby(keys, sort=True).tail(1).reset_index(drop=True)


CLAIM_CATEGORIES = ("executed_of_recommended", "executed_of_recommended_prior_years",
                    "executed_of_violation", "executed_of_recommended_2024")


def follow_up_claims(ledger: pd.DataFrame, elections: pd.DataFrame,
                     snapshots: pd.DataFrame) -> pd.DataFrame:
    """Every published follow-up percentage, with the lag it refers to (days_since_vote from the
    middle of a month- or year-only date, days_since_vote_min/_max the first and last day it can
    stand for) and whether counts published for the same agency and date reproduce it.

    ``check`` is one of: ``reproduced`` (counts give the stated share within 1 point),
    ``not_reproduced`` (they differ by more), ``no_counts`` (no counts for that agency and
    date: the claim cannot be checked), ``bound_only`` (stated as an upper bound, e.g. "below
    30%", over unnamed cycles: it cannot be tied to one election or lag).
    """
    claims = ledger[(ledger["metric"] == "share") & (ledger["breakdown"] == "rate")
                    & ledger["category"].isin(CLAIM_CATEGORIES) & (ledger["scope"] == "national")]
    days = voting_days(elections).set_index(["cycle", "election_type"])["voting_day"]
    out = []
    for _, c in claims.sort_values(["cycle", "effective_date", "id"]).iterrows():
        vote = days.get((c["cycle"], c["election_type"]), pd.NaT)
        dated = bool(c["as_of_date"])
        date, precision = ((c["as_of_date"], c["as_of_precision"]) if dated
                           else (c["published_date"], c["published_precision"]))
        lag, lag_min, lag_max = days_from_vote(date, precision, vote)
        stated = c["value"] / 100
        pair = _counts_behind(c, ledger, snapshots, dated)
        if c["value_qualifier"] == "upper_bound" or "prior_years" in c["category"]:
            check, computed, low, high, counts = "bound_only", pd.NA, pd.NA, pd.NA, ""
        elif pair is None:
            check, computed, low, high, counts = "no_counts", pd.NA, pd.NA, pd.NA, ""
        else:
            x, n = pair
            computed = x / n
            low, high = intervals.clopper_pearson(x, n)
            check = "reproduced" if abs(computed - stated) <= 0.01 else "not_reproduced"
            counts = f"{x}/{n}"
        out.append({
            "id": c["id"], "cycle": c["cycle"], "election_type": c["election_type"],
            "agency": c["agency"], "category": c["category"], "stated_percent": c["value"],
            "value_qualifier": c["value_qualifier"], "as_of_date": c["as_of_date"],
            "published_date": c["published_date"], "days_since_vote": lag,
            "days_since_vote_min": lag_min, "days_since_vote_max": lag_max,
            "lag_basis": "as_of" if dated else "published", "check": check, "counts": counts,
            "computed": computed, "low": low, "high": high, "source_url": c["source_url"],
        })
    return pd.DataFrame(out)


def _counts_behind(claim: pd.Series, ledger: pd.DataFrame, snapshots: pd.DataFrame,
                   dated: bool) -> tuple[int, int] | None:
    """(executed, base) published with the claim: first on the same page (same URL, agency
    and election), else in the agency's snapshot of the same as-of date."""
    page = ledger[(ledger["source_url"] == claim["source_url"])
                  & (ledger["cycle"] == claim["cycle"])
                  & (ledger["election_type"] == claim["election_type"])
                  & (ledger["agency"] == claim["agency"]) & ledger["breakdown"].isin(["", "period"])
                  & (ledger["value_qualifier"] == "exact")]
    base_metric = ("violation_found" if claim["category"] == "executed_of_violation"
                   else "recommended")
    executed = page.loc[page["metric"] == "sanction_executed", "value"]
    base = page.loc[page["metric"].isin([base_metric, "recommended", "violation_found"]), "value"]
    if len(executed) and len(base) and 0 < base.max() and executed.max() <= base.max():
        return int(executed.max()), int(base.max())
    if not dated:
        return None
    match = snapshots[(snapshots["cycle"] == claim["cycle"])
                      & (snapshots["election_type"] == claim["election_type"])
                      & (snapshots["scope"] == "national")
                      & (snapshots["agency"] == claim["agency"])
                      & (snapshots["as_of_date"] == claim["as_of_date"])
                      & snapshots["follow_up_rate"].notna()]
    if match.empty:
        return None
    m = match.iloc[0]
    return int(m["executed"]), int(m[m["follow_up_basis"]])


def drop_repeated_releases(snapshots: pd.DataFrame,
                           count_cols: tuple[str, ...] = ("executed", "recommended"),
                           ) -> pd.DataFrame:
    """Drop a snapshot whose counts equal the previous snapshot's in the same series (the same
    release quoted again a few days later); keeps the first. Input sorted by lag per series."""
    keys = ["cycle", "election_type", "scope", "region", "agency"]
    ordered = snapshots.sort_values(keys + ["days_since_vote"])
    previous = ordered.groupby(keys)[list(count_cols)].shift()
    repeated = (ordered[list(count_cols)] == previous).all(axis=1)
    return ordered[~repeated]


def distinct_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim: repeated releases of the same figure count once.

    Two releases are one claim when the agency, category and stated percentage are the same
    and, for a claim about one election, the election and the counts behind it (or, without
    counts, the as-of date, empty for undated repeats) are too; an upper bound about "the years
    before" is one claim whichever election it was filed under. The first release (oldest
    effective date, then id) is kept; ``n_releases`` and ``release_ids`` say how many and
    which."""
    if claims.empty:
        return claims.assign(n_releases=[], release_ids=[])
    c = claims.copy()
    bound = c["check"] == "bound_only"
    counts_or_date = c["counts"].where(c["counts"] != "", "")
    c["_key"] = [
        ("bound", r.agency, r.stated_percent) if b else
        (r.cycle, r.election_type, r.agency, r.stated_percent, k)
        for r, b, k in zip(c.itertuples(), bound, counts_or_date)]
    # an undated repeat of a dated, reproduced figure: same stated value and election
    dated = {(k[0], k[1], k[2], k[3]) for k, r in zip(c["_key"], c.itertuples())
             if k[0] != "bound" and r.as_of_date}
    c["_key"] = [(k[0], k[1], k[2], k[3], "") if (k[0] != "bound" and not r.as_of_date
                                                 and (k[0], k[1], k[2], k[3]) in dated)
                 else k for k, r in zip(c["_key"], c.itertuples())]
    c["_key"] = [(k[0], k[1], k[2], k[3], "") if k[0] != "bound" else k for k in c["_key"]]
    groups = c.groupby("_key", sort=False)
    first = groups.head(1).copy()
    first["n_releases"] = groups["id"].transform("size").loc[first.index]
    first["release_ids"] = groups["id"].transform(lambda s: "|".join(s)).loc[first.index]
    return first.drop(columns="_key").reset_index(drop=True)
