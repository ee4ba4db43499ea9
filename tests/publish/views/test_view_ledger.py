"""Report 01 for readers: both figures pass the checks in both languages and say what they
show; the tables have words for headers."""
import pandas as pd
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.findings import evidence
from analysis.publish.formatting import fmt_pct
from analysis.publish.views import ledger as view


@pytest.fixture(scope="module")
def inputs():
    figures = ledger.load_ledger()
    coverage = pd.read_csv(paths.PROCESSED / "coverage.csv", keep_default_na=False)
    conflicts = pd.read_csv(paths.PROCESSED / "conflicts.csv", keep_default_na=False)
    return figures, coverage, conflicts, evidence.caveat_facts(figures, conflicts)


def test_coverage_figure_names_the_busiest_election_and_the_gaps(inputs, drawn_clean):
    figures, coverage, _, facts = inputs
    matrices = evidence.coverage_panels(coverage)
    gaps = evidence.coverage_gaps(matrices[0])
    drawn = drawn_clean(lambda lang: view.draw_coverage(
        matrices, evidence.COVERAGE_SCOPES, gaps, facts, evidence.last_published(figures), lang))
    assert drawn["en"][0].startswith(f"{gaps['busiest']} has the most published figures")


def test_conflicts_figure_states_the_widest_spread(inputs, drawn_clean):
    figures, _, conflicts, _ = inputs
    totals = evidence.conflicting_totals(conflicts)
    drawn = drawn_clean(lambda lang: view.draw_conflicts(totals, evidence.last_published(figures),
                                                         lang))
    widest = pd.to_numeric(totals["relative_spread"]).max()
    assert f"up to {fmt_pct(widest, 'en', 0)} apart" in drawn["en"][0]


def test_tables_read_in_words(inputs):
    figures, _, conflicts, _ = inputs
    by_agency = evidence.figures_by(figures, "agency").reset_index()
    html = view.by_agency_table(by_agency).data
    assert "jumlah<br>" in html and html.count("<tr>") == len(by_agency) + 1
    by_unit = evidence.figures_by(figures, "unit").T
    by_unit.index.name = "unit"
    html = view.by_unit_table(by_unit.reset_index()).data
    assert "Satuan" in html and "kasus / <span" in html
    html = view.conflicts_table(evidence.conflict_table(conflicts).head(3)).data
    assert html.count("<tr>") == 4 and "|" not in html.split("<tbody>")[1]
