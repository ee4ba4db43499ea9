"""Summaries of the evidence ledger (analysis.findings.evidence): coverage panels with the same
elections in time order, the gaps they show, the conflicting groups as published."""
import pandas as pd
import pytest

from analysis import paths
from analysis.data import ledger
from analysis.findings import evidence


@pytest.fixture(scope="module")
def processed():
    read = lambda name: pd.read_csv(paths.PROCESSED / name, keep_default_na=False)  # noqa: E731
    return read("coverage.csv"), read("conflicts.csv")


def test_coverage_panels_share_elections_in_time_order_and_count_every_election_figure(processed):
    coverage, _ = processed
    national, regional = evidence.coverage_panels(coverage)
    assert list(national.columns) == list(regional.columns)
    years = [int(c[-4:]) for c in national.columns]
    assert years == sorted(years) and not any(c.startswith("Tahun") for c in national.columns)
    assert list(national.index) == evidence.COVERAGE_STAGES
    kept = coverage[(coverage["election_type"] != "calendar_year")
                    & coverage["metric"].isin(evidence.COVERAGE_STAGES)]
    for panel, scopes in zip((national, regional), evidence.COVERAGE_SCOPES):
        assert panel.to_numpy().sum() == kept.loc[kept["scope"].isin(scopes), "n_figures"].sum()


def test_coverage_gaps_name_the_busiest_election_and_those_without_executed_counts():
    matrix = pd.DataFrame({"Pilkada 2015": [3, 0], "Pilkada 2020": [9, 4], "Pemilu 2024": [2, 0]},
                          index=["reported", "sanction_executed"])
    gaps = evidence.coverage_gaps(matrix)
    assert gaps == {"busiest": "Pilkada 2020", "no_executed": ["Pilkada 2015", "Pemilu 2024"]}


def test_conflict_table_keeps_every_group_with_its_dates_as_read(processed):
    _, conflicts = processed
    table = evidence.conflict_table(conflicts)
    assert list(table.columns) == evidence.CONFLICT_COLUMNS and len(table) == len(conflicts)
    undated = conflicts["as_of_date"] == ""
    assert (table.loc[undated.to_numpy(), "as_of"] == "–").all()
    span = conflicts["published_from"] != conflicts["published_to"]
    assert table.loc[span.to_numpy(), "published"].str.contains(" … ").all()


def test_conflicting_totals_are_the_widest_same_date_totals(processed):
    _, conflicts = processed
    totals = evidence.conflicting_totals(conflicts, n=5)
    assert len(totals) <= 5 and (totals["breakdown"] == "").all()
    assert (totals["kind"] == "same_as_of_date").all()
    spread = pd.to_numeric(totals["relative_spread"])
    assert spread.is_monotonic_increasing
    others = conflicts[(conflicts["breakdown"] == "") & (conflicts["kind"] == "same_as_of_date")]
    assert spread.min() >= pd.to_numeric(others["relative_spread"]).nlargest(5).min()


def test_last_published_is_the_ledgers_latest_publication_date():
    figures = ledger.load_ledger()
    assert evidence.last_published(figures) == max(d for d in figures["published_date"] if d)
