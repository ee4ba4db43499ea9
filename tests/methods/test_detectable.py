"""Detectable effects: each formula against a closed form or a simulation of the test it
describes. Monte Carlo error is stated beside every simulated tolerance."""
import itertools
import math

import numpy as np
import pytest
from scipy import stats

from analysis.methods import detectable as d
from analysis.methods import power


def _nb(rng, mean, phi, size):
    """Counts with the given mean and variance phi * mean (Poisson when phi = 1)."""
    if phi == 1:
        return rng.poisson(mean, size)
    n = mean / (phi - 1)
    return rng.negative_binomial(n, n / (n + mean), size)


@pytest.mark.parametrize("mu1,mu0,phi", [(1158, 1305, 1.0), (1158, 1305, 8.9), (60, 90, 3.0)])
def test_rate_ratio_of_two_counts_is_detected_with_the_stated_power(mu1, mu0, phi):
    ratio = d.rate_ratio_two_counts(mu1, mu0, phi)
    rng = np.random.default_rng(7)
    n = 8000  # Monte Carlo SE of an 80% rate: 0.45 points
    x1, x0 = _nb(rng, ratio * mu1, phi, n), _nb(rng, mu0, phi, n)
    ok = (x1 > 0) & (x0 > 0)
    z = np.log((x1[ok] / mu1) / (x0[ok] / mu0)) / np.sqrt(phi * (1 / x1[ok] + 1 / x0[ok]))
    rejected = np.mean(np.abs(z) > stats.norm.ppf(0.975))
    assert rejected == pytest.approx(0.8, abs=0.035)  # 7 MC SE: the normal approximation


def test_rate_ratio_solves_its_closed_form():
    r = d.rate_ratio_two_counts(1158, 1305, 9)
    se1 = math.sqrt(9 * (1 / (r * 1158) + 1 / 1305))
    assert math.log(r) == pytest.approx((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * se1,
                                        rel=1e-9)


def test_overdispersion_not_noise_limits_two_national_counts():
    # the figure: about 1.1 under Poisson and about 1.4 under phi 9
    assert d.rate_ratio_two_counts(1158, 1305, 1) == pytest.approx(1.1, abs=0.03)
    assert d.rate_ratio_two_counts(1158, 1305, 9) == pytest.approx(1.4, abs=0.05)


def test_share_difference_is_detected_with_the_stated_power():
    p0, n0, n1 = 0.9, 999, 800
    low, high = d.share_difference(p0, n0, n1)
    rng = np.random.default_rng(3)
    n = 8000  # MC SE 0.45 points
    for p1 in (low, high):
        x0, x1 = rng.binomial(n0, p0, n), rng.binomial(n1, p1, n)
        pbar = (x0 + x1) / (n0 + n1)
        z = (x1 / n1 - x0 / n0) / np.sqrt(pbar * (1 - pbar) * (1 / n0 + 1 / n1))
        assert np.mean(np.abs(z) > stats.norm.ppf(0.975)) == pytest.approx(0.8, abs=0.03)


def test_a_design_effect_widens_the_detectable_difference():
    plain = d.share_difference(0.9, 999, 800)
    clustered = d.share_difference(0.9, 999, 800, deff=9)
    assert clustered[0] < plain[0] and (math.isnan(clustered[1]) or clustered[1] > plain[1])


def test_hazard_ratio_is_detected_by_a_log_rank_test_with_the_stated_power():
    from statsmodels.duration.survfunc import survdiff

    events, share = 200, 0.5
    hr = d.hazard_ratio(events, share)
    rng = np.random.default_rng(11)
    reps, hits = 500, 0  # MC SE of an 80% rate: 1.8 points
    for _ in range(reps):
        g = rng.random(events) < share  # every case has its event: events = cases
        t = rng.exponential(1 / np.where(g, hr, 1.0))
        stat, p = survdiff(t, np.ones(events), g.astype(int))
        hits += p < 0.05
    assert hits / reps == pytest.approx(0.8, abs=0.06)  # 3.3 MC SE


def test_did_effect_matches_the_noncentral_t_power():
    for n, k in ((7, 2), (12, 4), (38, 5)):
        effect = d.did_effect(n, k)
        df = n - 2
        delta = effect / math.sqrt(1 / k + 1 / (n - k))
        crit = stats.t.ppf(0.975, df)
        exact = stats.nct.sf(crit, df, delta) + stats.nct.cdf(-crit, df, delta)
        assert exact == pytest.approx(0.8, abs=0.02)  # the usual t approximation of power


def test_did_effect_is_nan_without_controls_or_treated():
    assert math.isnan(d.did_effect(7, 0)) and math.isnan(d.did_effect(7, 7))


def test_randomisation_floor_is_the_most_extreme_of_all_assignments():
    for n, k in ((12, 1), (7, 2), (6, 3)):
        outcome = np.arange(n, dtype=float)  # the treated are the k largest: most extreme
        observed = outcome[-k:].mean() - outcome[:-k].mean()
        stats_ = []
        for treated in itertools.combinations(range(n), k):
            mask = np.zeros(n, bool)
            mask[list(treated)] = True
            stats_.append(outcome[mask].mean() - outcome[~mask].mean())
        p = np.mean(np.array(stats_) >= observed - 1e-12)
        assert d.randomisation_floor(n, k) == pytest.approx(p)
    assert d.randomisation_floor(12, 1) == pytest.approx(1 / 12)


def test_treated_needed_for_randomisation_to_reach_five_percent():
    assert d.treated_to_reach(12) == 2  # 1/66 <= 0.05 < 1/12
    assert d.treated_to_reach(7) == 2   # 1/21
    assert d.treated_to_reach(5) is None  # at most 1/10


def test_its_level_effect_matches_the_noncentral_t_power_and_a_simulation():
    times = np.array([-166, -131, -112, -70, -57, -43, -37, -30, 10])
    brk, sigma = -90, 0.03
    effect = d.its_level_effect(times, brk, sigma)
    X = d.segmented_design(times, brk)
    se = sigma * math.sqrt(np.linalg.inv(X.T @ X)[2, 2])
    df = len(times) - 4
    crit = stats.t.ppf(0.975, df)
    exact = stats.nct.sf(crit, df, effect / se) + stats.nct.cdf(-crit, df, effect / se)
    assert exact == pytest.approx(0.8, abs=0.03)
    rng = np.random.default_rng(5)
    reps = 4000  # MC SE 0.6 points
    beta = np.array([0.4, 0.01, effect, 0.0])
    y = X @ beta + rng.normal(0, sigma, (reps, len(times)))
    coef, res, *_ = np.linalg.lstsq(X, y.T, rcond=None)
    s2 = res / df
    t = coef[2] / np.sqrt(s2 * np.linalg.inv(X.T @ X)[2, 2])
    assert np.mean(np.abs(t) > crit) == pytest.approx(exact, abs=0.03)


def test_more_snapshots_shrink_the_its_level_effect():
    few = d.its_level_effect([-90, -60, -30, 10, 40, 70], -45, 0.05)
    many = d.its_level_effect(np.arange(-360, 361, 30), -45, 0.05)
    assert many < few


def test_releases_to_detect_is_the_first_pool_that_reaches_the_ratio():
    for mu, phi in ((6.76, 36.5), (1.39, 8.9), (6.76, 1.0)):
        k = d.releases_to_detect(mu, phi, 2.0)
        assert power.detectable_ratio(k * mu, phi) <= 2.0 + 1e-9
        if k > 1:
            assert power.detectable_ratio((k - 1) * mu, phi) > 2.0


def test_references_for_width_is_the_first_k_below_the_width():
    spread, width = 0.05, 0.25
    k = d.references_for_width(spread, width)
    w = lambda k: 2 * stats.t.ppf(0.975, k - 1) * spread * math.sqrt(1 + 1 / k)  # noqa: E731
    assert w(k) <= width < w(k - 1)
    assert d.references_for_width(0.2, 0.25) is None  # never narrower than 2*1.96*0.2


def test_bad_level_or_power_is_refused():
    with pytest.raises(ValueError, match="level"):
        d.rate_ratio_two_counts(10, 10, level=1.5)
    with pytest.raises(ValueError, match="power"):
        d.hazard_ratio(100, 0.5, power=0)
