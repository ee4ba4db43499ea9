"""Equal-lag reading of cumulative snapshots: observed, interpolated, never extrapolated."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis.methods import lags
from analysis.methods.contract import InputError
from analysis.methods.intervals import wilson


def _series(rows, agency="KASN", cycle=2020):
    return pd.DataFrame([
        {"cycle": cycle, "election_type": "pilkada", "agency": agency, "days_since_vote": lag,
         "executed": x, "recommended": n, "follow_up_rate": x / n, "as_of_precision": prec}
        for lag, x, n, prec in rows])


# lag 0: 4/10 = 0.4; lag 30: 12/20 = 0.6
TWO_POINTS = _series([(0, 4, 10, "day"), (30, 12, 20, "day")])


def test_rate_halfway_between_two_snapshots_is_linear_interpolation():
    row = lags.value_at_lags(TWO_POINTS, [15]).iloc[0]
    assert row["method"] == "interpolated"
    assert row["value"] == pytest.approx(0.5, abs=1e-12)
    assert (row["lower_lag"], row["lower_value"]) == (0, pytest.approx(0.4))
    assert (row["upper_lag"], row["upper_value"]) == (30, pytest.approx(0.6))
    assert row["bracket_span_days"] == 30


def test_counts_are_interpolated_separately_and_rate_is_their_ratio():
    row = lags.value_at_lags(TWO_POINTS, [15]).iloc[0]
    assert row["executed"] == pytest.approx(8.0)      # (4 + 12) / 2
    assert row["recommended"] == pytest.approx(15.0)  # (10 + 20) / 2
    assert row["rate_from_counts"] == pytest.approx(8 / 15)  # not the interpolated rate 0.5


def test_interpolated_reading_has_no_interval_of_its_own_but_its_brackets_do():
    """Interpolated counts were never observed: no Wilson interval pretends they were; the
    bracketing snapshots carry theirs, and the cumulative bounds hold whatever happened."""
    row = lags.value_at_lags(TWO_POINTS, [10]).iloc[0]
    assert row["executed"] == pytest.approx(4 + 8 / 3)
    assert row["recommended"] == pytest.approx(10 + 10 / 3)
    assert row["value"] == pytest.approx(0.4 + 0.2 / 3)
    assert math.isnan(row["rate_low"]) and math.isnan(row["rate_high"])
    assert row["lower_counts"] == "4/10" and row["upper_counts"] == "12/20"
    assert (row["lower_low"], row["lower_high"]) == pytest.approx(wilson(4, 10))
    assert (row["upper_low"], row["upper_high"]) == pytest.approx(wilson(12, 20))
    # executed in [4, 12], recommended in [10, 20] at any lag in between
    assert (row["bound_low"], row["bound_high"]) == (pytest.approx(4 / 20), pytest.approx(1.0))
    assert row["bound_low"] <= row["rate_from_counts"] <= row["bound_high"]


def test_count_columns_are_named_by_what_they_hold():
    df = TWO_POINTS.rename(columns={"recommended": "reported"})
    df["follow_up_rate"] = df["executed"] / df["reported"]
    out = lags.value_at_lags(df, [15], count_cols=("executed", "reported"))
    assert "reported" in out.columns and "recommended" not in out.columns
    assert out["reported"].iloc[0] == pytest.approx(15.0)


def test_a_curve_spliced_from_two_agencies_or_two_units_is_refused():
    spliced = pd.concat([_series([(0, 4, 10, "day")], agency="BKN"),
                         _series([(30, 12, 20, "day")], agency="KASN")])
    with pytest.raises(InputError, match="mixes agency values"):
        lags.value_at_lags(spliced, [15], group_cols=("cycle", "election_type"))
    units = TWO_POINTS.assign(recommended_unit=["ASN", "complaints"])
    with pytest.raises(InputError, match="mixes recommended_unit values"):
        lags.value_at_lags(units, [15])
    # one agency and one unit: fine
    ok = TWO_POINTS.assign(recommended_unit="ASN", executed_unit="ASN")
    assert lags.value_at_lags(ok, [15])["method"].iloc[0] == "interpolated"


def test_snapshot_exactly_at_lag_is_observed_with_its_own_counts():
    row = lags.value_at_lags(TWO_POINTS, [30]).iloc[0]
    assert row["method"] == "observed"
    assert row["value"] == pytest.approx(0.6)
    assert (row["executed"], row["recommended"]) == (12, 20)
    assert (row["rate_low"], row["rate_high"]) == pytest.approx(wilson(12, 20))
    assert row["gap_days"] == 0


def test_level_sets_the_wilson_intervals_of_observed_readings_and_brackets():
    row = lags.value_at_lags(TWO_POINTS, [30, 15], level=0.80).iloc[0]
    assert (row["rate_low"], row["rate_high"]) == pytest.approx(wilson(12, 20, 0.80))
    row = lags.value_at_lags(TWO_POINTS, [15], level=0.80).iloc[0]
    assert (row["lower_low"], row["lower_high"]) == pytest.approx(wilson(4, 10, 0.80))


def test_a_missing_column_is_named():
    with pytest.raises(InputError, match="days_since_vote") as caught:
        lags.value_at_lags(TWO_POINTS.drop(columns=["days_since_vote"]), [15])
    assert caught.value.column == "days_since_vote"


@pytest.mark.parametrize("lag, nearest, gap", [(-5, 0, -5), (40, 30, 10)])
def test_lag_outside_snapshots_is_flagged_not_filled(lag, nearest, gap):
    row = lags.value_at_lags(TWO_POINTS, [lag]).iloc[0]
    assert row["method"] == "not_available_extrapolation_needed"
    assert math.isnan(row["value"]) and math.isnan(row["rate_from_counts"])
    assert math.isnan(row["rate_low"])
    assert row["nearest_lag"] == nearest
    assert row["nearest_value"] == pytest.approx(0.4 if nearest == 0 else 0.6)
    assert row["gap_days"] == gap


def test_one_row_per_group_and_lag_groups_sorted_lags_in_given_order():
    df = pd.concat([_series([(0, 1, 2, "day"), (10, 2, 2, "day")], agency="KASN"),
                    _series([(0, 1, 4, "day"), (10, 3, 4, "day")], agency="BKN")])
    out = lags.value_at_lags(df, [10, 5])
    assert list(out["agency"]) == ["BKN", "BKN", "KASN", "KASN"]
    assert list(out["lag"]) == [10, 5, 10, 5]
    assert list(out["method"]) == ["observed", "interpolated"] * 2
    assert out["value"].tolist() == pytest.approx([0.75, 0.5, 1.0, 0.75])


def test_snapshots_without_a_rate_do_not_bracket():
    df = pd.concat([TWO_POINTS, _series([(20, 9, 10, "day")]).assign(follow_up_rate=np.nan)])
    row = lags.value_at_lags(df, [15]).iloc[0]
    assert (row["lower_lag"], row["upper_lag"]) == (0, 30)


def test_two_different_values_at_one_lag_raise_with_hint():
    df = pd.concat([TWO_POINTS, _series([(30, 1, 20, "day")])])
    with pytest.raises(InputError, match="group_cols"):
        lags.value_at_lags(df, [15])


def test_identical_duplicate_snapshots_are_collapsed():
    df = pd.concat([TWO_POINTS, TWO_POINTS.iloc[[1]]])
    assert lags.value_at_lags(df, [15])["value"].iloc[0] == pytest.approx(0.5)


def test_snapshot_dated_to_year_marks_the_reading_imprecise():
    df = _series([(0, 4, 10, "day"), (365, 12, 20, "year")])
    out = lags.value_at_lags(df, [0, 100])
    assert out["imprecise_date"].tolist() == [False, True]


def test_missing_denominator_leaves_counts_empty_but_rate_interpolated():
    df = TWO_POINTS.assign(recommended=[np.nan, 20])
    row = lags.value_at_lags(df, [15]).iloc[0]
    assert row["value"] == pytest.approx(0.5)
    assert math.isnan(row["recommended"]) and math.isnan(row["rate_from_counts"])


def test_accumulation_curve_orders_points_and_flags_a_fall_in_cumulative_counts():
    df = _series([(30, 12, 20, "day"), (0, 4, 10, "day"), (60, 11, 25, "day")])
    curve = lags.accumulation_curve(df)
    assert curve["days_since_vote"].tolist() == [0, 30, 60]
    assert curve["executed_change"].tolist()[1:] == [8, -1]
    assert curve["executed_decreased"].tolist() == [False, False, True]
    assert "executed fell from 12 to 11" in curve["flags"].iloc[2]
    assert not curve["monotone"].any()


def test_accumulation_curve_keeps_counts_without_rate_and_flags_unit_change():
    df = pd.concat([TWO_POINTS, _series([(45, 14, 22, "day")])])
    df["recommended_unit"] = ["ASN", "ASN", "recommendations"]
    df.loc[df["days_since_vote"] == 45, "follow_up_rate"] = np.nan
    curve = lags.accumulation_curve(df)
    assert len(curve) == 3 and curve["monotone"].all()
    assert "unit changed from 'ASN' to 'recommendations'" in curve["flags"].iloc[2]


def test_accumulation_curve_flags_a_release_repeated_on_a_later_date():
    df = pd.concat([TWO_POINTS, _series([(32, 12, 20, "day")])])
    curve = lags.accumulation_curve(df)
    assert "identical to the previous snapshot" in curve["flags"].iloc[2]
    assert curve["flags"].iloc[1] == ""
