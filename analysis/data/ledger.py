"""Load the raw files as typed tables, and the explicit rules that pick one figure among many.

Conflicting figures are kept in the ledger. Where a table needs one number per series, it uses
``choose_figure``, whose rule is stated here once and cited in every report:

1. a figure published as exact beats one published as approximate, a bound or a forecast;
2. a primary source beats a secondary one, which beats a weak one (mirror, blog);
3. the latest effective date wins (the as-of date, or the published date when no as-of date
   is given), compared at day precision using the first day of a month- or year-only date;
4. among figures still tied, the value the most sources give; then the smallest value (the
   conservative reading); then the lowest id.
"""
from __future__ import annotations

import pandas as pd

from .. import paths
from .regions import RegionResolver, load_resolver

QUALITY_RANK = {"primary": 0, "secondary": 1, "weak": 2}
RULE_TEXT = (
    "exact figures before approximate ones; primary sources before secondary and weak ones; "
    "then the latest as-of date (the published date where no as-of date is given); then the "
    "value most sources give; then the smaller value"
)
RULE_TEXT_ID = (
    "angka pasti sebelum angka perkiraan; sumber primer sebelum sumber sekunder dan lemah; "
    "lalu tanggal data terbaru (tanggal terbit bila tanggal data tidak ada); lalu nilai yang "
    "paling banyak disebut sumber; lalu nilai yang lebih kecil"
)


def period_start(value: str) -> pd.Timestamp:
    """First day of a YYYY-MM-DD / YYYY-MM / YYYY date; NaT when empty."""
    if not isinstance(value, str) or not value:
        return pd.NaT
    parts = value.split("-") + ["01", "01"]
    return pd.Timestamp(f"{parts[0]}-{parts[1]}-{parts[2]}")


def period_bounds(value: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the period a partial date stands for (the day itself twice at day
    precision); NaT twice when empty."""
    start = period_start(value)
    if pd.isna(start) or precision == "day":
        return start, start
    end = start + (pd.offsets.MonthEnd(0) if precision == "month" else pd.offsets.YearEnd(0))
    return start, end


def precision_of(value: str) -> str:
    """'year', 'month' or 'day' from the form of a partial date (YYYY, YYYY-MM, YYYY-MM-DD)."""
    return {4: "year", 7: "month"}.get(len(value or ""), "day")


def days_from_vote(value: str, precision: str, vote) -> tuple:
    """(days, first, last): days from ``vote`` to the middle of the period a partial date stands
    for, and to its first and last day (all three equal at day precision); NA when either date
    is missing."""
    start, end = period_bounds(value, precision)
    if pd.isna(start) or vote is None or pd.isna(vote):
        return pd.NA, pd.NA, pd.NA
    return ((period_mid(value, precision) - vote).days, (start - vote).days, (end - vote).days)


def period_mid(value: str, precision: str) -> pd.Timestamp:
    """Middle of the period a partial date stands for (the day itself at day precision)."""
    start, end = period_bounds(value, precision)
    return start if pd.isna(start) else start + (end - start) / 2


def read_raw(path) -> pd.DataFrame:
    """A raw CSV as strings (empty cells as ''), so nothing is reinterpreted on the way in.

    Cells are stripped of leading and trailing whitespace, as the validator reads them."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df.columns = [c.strip() for c in df.columns]
    for column in df.columns:
        df[column] = df[column].str.strip()
    return df


def canonical_regions(df: pd.DataFrame, resolver: RegionResolver | None = None,
                      columns: tuple[str, ...] = ("region",)) -> pd.DataFrame:
    """Replace every region cell by its canonical name (regions.csv), through the resolver the
    validator uses: aliases, case and spacing variants join like the canonical spelling."""
    resolver = resolver or load_resolver()
    for column in columns:
        if column in df:
            df[column] = df[column].map(resolver.canonical)
    return df


def load_ledger(path=None, resolver: RegionResolver | None = None) -> pd.DataFrame:
    df = canonical_regions(read_raw(path or paths.LEDGER), resolver)
    df["cycle"] = df["cycle"].astype(int)
    df["value"] = df["value"].astype(float)
    df["effective_date"] = [
        period_start(a) if a else period_start(p)
        for a, p in zip(df["as_of_date"], df["published_date"])
    ]
    return df


def load_elections(path=None, resolver: RegionResolver | None = None) -> pd.DataFrame:
    df = canonical_regions(read_raw(path or paths.ELECTIONS), resolver)
    df["cycle"] = df["cycle"].astype(int)
    return df


def load_measures(path=None, resolver: RegionResolver | None = None) -> pd.DataFrame:
    """The supervision measures (``supervision_measures.csv``), regions canonical."""
    return canonical_regions(read_raw(path or paths.MEASURES), resolver)


def load_headcount(path=None, resolver: RegionResolver | None = None) -> pd.DataFrame:
    df = canonical_regions(read_raw(path or paths.HEADCOUNT), resolver)
    df["value"] = df["value"].astype(int)
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    return df


def load_candidates(path=None, resolver: RegionResolver | None = None) -> pd.DataFrame:
    """``candidates.csv``: counts of candidates and incumbents per election as published
    (``quantity``, ``office``, ``value`` in ``unit``); ``cycle`` an integer, ``value`` a float."""
    df = canonical_regions(read_raw(path or paths.RAW / "candidates.csv"), resolver)
    df["cycle"] = df["cycle"].astype(int)
    df["value"] = df["value"].astype(float)
    return df


_NO_DATE = pd.Timestamp("1900-01-01")  # a figure without any date loses to every dated one


def choose_figure(group: pd.DataFrame) -> pd.Series:
    """The one row of ``group`` (figures of one series) that the documented rule picks.

    Plain Python over the group's columns: a data build calls it some 500 times, and the same
    rule written with pandas filters cost about 2 ms a call (a second per build). Sources of
    unknown quality are never chosen; a missing value counts as given by no source and sorts
    last."""
    exact = [int(q != "exact") for q in group["value_qualifier"]]
    quality = [QUALITY_RANK.get(q) for q in group["source_quality"]]
    dates = [_NO_DATE if pd.isna(d) else d for d in group["effective_date"]]
    first = min(exact)
    rows = [i for i in range(len(group)) if exact[i] == first]
    known = [quality[i] for i in rows if quality[i] is not None]
    if not known:
        raise ValueError(f"choose_figure: no figure of known source quality among ids "
                         f"{list(group['id'])} (expected one of {sorted(QUALITY_RANK)})")
    best = min(known)
    rows = [i for i in rows if quality[i] == best]
    latest = max(dates[i] for i in rows)
    rows = [i for i in rows if dates[i] == latest]
    values, ids = group["value"].tolist(), group["id"].tolist()
    support: dict[float, int] = {}
    for i in rows:
        if not pd.isna(values[i]):
            support[values[i]] = support.get(values[i], 0) + 1

    def order(i: int) -> tuple:
        value = values[i]
        if pd.isna(value):
            return (1, 0, 1, 0.0, ids[i])
        return (0, -support[value], 0, value, ids[i])
    return group.iloc[min(rows, key=order)]


def voting_days(elections: pd.DataFrame) -> pd.DataFrame:
    """One national voting day per (cycle, election_type); a conflict is an error."""
    national = elections[(elections["scope"] == "national") & (elections["voting_day"] != "")]
    days = national.groupby(["cycle", "election_type"])["voting_day"].unique()
    conflicts = days[days.map(len) > 1]
    if len(conflicts):
        raise ValueError(f"conflicting voting days in elections.csv: {conflicts.to_dict()}")
    rerun = elections[(elections["election_type"] == "pilkada_rerun")
                      & (elections["voting_day"] != "")]
    out = days.map(lambda v: v[0]).rename("voting_day").reset_index()
    extra = (rerun.groupby(["cycle", "election_type"])["voting_day"].first().reset_index())
    out = pd.concat([out, extra[~extra.set_index(["cycle", "election_type"]).index.isin(
        out.set_index(["cycle", "election_type"]).index)]], ignore_index=True)
    out["voting_day"] = pd.to_datetime(out["voting_day"])
    return out.sort_values(["cycle", "election_type"]).reset_index(drop=True)
