"""The scorecard: one row per question a supervisor asks, the province and the country, each
cell a verdict, one number in one form, a plain sentence and what would decide it."""
import re

import pandas as pd
import pytest

from analysis.data import build
from analysis.findings import headlines, scorecard, verdicts
from analysis.publish.quantities import mark

QUESTIONS = ("trend", "sanctions", "measure", "record")


@pytest.fixture(scope="module")
def h():
    return headlines.compute()


@pytest.fixture(scope="module")
def snapshots():
    return build.load_processed()["enforcement_snapshots"]


def texts(sc, lang):
    phrases = [sc.summary] + [p for r in sc.rows for c in r.cells
                              for p in (c.number, c.label, c.sentence)]
    return " ".join([p.text(lang) for p in phrases] + [r.question(lang) for r in sc.rows])


def quantities(sc):
    phrases = [sc.summary] + [p for r in sc.rows for c in r.cells
                              for p in (c.number, c.label, c.sentence)]
    return [v for p in phrases for v in p.values.values() if isinstance(v, scorecard.Quantity)]


def test_four_questions_each_for_the_province_and_the_country(h):
    sc = h["scorecard"]
    assert tuple(r.key for r in sc.rows) == QUESTIONS
    for row in sc.rows:
        assert [c.scope for c in row.cells] == ["province", "country"]
        for cell in row.cells:
            assert cell.verdict.strength in verdicts.STRENGTHS
            assert cell.number.text("id") and cell.label.text("id") and cell.sentence.text("en")
            # every placeholder has its value
            for lang in ("id", "en"):
                for p in (cell.number, cell.label, cell.sentence):
                    assert set(re.findall(r"\{(\w+)\}", p.text(lang))) <= set(p.values)


def test_every_open_judgement_carries_what_would_decide_it(h):
    for row in h["scorecard"].rows:
        for cell in row.cells:
            if row.key in scorecard.EVALUATIVE and cell.verdict.strength != verdicts.SUPPORTED:
                assert cell.decision is not None, (row.key, cell.scope)
                assert cell.decision.datum_id and cell.decision.holder


def test_the_answer_counts_the_open_questions_about_what_supervision_achieves(h):
    sc = h["scorecard"]
    judged = [r for r in sc.rows if r.key in scorecard.EVALUATIVE]
    v = sc.summary.values
    assert v["n"].value == len(judged) == 3
    assert v["open_p"].value == sum(r.province.verdict.strength == verdicts.CANNOT_TELL
                                    for r in judged)
    assert v["open_c"].value == sum(r.country.verdict.strength == verdicts.CANNOT_TELL
                                    for r in judged)
    assert sc.summary.text("id").startswith("Belum dapat dinilai") == (v["open_p"].value == 3)
    name = h["province"]["province"]
    assert sc.first_action is not None and f"Bawaslu {name}" in sc.first_action.holder


def test_the_2020_share_is_one_range_and_the_2024_share_one_number(h):
    cell = h["scorecard"].rows[1].country
    e = h["equal_lag"]
    assert cell.number.values["share"].value == pytest.approx(e[2024]["p"])
    values = cell.sentence.values
    assert values["low"].value == pytest.approx(e[2020]["bound_low"])
    assert values["high"].value == pytest.approx(e[2020]["bound_high"])
    for lang, words in (("id", ("paling sedikit", "sedikitnya")), ("en", ("at least",))):
        assert not any(w in cell.sentence.text(lang) for w in words)
    assert all(q.value != pytest.approx(e[2020]["p"]) for q in quantities(h["scorecard"])
               if q.kind == "pct")  # never the interpolated point


def test_it_says_plainly_whether_a_newer_figure_was_published(h, snapshots):
    cell = h["scorecard"].rows[1].country
    # the only later 2024 release repeats the same counts: nothing newer
    assert "belum ada yang lebih baru" in cell.sentence.text("id")
    assert "none newer" in cell.sentence.text("en")
    later = snapshots[(snapshots["cycle"] == 2024) & (snapshots["agency"] == "BKN")
                      & (snapshots["scope"] == "national") & snapshots["executed"].notna()
                      & snapshots["reported"].notna()].sort_values("days_since_vote").tail(1)
    assert len(later)
    newer = later.assign(days_since_vote=later["days_since_vote"] + 30,
                         executed=later["executed"] + 100)
    changed = scorecard.build(h, pd.concat([snapshots, newer]))
    assert "newer ones exist" in changed.rows[1].country.sentence.text("en")


def test_quantity_keys_are_plain_names_with_one_value_each(h):
    seen = {}
    for q in quantities(h["scorecard"]):
        mark(q.key, q.value, "x")  # a valid key and a number
        assert seen.setdefault(q.key, q.value) == pytest.approx(q.value), q.key


def test_every_province_word_comes_from_the_parameter():
    other = headlines.compute("Sulawesi Tenggara")
    sc = other["scorecard"]
    assert sc.province == "Sulawesi Tenggara"
    for lang in ("id", "en"):
        text = texts(sc, lang)
        assert not re.search(r"Bangka|Belitung|Babel|Pangkalpinang", text), text
    for row in sc.rows:
        for cell in row.cells:
            if cell.decision is not None and "Bangka" in cell.decision.datum_id:
                pytest.fail(cell.decision.key)


def test_a_province_in_no_published_list_still_gets_a_scorecard():
    sc = headlines.compute("DKI Jakarta")["scorecard"]
    assert sc.rows[0].province.verdict.strength == verdicts.CANNOT_TELL
    assert "DKI Jakarta" in sc.rows[0].province.label.text("en")


def test_election_labels_are_in_one_language():
    assert scorecard.election_label(2025, "pilkada_rerun", "id") == "Pilkada ulang 2025"
    assert scorecard.election_label(2025, "pilkada_rerun", "en") == "Pilkada re-run 2025"
    assert scorecard.election_label(2025, "calendar_year", "en") == "Year 2025"
    assert scorecard.election_label(2020, "pilkada", "en") == "Pilkada 2020"
