"""What would decide each open question: one decision per headline short of "supported", with
its blocker, the datum, who holds it, and a detectable effect computed from the data held."""
import math
import re

import pytest

from analysis.findings import decide, headlines, verdicts
from analysis.methods import detectable, power


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def by_key(h):
    return {d.key: d for d in h["decisions"]}


def _open_headlines(h):
    found = {"equal_lag": h["equal_lag"]["verdict"], "province": h["province"]["verdict"],
             "rates": h["rates"].attrs["verdict"], "detection": h["detection"]["verdict"],
             "decree": h["decree"]["verdict"], "follow_up": h["follow_up"]["verdict"],
             "claims": h["claims"]["verdict"]}
    return {k for k, v in found.items() if v.strength != verdicts.SUPPORTED}


def test_every_headline_short_of_supported_has_a_decision_and_no_other(h, by_key):
    headline_keys = {"equal_lag", "province", "rates", "detection", "decree", "follow_up",
                     "claims"}
    assert _open_headlines(h) == set(by_key) & headline_keys
    assert {"measure", "nowcast"} <= set(by_key)  # the register and nowcast questions


def test_each_decision_names_blocker_datum_holder_and_a_number(by_key):
    for d in by_key.values():
        assert d.blockers and set(d.blockers) <= set(decide.BLOCKERS), d.key
        assert d.holder and d.datum_id and d.datum_en and d.request, d.key
        for lang in ("id", "en"):
            sentence = d.sentence(lang)
            assert re.search(r"\d", d.detect(lang)), (d.key, lang)
            assert d.holder in sentence and d.datum(lang) in sentence


def test_equal_lag_hazard_ratio_is_schoenfeld_on_the_counts_held(h, by_key):
    d, e = by_key["equal_lag"], h["equal_lag"]
    x_new, n_new = map(int, e[2024]["counts"].split("/"))
    x_old, n_old = map(int, e[2020]["upper_counts"].split("/"))
    p = n_new / (n_new + n_old)
    z = 1.959963984540054 + 0.8416212335729143
    assert d.numbers["hazard_ratio"] == pytest.approx(
        math.exp(z / math.sqrt((x_new + x_old) * p * (1 - p))))
    assert "report" in d.datum_en and "case_age" in d.blockers
    assert d.numbers["cases_new"] == n_new and d.numbers["cases_old"] == n_old


def test_province_now_and_pooled_releases_agree_with_the_funnel_power(h, by_key):
    d = by_key["province"]
    latest = h["province"]["comparisons"][-1]
    mu, phi = latest["expected"], max(1.0, latest["phi_used"])
    assert d.numbers["detectable_now"] == pytest.approx(
        power.funnel_detectable_ratio(mu, phi * mu))
    k = d.numbers["releases_for_2"]
    assert power.funnel_power(2, k * mu, k * phi * mu) >= 0.8
    assert power.funnel_power(2, (k - 1) * mu, (k - 1) * phi * mu) < 0.8
    assert d.numbers["releases_for_2_poisson"] < k  # overdispersion, not the count, blocks
    if d.numbers["phi_lower_bound"]:
        assert "at least" in d.detectable_en and "sedikitnya" in d.detectable_id


def test_rates_are_blocked_by_lag_not_noise(by_key):
    d = by_key["rates"]
    n = d.numbers
    assert d.blockers[0] == "lag" and "unit" in d.blockers
    assert n["ratio_poisson"] == pytest.approx(
        detectable.rate_ratio_two_counts(n["count_new"], n["count_old"]))
    assert n["ratio_poisson"] < n["ratio_phi"] < 1.5  # small: noise does not block it
    assert n["target_date"] in d.datum_en and f"± {n['window_days']} days" in d.datum_en


def test_the_measure_floor_with_one_treated_regency_is_one_over_their_number(by_key):
    n = by_key["measure"].numbers
    assert n["floor_one_treated"] == pytest.approx(1 / n["n_regencies"])
    assert detectable.randomisation_floor(n["n_regencies"], n["treated_needed"]) <= 0.05
    assert detectable.randomisation_floor(n["n_regencies"], n["treated_needed"] - 1) > 0.05


def test_the_decree_effect_shrinks_with_monthly_figures(by_key):
    n = by_key["decree"].numbers
    assert 0 < n["effect_monthly"] < n["effect_now"]


def test_the_nowcast_names_the_cycles_without_a_completed_curve(by_key):
    d = by_key["nowcast"]
    assert d.numbers["k_available"] < d.numbers["k_any"] == 2
    for cycle in d.numbers["missing_cycles"]:
        assert str(cycle) in d.datum_en
    k = d.numbers["k_width"]
    assert k == detectable.references_for_width(d.numbers["spread"], d.numbers["width"])


def test_no_figure_is_typed_into_the_decision_texts():
    """Every number in a sentence comes from the data or a named parameter: the module's string
    literals hold no digits except the ones naming days and months of a schedule."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(decide))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr)}
    allowed = {"30", "6", "2"}  # a 30-day schedule, 6 months each side, 2 curves (a method fact)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            for number in re.findall(r"\d+(?:[.,]\d+)?", node.value):
                assert number in allowed, (number, node.value[:60])
