"""The published province funnel under clustered reports (issue 23), and the province ratio and
power statement drawn from the same release's variance form."""
import numpy as np
import pandas as pd
import pytest

from analysis.findings import casestudy, provinces
from analysis.methods import dispersion as dp
from analysis.methods import funnel_simulation as fs
from analysis.methods import power

RATE = 2.16e-4
NAMES = [f"r{i:02d}" for i in range(38)]
PNS = pd.DataFrame({"region": NAMES, "pns": np.round(np.geomspace(8_000, 400_000, 38))})


def published(counts, listed=None):
    """The release as ``province_counts`` gives it: every province (or ``listed`` ones) and the
    national total."""
    rows = pd.DataFrame({"region": NAMES, "count": counts, "id": "", "source_url": ""})
    if listed is not None:
        rows = rows.iloc[listed]
    return provinces.province_funnel(rows.reset_index(drop=True),
                                     {"national": float(np.sum(counts))}, PNS)


def test_published_funnel_keeps_clustered_in_control_provinces_inside():
    """Variance 10 x mean, no real differences, 200 seeded releases listing all 38 provinces:
    4.2% fall outside the adjusted 95% limits (Monte Carlo SE 0.16 points; the limits used
    before left 21.1%). About 4 s."""
    counts = fs.simulate_counts("clustered", RATE * PNS["pns"].to_numpy(), 200,
                                np.random.default_rng(23), phi=10.0)
    shares = [np.mean(published(c)["position_adj"] != "inside") for c in counts]
    se = np.std(shares, ddof=1) / np.sqrt(len(shares))
    assert se < 0.004
    assert 0.03 <= np.mean(shares) <= 0.075, (np.mean(shares), se)


def test_the_flags_use_the_same_negative_binomial_as_the_limits():
    counts = fs.simulate_counts("mix", RATE * PNS["pns"].to_numpy(), 1,
                                np.random.default_rng(4), phi=4.0, cv=0.45)[0]
    table = published(counts)
    form = table.attrs["form"]
    mu = table["expected"].to_numpy()
    np.testing.assert_allclose(table["p_value"],
                               dp.nb_mid_p(table["observed"], mu, form.variance(mu)))
    assert table.attrs["summary"].p_value.startswith("negative binomial two-sided mid-p")
    np.testing.assert_array_equal(table["low"], table["adj_low_95"])
    assert table.attrs["form_preferred"] in provinces.FORM_PARAMETERS


def test_a_partial_list_gets_limits_at_least_as_wide_as_either_single_form_bound():
    counts = fs.simulate_counts("clustered", RATE * PNS["pns"].to_numpy(), 1,
                                np.random.default_rng(9), phi=10.0)[0]
    top_and_bottom = list(np.argsort(counts)[:5]) + list(np.argsort(counts)[-7:])
    table = published(counts, sorted(top_and_bottom))
    form = table.attrs["form"]
    assert table.attrs["phi_kind"] == "lower bound" and form.combine == "max"
    assert table.attrs["form_aic"] == {} and table.attrs["summary"].form_given
    # each single form of the full release is at least its bound
    full = published(counts).attrs["summary"]
    assert form.phi <= full.phi_only + 1e-9 and form.omega <= full.omega_only + 1e-9
    mu = table["expected"].to_numpy()
    for single in (dp.VarianceForm(form.phi), dp.VarianceForm(1.0, form.omega)):
        high = dp.nb_quantile(0.975, mu, single.variance(mu)) / table["exposure"] * 10_000
        assert (table["adj_high_95"] >= high - 1e-9).all()


@pytest.fixture(scope="module")
def compared():
    from analysis.data import ledger

    return casestudy.compare_with_nation(ledger.load_ledger(), ledger.load_headcount(),
                                         "Kepulauan Bangka Belitung", provinces.RELEASES)


def test_province_ratio_and_power_rest_on_the_funnel_variance_at_the_province(compared):
    """For each release, the province's phi is V(mu)/mu of the funnel's form at its expected
    count: the null variance of the power statement is the variance behind its limits, and the
    ratio interval uses the same phi (before: the release's Pearson phi for every province)."""
    rows = compared["comparisons"]
    rows = rows[rows["status"] == "compared"]
    assert len(rows)
    for row in rows.itertuples():
        table, _ = compared["funnels"][row.election]
        form, mu = table.attrs["form"], row.expected
        assert row.phi_used == pytest.approx(float(form.variance(mu)) / mu)
        assert row.detectable_ratio == pytest.approx(
            power.funnel_detectable_ratio(mu, float(form.variance(mu))))
        assert power.funnel_power(row.detectable_ratio, mu, float(form.variance(mu))) == \
            pytest.approx(0.8)
        assert row.variance_form == form.describe()


def test_province_dispersion_weighs_the_rest_by_its_provinces():
    form = dp.VarianceForm(2.0, 0.5)
    pns = pd.Series([10_000.0, 20_000.0, 70_000.0], index=["a", "b", "c"])
    mine, rest = casestudy.release_dispersion(form, pns, "a", 1e-3)
    assert mine == pytest.approx(2.0 + 0.5 * 10)  # V(10) / 10
    assert rest == pytest.approx((2 * 20 + 0.5 * 400 + 2 * 70 + 0.5 * 4900) / 90)
    out = casestudy.versus_national(3, 10_000, 93, 100_000, phi=mine, phi_rest=rest)
    se = np.sqrt(mine / 3 + rest / 90)
    assert np.log(out["ratio_high"] / out["ratio_to_rest"]) == pytest.approx(1.959964 * se,
                                                                              rel=1e-6)
