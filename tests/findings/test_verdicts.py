"""One verdict per headline, printed everywhere, and no chart title stronger than its verdict."""
import re

import pandas as pd
import pytest

from analysis.findings import headlines, verdicts
from analysis.publish import brief, charts
from analysis.publish.formatting import fmt_pct
from analysis.publish.quantities import marked

DIRECTION_WORDS = re.compile(r"\b(lower|higher|below|above|slower|faster|lebih rendah|"
                             r"lebih tinggi|lebih lambat)\b", re.I)


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


def test_every_headline_returns_a_bilingual_verdict(h):
    found = brief.verdict_list(h)
    assert len(found) >= 6
    for tag, v in found:
        assert v.strength in verdicts.STRENGTHS and v.reason_id and v.reason_en, tag


def test_headline_verdicts_on_the_data(h):
    assert h["follow_up"]["verdict"].strength == verdicts.SUPPORTED
    assert h["equal_lag"]["verdict"].strength == verdicts.SUGGESTIVE  # KASN -> BKN declared
    assert h["decree"]["verdict"].strength == verdicts.CANNOT_TELL
    assert h["rates"].attrs["verdict"].strength == verdicts.CANNOT_TELL
    assert h["province"]["verdict"].strength == verdicts.CANNOT_TELL
    assert h["detection"]["verdict"].strength == verdicts.CANNOT_TELL


@pytest.mark.parametrize("lang", ["id", "en"])
def test_chart_titles_carry_their_verdict_and_claim_no_more(h, lang):
    pairs = [(charts.follow_up_chart, h["follow_up"]["verdict"]),
             (charts.equal_lag_chart, h["equal_lag"]["verdict"]),
             (charts.province_chart, h["province"]["verdict"])]
    for draw, verdict in pairs:
        fig, alt, title = draw(h, lang)
        assert title.startswith(f"[{verdict.label(lang)}]")
        if verdict.strength == verdicts.CANNOT_TELL:
            assert not DIRECTION_WORDS.search(title), title


def test_a_title_with_a_direction_fails_when_the_verdict_cannot_tell(h):
    """The check above has teeth: an old-style title is caught."""
    old = "Kepulauan Bangka Belitung: Pilkada 2020 below the other provinces (ratio 0.15)"
    assert DIRECTION_WORDS.search(old)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_and_landing_print_every_verdict(h, lang):
    html = brief.render(h, lang, commit="test")[0]
    for tag, v in brief.verdict_list(h):
        item = re.search(rf'<li id="{tag}">(.*?)</li>', html, re.S).group(1)
        assert f"<strong>{v.label(lang)}</strong>" in item, tag
    landing = brief.front_context(h)[lang]["findings"]
    assert len(landing) == len(brief.verdict_list(h))
    for (tag, v), item in zip(brief.verdict_list(h), landing):
        assert f"{v.label(lang)}</span>" in item, tag


def verdicts_of(h):
    return [v for _, v in brief.verdict_list(h)]


def test_f2_2020_is_shown_as_its_range_never_the_interpolated_value(h):
    """The 2020 share on day 7 lies between two snapshots: every page says the range, in one
    form, never 'at least' and never the interpolated point."""
    e = h["equal_lag"]
    assert e[2020]["method"] == "interpolated" and pd.isna(e[2020]["low"])
    assert e[2020]["bound_low"] <= e[2020]["p"] <= e[2020]["bound_high"]
    for lang, at_least in (("en", "at least"), ("id", "paling sedikit")):
        html = brief.render(h, lang, commit="test")[0]
        text = re.sub(r"<[^>]+>", "", html)
        assert fmt_pct(e[2020]["p"], lang) not in text
        assert e[2020]["lower_counts"] in html
        shown = {k: t for k, _, t in marked(html)}
        assert shown["equal_lag.range_2020_low"] == fmt_pct(e[2020]["bound_low"], lang)
        assert shown["equal_lag.range_2020_high"] == fmt_pct(e[2020]["bound_high"], lang)
        first = re.search(r'<li id="F1">(.*?)</li>', html, re.S).group(1)
        assert at_least not in first and "sedikitnya" not in first
    # the lag table names its denominator by what it holds
    assert "reported" in e["table"].columns and "recommended" not in e["table"].columns


def test_comparing_undeclared_agencies_raises():
    with pytest.raises(ValueError, match="not declared equivalent"):
        headlines.declared_equivalence("Bawaslu", "cases", "BKN", "ASN")
    assert headlines.declared_equivalence("KASN", "ASN", "BKN", "ASN")["source"]


def test_one_hearing_one_lag_in_f2_and_f5(h):
    lag_f2 = h["equal_lag"]["lag"]
    rates = h["rates"].set_index("cycle")
    assert rates.loc[2024, "days_since_vote"] == lag_f2 == 7


def test_rates_hold_one_unit_and_say_their_denominator(h):
    r = h["rates"]
    assert set(r["unit"]) == {"ASN"}
    assert {"denominator_type", "denominator_year"} <= set(r.columns)
    assert not {"rate_low", "rate_high"} & set(r.columns)  # no Poisson CI on overdispersed counts
    row = r.set_index("cycle").loc[2024]
    assert row["denominator_type"] == "ASN"  # ASN over ASN where the headcount exists


def test_no_p_value_below_1e4_is_printed(h):
    for lang in ("id", "en"):
        html = brief.render(h, lang, commit="test")[0]
        assert not re.search(r"\d[eE]-\d", html)


def test_province_counts_are_dated_snapshots(h):
    for r in h["province"]["comparisons"]:
        assert r["count_kind"] == "snapshot" and r["as_of_date"] and r["days_since_vote"] < 0


# --------------------------------------------------------------------------- say what holds
def test_equal_lag_names_case_age_agency_and_step_and_claims_no_slower_handling(h):
    v = h["equal_lag"]["verdict"]
    assert v.strength == verdicts.SUGGESTIVE
    first_2020 = h["equal_lag"]["oldest_lag"][2020]
    assert first_2020 < 0  # the 2020 series counted reports long before the vote
    assert f"{abs(first_2020)} days before the vote" in v.reason_en
    assert "not from each report" in v.reason_en and "may not be the same step" in v.reason_en
    assert "does not show slower handling of each case" in v.reason_en
    assert "tanggal laporan 2024 tidak dipublikasikan" in v.reason_id


def test_follow_up_says_it_is_a_cumulative_share_not_evidence_of_supervision(h):
    f = h["follow_up"]
    v = f["verdict"]
    assert f["first"]["day"] < 0  # the first point is before the vote
    assert f"{abs(f['first']['day'])} days before the vote" in v.reason_en
    assert "cumulative share of a growing caseload" in v.reason_en
    assert "not evidence that supervision worked" in v.reason_en
    assert f["first"]["n"] < f["last"]["n"]


def _row(**kw):
    base = {"election": "Pilkada 2020", "flag": "", "ratio_to_rest": 0.15, "ratio_low": 1e-6,
            "ratio_high": 2e4, "phi_kind": "lower bound", "n_listed": 12}
    return base | kw


def test_an_interval_from_a_lower_bound_phi_is_called_uninformative_not_no_different():
    v = verdicts.province([_row()], "Kepulauan Bangka Belitung")
    assert v.strength == verdicts.CANNOT_TELL
    assert "uninformative" in v.reason_en and "lower bound" in v.reason_en
    assert "includes 1" not in v.reason_en and "no different" not in v.reason_en
    assert "< 0.001 to > 1,000" in v.reason_en and "< 0,001 hingga > 1.000" in v.reason_id


def test_a_very_wide_interval_says_nothing_and_a_narrow_one_includes_one():
    wide = verdicts.province([_row(phi_kind="implied zeros", ratio_low=0.07, ratio_high=66)],
                             "X")
    assert "too wide to say anything" in wide.reason_en
    narrow = verdicts.province([_row(phi_kind="implied zeros", ratio_low=0.6, ratio_high=1.8)],
                               "X")
    assert "includes 1" in narrow.reason_en and "0.6 to 1.8" in narrow.reason_en


def test_the_published_province_verdict_does_not_call_babel_no_different(h):
    for lang in ("id", "en"):
        html = brief.render(h, lang, commit="test")[0]
        assert "no different from the country" not in html
        assert "tidak berbeda dari nasional" not in html
