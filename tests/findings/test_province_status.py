"""Each province's status on the province overview: a verdict only where its comparison gives
one, else what data exist; every province counted once."""
import pandas as pd
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.findings import overview, province_status as ps


def _row(verdict="cannot tell", listed=0, figures=0):
    return {"verdict": verdict, "n_releases_listed": listed, "n_figures": figures}


def test_the_verdict_wins_then_a_list_then_any_figure():
    assert ps.status(_row("supported", 0, 0)) == "supported"
    assert ps.status(_row("suggestive", 2, 5)) == "suggestive"
    assert ps.status(_row("cannot tell", 1, 3)) == "listed"
    assert ps.status(_row("cannot tell", 0, 3)) == "figures"
    assert ps.status(_row("cannot tell", 0, 0)) == "none"


@pytest.fixture(scope="module")
def table():
    t = overview.province_overview(ledger.load_ledger(), ledger.load_headcount(),
                                   ledger.read_raw(paths.REGIONS), ledger.load_elections(),
                                   [[2020, "pilkada", "Bawaslu", "cases"],
                                    [2019, "pemilu", "Bawaslu", "cases"],
                                    [2024, "pemilu", "KASN", "cases"]], 10_000)
    return ps.with_status(t)


def test_counts_cover_every_province_once(table):
    n = ps.status_counts(table)
    assert sum(n[k] for k in ps.STATUSES) == n["total"] == len(table) == 38
    assert n["listed_any"] == (table["n_releases_listed"] > 0).sum()
    assert set(table["status"]) <= set(ps.STATUSES)


def test_latest_list_date_is_the_latest_count_date(table):
    dates = pd.to_datetime(table["latest_date"].dropna().astype(str).replace("", None).dropna(),
                           format="mixed")
    assert pd.Timestamp(ps.latest_list_date(table)[:10]) == dates.max()
