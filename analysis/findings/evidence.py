"""Summaries of the evidence ledger itself: what exists, where it is thin, what disagrees."""
from __future__ import annotations

import pandas as pd

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
