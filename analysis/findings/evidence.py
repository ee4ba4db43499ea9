"""Summaries of the evidence ledger itself: what exists, where it is thin, what disagrees."""
from __future__ import annotations

import pandas as pd

from ..data.vocabulary import FUNNEL

CYCLE_LABELS = {"pilkada": "Pilkada", "pemilu": "Pemilu", "pilkada_rerun": "Pilkada ulang",
                "calendar_year": "Tahun / year"}


def cycle_label(cycle: int, election_type: str) -> str:
    """'Pilkada 2020', 'Pemilu 2024' ..."""
    return f"{CYCLE_LABELS.get(election_type, election_type)} {cycle}"


def with_cycle_label(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(election=[cycle_label(c, e) for c, e in zip(df["cycle"],
                                                                 df["election_type"])])


def figures_by(ledger: pd.DataFrame, column: str) -> pd.DataFrame:
    """Number of figures per election (rows, in time order) and ``column`` (columns)."""
    df = with_cycle_label(ledger)
    table = pd.crosstab(df["election"], df[column])
    order = (df.drop_duplicates("election").sort_values(["cycle", "election_type"])["election"])
    table = table.reindex(order)
    table.columns.name = None
    table.index.name = "election"
    table["total"] = table.sum(axis=1)
    return table


def coverage_matrix(coverage: pd.DataFrame, metrics: list[str],
                    scopes: tuple[str, ...] = ("national",)) -> pd.DataFrame:
    """Figures per metric (rows) and election (columns) for the given scopes; 0 where none."""
    df = with_cycle_label(coverage[coverage["scope"].isin(scopes)])
    order = df.drop_duplicates("election").sort_values(["cycle", "election_type"])["election"]
    matrix = df.pivot_table(index="metric", columns="election", values="n_figures",
                            aggfunc="sum", fill_value=0)
    return matrix.reindex(index=metrics, columns=list(order), fill_value=0)


def caveat_facts(ledger: pd.DataFrame, conflicts: pd.DataFrame) -> dict:
    """Counts a reader must know before trusting any single figure."""
    dated = ledger["as_of_date"] != ""
    return {
        "n_figures": len(ledger),
        "n_sources": ledger["source_url"].nunique(),
        "n_agencies": ledger["agency"].nunique(),
        "n_weak": int((ledger["source_quality"] == "weak").sum()),
        "n_secondary": int((ledger["source_quality"] == "secondary").sum()),
        "n_not_exact": int((ledger["value_qualifier"] != "exact").sum()),
        "n_undated": int((~dated).sum()),
        "n_month_or_year": int(ledger["as_of_precision"].isin(["month", "year"]).sum()),
        "n_conflict_groups": len(conflicts),
        "n_units": ledger["unit"].nunique(),
        "first_cycle": int(ledger["cycle"].min()),
        "last_cycle": int(ledger["cycle"].max()),
    }


# stages of the coverage matrices: the funnel, then the other kinds of figure
COVERAGE_STAGES = list(FUNNEL) + ["forwarded", "not_violation", "pending", "share"]
COVERAGE_SCOPES = (("national",), ("province", "regency"))


def last_published(ledger: pd.DataFrame) -> str:
    """The latest publication date in the ledger (ISO text)."""
    return max(d for d in ledger["published_date"] if d)


def coverage_panels(coverage: pd.DataFrame) -> list[pd.DataFrame]:
    """Figures per stage (:data:`COVERAGE_STAGES`, rows) and election (columns), one matrix per
    scope group of :data:`COVERAGE_SCOPES` (national; province and regency), elections only
    (no calendar years), every matrix with the same elections in time order."""
    elections = coverage[coverage["election_type"] != "calendar_year"]
    matrices = [coverage_matrix(elections, COVERAGE_STAGES, scopes) for scopes in COVERAGE_SCOPES]
    columns = sorted(set().union(*(m.columns for m in matrices)), key=lambda e: (int(e[-4:]), e))
    return [m.reindex(columns=columns, fill_value=0) for m in matrices]


def coverage_gaps(national: pd.DataFrame) -> dict:
    """From the national coverage matrix: ``busiest`` (the election with the most figures) and
    ``no_executed`` (elections with no national count of executed sanctions)."""
    executed = national.loc["sanction_executed"]
    return {"busiest": national.sum().idxmax(),
            "no_executed": [c for c in executed.index if executed[c] == 0]}


CONFLICT_COLUMNS = ["election", "scope", "region", "agency", "metric", "breakdown", "category",
                    "unit", "as_of", "published", "values", "spread", "relative_spread",
                    "n_sources", "ids"]


def conflict_table(conflicts: pd.DataFrame) -> pd.DataFrame:
    """The conflicting groups as published: election label, the as-of date ('–' when undated),
    the publication dates as one span, the values, spread and relative spread (3 decimals),
    in the order of ``conflicts`` (largest relative spread first)."""
    return with_cycle_label(conflicts).assign(
        as_of=lambda d: d["as_of_date"].where(d["as_of_date"] != "", "–"),
        published=lambda d: d["published_from"].where(
            d["published_from"] == d["published_to"],
            d["published_from"] + " … " + d["published_to"]),
        relative_spread=lambda d: pd.to_numeric(d["relative_spread"]).round(3),
    )[CONFLICT_COLUMNS]


def conflicting_totals(conflicts: pd.DataFrame, n: int = 12) -> pd.DataFrame:
    """The ``n`` totals (no breakdown) published with two or more values for one as-of date
    with the largest relative spread, smallest first."""
    totals = conflicts[(conflicts["breakdown"] == "") & (conflicts["kind"] == "same_as_of_date")]
    return with_cycle_label(totals).sort_values("relative_spread").tail(n)
