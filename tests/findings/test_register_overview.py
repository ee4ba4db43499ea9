"""Notebook 05's logic (analysis.findings.register_overview): every table published from a
register is suppressed and no hidden cell can be solved for (opening a register:
tests/data/registers/test_register_opening.py)."""

import numpy as np
import pandas as pd
import pytest

from analysis.data.registers import synth
from analysis.findings import register_overview as ro
from analysis.publish import parameters
from testpaths import ROOT

NOTEBOOK = ROOT / "notebooks" / "05_register_overview.py"


@pytest.fixture(scope="module")
def register():
    cases, truth = synth.synth_register(400, 11)
    meta = synth.register_meta(cases, truth)
    cases = cases.copy()
    for c in ("date_incident", "date_report", "date_forwarded", "date_recommendation",
              "date_sanction"):
        cases[c] = pd.to_datetime(cases[c].replace("", None))
    return cases, meta


def tiny(n=14, seed=3):
    """A small register where most counts are below the threshold."""
    rng = np.random.default_rng(seed)
    report = pd.Timestamp("2024-10-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    rec = rng.random(n) < 0.6
    sanc = rec & (rng.random(n) < 0.7)
    return pd.DataFrame({
        "case_id": [f"C{i}" for i in range(n)], "person_id": [f"{i:016x}" for i in range(n)],
        "region": rng.choice(["Bangka", "Belitung", "Bangka Barat"], n),
        "region_code": [""] * n,
        "cycle": rng.choice([2020, 2024], n), "election_type": ["pilkada"] * n,
        "position_level": rng.choice(["jpt", "pelaksana", ""], n),
        "violation_type": rng.choice(["social_media", "other"], n),
        "detection_source": rng.choice(["bawaslu_finding", "public_report"], n),
        "date_incident": pd.NaT, "date_report": report,
        "date_forwarded": report + pd.Timedelta(days=3),
        "date_recommendation": (report + pd.Timedelta(days=30)).where(rec),
        "date_sanction": (report + pd.Timedelta(days=90)).where(sanc),
        "outcome": np.where(sanc, "sanctioned", np.where(rec, "pending", "not_proven")),
        "sanction_severity": np.where(sanc, "moral", ""),
    }), {"name": "tiny", "data_date": "2025-01-31", "synthetic": False}


def _all_tables(cases, meta, threshold=5):
    e_pub, e = ro.cases_by_election(cases, threshold)
    r_pub, r = ro.cases_by_region(cases, threshold)
    f_pub, f, cum = ro.funnel(cases, threshold)
    q_pub, q = ro.data_quality(cases, meta, threshold)
    protected = {"election": e, "region": r, "funnel": f, "quality": q}
    published = {"election": e_pub, "region": r_pub, "funnel": f_pub, "quality": q_pub}
    for column in ("position_level", "violation_type", "detection_source"):
        published[column], protected[column] = ro.cases_by(cases, column, threshold)
    return published, protected, cum


@pytest.mark.parametrize("which", ["synthetic", "tiny"])
def test_no_hidden_cell_can_be_recovered_and_no_count_leaks(which, register):
    from analysis.findings import register_tables as rt
    from analysis.methods import disclosure

    cases, meta = register if which == "synthetic" else tiny()
    published, protected, _ = _all_tables(cases, meta)
    for name, result in protected.items():  # each table alone
        assert disclosure.recoverable_cells(result).empty, name
        count = result[result.attrs.get("value", "value")]
        small = result[(count > 0) & (count < 5)]
        assert small["suppressed"].all(), name  # every count 1-4 hidden
        assert set(result.loc[result["suppressed"], "display"]) <= {disclosure.HIDDEN_MARK}
    for name, frame in published.items():  # published frames hold display text, not counts
        assert "value" not in frame.columns and "primary" not in frame.columns, name
    check = rt.check_summary(rt.overview_tables(cases, meta))  # and all of them together
    assert not (check["narrowest"] < 5).any(), check
    if which == "tiny":
        assert sum(ro.suppressed_count(p) if "cases" in p else
                   ro.suppressed_count(p.iloc[:, 1:].stack().rename("cases").to_frame())
                   for p in published.values()) > 0


def test_threshold_is_configurable(register):
    from analysis.methods import disclosure

    cases, meta = register
    _, prot10 = ro.cases_by_region(cases, 10)
    assert (prot10.loc[prot10["primary"], "display"] == disclosure.HIDDEN_MARK).all()
    assert disclosure.recoverable_cells(prot10).empty
    assert disclosure.cell_intervals(prot10)["width"].min() >= 10


def test_funnel_partition_adds_up_and_cumulative_shows_only_what_is_safe(register):
    cases, meta = register
    _, protected, cumulative = ro.funnel(cases)
    inner = protected[(protected["stage"] != "Jumlah / Total")
                      & (protected["election"] != "Jumlah / Total")]
    assert inner["cases"].sum() == len(cases)
    stage = ro.furthest_stage(cases)
    assert (stage == "sanction_executed").sum() == cases["date_sanction"].notna().sum()
    for election, rows in cumulative.groupby("election"):
        shown = rows.dropna(subset=["cases"])["cases"].tolist()
        assert shown == sorted(shown, reverse=True)  # a funnel narrows
    total = cumulative[cumulative["stage"] == "reported"]["cases"].sum()
    assert total == len(cases)
    _, _, cum_tiny = ro.funnel(tiny()[0])
    assert cum_tiny["cases"].isna().any() and (cum_tiny.loc[cum_tiny["cases"].isna(),
                                                            "display"] == "x").all()


def test_data_quality_counts(register):
    cases, meta = tiny()
    _, protected = ro.data_quality(cases, meta, threshold=1)  # threshold 1: nothing hidden
    by = dict(zip(protected["label"].str.split(" / ").str[-1], protected["value"]))
    assert by["incident date missing"] == len(cases)
    assert by["position level missing"] == (cases["position_level"] == "").sum()
    assert by["pending at the data date"] == (cases["outcome"] == "pending").sum()
    assert by["sanctioned without a sanction date"] == 0


def test_summary_numbers_for_prose(register):
    cases, meta = register
    facts = ro.summary(cases, meta)
    assert facts["synthetic"] and facts["cases"] == str(len(cases))
    assert facts["elections"] == sorted(facts["elections"], key=lambda e: e.split()[-1])
    assert ro.summary(*tiny(3))["cases"] == "<5"


def test_labels_are_bilingual_and_unknown_codes_readable():
    assert ro.bilingual_label("detection_source", "public_report") == \
        "laporan masyarakat / public report"
    assert ro.bilingual_label("violation_type", "vote_buying") == "vote buying"
    assert ro.shown_number("<5") is None and ro.shown_number("x") is None
    assert ro.shown_number("12") == 12


def test_notebook_parameters_cell():
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert '\nreports_dir = "../scratch"' in text
    declared = parameters.declared_parameters(NOTEBOOK)
    assert declared["register"] == "" and declared["threshold"] == 5
    assert 'tags=["researcher_only"]' in text


def test_largest_shown_never_picks_a_hidden_or_margin_row():
    published = pd.DataFrame({"category": ["A", "B", "C", "Jumlah / Total"],
                              "cases": ["12", "x", "30", "47"],
                              "margin": [False, False, False, True]})
    top = ro.largest_shown(published)
    assert top["category"] == "C" and top["n"] == 30  # not the total, not the hidden cell
    hidden = published.assign(cases=["x", "x", "x", "47"])
    assert ro.largest_shown(hidden) is None


def test_hidden_cells_counts_the_marks_of_a_wide_table():
    wide = pd.DataFrame({"region": ["A", "B"], "2020": ["x", "9"], "2024": ["<5", "x"]})
    assert ro.hidden_cells(wide, "region") == 3


def test_sanction_shares_come_from_shown_counts_only(register):
    cases, _ = register
    _, _, cumulative = ro.funnel(cases)
    counts = ro.shown_counts(cumulative.assign(cases=cumulative["display"]))
    shares = ro.sanction_shares(counts)
    for election, share in shares.items():
        rows = cumulative[cumulative["election"] == election].set_index("stage")["cases"]
        assert share == pytest.approx(rows["sanction_executed"] / rows["reported"])
    hidden = counts.assign(cases=counts["cases"].where(counts["stage"] != "reported"))
    assert ro.sanction_shares(hidden).empty  # a hidden stage gives no share
