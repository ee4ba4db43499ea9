"""Two-way fixed effects beside the staggered estimator, with its weights.

TWFE and its weights
--------------------
``Y_it = alpha_i + lambda_t + beta D_it + e_it`` by OLS with unit and period dummies; SE
cluster-robust (CR1: ``G/(G-1) * (N-1)/(N-K)``, K counting all dummies, as Stata ``regress ...
i.unit i.time, vce(cluster unit)``), t reference with G-1 df. With ``eps_it`` the residual of
``D_it`` on the two sets of dummies, ``beta = sum_{D_it=1} W_it Delta_it`` under parallel trends
with ``W_it = eps_it / sum_{D_js=1} eps_js`` (de Chaisemartin & D'Haultfoeuille 2020, Thm 1);
weights are reported summed over the units of each treated (cohort, period) cell. Negative
weights mean TWFE can have the wrong sign even when every effect is positive.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS

from ..contract import InputError, check_level, require_columns
from .options import _emit
from .results import TwfeResult


def twfe(panel: pd.DataFrame, unit: str, time: str, outcome: str, treated: str, *,
         cluster: str | None = None, level: float = 0.95) -> TwfeResult:
    """Two-way fixed-effects DiD with cluster-robust SE and dCDH (2020) weights.

    ``treated`` is a 0/1 column (e.g. from :func:`treatment_indicator`); adoption must be
    staggered (once 1, a unit stays 1) so that treated cells group into (cohort, period).
    Warns (:class:`DidWarning`, and in ``.warnings``) when any weight is negative.
    """
    fn = "twfe"
    level = check_level(level, fn)
    cols = [unit, time, outcome, treated] + ([cluster] if cluster else [])
    require_columns(panel, cols, fn)
    df = panel[cols].copy()
    for c in cols:
        if df[c].isna().any():
            raise InputError(fn, f"column '{c}' has missing values", column=c)
    if df.duplicated([unit, time]).any():
        raise InputError(fn, f"duplicate ({unit}, {time}) rows", column=time)
    if not df[treated].isin([0, 1]).all():
        raise InputError(fn, f"'{treated}' must be 0/1", column=treated)
    df = df.sort_values([unit, time]).reset_index(drop=True)
    switches_off = df.groupby(unit)[treated].apply(lambda s: (s.diff() < 0).any())
    if switches_off.any():
        raise InputError(fn, f"'{treated}' switches off for unit(s) "
                         f"{list(switches_off[switches_off].index[:5])}: twfe weights here "
                         f"assume staggered adoption", column=treated)
    if df[treated].sum() == 0:
        raise InputError(fn, f"no treated cells in '{treated}'", column=treated)
    fe = pd.get_dummies(df[[unit, time]].astype(str), drop_first=True, dtype=float)
    X0 = np.column_stack([np.ones(len(df)), fe.to_numpy()])
    D = df[treated].to_numpy(float)
    X = np.column_stack([D, X0])
    groups = pd.factorize(df[cluster or unit])[0]
    fit = OLS(df[outcome].to_numpy(float), X).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True,
                                      "df_correction": True}, use_t=True)
    G = int(groups.max()) + 1
    beta, se = float(fit.params[0]), float(fit.bse[0])
    tcrit = stats.t.ppf(0.5 + level / 2, G - 1)
    p = float(2 * stats.t.sf(abs(beta / se), G - 1)) if se > 0 else float("nan")

    eps = D - X0 @ np.linalg.lstsq(X0, D, rcond=None)[0]
    on = D == 1
    W = np.where(on, eps / eps[on].sum(), 0.0)
    periods = np.sort(df[time].unique())
    first = df[on].groupby(unit)[time].min()
    df["_cohort"] = df[unit].map(first)
    df["_w"] = W
    cell = (df[on].groupby(["_cohort", time])
            .agg(n_units=("_w", "size"), weight=("_w", "sum")).reset_index()
            .rename(columns={"_cohort": "cohort", time: "period"}))
    cell["cohort"] = cell["cohort"].astype(df[time].dtype)
    pos = {v: i for i, v in enumerate(periods)}
    cell.insert(2, "rel_time", [pos[t] - pos[g] for g, t in zip(cell["cohort"], cell["period"])])
    neg = cell["weight"] < -1e-12
    notes = []
    if neg.any():
        total = cell.loc[neg, "weight"].sum()
        notes.append(f"TWFE puts negative weights on {int(neg.sum())} of {len(cell)} treated "
                     f"(cohort, period) cells ({neg.mean():.0%}; sum {total:.3f}): with effects "
                     f"that vary over time or cohorts it can be biased, even in sign "
                     f"(de Chaisemartin & D'Haultfoeuille 2020); use staggered_effect")
    _emit(notes)
    return TwfeResult(
        estimate=beta, std_error=se, low=float(beta - tcrit * se), high=float(beta + tcrit * se),
        p_value=p, n_units=int(df[unit].nunique()), n_clusters=G, weights=cell,
        n_negative=int(neg.sum()), share_negative=float(neg.mean()),
        sum_negative=float(cell.loc[neg, "weight"].sum()), term=treated, level=level,
        method=f"two-way fixed effects by OLS, CR1 cluster-robust standard error by "
               f"{cluster or unit} ({G} clusters), t with G-1 df; de Chaisemartin-"
               f"D'Haultfoeuille (2020) weights", warnings=notes)
