"""Nowcast of a cumulative share from reference accumulation curves, and its use on the
published ledger (Pilkada 2020 back-test, the running 2024 cycle)."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import paths
from analysis.findings import nowcast as fn
from analysis.methods import nowcast as nc


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
    res = nc.nowcast_final(0.5, 100, refs, finals, n=200, confidence=0.95)
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


@pytest.fixture(scope="module")
def snapshots():
    return pd.read_csv(paths.PROCESSED / "enforcement_snapshots.csv")


def test_ledger_backtest_and_running_cycle_say_cannot_tell(snapshots):
    running = fn.running_nowcast(snapshots)
    back = fn.backtest_2020(snapshots)
    completed = running["table"][running["table"]["completed"]]
    # the published ledger holds one completed curve (KASN, Pilkada 2020)
    assert len(completed) >= 1
    assert back["k"] == 0  # no earlier cycle's curve to nowcast 2020 with
    assert back["final_lag"] >= fn.HORIZON_DAYS
    assert (back["backtest"]["width"] == 1.0).all()
    assert (back["backtest"]["carry_forward_error"] < 0).all()  # early snapshots understate
    v = fn.verdict(running, back)
    if running["k_available"] < 2:
        assert v.strength == "cannot tell"


def _snapshots(series: dict) -> pd.DataFrame:
    """Snapshots in the processed layout from {(cycle, agency): [(as_of, lag, share, n)]}."""
    rows = []
    for (cycle, agency), points in series.items():
        for as_of, lag, share, n in points:
            rows.append({"scope": "national", "region": "Indonesia", "cycle": cycle,
                         "election_type": "pilkada", "agency": agency, "as_of_date": as_of,
                         "as_of_precision": "day", "days_since_vote": lag,
                         "follow_up_rate": share, "executed": round(share * n),
                         "recommended": n, "source_ids": f"x-{cycle}-{lag}"})
    return pd.DataFrame(rows)


SHAPE = [(0, 0.5), (100, 0.75), (400, 1.0)]


def _curve(cycle, start, final, agency="KASN"):
    day0 = pd.Timestamp(start)
    return [((day0 + pd.Timedelta(days=lag)).date().isoformat(), lag, final * s, 1000)
            for lag, s in SHAPE]


def test_backtest_uses_only_curves_completed_before_each_snapshot():
    # 2016 and 2017 were complete long before 2020; 2022 completed in 2023, after every 2020
    # snapshot, so it must never serve as a reference for them
    snaps = _snapshots({(2016, "KASN"): _curve(2016, "2016-01-01", 0.8),
                        (2017, "KASN"): _curve(2017, "2017-01-01", 0.9),
                        (2022, "KASN"): _curve(2022, "2022-01-01", 0.2),
                        (2020, "KASN"): _curve(2020, "2020-01-01", 0.6)})
    back = fn.backtest_2020(snaps)
    assert back["references"] == ["pilkada 2016 KASN", "pilkada 2017 KASN"]
    assert (back["backtest"]["k"] == 2).all()
    assert back["n_informative"] == 2 and back["backtest"]["informative"].all()
    # with the two earlier curves, which have the 2020 curve's shape, the nowcast is exact
    assert np.allclose(back["backtest"]["estimate"], 0.6)


def test_a_curve_completed_after_the_snapshot_was_used_by_the_old_backtest():
    # only a later curve exists: the snapshot has nothing to be nowcast with
    snaps = _snapshots({(2022, "KASN"): _curve(2022, "2022-01-01", 0.6),
                        (2023, "KASN"): _curve(2023, "2023-01-01", 0.6),
                        (2020, "KASN"): _curve(2020, "2020-01-01", 0.6)})
    back = fn.backtest_2020(snaps)
    assert back["k"] == 0 and back["n_informative"] == 0
    assert (back["backtest"]["method"] == "no_reference_curve").all()
    assert not back["backtest"]["informative"].any()


def test_a_snapshot_sees_a_reference_curve_only_as_it_stood_on_its_date():
    # 2019's curve reached day 400 on 2020-02-05, after the 2020 snapshot of 2020-01-01 (day 0)
    # but before the one of 2020-04-10 (day 100): the first has no reference, the second has
    snaps = _snapshots({(2019, "KASN"): _curve(2019, "2019-01-01", 0.8),
                        (2018, "KASN"): _curve(2018, "2018-01-01", 0.7),
                        (2020, "KASN"): _curve(2020, "2020-01-01", 0.6)})
    bt = fn.backtest_2020(snaps)["backtest"]
    assert list(bt["k"]) == [1, 2]
    assert list(bt["informative"]) == [False, True]


def test_rows_without_a_reference_do_not_count_as_a_successful_backtest():
    snaps = _snapshots({(2020, "KASN"): _curve(2020, "2020-01-01", 0.6)})
    back = fn.backtest_2020(snaps)
    assert back["backtest"]["covers"].all()  # the whole [0, 1] range covers anything...
    running = {"k_available": 2, "nowcast": object()}
    v = fn.verdict(running, back)  # ...but proves nothing
    assert v.strength == "cannot tell" and "tests nothing" in v.reason_en
