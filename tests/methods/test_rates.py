"""Rates, rate ratios and count models against R 4.2 and independent hand computations.

Reference values: ../shared/reference (R glm, MASS::glm.nb, sandwich::vcovCL, poisson.test);
copies in tests/fixtures/reference for machines without shared/.
"""
import functools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats import rates as sm_rates

from analysis.methods import rates
from analysis.methods.contract import TIDY_COLUMNS, InputError
from testpaths import reference

PANEL = pd.read_csv(reference("panel_counts.csv"))
R_MODELS = pd.read_csv(reference("r_count_models.csv"), keep_default_na=False,
                       na_values={"std_error": ["NA"]})
R_INTERVALS = pd.read_csv(reference("r_intervals.csv"))
FORMULA = "violations ~ C(cycle) + incumbent + monitoring"
REL = {"poisson": 1e-6, "quasipoisson": 1e-6, "negbin": 1e-4}  # reference README tolerances


@functools.cache
def panel_fit(model: str, se: str = "model") -> rates.CountModelFit:
    """The reference panel fitted as R did; ``se`` as named in r_count_models.csv."""
    if se == "model":
        return rates.fit_count_model(PANEL, FORMULA, "asn", model)
    _, cluster, cov_type = se.split("_")  # cluster_region_HC1
    return rates.fit_count_model(PANEL, FORMULA, "asn", model, cluster=cluster,
                                 cov_type=cov_type)


# ---------------------------------------------------------------------------------------------
# Count models: every row of r_count_models.csv
# ---------------------------------------------------------------------------------------------

COEF_ROWS = R_MODELS[R_MODELS["se"] != ""].to_dict("records")


@pytest.mark.parametrize("row", COEF_ROWS, ids=lambda r: f"{r['model']}-{r['se']}-{r['term']}")
def test_coefficient_and_standard_error_match_r(row):
    table = panel_fit(row["model"], row["se"]).tidy().set_index("term")
    rel = REL[row["model"]]
    assert table.at[row["term"], "estimate"] == pytest.approx(row["estimate"], rel=rel)
    assert table.at[row["term"], "std_error"] == pytest.approx(row["std_error"], rel=rel)


def test_every_r_term_is_reproduced_and_no_other():
    for (model, se), group in R_MODELS[R_MODELS["se"] != ""].groupby(["model", "se"]):
        assert list(panel_fit(model, se).tidy()["term"]) == list(group["term"])


def test_negbin_theta_and_its_standard_error_match_glm_nb():
    row = R_MODELS.query("model == 'negbin' and term == 'theta'").iloc[0]
    fit = panel_fit("negbin")
    assert fit.stats["theta"] == pytest.approx(row["estimate"], rel=1e-4)
    assert fit.stats["theta_se"] == pytest.approx(row["std_error"], rel=1e-4)
    assert fit.result.model.family.alpha == pytest.approx(1 / fit.stats["theta"], rel=1e-12)


def test_quasipoisson_dispersion_is_pearson_chi2_over_residual_df():
    r_dispersion = R_MODELS.query("model == 'quasipoisson' and term == 'dispersion'")
    fit = panel_fit("quasipoisson")
    assert fit.stats["dispersion"] == pytest.approx(r_dispersion["estimate"].iloc[0], rel=1e-6)
    assert fit.stats["pearson_chi2_over_df"] == pytest.approx(fit.stats["dispersion"], rel=1e-12)
    # by hand from the Poisson fit: sum((y - mu)^2 / mu) / (N - K)
    poisson = panel_fit("poisson").result
    y, mu = poisson.model.endog, poisson.mu
    by_hand = np.sum((y - mu) ** 2 / mu) / (len(y) - 6)
    assert rates.overdispersion(poisson) == pytest.approx(by_hand, rel=1e-12)
    assert panel_fit("poisson").stats["pearson_chi2_over_df"] == pytest.approx(by_hand, rel=1e-12)


def test_quasipoisson_standard_errors_are_poisson_ones_times_root_dispersion():
    pois, quasi = panel_fit("poisson"), panel_fit("quasipoisson")
    factor = math.sqrt(quasi.stats["dispersion"])
    np.testing.assert_allclose(quasi.tidy()["std_error"], pois.tidy()["std_error"] * factor,
                               rtol=1e-9)
    np.testing.assert_allclose(quasi.tidy()["estimate"], pois.tidy()["estimate"], rtol=1e-12)


def test_model_level_statistics_are_reported():
    fit = panel_fit("poisson", "cluster_region_HC1")
    assert fit.stats["n"] == 120 and fit.stats["df_resid"] == 114
    assert fit.stats["n_clusters"] == 30
    assert fit.stats["deviance"] == pytest.approx(fit.result.deviance)
    assert panel_fit("negbin").stats["theta"] > 0
    assert panel_fit("poisson").stats["n_clusters"] is None


def test_exposure_is_raw_headcount_logged_once():
    doubled = PANEL.assign(asn=PANEL["asn"] * 2)
    base = panel_fit("poisson").tidy().set_index("term")["estimate"]
    shifted = rates.fit_count_model(doubled, FORMULA, "asn", "poisson").tidy().set_index(
        "term")["estimate"]
    assert shifted["(Intercept)"] == pytest.approx(base["(Intercept)"] - math.log(2), rel=1e-9)
    np.testing.assert_allclose(shifted.drop("(Intercept)"), base.drop("(Intercept)"),
                               rtol=1e-8)


def _cluster_sandwich_by_hand(result, groups: np.ndarray, alpha: float) -> np.ndarray:
    """CR0 sandwich for a log-link NB2 (alpha = 0: Poisson) GLM, from numpy alone."""
    X, y, mu = result.model.exog, result.model.endog, result.mu
    bread = np.linalg.inv(X.T @ (X * (mu / (1 + alpha * mu))[:, None]))
    scores = X * ((y - mu) / (1 + alpha * mu))[:, None]
    sums = np.array([scores[groups == g].sum(axis=0) for g in np.unique(groups)])
    return bread @ (sums.T @ sums) @ bread


@pytest.mark.parametrize("model", ["poisson", "negbin"])
@pytest.mark.parametrize("cov_type", ["HC1", "HC0"])
def test_cluster_robust_errors_match_a_hand_sandwich(model, cov_type):
    # negbin clustered has no R row: check it (and Poisson) against the formula instead
    fit = rates.fit_count_model(PANEL, FORMULA, "asn", model, cluster="region",
                                cov_type=cov_type)
    alpha = 0.0 if model == "poisson" else 1 / fit.stats["theta"]
    G, N, K = 30, 120, 6
    cov = _cluster_sandwich_by_hand(fit.result, PANEL["region"].to_numpy(), alpha)
    factor = G / (G - 1) * ((N - 1) / (N - K) if cov_type == "HC1" else 1.0)
    np.testing.assert_allclose(fit.tidy()["std_error"], np.sqrt(np.diag(cov) * factor),
                               rtol=1e-8)


def test_clustered_interval_uses_t_with_g_minus_1_df():
    fit = panel_fit("poisson", "cluster_region_HC1")
    t, ratio = fit.tidy(), fit.tidy(exponentiate=True)
    assert (t["ci_method"] == "wald_t_G_minus_1").all() and (t["ci_df"] == 29).all()
    crit = rates.critical_t(30, 0.95)
    np.testing.assert_allclose(t["low"], t["estimate"] - crit * t["std_error"])
    np.testing.assert_allclose(t["high"], t["estimate"] + crit * t["std_error"])
    np.testing.assert_allclose(ratio["low"], np.exp(t["estimate"] - crit * t["std_error"]))
    np.testing.assert_allclose(ratio["high"], np.exp(t["estimate"] + crit * t["std_error"]))
    p_by_hand = 2 * stats.t.sf(np.abs(t["estimate"] / t["std_error"]), 29)
    np.testing.assert_allclose(t["p_value"], p_by_hand, rtol=1e-10)


@pytest.mark.parametrize("cov_type", ["HC1", "HC0"])
def test_statsmodels_cluster_options_reproduce_vcovcl_for_poisson(cov_type):
    # Log link is canonical for Poisson, so statsmodels' observed-Hessian bread equals R's:
    # HC1 <- use_correction=True; HC0 <- use_correction=False with scaling_factor=G/(G-1)
    G = 30
    groups = pd.factorize(PANEL["region"], sort=True)[0].astype(np.int64)
    cov_kwds = {"groups": groups, "use_correction": cov_type == "HC1", "df_correction": True,
                "scaling_factor": None if cov_type == "HC1" else G / (G - 1)}
    direct = smf.glm(FORMULA, PANEL, family=sm.families.Poisson(link=sm.families.links.Log()),
                     exposure=PANEL["asn"]).fit(method="IRLS", tol=1e-10, scale=1.0,
                                                cov_type="cluster", cov_kwds=cov_kwds,
                                                use_t=True)
    fit = panel_fit("poisson", f"cluster_region_{cov_type}")
    np.testing.assert_allclose(fit.tidy()["std_error"], direct.bse, rtol=1e-8)
    np.testing.assert_allclose(fit.tidy()[["low", "high"]], direct.conf_int(alpha=0.05),
                               rtol=1e-8)  # t(G-1) as ours


def test_model_based_intervals_use_normal_or_t_with_residual_df():
    pois, quasi = panel_fit("poisson").tidy(), panel_fit("quasipoisson").tidy()
    assert (pois["ci_method"] == "wald_z").all()
    z = 1.959963984540054
    np.testing.assert_allclose(pois["low"], pois["estimate"] - z * pois["std_error"])
    assert (quasi["ci_method"] == "wald_t_df_resid").all() and (quasi["ci_df"] == 114).all()
    np.testing.assert_allclose(quasi["p_value"], panel_fit("quasipoisson").result.pvalues,
                               rtol=1e-8)
    ratio = panel_fit("poisson").tidy(exponentiate=True)
    np.testing.assert_allclose(ratio["estimate"], np.exp(pois["estimate"]))
    np.testing.assert_allclose(ratio["low"], np.exp(pois["low"]))
    # on the ratio scale the standard error is the delta-method one, exp(b) * SE(b)
    np.testing.assert_allclose(ratio["std_error"], np.exp(pois["estimate"]) * pois["std_error"])
    np.testing.assert_array_equal(ratio["p_value"], pois["p_value"])


def test_critical_t_matches_tabulated_values():
    assert rates.critical_t(30, 0.95) == pytest.approx(2.045229642132703, rel=1e-12)
    assert rates.critical_t(2, 0.95) == pytest.approx(12.706204736174698, rel=1e-12)
    assert rates.critical_t(8, 0.90) == pytest.approx(1.894578605, rel=1e-9)
    with pytest.raises(InputError, match="at least 2 clusters"):
        rates.critical_t(1)


def test_negbin_reports_theta_known_standard_errors_smaller_than_joint_ml():
    fit = panel_fit("negbin")
    joint = smf.negativebinomial(FORMULA, PANEL, exposure=PANEL["asn"],
                                 loglike_method="nb2").fit(
        start_params=np.append(fit.result.params, 1 / fit.stats["theta"]),
        method="newton", maxiter=50, disp=False)
    np.testing.assert_allclose(joint.params.iloc[:-1], fit.result.params, rtol=1e-6)
    assert (fit.result.bse.to_numpy() < joint.bse.iloc[:-1].to_numpy()).all()


@pytest.mark.parametrize("name,expected", [
    ("Intercept", "(Intercept)"),
    ("C(cycle)[T.2018]", "cycle2018"),
    ("C(cycle, Treatment(reference=2015))[T.2020]", "cycle2020"),
    ("region[T.R02]", "regionR02"),
    ("incumbent", "incumbent"),
    ("C(cycle)[T.2018]:incumbent", "cycle2018:incumbent"),
])
def test_term_names_follow_r(name, expected):
    assert rates.r_term_name(name) == expected


def test_bad_model_inputs_name_column_and_row():
    bad = PANEL.copy()
    bad.loc[5, "asn"] = 0
    with pytest.raises(InputError, match=r"'asn'; row 5; value 0"):
        rates.fit_count_model(bad, FORMULA, "asn", "poisson")
    with pytest.raises(InputError, match="family"):
        rates.fit_count_model(PANEL, FORMULA, "asn", "gaussian")
    with pytest.raises(InputError, match="district") as caught:
        rates.fit_count_model(PANEL, FORMULA, "asn", "poisson", cluster="district")
    assert caught.value.column == "district"


@pytest.mark.parametrize("formula,column", [
    ("violations ~ C(cycle) + incumbent + turnout", "turnout"),
    ("cases ~ C(cycle)", "cases"),
    ("violations ~ np.log(distance + 1)", "distance"),
    ('violations ~ Q("monitoring x")', "monitoring x"),
])
def test_a_formula_naming_a_missing_column_raises_input_error_naming_it(formula, column):
    with pytest.raises(InputError, match=column) as caught:
        rates.fit_count_model(PANEL, formula, "asn", "poisson")
    assert caught.value.column == column


# ---------------------------------------------------------------------------------------------
# rate_table
# ---------------------------------------------------------------------------------------------

def test_rate_table_matches_hand_computation_from_gamma_quantiles():
    df = pd.DataFrame({"region": ["a", "b", "c"], "count": [0, 3, 12],
                       "exposure": [5_000, 20_000, 80_000]})
    out = rates.rate_table(df, label="region", per=10_000).tidy()
    # exact Poisson limits are gamma quantiles: G(0.025; x, 1) and G(0.975; x + 1, 1)
    low = [0.0] + [stats.gamma.ppf(0.025, x) for x in (3, 12)]
    high = [stats.gamma.ppf(0.975, x + 1) for x in (0, 3, 12)]
    scale = np.array([2.0, 0.5, 0.125])
    np.testing.assert_allclose(out["estimate"], [0.0, 1.5, 1.5])
    np.testing.assert_allclose(out["low"], np.array(low) * scale, rtol=1e-9)
    np.testing.assert_allclose(out["high"], np.array(high) * scale, rtol=1e-9)
    assert out.loc[0, "high"] == pytest.approx(-math.log(0.025) * 2.0, rel=1e-9)
    assert list(df.columns) == ["region", "count", "exposure"]  # input untouched
    assert list(out["term"]) == ["a", "b", "c"]
    assert list(out.columns) == [*TIDY_COLUMNS, "count", "exposure"]
    assert out["std_error"].isna().all() and out["p_value"].isna().all()  # exact, no test


def test_rate_table_scales_r_poisson_test_interval_by_exposure():
    df = R_INTERVALS.assign(exposure=R_INTERVALS["n"] * 1_000)
    out = rates.rate_table(df, count="x", exposure="exposure", per=10_000).tidy()
    scale = 10_000 / df["exposure"]
    np.testing.assert_allclose(out["estimate"], df["x"] * scale, rtol=1e-12)
    np.testing.assert_allclose(out["low"], df["poisson_exact_low"] * scale, rtol=1e-6)
    np.testing.assert_allclose(out["high"], df["poisson_exact_high"] * scale, rtol=1e-6)
    assert list(out["term"]) == [str(i) for i in df.index]  # no label: the index


def test_rate_table_level_is_used():
    result = rates.rate_table(pd.DataFrame({"count": [4], "exposure": [10_000]}), level=0.90)
    out = result.tidy()
    assert result.level == 0.90
    assert out.loc[0, "low"] == pytest.approx(stats.gamma.ppf(0.05, 4), rel=1e-9)
    assert out.loc[0, "high"] == pytest.approx(stats.gamma.ppf(0.95, 5), rel=1e-9)


@pytest.mark.parametrize("count,exposure,message", [
    (-1, 100, r"'count'; row 1"), (1.5, 100, r"'count'; row 1"),
    (2, 0, r"'exposure'; row 1"), (2, float("nan"), r"'exposure'; row 1"),
])
def test_rate_table_rejects_bad_rows_naming_them(count, exposure, message):
    df = pd.DataFrame({"count": [1, count], "exposure": [100, exposure]})
    with pytest.raises(InputError, match=message):
        rates.rate_table(df)


def test_rate_table_reports_missing_column():
    with pytest.raises(InputError, match="violations"):
        rates.rate_table(pd.DataFrame({"count": [1], "exposure": [1]}), count="violations")


# ---------------------------------------------------------------------------------------------
# rate_ratio
# ---------------------------------------------------------------------------------------------

CASES = [(7, 20_000, 3, 35_000), (12, 100_000, 4, 120_000), (25, 8_394, 31, 12_000),
         (1, 5_000, 9, 6_000)]


def _binom_two_sided_minlike(x: int, n: int, p: float) -> float:
    """R binom.test two-sided p: sum of probabilities not above that of x (relErr 1 + 1e-7)."""
    pmf = stats.binom.pmf(np.arange(n + 1), n, p)
    return float(min(1.0, pmf[pmf <= pmf[x] * (1 + 1e-7)].sum()))


def _etest_by_hand(x1, n1, x0, n0) -> float:
    """Krishnamoorthy-Thomson E-test of equal rates, T = (k1/n1 - k0/n0)/sqrt((k1+k0)/(n1 n0))."""
    lam = (x1 + x0) / (n1 + n0)
    m1, m0 = n1 * lam, n0 * lam

    def t_stat(k1, k0):
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (k1 / n1 - k0 / n0) / np.sqrt((k1 + k0) / (n1 * n0))
        return np.nan_to_num(t, nan=0.0)

    k1 = np.arange(int(m1 + 15 * math.sqrt(m1) + 30))[:, None]
    k0 = np.arange(int(m0 + 15 * math.sqrt(m0) + 30))[None, :]
    extreme = np.abs(t_stat(k1, k0)) >= abs(t_stat(x1, x0)) * (1 - 1e-12)
    return float((stats.poisson.pmf(k1, m1) * stats.poisson.pmf(k0, m0))[extreme].sum())


@pytest.mark.parametrize("x1,n1,x0,n0", CASES)
def test_rate_ratio_interval_from_beta_quantiles(x1, n1, x0, n0):
    rr = rates.rate_ratio(x1, n1, x0, n0)
    p_low = stats.beta.ppf(0.025, x1, x0 + 1)
    p_high = stats.beta.ppf(0.975, x1 + 1, x0)
    assert rr.estimate == pytest.approx((x1 / n1) / (x0 / n0), rel=1e-12)
    assert rr.low == pytest.approx(p_low / (1 - p_low) * n0 / n1, rel=1e-9)
    assert rr.high == pytest.approx(p_high / (1 - p_high) * n0 / n1, rel=1e-9)


@pytest.mark.parametrize("x1,n1,x0,n0", CASES)
def test_rate_ratio_bounds_invert_one_sided_binomial_tests(x1, n1, x0, n0):
    # at the lower bound R_L, P(X1 >= x1 | x1 + x0, p(R_L)) = 0.025; at R_U, P(X1 <= x1) = 0.025
    rr = rates.rate_ratio(x1, n1, x0, n0)
    total = x1 + x0

    def p_of(ratio):
        return ratio * n1 / (ratio * n1 + n0)

    assert stats.binom.sf(x1 - 1, total, p_of(rr.low)) == pytest.approx(0.025, rel=1e-7)
    assert stats.binom.cdf(x1, total, p_of(rr.high)) == pytest.approx(0.025, rel=1e-7)


@pytest.mark.parametrize("x1,n1,x0,n0", CASES)
def test_rate_ratio_p_values_match_independent_computations(x1, n1, x0, n0):
    rr = rates.rate_ratio(x1, n1, x0, n0)
    p0 = n1 / (n1 + n0)
    assert rr.p_value == pytest.approx(_binom_two_sided_minlike(x1, x1 + x0, p0),
                                                   rel=1e-9)
    statsmodels_cond = sm_rates.test_poisson_2indep(x1, n1, x0, n0, value=1, method="exact-cond",
                                           compare="ratio", alternative="two-sided").pvalue
    assert rr.p_value == pytest.approx(statsmodels_cond, rel=1e-6)
    assert rr.p_etest == pytest.approx(_etest_by_hand(x1, n1, x0, n0), rel=1e-8)


def test_rate_ratio_reports_its_methods():
    rr = rates.rate_ratio(7, 20_000, 3, 35_000)
    assert "Clopper-Pearson" in rr.method
    assert "scipy.stats.binomtest" in rr.method
    assert "method='etest-score'" in rr.method
    assert rr.level == 0.95
    row = rr.tidy().iloc[0]
    assert (row["term"], row["estimate"], row["low"], row["high"], row["p_value"]) == (
        "rate_ratio", rr.estimate, rr.low, rr.high, rr.p_value)
    assert math.isnan(row["std_error"]) and row["p_etest"] == rr.p_etest


def test_rate_ratio_recovers_known_ratio_with_large_exposure():
    rng = np.random.default_rng(20240214)
    n1, n0, base = 5_000_000, 4_000_000, 2e-4  # about 2,000 and 800 cases
    x1, x0 = rng.poisson(2 * base * n1), rng.poisson(base * n0)
    rr = rates.rate_ratio(int(x1), n1, int(x0), n0)
    assert rr.estimate == pytest.approx(2.0, abs=0.2)  # SE about 0.08
    assert rr.low < 2.0 < rr.high
    assert rr.high / rr.low < 1.25
    assert rr.p_value < 1e-10 and rr.p_etest < 1e-10


def test_rate_ratio_exact_interval_covers_at_least_nominally_in_simulation():
    rng = np.random.default_rng(7)
    reps, n1, n0 = 400, 100_000, 150_000
    x1 = rng.poisson(2e-4 * n1, reps)  # true ratio 2; about 20 and 15 cases
    x0 = rng.poisson(1e-4 * n0, reps)
    results = [rates.rate_ratio(int(a), n1, int(b), n0) for a, b in zip(x1, x0)]
    coverage = np.mean([r.low <= 2.0 <= r.high for r in results])
    assert coverage >= 0.93  # exact conditional intervals are conservative (>= 0.95 in theory)
    assert np.median([r.estimate for r in results]) == pytest.approx(2.0, abs=0.25)


def test_rate_ratio_tests_hold_their_level_under_equal_rates():
    rng = np.random.default_rng(11)
    reps, n1, n0 = 400, 100_000, 150_000
    x1, x0 = rng.poisson(1e-4 * n1, reps), rng.poisson(1e-4 * n0, reps)
    results = [rates.rate_ratio(int(a), n1, int(b), n0) for a, b in zip(x1, x0)]
    assert np.mean([r.p_value < 0.05 for r in results]) <= 0.07
    assert np.mean([r.p_etest < 0.05 for r in results]) <= 0.08


def test_rate_ratio_with_no_cases_in_the_reference_group():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rr = rates.rate_ratio(10, 1_000, 0, 1_000)
    assert rr.estimate == math.inf and rr.high == math.inf
    p_low = 0.025 ** (1 / 10)  # Clopper-Pearson lower limit for 10 of 10
    assert rr.low == pytest.approx(p_low / (1 - p_low), rel=1e-9)
    assert rr.p_value == pytest.approx(2 * 0.5 ** 10, rel=1e-9)
    assert 0 < rr.p_etest < 0.01


def test_rate_ratio_with_no_cases_in_the_compared_group():
    rr = rates.rate_ratio(0, 2_000, 7, 1_000)
    p_high = 1 - 0.025 ** (1 / 7)  # Clopper-Pearson upper limit for 0 of 7
    assert rr.estimate == 0.0 and rr.low == 0.0
    assert rr.high == pytest.approx(p_high / (1 - p_high) * 1_000 / 2_000, rel=1e-9)
    assert rr.p_value == pytest.approx(_binom_two_sided_minlike(0, 7, 2 / 3))


def test_rate_ratio_with_no_cases_at_all_is_uninformative():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rr = rates.rate_ratio(0, 1_000, 0, 3_000)
    assert math.isnan(rr.estimate)
    assert (rr.low, rr.high) == (0.0, math.inf)
    assert rr.p_value == 1.0 and rr.p_etest == pytest.approx(1.0)


@pytest.mark.parametrize("args", [(-1, 10, 1, 10), (1.5, 10, 1, 10), (1, 0, 1, 10),
                                  (1, 10, 1, float("inf"))])
def test_rate_ratio_rejects_invalid_input(args):
    with pytest.raises(InputError):
        rates.rate_ratio(*args)


# ---------------------------------------------------------------------------------------------
# rate_ratio_quasi
# ---------------------------------------------------------------------------------------------

def test_quasi_rate_ratio_is_a_wald_interval_on_the_log_scale_inflated_by_phi():
    x1, n1, x0, n0, phi = 12, 30_000, 40, 200_000, 4.0
    q = rates.rate_ratio_quasi(x1, n1, x0, n0, phi, level=0.90)
    log_rr = math.log((x1 / n1) / (x0 / n0))
    se = math.sqrt(phi * (1 / x1 + 1 / x0))
    z = stats.norm.ppf(0.95)
    assert q.estimate == pytest.approx(math.exp(log_rr), rel=1e-12)
    assert (q.low, q.high) == pytest.approx((math.exp(log_rr - z * se), math.exp(log_rr + z * se)),
                                            rel=1e-12)
    assert q.p_value == pytest.approx(2 * stats.norm.sf(abs(log_rr) / se), rel=1e-12)
    assert q.std_error == pytest.approx(q.estimate * se, rel=1e-12)  # delta method
    row = q.tidy().iloc[0]
    assert list(q.tidy().columns) == [*TIDY_COLUMNS, "phi", "phi_rest"]
    assert row["term"] == "rate_ratio"
    assert (row["low"], row["high"], row["phi"], row["phi_rest"], q.level) == (
        q.low, q.high, 4.0, 4.0, 0.90)


def test_quasi_rate_ratio_scales_each_count_by_its_own_phi():
    # a province (phi 3.5) against the sum of the others (phi 14.6): se^2 = 3.5/3 + 14.6/162
    q = rates.rate_ratio_quasi(3, 31_366, 162, 3_701_049, 3.5, phi_rest=14.6)
    se = math.sqrt(3.5 / 3 + 14.6 / 162)
    log_rr = math.log((3 / 31_366) / (162 / 3_701_049))
    assert (q.low, q.high) == pytest.approx((math.exp(log_rr - 1.959964 * se),
                                             math.exp(log_rr + 1.959964 * se)), rel=1e-6)
    assert (q.phi, q.phi_rest) == (3.5, 14.6)
    with pytest.raises(InputError, match="phi_rest"):
        rates.rate_ratio_quasi(3, 31_366, 162, 3_701_049, 3.5, phi_rest=0.5)


def test_quasi_rate_ratio_with_phi_one_agrees_with_the_exact_interval_for_large_counts():
    q = rates.rate_ratio_quasi(400, 1e6, 300, 1e6, 1.0)
    exact = rates.rate_ratio(400, 1e6, 300, 1e6)
    assert (q.low, q.high) == pytest.approx((exact.low, exact.high), rel=0.01)


@pytest.mark.parametrize("args", [(3, 10, 1, 10, 0.5), (3, 10, 1, 10, float("inf")),
                                  (-1, 10, 1, 10, 2.0)])
def test_quasi_rate_ratio_rejects_invalid_input(args):
    with pytest.raises(InputError):
        rates.rate_ratio_quasi(*args)
