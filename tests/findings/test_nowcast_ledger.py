"""Nowcast on the published ledger: the Pilkada 2020 back-test and the running 2024 cycle."""
import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.findings import nowcast as fn


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


def test_carry_forward_shortfall_is_read_from_the_backtest_in_points():
    back = {"backtest": pd.DataFrame({"lag": [-10, 5, 40],
                                      "carry_forward_error": [-0.5, -0.3, -0.1],
                                      "width": [1.0, 1.0, 0.4]})}
    out = fn.carry_forward_shortfall(back)
    assert out == pytest.approx({"latest": 10.0, "largest": 50.0, "widest_interval": 100.0})


def test_carry_forward_shortfall_of_the_ledger_matches_its_backtest(snapshots):
    back = fn.backtest_2020(snapshots)
    out = fn.carry_forward_shortfall(back)
    errors = -100 * back["backtest"]["carry_forward_error"]
    assert out["largest"] == pytest.approx(errors.max()) and out["latest"] <= out["largest"]
    assert out["latest"] == pytest.approx(errors.iloc[-1])
