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
