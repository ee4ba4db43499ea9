"""Interval functions against R 4.2 results in ../shared/reference/r_intervals.csv."""
import math

import pandas as pd
import pytest
from scipy import stats

from analysis.methods import intervals
from analysis.methods.contract import InputError
from testpaths import reference

CASES = pd.read_csv(reference("r_intervals.csv")).to_dict("records")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']}of{c['n']}")
def test_wilson_matches_r_prop_test_without_correction(case):
    low, high = intervals.wilson(case["x"], case["n"])
    assert low == pytest.approx(case["wilson_low"], rel=1e-6, abs=1e-12)
    assert high == pytest.approx(case["wilson_high"], rel=1e-6)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']}of{c['n']}")
def test_clopper_pearson_matches_r_binom_test(case):
    low, high = intervals.clopper_pearson(case["x"], case["n"])
    assert low == pytest.approx(case["clopper_pearson_low"], rel=1e-6, abs=1e-12)
    assert high == pytest.approx(case["clopper_pearson_high"], rel=1e-6)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"x{c['x']}")
def test_poisson_exact_matches_r_poisson_test(case):
    low, high = intervals.poisson_exact(case["x"])
    assert low == pytest.approx(case["poisson_exact_low"], rel=1e-6, abs=1e-12)
    assert high == pytest.approx(case["poisson_exact_high"], rel=1e-6)


def test_wilson_closed_form_by_hand_for_half():
    # x/n = 1/2, n = 4: centre 0.5, half-width z*sqrt(1/16 + z^2/64)/(1 + z^2/4)
    z = 1.959963984540054
    half = z * math.sqrt(0.25 / 4 + z * z / 64) / (1 + z * z / 4)
    assert intervals.wilson(2, 4) == pytest.approx((0.5 - half, 0.5 + half))


def test_rate_per_scales_count_interval_by_exposure():
    rate, low, high = intervals.rate_per(19, 283_000, per=10_000)
    assert rate == pytest.approx(19 / 28.3)
    assert low == pytest.approx(11.4392411643667 / 28.3, rel=1e-6)
    assert high == pytest.approx(29.6708535715856 / 28.3, rel=1e-6)


@pytest.mark.parametrize("x,n", [(-1, 5), (6, 5), (1.5, 5), (1, 0)])
def test_invalid_counts_are_rejected(x, n):
    with pytest.raises(InputError):
        intervals.wilson(x, n)


def test_level_sets_the_two_sided_coverage():
    # 90%: the 5% and 95% quantiles of the exact Poisson interval of 3 events
    low, high = intervals.poisson_exact(3, level=0.90)
    assert low == pytest.approx(stats.chi2.ppf(0.05, 6) / 2)
    assert high == pytest.approx(stats.chi2.ppf(0.95, 8) / 2)
    with pytest.raises(InputError, match="level"):
        intervals.wilson(1, 4, level=1.5)


def test_the_quantiles_equal_scipy_stats_ppf_to_the_last_bit():
    """intervals.py calls scipy.special, not scipy.stats (a lighter import): the values must be
    the ones norm.ppf, beta.ppf and chi2.ppf give, bit for bit."""
    from scipy import stats

    for level in (0.8, 0.9, 0.95, 0.99):
        alpha = 1 - level
        z = stats.norm.ppf(0.5 + level / 2)
        for n in [1, 2, 3, 7, 12, 50, 99, 400, 2_000, 80_898]:
            for x in sorted({0, 1, 2, n // 3, n // 2, n - 1, n} & set(range(n + 1))):
                low = 0.0 if x == 0 else stats.beta.ppf(alpha / 2, x, n - x + 1)
                high = 1.0 if x == n else stats.beta.ppf(1 - alpha / 2, x + 1, n - x)
                assert intervals.clopper_pearson(x, n, level) == (low, high), (x, n, level)
                p = x / n
                centre = (p + z * z / (2 * n)) / (1 + z * z / n)
                half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
                assert intervals.wilson(x, n, level) == (max(0.0, centre - half),
                                                         min(1.0, centre + half))
        for x in [0, 1, 2, 3, 5, 10, 47, 635, 1_305, 20_000]:
            low = 0.0 if x == 0 else stats.chi2.ppf(alpha / 2, 2 * x) / 2
            high = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
            assert intervals.poisson_exact(x, level) == (low, high), (x, level)
