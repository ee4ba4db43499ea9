"""Register rollup: ledger-shaped cumulative counts that add up to the register."""
import numpy as np
import pandas as pd
import pytest

from analysis.data.registers import rollup as ru
from analysis.data.registers import synth
from analysis.data.vocabulary import LEDGER_COLUMNS, METRICS, SCOPES, UNITS


@pytest.fixture(scope="module")
def reg():
    cases, truth = synth.synth_register(900, 5)
    meta = synth.register_meta(cases, truth)
    return cases, meta, ru.rollup(cases, meta)


def test_shape_and_vocabulary(reg):
    cases, meta, out = reg
    assert set(LEDGER_COLUMNS) <= set(out.columns)
    assert set(out["metric"]) <= set(METRICS)
    assert set(out["unit"]) <= set(UNITS)
    assert set(out["scope"]) <= set(SCOPES)
    assert (out["source_kind"] == "register").all()
    assert (out["source_register"] == meta["name"]).all()
    assert out["id"].is_unique
    assert out["synthetic"].all()


def test_totals_equal_the_register_counts(reg):
    cases, meta, out = reg
    final = out[out["as_of_date"] == meta["data_date"]]
    for (cycle, etype), g in cases.groupby(["cycle", "election_type"]):
        f = final[(final["cycle"] == cycle) & (final["election_type"] == etype)]
        nat = f[f["scope"] == "national"].set_index("metric")["value"]
        assert nat["reported"] == len(g)
        assert nat["sanction_executed"] == (g["date_sanction"] != "").sum()
        assert nat["recommended"] == (g["date_recommendation"] != "").sum()
        assert nat["pending"] == (g["outcome"] == "pending").sum()
        assert nat["not_violation"] == (g["outcome"] == "not_proven").sum()
        regional = f[f["scope"] != "national"].groupby("metric")["value"].sum()
        pd.testing.assert_series_equal(regional.sort_index(), nat.sort_index(),
                                       check_names=False)


def test_cumulative_every_30_days_from_voting_day(reg):
    cases, meta, out = reg
    nat = out[(out["scope"] == "national") & (out["metric"] == "reported")
              & (out["cycle"] == 2020)].sort_values("as_of_date")
    assert nat["lag_days"].iloc[0] == 0
    lags = list(nat["lag_days"])
    assert all(b - a == 30 for a, b in zip(lags[:-2], lags[1:-1]))
    assert nat["as_of_date"].iloc[-1] == meta["data_date"]
    assert nat["value"].is_monotonic_increasing
    assert (nat["as_of_date"] <= meta["data_date"]).all()


def test_unit_cases_counts_distinct_cases(reg):
    cases, meta, _ = reg
    doubled = pd.concat([cases, cases.iloc[:10].assign(person_id="SYN-PX")])
    asn = ru.rollup(doubled, meta)
    per_case = ru.rollup(doubled, meta, unit="cases")
    key = (asn["scope"] == "national") & (asn["metric"] == "reported") & (
        asn["as_of_date"] == meta["data_date"])
    assert asn.loc[key, "value"].sum() == len(cases) + 10
    assert per_case.loc[key, "value"].sum() == len(cases)
    assert (per_case["unit"] == "cases").all()


def test_rollup_of_the_stored_files_equals_the_rollup_in_memory(tmp_path):
    store = pytest.importorskip("analysis.data.registers.store")
    synth.write_synthetic(tmp_path, 300, 2)
    cases, meta = store.load_register(tmp_path)
    mem, truth = synth.synth_register(300, 2)
    assert ru.rollup(cases, meta).equals(ru.rollup(mem, synth.register_meta(mem, truth)))


def test_cumulative_counts_equal_a_count_at_every_date():
    # the O(rows) counting against the definition: rows of the group dated on or before
    rng = np.random.default_rng(7)
    n, groups = 5000, 7
    codes = rng.integers(0, groups, n)
    days = rng.integers(-40, 400, n).astype("timedelta64[D]")
    dates = (np.datetime64("2024-11-27") + days).astype("datetime64[ns]")
    dates[rng.random(n) < 0.2] = np.datetime64("NaT")
    stamps = (np.datetime64("2024-11-27") + np.arange(0, 390, 30).astype("timedelta64[D]")
              ).astype("datetime64[ns]")
    got = ru.cumulative_counts(codes, groups, dates, stamps)
    want = np.array([[int(((codes == g) & (dates <= s)).sum()) for s in stamps]
                     for g in range(groups)])
    assert got.shape == (groups, len(stamps)) and (got == want).all()
    # a date equal to a stamp counts at that stamp; an empty group counts zero
    one = ru.cumulative_counts(np.array([0]), 2, stamps[2:3], stamps)
    assert one[0].tolist() == [0, 0] + [1] * (len(stamps) - 2) and not one[1].any()


def test_rollup_counts_text_and_datetime_dates_alike(reg):
    cases, meta, out = reg
    typed = cases.copy()
    for c in ru.DATE_METRICS.values():
        typed[c] = pd.to_datetime(typed[c].replace("", None))
    pd.testing.assert_frame_equal(ru.rollup(typed, meta), out)


def test_rows_without_a_region_count_under_their_code_or_unknown(reg):
    cases, meta, _ = reg
    few = cases.iloc[:40].copy()
    few["region"] = ["", "", "Bangka"] * 13 + [""]
    few["region_code"] = ["1901", "", ""] * 13 + ["1901"]
    out = ru.rollup(few, meta)
    final = out[(out["as_of_date"] == meta["data_date"]) & (out["metric"] == "reported")]
    by_region = final.groupby("region")["value"].sum()
    assert by_region["code 1901"] == 14 and by_region["(unknown)"] == 13
    assert by_region["Bangka"] == 13 and by_region["Indonesia"] == 40
    # the same counts from categorical columns (as the import gives them)
    typed = few.astype({c: "category" for c in ("region", "region_code", "election_type",
                                                "outcome")})
    pd.testing.assert_frame_equal(ru.rollup(typed, meta), out)


def test_an_empty_register_rolls_up_to_no_figures(reg):
    cases, meta, _ = reg
    for unit in ("ASN", "cases"):
        out = ru.rollup(cases.iloc[:0], meta, unit=unit)
        assert out.empty and list(out.columns) == ru.ROLLUP_COLUMNS
