"""Nowcast on the published ledger: the Pilkada 2020 back-test and the running 2024 cycle."""
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
