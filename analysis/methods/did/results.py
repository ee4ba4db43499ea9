"""The result objects of the staggered DiD, each a :class:`~analysis.methods.contract.Result`
whose ``tidy()`` gives ``term, estimate, std_error, low, high, p_value`` first."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..contract import LEVEL, Result, tidy_frame


@dataclass(frozen=True)
class _Estimate:
    """One estimate with its standard error, ``level`` interval and p-value over G clusters."""
    estimate: float
    std_error: float
    low: float
    high: float
    p_value: float
    n_units: int
    n_clusters: int


@dataclass(frozen=True)
class Overall(_Estimate):
    """Overall (simple, cohort-size weighted) ATT over post-treatment cells. ``ri_p_value``:
    its randomisation p-value; ``note``: why std_error, low, high and p_value are NaN, if so."""
    n_treated_units: int
    ri_p_value: float
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(eq=False)
class RandomisationResult(Result):
    """Randomisation inference (:mod:`.randomisation`): ``estimate`` and ``p_value`` of the
    overall effect, ``table`` one row per aggregate (overall, e=...), ``permuted`` the overall
    effect under each assignment evaluated (``n_perm`` of them; all ``n_assignments`` distinct
    ones when ``exact``); ``min_p_value`` the smallest p-value the design can give."""
    estimate: float
    p_value: float
    n_perm: int
    permuted: np.ndarray
    seed: int | None
    n_assignments: int
    exact: bool
    min_p_value: float
    table: pd.DataFrame
    method: str
    level: float = LEVEL   # no interval is given; kept for the contract

    def _tidy(self) -> pd.DataFrame:
        return self.table.assign(std_error=np.nan, low=np.nan, high=np.nan,
                                 min_p_value=self.min_p_value)


@dataclass(eq=False)
class StaggeredResult(Result):
    """:func:`staggered_effect`'s result. ``event_study`` and ``att_gt`` carry ``std_error, low,
    high, p_value`` (NaN with the reason in ``note`` where a side of the variance is missing) and
    ``ri_p_value``; ``randomisation`` the randomisation inference behind it."""
    overall: Overall
    event_study: pd.DataFrame     # rel_time, estimate, std_error, low, high, p_value, ...
    att_gt: pd.DataFrame          # cohort, period, rel_time, base_period, post, estimate, ...
    randomisation: RandomisationResult
    level: float
    method: str
    warnings: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def _tidy(self) -> pd.DataFrame:
        """Overall first, then the event study by relative period (``term`` "e=-2", ...)."""
        o = self.overall
        first = pd.DataFrame([{"term": "overall", "estimate": o.estimate,
                               "std_error": o.std_error, "low": o.low, "high": o.high,
                               "p_value": o.p_value, "ri_p_value": o.ri_p_value,
                               "n_cohorts": int(self.att_gt["cohort"].nunique()),
                               "reference": False, "note": o.note}])
        es = self.event_study.assign(term=[f"e={e}" for e in self.event_study["rel_time"]])
        table = pd.concat([first, es], ignore_index=True)
        table["rel_time"] = pd.array(table["rel_time"], dtype="Int64")
        table["ri_min_p_value"] = self.randomisation.min_p_value
        return tidy_frame(table)


@dataclass(frozen=True, eq=False)
class TwfeResult(_Estimate, Result):
    """Two-way fixed effects (:func:`twfe`): the coefficient of ``term`` and the
    de Chaisemartin-D'Haultfoeuille weights of the treated (cohort, period) cells."""
    weights: pd.DataFrame         # cohort, period, rel_time, n_units, weight (sums to 1)
    n_negative: int               # treated (cohort, period) cells with a negative weight
    share_negative: float         # ... as a share of treated cells
    sum_negative: float           # sum of the negative weights
    term: str
    level: float
    method: str
    warnings: list = field(default_factory=list)

    def _tidy(self) -> pd.DataFrame:
        return pd.DataFrame([{"term": self.term, "estimate": self.estimate,
                              "std_error": self.std_error, "low": self.low, "high": self.high,
                              "p_value": self.p_value, "n_units": self.n_units,
                              "n_clusters": self.n_clusters, "n_negative": self.n_negative}])
