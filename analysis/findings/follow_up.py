"""Follow-up (sanctions executed / recommended) over time in the published snapshots, as report 02
reads it: the latest snapshot of each election and the lags they stand at, the follow-up curves
and their values at equal lags, the official claims by how they check out, and the tables of the
decree's segmented regression.

A comparison across elections needs the same stage at the same lag: :func:`shared_lags` says
where the latest snapshots allow one (day-precise lags within ``tolerance_days`` of each other).
"""
from __future__ import annotations

import itertools

import pandas as pd

from ..methods import lags
from . import enforcement
from .evidence import with_cycle_label

LATEST_COLUMNS = ["election", "series", "agency", "as_of_date", "as_of_precision",
                  "days_since_vote", "days_since_vote_min", "days_since_vote_max", "conversion",
                  "numerator", "denominator", "proportion", "low", "high"]
AT_LAG_COLUMNS = ["election", "agency", "lag", "method", "value", "lower_lag", "lower_value",
                  "upper_lag", "upper_value", "bracket_span_days", "nearest_lag", "gap_days"]
NOT_AVAILABLE = "not_available_extrapolation_needed"


def latest_by_election(national: pd.DataFrame) -> pd.DataFrame:
    """The latest snapshot of every conversion per election and series (national snapshots),
    labelled, ordered by election (oldest first), series and conversion."""
    latest = with_cycle_label(enforcement.latest_funnel(enforcement.funnel_conversions(national)))
    return latest.sort_values(["cycle", "election_type", "series", "conversion"]
                              ).reset_index(drop=True)


def _exact_day(row) -> bool:
    low, high = row["days_since_vote_min"], row["days_since_vote_max"]
    return pd.notna(row["days_since_vote"]) and (pd.isna(low) or pd.isna(high) or low == high)


def shared_lags(latest: pd.DataFrame, tolerance_days: int = 30) -> pd.DataFrame:
    """Pairs of elections whose latest snapshots give the same conversion of the same series at
    day-precise lags no more than ``tolerance_days`` apart: the only cross-election readings the
    latest snapshots allow. A lag known only to the month or year pairs with nothing. Columns:
    series, conversion, election_a, lag_a, election_b, lag_b."""
    rows = []
    exact = latest[[_exact_day(r) for _, r in latest.iterrows()]]
    for (series, conversion), g in exact.groupby(["series", "conversion"], sort=True):
        for (_, a), (_, b) in itertools.combinations(g.iterrows(), 2):
            if a["election"] != b["election"] and \
                    abs(a["days_since_vote"] - b["days_since_vote"]) <= tolerance_days:
                rows.append({"series": series, "conversion": conversion,
                             "election_a": a["election"], "lag_a": a["days_since_vote"],
                             "election_b": b["election"], "lag_b": b["days_since_vote"]})
    return pd.DataFrame(rows, columns=["series", "conversion", "election_a", "lag_a",
                                       "election_b", "lag_b"])


def follow_up_points(national: pd.DataFrame) -> pd.DataFrame:
    """Every national follow-up snapshot (executed / recommended) once per release, labelled."""
    followed = national[national["follow_up_rate"].notna()]
    return with_cycle_label(enforcement.drop_repeated_releases(followed))


def at_equal_lags(followed: pd.DataFrame, lags_days) -> dict:
    """Follow-up of every election and agency at each of ``lags_days`` (observed, interpolated
    between two snapshots, or not available where it would need extrapolation): ``table``,
    ``n`` (series x lag combinations), ``n_available`` and ``n_lags_shared`` (lags at which more
    than one election has a value)."""
    at = with_cycle_label(lags.value_at_lags(followed, lags_days, series_cols=(),
                                             count_cols=None))
    available = at[at["method"] != NOT_AVAILABLE]
    return {"table": at[AT_LAG_COLUMNS], "n": len(at), "n_available": len(available),
            "n_lags_shared": int((available.groupby("lag")["election"].nunique() > 1).sum())}


def claims_by_check(claims: pd.DataFrame) -> dict:
    """The distinct claims grouped as report 02 discusses them: ``bounds`` (upper bounds naming no
    election), ``no_counts`` (no counts published with them), ``undated_early`` (one per
    election before 2020 among those), ``reproduced_2020`` (Pilkada 2020 claims the counts
    reproduce) and ``reproduced_other``."""
    no_counts = claims[claims["check"] == "no_counts"]
    reproduced = claims[claims["check"] == "reproduced"]
    in_2020 = (reproduced["cycle"] == 2020) & (reproduced["election_type"] == "pilkada")
    return {"bounds": claims[claims["check"] == "bound_only"], "no_counts": no_counts,
            "undated_early": no_counts[no_counts["cycle"] < 2020].drop_duplicates("election"),
            "reproduced_2020": reproduced[in_2020], "reproduced_other": reproduced[~in_2020]}


def its_tables(decree: dict, max_lag: int) -> pd.DataFrame:
    """The decree's segmented regressions side by side (window up to ``max_lag`` days, and all
    snapshots), as terms with estimate and standard error and the number of points (before the
    decree: ``n_pre``); no interval, which a reader would take for an effect."""
    fit, fit_all = decree["fit"], decree["fit_all"]
    return pd.concat([
        fit.tidy().assign(window=f"day <= {max_lag}", n=fit.n, n_pre=fit.n_pre),
        fit_all.tidy().assign(window="all snapshots", n=fit_all.n, n_pre=fit_all.n_pre),
    ], ignore_index=True).drop(columns=["low", "high", "p_value"])


def fitted_placebos(placebos: pd.DataFrame, decree_lag: int) -> pd.DataFrame:
    """The placebo dates that could be fitted (not the decree's own day)."""
    return placebos[(placebos["break_time"] != decree_lag) & (placebos["status"] == "ok")]
