"""Segmented regression with HAC errors: known parameters, HAC rule, t-based intervals."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods import its
from analysis.methods.contract import InputError

TRUE = {"intercept": 0.30, "pre_slope": 0.02, "level_change": 0.10, "slope_change": -0.015}
BREAK = -90.0


def _line(t, p=TRUE, brk=BREAK):
    post = (t >= brk).astype(float)
    return (p["intercept"] + p["pre_slope"] * t / 30 + p["level_change"] * post
            + p["slope_change"] * (t - brk) / 30 * post)


def _frame(t, y):
    return pd.DataFrame({"days_since_vote": t, "follow_up_rate": y})


def _fit(df, **kw):
    return its.segmented_regression(df, "days_since_vote", "follow_up_rate", BREAK, **kw)


@pytest.mark.parametrize("n, expected", [(1, 1), (3, 1), (11, 2), (50, 3), (100, 4),
                                         (500, 5), (1000, 6)])
def test_newey_west_maxlags_rule_by_hand(n, expected):
    assert its.newey_west_maxlags(n) == expected == max(1, math.floor(4 * (n / 100) ** (2 / 9)))


def test_noiseless_data_give_the_true_parameters_exactly():
    t = np.array([-170, -130, -110, -100, -70, -57, -43, -30, 10, 12, 370.0])
    res = _fit(_frame(t, _line(t)))
    for term, value in TRUE.items():
        assert res.estimate(term) == pytest.approx(value, abs=1e-10)
    assert (res.n, res.n_pre, res.n_post) == (11, 4, 7)
    assert res.fitted["fitted"].to_numpy() == pytest.approx(_line(t), abs=1e-10)


def test_noisy_data_with_many_points_recover_the_parameters():
    rng = np.random.default_rng(20200910)
    t = np.linspace(-300, 300, 600)
    res = _fit(_frame(t, _line(t) + rng.normal(0, 0.005, t.size)))
    for term, value in TRUE.items():
        assert res.estimate(term) == pytest.approx(value, abs=0.003)
    row = res.tidy().set_index("term")
    assert (row["low"] < pd.Series(TRUE)).all() and (row["high"] > pd.Series(TRUE)).all()


def test_hac_options_are_passed_explicitly_with_rule_lags_and_correction():
    t = np.arange(-150, 150, 3.0)
    res = _fit(_frame(t, _line(t) + np.sin(t)))
    assert res.maxlags == its.newey_west_maxlags(t.size) == 4
    assert res.model.cov_type == "HAC"
    assert res.model.cov_kwds["maxlags"] == 4 and res.model.cov_kwds["use_correction"] is True
    assert _fit(_frame(t, _line(t) + np.sin(t)), hac_maxlags=7).maxlags == 7


def test_hac_standard_errors_match_bartlett_sandwich_by_hand():
    rng = np.random.default_rng(1)
    t = np.arange(-120, 120, 6.0)
    y = _line(t) + rng.normal(0, 0.02, t.size)
    res = _fit(_frame(t, y), hac_maxlags=3)
    post = (t >= BREAK).astype(float)
    X = np.column_stack([np.ones_like(t), t / 30, post, (t - BREAK) / 30 * post])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    xu = X * (y - X @ beta)[:, None]
    S = xu.T @ xu
    for lag in (1, 2, 3):
        gamma = xu[lag:].T @ xu[:-lag]
        S += (1 - lag / 4) * (gamma + gamma.T)
    bread = np.linalg.inv(X.T @ X)
    n, k = X.shape
    cov = bread @ S @ bread * n / (n - k)
    assert res.tidy()["std_error"].to_numpy() == pytest.approx(np.sqrt(np.diag(cov)), rel=1e-10)


def test_confidence_interval_and_p_value_use_t_with_residual_df():
    rng = np.random.default_rng(2)
    t = np.array([-170, -130, -110, -70, -57, -43, -30, 10, 12, 370.0])
    res = _fit(_frame(t, _line(t) + rng.normal(0, 0.02, t.size)))
    assert res.df_resid == t.size - 4
    q = stats.t.ppf(0.975, t.size - 4)
    tab = res.tidy()
    assert (tab["high"] - tab["estimate"]).to_numpy() == pytest.approx(q * tab["std_error"])
    expected_p = 2 * stats.t.sf(np.abs(tab["estimate"] / tab["std_error"]), t.size - 4)
    assert tab["p_value"].to_numpy() == pytest.approx(np.asarray(expected_p))
    assert tab["p_value"].to_numpy() == pytest.approx(res.model.pvalues)  # statsmodels agrees
    assert tab[["low", "high"]].to_numpy() == pytest.approx(res.model.conf_int())
    narrow = _fit(_frame(t, _line(t) + rng.normal(0, 0.02, t.size)), level=0.80)
    assert narrow.level == 0.80
    assert narrow.tidy()[["low", "high"]].to_numpy() == pytest.approx(
        narrow.model.conf_int(alpha=0.20))


def test_hac_standard_error_exceeds_naive_ols_under_ar1_errors_on_average():
    rng = np.random.default_rng(11)
    n, reps, rho = 120, 150, 0.8
    t = np.linspace(-300, 300, n)
    shocks = rng.normal(0, 0.01, (reps, n))
    errors = np.empty_like(shocks)
    errors[:, 0] = shocks[:, 0] / math.sqrt(1 - rho ** 2)
    for i in range(1, n):  # AR(1) across the time axis, all replications at once
        errors[:, i] = rho * errors[:, i - 1] + shocks[:, i]
    hac, ols = [], []
    for e in errors:
        tab = _fit(_frame(t, _line(t) + e)).tidy().set_index("term")
        hac.append(tab["std_error"])
        ols.append(tab["std_error_ols"])
    hac, ols = pd.DataFrame(hac).mean(), pd.DataFrame(ols).mean()
    for term in ("pre_slope", "level_change", "slope_change"):
        assert hac[term] > ols[term]


def test_segment_with_two_points_warns_too_few_points_for_a_slope():
    t = np.array([-170, -130, -70, -57, -43, -30, 10.0])
    res = _fit(_frame(t, _line(t)))
    assert res.n_pre == 2
    assert any("too few points for a slope before" in w for w in res.warnings)
    assert res.tidy()["std_error"].isna().all() and res.tidy()["low"].isna().all()
    assert res.estimate("level_change") == pytest.approx(TRUE["level_change"], abs=1e-10)


def test_two_points_after_the_break_withhold_only_the_change_terms_errors():
    rng = np.random.default_rng(4)
    t = np.array([-170, -150, -130, -120, -110, -100, -80, -60.0])
    res = _fit(_frame(t, _line(t) + rng.normal(0, 0.01, t.size)))
    se = res.tidy().set_index("term")["std_error"]
    assert res.n_post == 2 and se[["level_change", "slope_change"]].isna().all()
    assert se[["intercept", "pre_slope"]].notna().all()


def test_segment_with_one_point_is_refused():
    t = np.array([-170, -70, -57, -43, -30, 10.0])
    with pytest.raises(InputError, match="n_pre=1"):
        _fit(_frame(t, _line(t)))


def test_a_missing_weight_column_is_named():
    t = np.arange(-150, 150, 10.0)
    with pytest.raises(InputError, match="asn") as caught:
        _fit(_frame(t, _line(t)), weights="asn")
    assert caught.value.column == "asn"


def test_weights_give_weighted_least_squares():
    rng = np.random.default_rng(3)
    t = np.linspace(-200, 200, 40)
    y = _line(t) + rng.normal(0, 0.01, t.size)
    w = rng.uniform(1, 5, t.size)
    res = _fit(_frame(t, y).assign(n=w), weights="n")
    post = (t >= BREAK).astype(float)
    X = np.column_stack([np.ones_like(t), t / 30, post, (t - BREAK) / 30 * post])
    sw = np.sqrt(w)
    beta = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)[0]
    assert res.tidy()["estimate"].to_numpy() == pytest.approx(beta, abs=1e-12)


def test_plot_line_joins_segments_at_the_break():
    t = np.array([-170, -130, -110, -70, -57, -43, -30, 10.0])
    line = _fit(_frame(t, _line(t))).line.set_index("segment")
    at_break = line[line["days_since_vote"] == BREAK]["value"]
    jump = at_break["post"] - at_break["pre"]
    assert jump == pytest.approx(TRUE["level_change"])
    assert line.loc["counterfactual", "value"].iloc[0] == pytest.approx(at_break["pre"])


def test_placebo_breaks_refit_each_date_flag_the_real_one_and_skip_unfittable():
    t = np.array([-170, -130, -110, -100, -70, -57, -43, -30, 10, 12, 370.0])
    out = its.placebo_breaks(_frame(t, _line(t)), "days_since_vote", "follow_up_rate",
                             candidate_breaks=[-140, -50, 0, 100], real_break=BREAK)
    assert out["break_time"].tolist() == [-140, -90, -50, 0, 100]
    assert out["is_real"].tolist() == [False, True, False, False, False]
    real = out[out["is_real"]].iloc[0]
    assert real["level_change"] == pytest.approx(TRUE["level_change"], abs=1e-10)
    assert real["slope_change"] == pytest.approx(TRUE["slope_change"], abs=1e-10)
    assert out.set_index("break_time").loc[-140, "status"].startswith(
        "not fitted: segmented regression of 'follow_up_rate'")  # the reason, not the function
    assert out.set_index("break_time").loc[100, "status"].startswith("not fitted")
    assert (out.set_index("break_time").loc[[-50, 0], "status"] == "ok").all()


def test_low_df_warning_fires_at_five_residual_df():
    t = np.array([-166, -131, -112, -70, -57, -43, -37, -30, 10], float)
    df = pd.DataFrame({"t": t, "y": 0.5 + 0.001 * t + np.random.default_rng(3).normal(0, .02, 9)})
    fit = its.segmented_regression(df, "t", "y", -90)
    assert fit.df_resid == 5 and any("<= 5" in w for w in fit.warnings)
    fit10 = its.segmented_regression(pd.concat([df, df.assign(t=df["t"] + 400)]), "t", "y", -90)
    assert not any("residual degrees" in w for w in fit10.warnings)


def test_leave_one_out_refits_without_each_point():
    t = np.arange(10, dtype=float)
    y = 1 + 0.1 * t + 2 * (t >= 5)  # noiseless: every refit recovers the jump exactly
    loo = its.leave_one_out(pd.DataFrame({"t": t, "y": y}), "t", "y", 5)
    assert len(loo) == 10 and (loo["status"] == "ok").all()
    assert np.allclose(loo["estimate"], 2.0)


def test_increments_are_new_numerator_per_new_denominator_by_period():
    df = pd.DataFrame({"t": [0, 10, 20, 30], "x": [10, 20, 25, 45], "n": [20, 40, 60, 80]})
    inc = its.increments(df, "t", "x", "n", break_time=15)
    assert inc["increment"].tolist() == pytest.approx([0.5, 0.25, 1.0])
    assert inc["period"].tolist() == ["before", "spans", "after"]
