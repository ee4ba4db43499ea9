"""Small ledger fixtures shared by the tests: one figure as a dict, a ledger frame of them."""
import pandas as pd

from analysis.data import ledger


def figure(**kw):
    """One ledger figure: a KASN national total for Pilkada 2020, as of 19 Dec 2020."""
    base = dict(id="t-1", cycle=2020, election_type="pilkada", scope="national",
                region="Indonesia", agency="KASN", metric="reported", breakdown="", category="",
                value=10.0, value_qualifier="exact", unit="ASN", as_of_date="2020-12-19",
                as_of_precision="day", published_date="2020-12-20", published_precision="day",
                source_url="https://example.org/a", source_quality="primary")
    base.update(kw)
    return base


def frame(*figures):
    """A ledger frame as ``ledger.load_ledger`` returns it (with ``effective_date``)."""
    df = pd.DataFrame(list(figures))
    df["effective_date"] = [ledger.period_start(a or p)
                            for a, p in zip(df["as_of_date"], df["published_date"])]
    return df
