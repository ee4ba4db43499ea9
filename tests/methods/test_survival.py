"""Kaplan–Meier, cumulative incidence and durations against R 4.2 (survival 3.5) and hand
computations.

Reference values: ../shared/reference (R ``survfit``); copies in
tests/fixtures/reference for machines without shared/.
"""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods import survival as sv
from analysis.methods.contract import InputError
from testpaths import reference

CASES = pd.read_csv(reference("time_to_sanction.csv"))
R_KM = pd.read_csv(reference("r_km_overall.csv"))
Z95 = stats.norm.ppf(0.975)

# Hand example: 8 cases; distinct times 1..6 (2 and 4 have a death and a censoring).
HAND = pd.DataFrame({"days": [1, 2, 2, 3, 4, 4, 5, 6], "event": [1, 1, 0, 1, 0, 1, 1, 0]})
HAND_S = [7 / 8, 3 / 4, 3 / 5, 9 / 20, 9 / 40]
HAND_GW = np.cumsum([1 / (8 * 7), 1 / (7 * 6), 1 / (5 * 4), 1 / (4 * 3), 1 / (2 * 1)])


# ------------------------------------------------------------------------------------------
# Kaplan–Meier
# ------------------------------------------------------------------------------------------

def test_km_matches_r_survfit_log_intervals_at_chosen_days():
    km = sv.kaplan_meier(CASES, "days", "executed", conf_type="log", level=0.95,
                         at=R_KM["days"].tolist()).tidy()
    assert km["time"].tolist() == R_KM["days"].tolist()
    assert km["n_risk"].tolist() == R_KM["n_risk"].tolist()
    for col, r_col in [("estimate", "survival"), ("std_error", "std_err"), ("low", "lower"),
                       ("high", "upper")]:
        np.testing.assert_allclose(km[col], R_KM[r_col], rtol=0, atol=1e-9, err_msg=col)


def test_km_event_time_table_is_the_product_limit_estimate_by_hand():
    km = sv.kaplan_meier(HAND, "days", "event", conf_type="log", level=0.95).tidy()
    assert list(km.columns) == sv.KM_COLUMNS
    assert km["time"].tolist() == [1, 2, 3, 4, 5]           # event times only
    assert km["n_risk"].tolist() == [8, 7, 5, 4, 2]
    assert km["n_event"].tolist() == [1, 1, 1, 1, 1]
    assert km["n_censor"].tolist() == [0, 1, 0, 1, 0]       # day-6 censoring: after the last row
    np.testing.assert_allclose(km["estimate"], HAND_S, rtol=1e-14)
    np.testing.assert_allclose(km["std_error"], np.array(HAND_S) * np.sqrt(HAND_GW), rtol=1e-12)


@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_km_intervals_follow_r_survfit_definitions(conf_type):
    km = sv.kaplan_meier(HAND, "days", "event", conf_type=conf_type, level=0.9).tidy()
    s, sig, z = np.array(HAND_S), np.sqrt(HAND_GW), stats.norm.ppf(0.95)
    if conf_type == "log":
        lo, hi = s * np.exp(-z * sig), np.minimum(s * np.exp(z * sig), 1)
    elif conf_type == "log-log":
        # interval for log(-log S), whose SE is sig / |log S|; larger -log S = lower S
        lo = np.exp(-np.exp(np.log(-np.log(s)) + z * sig / np.abs(np.log(s))))
        hi = np.exp(-np.exp(np.log(-np.log(s)) - z * sig / np.abs(np.log(s))))
    else:
        lo, hi = np.maximum(s - z * sig * s, 0), np.minimum(s + z * sig * s, 1)
    np.testing.assert_allclose(km["low"], lo, rtol=1e-12)
    np.testing.assert_allclose(km["high"], hi, rtol=1e-12)
    assert (km["low"] <= km["estimate"]).all() and (km["estimate"] <= km["high"]).all()


def test_km_at_days_carries_survival_forward_and_counts_per_interval():
    km = sv.kaplan_meier(HAND, "days", "event", conf_type="log", at=[0, 2.5, 6, 10]).tidy()
    assert km["n_risk"].tolist() == [8, 5, 1, 0]            # number with days >= that day
    assert km["n_event"].tolist() == [0, 2, 3, 0]           # in (previous day, this day]
    assert km["n_censor"].tolist() == [0, 1, 2, 0]
    np.testing.assert_allclose(km["estimate"], [1, 3 / 4, 9 / 40, 9 / 40], rtol=1e-14)
    assert km.loc[0, "std_error"] == 0 and km.loc[0, "low"] == 1 and km.loc[0, "high"] == 1


def test_km_all_at_risk_failing_gives_zero_survival_and_undefined_error():
    km = sv.kaplan_meier(pd.DataFrame({"d": [1, 2, 2], "e": [1, 1, 1]}), "d", "e",
                         conf_type="log").tidy()
    assert km["estimate"].tolist() == [pytest.approx(2 / 3), 0.0]
    assert np.isnan(km.loc[1, ["std_error", "low", "high"]].astype(float)).all()


def test_km_by_group_is_one_curve_per_group_equal_to_fitting_each_subset():
    km = sv.kaplan_meier(CASES, "days", "executed", conf_type="log-log", at=[30, 90],
                         by="cycle").tidy()
    assert list(km.columns) == [*sv.KM_COLUMNS[:6], "cycle", *sv.KM_COLUMNS[6:]]
    assert km["cycle"].tolist() == [2018, 2018, 2020, 2020, 2024, 2024]
    dup = CASES.set_index(np.zeros(len(CASES), dtype=int))   # index labels need not be unique
    assert sv.kaplan_meier(dup, "days", "executed", conf_type="log-log", at=[30, 90],
                           by="cycle").tidy().equals(km)
    for cycle, sub in CASES.groupby("cycle"):
        alone = sv.kaplan_meier(sub, "days", "executed", conf_type="log-log",
                                at=[30, 90]).tidy()
        pd.testing.assert_frame_equal(km[km["cycle"] == cycle].drop(columns="cycle")
                                      .reset_index(drop=True), alone)


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"days": [1, 2]}), r"column 'event' is not in the data"),
    (pd.DataFrame({"days": [1, -2], "event": [1, 0]}, index=["c1", "c2"]), r"negative.*'c2'"),
    (pd.DataFrame({"days": [1, np.nan], "event": [1, 0]}), r"missing or infinite.*row\(s\) 1"),
    (pd.DataFrame({"days": [1, 2], "event": [1, 2]}, index=["c1", "c2"]), r"'event'.*0.*1.*'c2'"),
])
def test_km_rejects_bad_input_naming_column_and_row(frame, message):
    with pytest.raises(InputError, match=message):
        sv.kaplan_meier(frame, "days", "event", conf_type="log")


def test_km_rejects_unknown_conf_type_and_unsorted_at():
    with pytest.raises(InputError, match="conf_type"):
        sv.kaplan_meier(HAND, "days", "event", conf_type="arcsine")
    with pytest.raises(InputError, match="increasing"):
        sv.kaplan_meier(HAND, "days", "event", conf_type="log", at=[90, 30])


# ------------------------------------------------------------------------------------------
# Cumulative incidence (Aalen–Johansen)
# ------------------------------------------------------------------------------------------

# 7 cases, outcomes A and B competing, "pending" censored.
CR = pd.DataFrame({"days": [1, 2, 2, 3, 3, 4, 5],
                   "outcome": ["A", "B", "pending", "A", "B", "pending", "A"]})


def test_cif_hand_example_values_and_variances():
    cif = sv.cumulative_incidence(CR, "days", "outcome", ["A", "B"], "pending",
                                  conf_type="plain").tidy()
    assert list(cif.columns) == sv.CIF_COLUMNS
    a = cif[cif["term"] == "A"].reset_index(drop=True)
    b = cif[cif["term"] == "B"].reset_index(drop=True)
    assert a["time"].tolist() == [1, 2, 3, 5] and a["n_risk"].tolist() == [7, 6, 4, 1]
    # S: 6/7, 5/7, 5/14, 0. F_A = 1/7, 1/7, 1/7 + 5/7 * 1/4, + 5/14 * 1/1.
    np.testing.assert_allclose(a["estimate"], [1 / 7, 1 / 7, 9 / 28, 19 / 28], rtol=1e-14)
    np.testing.assert_allclose(b["estimate"], [0, 1 / 7, 9 / 28, 9 / 28], rtol=1e-14)
    np.testing.assert_allclose(a["survival"], [6 / 7, 5 / 7, 5 / 14, 0], rtol=1e-14, atol=1e-15)
    # by hand from the delta-method formula: both are 1/7 with binomial-like variance 6/343
    assert a.loc[0, "std_error"] == pytest.approx(np.sqrt(6 / 343), rel=1e-12)
    assert b.loc[1, "std_error"] == pytest.approx(np.sqrt(6 / 343), rel=1e-12)
    assert a.loc[0, "low"] == 0                                   # clipped at 0
    assert a.loc[0, "high"] == pytest.approx(1 / 7 + Z95 * np.sqrt(6 / 343), rel=1e-12)


def test_cif_of_all_outcomes_plus_event_free_survival_sum_to_one_at_every_time():
    df = CASES.assign(outcome=np.where(CASES["executed"] == 0, "pending",
                                       np.where(CASES.index % 3 == 0, "not_proven", "sanctioned")))
    cif = sv.cumulative_incidence(df, "days", "outcome", ["sanctioned", "not_proven"],
                                  "pending").tidy()
    total = cif.groupby("time")["estimate"].sum() + cif.groupby("time")["survival"].first()
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-12)
    assert (np.diff(cif[cif["term"] == "sanctioned"]["estimate"]) >= 0).all()


def test_cif_with_one_event_type_is_one_minus_km_with_greenwood_error():
    df = CASES.assign(outcome=CASES["executed"].map({1: "sanctioned", 0: "pending"}))
    days = [1, 30, 60, 90, 180, 270, 365]
    cif = sv.cumulative_incidence(df, "days", "outcome", ["sanctioned"], "pending", at=days,
                                  conf_type="log").tidy()
    km = sv.kaplan_meier(CASES, "days", "executed", conf_type="log", at=days).tidy()
    np.testing.assert_allclose(cif["estimate"], 1 - km["estimate"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(cif["std_error"], km["std_error"], rtol=1e-10)
    assert cif["n_risk"].tolist() == km["n_risk"].tolist()
    assert cif["n_event"].tolist() == km["n_event"].tolist()
    # and at every event time
    full = sv.cumulative_incidence(df, "days", "outcome", ["sanctioned"], "pending").tidy()
    kmf = sv.kaplan_meier(CASES, "days", "executed", conf_type="log").tidy()
    np.testing.assert_allclose(full["estimate"], 1 - kmf["estimate"], atol=1e-14)
    np.testing.assert_allclose(full["std_error"], kmf["std_error"], rtol=1e-10)


def test_cif_log_interval_is_exp_log_f_plus_minus_z_se_over_f():
    cif = sv.cumulative_incidence(CR, "days", "outcome", ["A", "B"], ["pending"],
                                  conf_type="log", at=[0.5, 3]).tidy()
    first = cif.iloc[0]
    assert first["estimate"] == 0 and np.isnan(first["low"])   # undefined before any event
    row = cif[(cif["term"] == "A") & (cif["time"] == 3)].iloc[0]
    f, se = row["estimate"], row["std_error"]
    assert row["low"] == pytest.approx(f * np.exp(-Z95 * se / f))
    assert row["n_event"] == 2 and row["n_risk"] == 4


def test_cif_rejects_unknown_outcome_codes_naming_rows():
    bad = CR.assign(outcome=CR["outcome"].replace({"pending": "pendng"}))
    with pytest.raises(InputError, match=r"'pendng'.*row\(s\) 2, 5"):
        sv.cumulative_incidence(bad, "days", "outcome", ["A", "B"], "pending")


def test_cif_takes_the_status_column_and_level_and_names_a_missing_column():
    cif = sv.cumulative_incidence(CR.rename(columns={"outcome": "status"}), "days", "status",
                                  ["A", "B"], "pending", conf_type="plain", level=0.80)
    row = cif.tidy().iloc[0]
    z80 = stats.norm.ppf(0.90)
    assert cif.level == 0.80 and row["high"] == pytest.approx(1 / 7 + z80 * np.sqrt(6 / 343))
    with pytest.raises(InputError, match="'state'") as caught:
        sv.cumulative_incidence(CR, "days", "state", ["A", "B"], "pending")
    assert caught.value.column == "state"


# ------------------------------------------------------------------------------------------
# Durations from dates
# ------------------------------------------------------------------------------------------

def test_durations_from_dates_censors_open_cases_at_the_data_date():
    df = pd.DataFrame({"recommended": ["2024-01-01", "2024-01-10", "2024-02-01"],
                       "executed_on": ["2024-01-31", None, "2024-02-01"]}, index=["a", "b", "c"])
    out = sv.durations_from_dates(df, "recommended", "executed_on", data_date="2024-03-01")
    assert out.loc["a"].tolist() == [30, 1]
    assert out.loc["b"].tolist() == [51, 0]     # 2024 is a leap year: Jan 10 -> Mar 1
    assert out.loc["c"].tolist() == [0, 1]


def test_durations_from_dates_rejects_end_before_start_naming_the_row():
    df = pd.DataFrame({"start": ["2024-01-10", "2024-01-10"], "end": ["2024-01-20", "2024-01-05"]},
                      index=["C0001", "C0002"])
    with pytest.raises(InputError, match=r"'end' is before start.*'C0002'"):
        sv.durations_from_dates(df, "start", "end", data_date="2024-03-01")
    with pytest.raises(InputError, match=r"after data_date.*'C0001'"):
        sv.durations_from_dates(df.iloc[:1], "start", "end", data_date="2024-01-15")
