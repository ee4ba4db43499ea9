"""Variance forms of overdispersed counts: the negative binomial by hand, the moment fit against
simulations with known parameters, and the bounds from partial lists."""
import math

import numpy as np
import pytest
from scipy import stats

from analysis.methods import dispersion as dp
from analysis.methods import funnel_simulation as fs
from analysis.methods.contract import InputError


def nb_cdf_by_hand(k, mu, variance):
    """P(X <= k) from the pmf Gamma(k + n) / (Gamma(n) k!) p^n (1 - p)^k, n = mu^2/(V - mu)."""
    n, p = mu ** 2 / (variance - mu), mu / variance
    return math.fsum(math.exp(math.lgamma(j + n) - math.lgamma(n) - math.lgamma(j + 1)
                              + n * math.log(p) + j * math.log(1 - p)) for j in range(k + 1))


# --- the negative binomial with a given mean and variance ---------------------------------

def test_nb_quantile_interpolates_the_cdf_by_hand():
    # mean 10, variance 30 (size 5, p 1/3): r = the first count with F(r) >= 0.975
    r = next(k for k in range(200) if nb_cdf_by_hand(k, 10, 30) >= 0.975)
    f_below, f_r = nb_cdf_by_hand(r - 1, 10, 30), nb_cdf_by_hand(r, 10, 30)
    by_hand = r - (f_r - 0.975) / (f_r - f_below)
    assert dp.nb_quantile(0.975, 10.0, 30.0) == pytest.approx(by_hand, rel=1e-10)
    assert dp.nb_cdf(r, 10.0, 30.0) == pytest.approx(f_r, rel=1e-12)


def test_nb_quantile_is_the_integer_when_the_cdf_hits_p_exactly():
    p = nb_cdf_by_hand(7, 4.0, 12.0)
    assert dp.nb_quantile(p, 4.0, 12.0) == pytest.approx(7, rel=1e-9)


@pytest.mark.parametrize("mu", [0.7, 3.0, 40.0])
def test_with_variance_equal_to_the_mean_the_limits_and_p_are_poisson(mu):
    r = stats.poisson.ppf(0.975, mu)
    f_r, f_below = stats.poisson.cdf(r, mu), stats.poisson.cdf(r - 1, mu)
    assert dp.nb_quantile(0.975, mu, mu) == pytest.approx(r - (f_r - 0.975) / (f_r - f_below))
    o = int(mu) + 3
    lower = stats.poisson.cdf(o - 1, mu) + 0.5 * stats.poisson.pmf(o, mu)
    assert dp.nb_mid_p(o, mu, mu) == pytest.approx(2 * min(lower, 1 - lower))


def test_nb_mid_p_by_hand():
    # 25 reports where 10 are expected with variance 30: upper mid-p = 1 - F(24) + f(25)/2
    f24, f25 = nb_cdf_by_hand(24, 10, 30), nb_cdf_by_hand(25, 10, 30)
    assert dp.nb_mid_p(25, 10.0, 30.0) == pytest.approx(2 * (1 - f24 - (f25 - f24) / 2),
                                                        rel=1e-9)


def test_variance_form_sum_and_max_and_refuses_impossible_values():
    mu = np.array([1.0, 10.0, 100.0])
    np.testing.assert_allclose(dp.VarianceForm(3.0, 0.2).variance(mu), 3 * mu + 0.2 * mu ** 2)
    np.testing.assert_allclose(dp.VarianceForm(3.0, 0.2, "max").variance(mu),
                               np.maximum(3 * mu, mu + 0.2 * mu ** 2))
    assert dp.VarianceForm().variance(4.0) == 4.0  # Poisson
    for bad in (dict(phi=0.5), dict(omega=-0.1), dict(combine="min"), dict(phi=np.inf)):
        with pytest.raises(InputError):
            dp.VarianceForm(**bad)


# --- the moment fit -----------------------------------------------------------------------

def test_single_forms_are_pearson_over_its_degrees_of_freedom_and_its_excess_over_mu():
    o = np.array([3.0, 0.0, 9.0, 20.0, 4.0])
    e = np.array([1e4, 2e4, 3e4, 4e4, 5e4])
    mu = o.sum() / e.sum() * e
    fit = dp.fit_variance_form(o, mu, pooled=True)
    pearson = np.sum((o - mu) ** 2 / mu)
    assert fit.pearson == pytest.approx(pearson) and fit.df == pytest.approx(4)
    assert fit.phi_only == pytest.approx(pearson / 4)
    h = mu / mu.sum()
    b = mu * (1 - 2 * h) + h ** 2 * np.sum(mu ** 2) / mu
    assert fit.omega_only == pytest.approx((pearson - 4) / b.sum())
    given = dp.fit_variance_form(o, mu, pooled=False)
    assert given.df == 5 and given.omega_only == pytest.approx((pearson - 5) / mu.sum())


def test_moment_design_is_exact_for_the_pooled_residual():
    """E[(O - h * sum(O))^2] / mu = phi * a + omega * b, checked on 40,000 draws of 6 units."""
    mu = np.array([2.0, 5.0, 9.0, 15.0, 30.0, 60.0])
    counts = fs.simulate_counts("mix", mu, 40_000, np.random.default_rng(4), phi=3.0, cv=0.5)
    resid2 = (counts - counts.sum(1, keepdims=True) * mu / mu.sum()) ** 2 / mu
    a, b = dp._moment_design(mu, pooled=True)
    # relative Monte Carlo error of a mean of squared residuals: under 3% here
    np.testing.assert_allclose(resid2.mean(0), 3.0 * a + 0.25 * b, rtol=0.05)


@pytest.mark.parametrize("form, kwargs, phi, omega", [
    ("clustered", {"phi": 10.0}, 10.0, 0.0),
    ("gamma", {"cv": 0.5}, 1.0, 0.25),
    ("mix", {"phi": 4.0, "cv": 0.5}, 4.0, 0.25),
])
def test_fit_recovers_phi_and_omega_of_simulated_counts(form, kwargs, phi, omega):
    """300 data sets of 400 units with expected counts 2 to 80. Measured means (Monte Carlo
    SE): phi 9.53 (0.11), 1.22 (0.02), 4.14 (0.07); omega 0.025, 0.234, 0.238 (0.004 at most).
    The constraints phi >= 1 and omega >= 0 push a part that is truly at its bound up (phi 1.22
    for gamma rates, omega 0.025 for clustered reports), and the other part down a little."""
    mu = np.geomspace(2, 80, 400)
    counts = fs.simulate_counts(form, mu, 300, np.random.default_rng(8), **kwargs)
    fit = dp.fit_variance_form(counts, counts.sum(1, keepdims=True) / mu.sum() * mu)
    se_phi, se_omega = fit.phi.std() / math.sqrt(300), fit.omega.std() / math.sqrt(300)
    assert se_phi < 0.12 and se_omega < 0.005
    assert fit.phi.mean() == pytest.approx(phi, rel=0.08, abs=0.3)
    assert fit.omega.mean() == pytest.approx(omega, abs=0.03)


def test_fit_of_many_data_sets_at_once_equals_one_at_a_time():
    mu = np.geomspace(3, 60, 38)
    counts = fs.simulate_counts("mix", mu, 5, np.random.default_rng(1), phi=5.0, cv=0.4)
    batch = dp.fit_variance_form(counts, mu)
    for i, row in enumerate(counts):
        one = dp.fit_variance_form(row, mu)
        assert (float(one.phi), float(one.omega)) == pytest.approx((batch.phi[i],
                                                                    batch.omega[i]))


def test_fit_stays_in_bounds_and_finds_poisson_when_there_is_nothing_else():
    mu = np.full(38, 20.0)
    fit = dp.fit_variance_form(np.full(38, 20.0), mu)   # no variation at all
    assert (float(fit.phi), float(fit.omega)) == (1.0, 0.0)
    with pytest.raises(InputError, match="at least 3 units"):
        dp.fit_variance_form([1, 2], [1.0, 2.0])


def test_a_lower_bound_on_pearson_bounds_both_single_forms():
    # the unlisted total spread in proportion to the expected counts minimises Pearson
    mu = np.array([5.0, 8.0, 12.0, 20.0, 40.0])
    rng = np.random.default_rng(3)
    listed = np.array([30.0, 1.0])
    unlisted_mu = mu[2:]
    residual = 60.0
    low_extra, _ = dp.unlisted_q_lower_bound(residual, unlisted_mu, 1.0)
    low = np.sum((listed - mu[:2]) ** 2 / mu[:2]) + low_extra
    df, b = dp.moment_terms(mu)
    phi_low, omega_low = dp.single_forms(low, df, b)
    for _ in range(200):
        spread = rng.multinomial(int(residual), rng.dirichlet(np.ones(3)))
        full = np.r_[listed, spread]
        pearson = np.sum((full - mu) ** 2 / mu)
        phi_full, omega_full = dp.single_forms(pearson, df, b)
        assert phi_low <= phi_full + 1e-12 and omega_low <= omega_full + 1e-12
