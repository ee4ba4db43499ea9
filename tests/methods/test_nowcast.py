"""Nowcast of a cumulative share from reference accumulation curves: hand formulas, the
range when curves are too few, the back-test, and the result contract."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods import nowcast as nc
from analysis.methods.contract import TIDY_COLUMNS, InputError


def curve(lags, values):
    return pd.DataFrame({"lag": lags, "value": values})


def test_value_at_interpolates_and_never_extrapolates():
    c = curve([0, 100], [0.2, 0.6])
    assert nc.value_at(c, 50) == pytest.approx(0.4)
    assert nc.value_at(c, 0) == pytest.approx(0.2)
    assert math.isnan(nc.value_at(c, 101)) and math.isnan(nc.value_at(c, -1))


def test_nowcast_with_references_matches_hand_formula():
    refs = {"a": curve([0, 100, 400], [0.3, 0.6, 0.8]), "b": curve([0, 100, 400], [0.2, 0.5, 0.9]),
            "c": curve([0, 100, 400], [0.4, 0.6, 0.7])}
    finals = {"a": 0.8, "b": 0.9, "c": 0.7}
    res = nc.nowcast_final(0.5, 100, refs, finals, n=200, level=0.95)
    r = np.log([0.6 / 0.8, 0.5 / 0.9, 0.6 / 0.7])
    centre = math.log(0.5) - r.mean()
    var = r.std(ddof=1) ** 2 * (1 + 1 / 3) + 0.5 / (200 * 0.5)
    t = stats.t.ppf(0.975, 2)
    assert res.method == "reference_curves" and res.k == 3
    assert res.estimate == pytest.approx(math.exp(centre))
    assert res.low == pytest.approx(math.exp(centre - t * math.sqrt(var)))
    assert res.high == pytest.approx(min(1.0, math.exp(centre + t * math.sqrt(var))))
    assert res.width == pytest.approx(res.high - res.low)


def test_too_few_curves_give_the_whole_range():
    one = {"a": curve([0, 100], [0.3, 0.6])}
    res = nc.nowcast_final(0.5, 50, one, {"a": 0.8})
    assert res.method == "single_reference_no_interval" and res.k == 1
    assert (res.low, res.high, res.width) == (0.0, 1.0, 1.0)
    assert res.estimate == pytest.approx(min(1.0, 0.5 / (0.45 / 0.8)))
    none = nc.nowcast_final(0.5, 500, one, {"a": 0.8})  # outside the reference's lags
    assert none.method == "no_reference_curve" and math.isnan(none.estimate)
    assert none.width == 1.0


def test_backtest_recovers_a_series_that_follows_the_references():
    shape = np.array([0.5, 0.75, 1.0])
    refs = {k: curve([0, 100, 400], f * shape) for k, f in (("a", 0.8), ("b", 0.9), ("c", 0.7))}
    finals = {"a": 0.8, "b": 0.9, "c": 0.7}
    target = curve([0, 100], 0.6 * shape[:2]).assign(n=500)
    bt = nc.backtest(target, 0.6, refs, finals, n_col="n")
    assert np.allclose(bt["estimate"], 0.6) and bt["covers"].all()
    assert np.allclose(bt["carry_forward_error"], [0.3 - 0.6, 0.45 - 0.6])


def test_tidy_gives_one_row_with_the_fixed_columns_and_no_standard_error():
    refs = {"a": curve([0, 100], [0.3, 0.6]), "b": curve([0, 100], [0.2, 0.5])}
    res = nc.nowcast_final(0.5, 100, refs, {"a": 0.8, "b": 0.9}, n=200, level=0.80)
    table = res.tidy()
    assert list(table.columns[:6]) == list(TIDY_COLUMNS) and len(table) == 1
    row = table.iloc[0]
    assert (row["term"], row["estimate"], row["low"], row["high"]) == (
        "final_value", res.estimate, res.low, res.high)
    assert math.isnan(row["std_error"]) and math.isnan(row["p_value"])
    assert (row["k"], row["method"], row["references"], res.level) == (
        2, "reference_curves", "a|b", 0.80)


def test_a_reference_without_its_lag_column_is_named():
    refs = {"a": curve([0, 100], [0.3, 0.6]).rename(columns={"lag": "days"})}
    with pytest.raises(InputError, match="'lag'") as caught:
        nc.nowcast_final(0.5, 50, refs, {"a": 0.8})
    assert caught.value.column == "lag"
