"""The Cox model against R 4.2 (survival 3.5: ``coxph``, ``cox.zph``), statsmodels' PHReg,
independent re-derivations (numerical derivatives of the partial likelihood) and simulation.

Reference values: ../shared/reference (R ``coxph``); copies in
tests/fixtures/reference for machines without shared/.
"""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from analysis.methods import cox as cx
from analysis.methods import survival as sv
from analysis.methods.contract import InputError
from testpaths import reference

CASES = pd.read_csv(reference("time_to_sanction.csv"))
R_COX = pd.read_csv(reference("r_cox.csv"))
Z95 = stats.norm.ppf(0.975)


def fit_reference_cox(ties):
    return cx.cox(CASES, "days", "executed", ["cycle", "position"], ties=ties,
                  categorical=["cycle"], reference={"position": "administrator"})


def simulated(n=150, seed=3, tie_days=5):
    """Small dataset with heavy ties: binary, continuous and 3-level covariates, 30 clusters."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    z = rng.normal(size=n)
    grp = rng.choice(["a", "b", "c"], n)
    lin = 0.5 * x + 0.3 * z + np.where(grp == "b", 0.4, 0.0)
    t = rng.exponential(60 / np.exp(lin))
    c = rng.exponential(120, n)
    days = np.ceil(np.minimum(t, c) / tie_days) * tie_days
    return pd.DataFrame({"days": days, "event": (t <= c).astype(int), "x": x, "z": z,
                         "grp": grp, "cluster": rng.integers(0, 30, n)})


# ------------------------------------------------------------------------------------------
# Cox
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_cox_matches_r_coxph_estimates_and_standard_errors(ties):
    fit = fit_reference_cox(ties)
    r = R_COX[R_COX["ties"] == ties].set_index("term")
    table = fit.tidy().set_index("term")
    assert list(table.index) == list(r.index)   # R term names and order
    np.testing.assert_allclose(table["estimate"], r["estimate"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(table["std_error"], r["std_error"], rtol=0, atol=1e-6)
    assert (fit.n, fit.n_events) == (400, int(CASES["executed"].sum()))
    assert fit.loglik > fit.loglik_null


def test_cox_table_has_wald_z_p_and_hazard_ratio_interval():
    fit = fit_reference_cox("efron")
    t, hr = fit.tidy(), fit.tidy(exponentiate=True)
    assert list(t.columns) == cx.COX_COLUMNS and list(hr.columns) == cx.COX_COLUMNS
    np.testing.assert_allclose(t["statistic"], t["estimate"] / t["std_error"])
    np.testing.assert_allclose(t["p_value"], 2 * stats.norm.sf(np.abs(t["statistic"])))
    np.testing.assert_allclose(t["low"], t["estimate"] - Z95 * t["std_error"])
    np.testing.assert_allclose(t["high"], t["estimate"] + Z95 * t["std_error"])
    np.testing.assert_allclose(hr["estimate"], np.exp(t["estimate"]))
    np.testing.assert_allclose(hr["low"], np.exp(t["estimate"] - Z95 * t["std_error"]))
    np.testing.assert_allclose(hr["high"], np.exp(t["estimate"] + Z95 * t["std_error"]))
    np.testing.assert_allclose(hr["std_error"], np.exp(t["estimate"]) * t["std_error"])
    np.testing.assert_array_equal(hr["p_value"], t["p_value"])
    assert fit.level == 0.95 and "efron" in fit.method


def test_cox_level_sets_the_interval():
    fit = cx.cox(CASES, "days", "executed", ["position"], ties="efron", level=0.80)
    t = fit.tidy()
    z80 = stats.norm.ppf(0.90)
    np.testing.assert_allclose(t["high"] - t["estimate"], z80 * t["std_error"])
    assert fit.level == 0.80


def test_cox_reference_level_is_first_sorted_unless_given():
    default = cx.cox(CASES, "days", "executed", ["position"], ties="efron").tidy()
    assert default["term"].tolist() == ["positionfungsional", "positionjpt", "positionpelaksana"]
    jpt = cx.cox(CASES, "days", "executed", ["position"], ties="efron",
                 reference={"position": "jpt"}).tidy().set_index("term")
    assert list(jpt.index) == ["positionadministrator", "positionfungsional", "positionpelaksana"]
    base = default.set_index("term")["estimate"]
    # same model, another parametrisation: effects relative to jpt
    assert jpt.loc["positionadministrator", "estimate"] == pytest.approx(-base["positionjpt"])
    assert jpt.loc["positionfungsional", "estimate"] == pytest.approx(
        base["positionfungsional"] - base["positionjpt"])


def test_cox_without_ties_agrees_with_statsmodels_phreg_including_cluster_robust_se():
    df = simulated(n=200, seed=11, tie_days=1e-9)   # continuous times: no ties
    fit = cx.cox(df, "days", "event", ["x", "z"], ties="breslow", cluster="cluster")
    sm_fit = sm.PHReg(df["days"], df[["x", "z"]], status=df["event"], ties="breslow").fit(
        groups=df["cluster"])
    np.testing.assert_allclose(fit.tidy()["estimate"], sm_fit.params, rtol=1e-8)
    np.testing.assert_allclose(fit.tidy()["std_error"], sm_fit.bse, rtol=1e-6)  # robust
    naive = sm.PHReg(df["days"], df[["x", "z"]], status=df["event"], ties="breslow").fit()
    np.testing.assert_allclose(fit.tidy()["std_error_naive"], naive.bse, rtol=1e-6)
    assert fit.n_clusters == df["cluster"].nunique()


def _weighted_efron_score(beta, days, event, x, w):
    """Score of R's case-weighted Efron partial likelihood, written as a plain loop."""
    u = np.zeros(x.shape[1])
    for t in np.unique(days[event == 1]):
        risk, dead = days >= t, (days == t) & (event == 1)
        r = w * np.exp(x @ beta)
        d = dead.sum()
        s0, s1 = r[risk].sum(), (r[risk, None] * x[risk]).sum(0)
        d0, d1 = r[dead].sum(), (r[dead, None] * x[dead]).sum(0)
        u += (w[dead, None] * x[dead]).sum(0)
        u -= w[dead].mean() * sum((s1 - k / d * d1) / (s0 - k / d * d0) for k in range(d))
    return u


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_cluster_robust_variance_is_dfbeta_sandwich_from_case_weight_derivatives(ties):
    """R's robust variance is D'D, D = dfbeta = (dU/dw_i) I^{-1} summed within clusters; here
    dU/dw_i comes from numerical differentiation of the weighted score (Efron with heavy ties)."""
    df = simulated(n=60, seed=5, tie_days=10)
    df["pair"] = np.arange(len(df)) // 3
    fit = cx.cox(df, "days", "event", ["x", "z"], ties=ties, cluster="pair")
    days, event = df["days"].to_numpy(float), df["event"].to_numpy()
    x = df[["x", "z"]].to_numpy(float)
    beta = fit.tidy()["estimate"].to_numpy()
    score = _weighted_efron_score if ties == "efron" else _weighted_breslow_score
    h, rows = 1e-6, []
    for i in range(len(df)):
        wp, wm = np.ones(len(df)), np.ones(len(df))
        wp[i] += h
        wm[i] -= h
        rows.append((score(beta, days, event, x, wp) - score(beta, days, event, x, wm)) / (2 * h))
    dfbeta = np.array(rows) @ fit.naive_vcov.to_numpy()
    summed = pd.DataFrame(dfbeta).groupby(df["pair"].to_numpy()).sum().to_numpy()
    np.testing.assert_allclose(fit.vcov.to_numpy(), summed.T @ summed, rtol=1e-6)
    np.testing.assert_allclose(score(beta, days, event, x, np.ones(len(df))), 0, atol=1e-8)


def _weighted_breslow_score(beta, days, event, x, w):
    u = np.zeros(x.shape[1])
    for t in np.unique(days[event == 1]):
        risk, dead = days >= t, (days == t) & (event == 1)
        r = w * np.exp(x @ beta)
        u += (w[dead, None] * x[dead]).sum(0)
        u -= w[dead].sum() * (r[risk, None] * x[risk]).sum(0) / r[risk].sum()
    return u


def _extended_efron_loglik(theta, days, event, x, g_at):
    """Efron log partial likelihood of beta'x + gamma'x g(t) (time-varying), as a plain loop."""
    p = x.shape[1]
    ll = 0.0
    for t in np.unique(days[event == 1]):
        eta = x @ theta[:p] + (x * g_at[t]) @ theta[p:]
        risk, dead = days >= t, (days == t) & (event == 1)
        d, s0, d0 = dead.sum(), np.exp(eta[risk]).sum(), np.exp(eta[dead]).sum()
        ll += eta[dead].sum() - sum(np.log(s0 - k / d * d0) for k in range(d))
    return ll


@pytest.mark.parametrize("transform", ["km", "identity"])
def test_ph_test_is_the_score_test_of_time_interactions_as_in_cox_zph_3(transform):
    """cox.zph (survival >= 3.0): score test of gamma = 0 at (beta_hat, 0). Checked against
    numerical derivatives of the extended Efron partial likelihood with g(t) computed here."""
    df = simulated(n=120, seed=8, tie_days=5)
    fit = cx.cox(df, "days", "event", ["x", "grp"], ties="efron")
    days, event = df["days"].to_numpy(float), df["event"].to_numpy()
    x = np.column_stack([df["x"], df["grp"] == "b", df["grp"] == "c"]).astype(float)
    etimes = np.unique(days[event == 1])
    if transform == "identity":
        g = etimes.astype(float)
    else:
        km = sv.kaplan_meier(df, "days", "event", conf_type="log", at=etimes - 1e-9).tidy()
        g = 1 - km["estimate"].to_numpy()      # 1 - S(t-)
    deaths_per_time = np.array([((days == t) & (event == 1)).sum() for t in etimes])
    g = g - np.average(g, weights=deaths_per_time)  # centred over deaths
    g_at = dict(zip(etimes, g))
    theta = np.concatenate([fit.tidy()["estimate"].to_numpy(), np.zeros(3)])
    f = lambda th: _extended_efron_loglik(th, days, event, x, g_at)  # noqa: E731
    h, k = 1e-4, theta.size
    e = np.eye(k) * h
    grad = np.array([(f(theta + e[i]) - f(theta - e[i])) / (2 * h) for i in range(k)])
    hess = np.array([[(f(theta + e[i] + e[j]) - f(theta + e[i] - e[j]) - f(theta - e[i] + e[j])
                       + f(theta - e[i] - e[j])) / (4 * h * h) for j in range(k)]
                     for i in range(k)])
    info = -hess
    u = np.concatenate([np.zeros(3), grad[3:]])

    def score_test(j):
        kk = [0, 1, 2] + [3 + jj for jj in j]
        return u[kk] @ np.linalg.solve(info[np.ix_(kk, kk)], u[kk])

    got = fit.ph_test(transform).set_index("term")
    assert list(got.index) == ["x", "grp", "GLOBAL"] and got["df"].tolist() == [1, 2, 3]
    expected = [score_test([0]), score_test([1, 2]), score_test([0, 1, 2])]
    np.testing.assert_allclose(got["chisq"], expected, rtol=1e-4)
    np.testing.assert_allclose(got["p_value"], stats.chi2.sf(expected, [1, 2, 3]), rtol=1e-3)
    per_coef = fit.ph_test(transform, terms=False)
    assert per_coef["term"].tolist() == ["x", "grpb", "grpc", "GLOBAL"]
    assert per_coef["chisq"].iloc[0] == pytest.approx(expected[0], rel=1e-4)


def test_ph_test_flags_a_hazard_ratio_that_changes_over_time():
    rng = np.random.default_rng(2)
    n = 400
    x = rng.integers(0, 2, n)
    # x = 1: hazard 3x the baseline in the first 30 days, then 1/3 of it (crossing hazards)
    e = rng.exponential(1, n)
    base = 1 / 60
    h1 = np.where(x == 1, 3 * base, base)
    early = e / h1
    t = np.where(early <= 30, early, 30 + (e - 30 * h1) / np.where(x == 1, base / 3, base))
    df = pd.DataFrame({"days": np.minimum(t, 365), "event": (t <= 365).astype(int), "x": x})
    fit = cx.cox(df, "days", "event", ["x"], ties="efron")
    zph = fit.ph_test("km").set_index("term")
    assert zph.loc["x", "p_value"] < 1e-6
    res = fit.scaled_schoenfeld("km")
    assert set(res.columns) == {"time", "g", "term", "residual"} and len(res) == fit.n_events
    # beta(t) falls over time: scaled residuals decrease with g
    assert np.corrcoef(res["g"], res["residual"])[0, 1] < 0


def test_cox_rejects_missing_covariate_unknown_reference_and_bad_ties():
    df = CASES.copy()
    df.loc[5, "position"] = None
    with pytest.raises(InputError, match=r"'position' is missing.*row\(s\) 5"):
        cx.cox(df, "days", "executed", ["position"], ties="efron")
    with pytest.raises(InputError, match="reference level 'camat'"):
        cx.cox(CASES, "days", "executed", ["position"], ties="efron",
               reference={"position": "camat"})
    with pytest.raises(InputError, match="ties"):
        cx.cox(CASES, "days", "executed", ["position"], ties="exact")
    with pytest.raises(InputError, match=r"column 'region' is not in the data"):
        cx.cox(CASES, "days", "executed", ["position"], ties="efron", cluster="region")


def test_cox_names_boolean_covariates_as_r_does_and_refuses_a_level_without_events():
    flagged = CASES.assign(flag=CASES["cycle"] == 2020)
    fit = cx.cox(flagged, "days", "executed", ["flag"], ties="efron")
    assert fit.tidy()["term"].tolist() == ["flagTRUE"]
    no_events = CASES.assign(executed=CASES["executed"].where(CASES["position"] != "jpt", 0))
    with pytest.raises(RuntimeError, match="monotone likelihood"):
        cx.cox(no_events, "days", "executed", ["position"], ties="efron")


# ------------------------------------------------------------------------------------------
# Simulation: recovery of a planted hazard ratio (issue 11 item 6)
# ------------------------------------------------------------------------------------------

PLANTED = 0.5


def _coverage_run(reps, n, seed, clusters=None, rho=0.0):
    """Exponential times with log HR 0.5 for a binary x, ~30% independent censoring. With
    clusters: within-cluster dependence through a Gaussian copula (a shared normal cluster effect
    on the probit of U, correlation rho), which keeps each time's marginal hazard exactly
    proportional with log HR 0.5 (a gamma frailty would attenuate the marginal effect)."""
    rng = np.random.default_rng(seed)
    est, covered, covered_naive, censored = [], [], [], []
    for _ in range(reps):
        if clusters is None:
            x = rng.integers(0, 2, n)
            u = rng.uniform(size=n)
            cl = None
        else:
            cl = rng.integers(0, clusters, n)
            share = rng.uniform(0.0, 1.0, clusters)[cl]          # x strongly clustered too
            x = (rng.uniform(size=n) < share).astype(int)
            u = stats.norm.cdf(np.sqrt(rho) * rng.normal(size=clusters)[cl]
                               + np.sqrt(1 - rho) * rng.normal(size=n))
        t = -np.log(u) * 100 / np.exp(PLANTED * x)
        c = rng.exponential(180, n)        # ~30% censored
        df = pd.DataFrame({"days": np.minimum(t, c), "event": (t <= c).astype(int), "x": x})
        if cl is not None:
            df["cluster"] = cl
        fit = cx.cox(df, "days", "event", ["x"], ties="efron",
                     cluster=None if cl is None else "cluster")
        row = fit.tidy().iloc[0]
        est.append(row["estimate"])
        covered.append(row["estimate"] - Z95 * row["std_error"] <= PLANTED
                       <= row["estimate"] + Z95 * row["std_error"])
        naive = row["std_error_naive"] if cl is not None else row["std_error"]
        covered_naive.append(abs(row["estimate"] - PLANTED) <= Z95 * naive)
        censored.append(1 - df["event"].mean())
    return (np.array(est), np.array(covered), np.array(covered_naive),
            float(np.mean(censored)))


@pytest.mark.slow
def test_cox_recovers_planted_hazard_ratio_with_nominal_coverage():
    """2000 replicates x 300 cases, log HR 0.5, ~30% censoring, seeded. Measured: mean estimate
    0.499, coverage 94.5%. Monte Carlo SE of a 95% coverage over 2000 replicates: 0.49 pp, so the
    93-97% band is about 4 SE either side (fewer replicates would not hold that band). Runtime
    2.4 s CPU, 2.5-6 s wall on the shared 2-core machine (measured 2026-11-29)."""
    est, covered, _, censored = _coverage_run(2000, 300, seed=20261129)
    assert 0.25 < censored < 0.35
    assert abs(est.mean() - PLANTED) <= 0.1 * PLANTED
    assert 0.93 <= covered.mean() <= 0.97


@pytest.mark.slow
def test_cox_cluster_robust_se_restores_coverage_with_40_correlated_clusters():
    """2000 replicates x 300 cases in 40 clusters, within-cluster correlation 0.2 (copula), x
    strongly clustered. The naive SE is too small (measured coverage 90.2%); the grouped
    dfbeta sandwich (R coxph cluster=, no small-sample factor) brings it to 93.1%. The CR0
    sandwich is known to undercover slightly with 40 clusters, hence the lower bound 92%.
    Monte Carlo SE 0.5-0.7 pp per coverage over 2000 replicates; the 1.5 pp gain asserted between
    the two is paired (same replicates), so its SE is smaller still.
    Runtime 3 s CPU, 3-9 s wall on the shared 2-core machine (measured 2026-11-29)."""
    est, covered, covered_naive, _ = _coverage_run(2000, 300, seed=11, clusters=40, rho=0.2)
    assert abs(est.mean() - PLANTED) <= 0.1 * PLANTED
    assert 0.92 <= covered.mean() <= 0.97
    assert covered.mean() - covered_naive.mean() >= 0.015
