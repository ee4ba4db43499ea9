"""Group-time ATT(g, t), their influence functions and their aggregation.

Estimator (every choice explicit)
---------------------------------
Notation: periods are the sorted distinct values of the time column, indexed by *position*
0..T-1 (so election-cycle years with gaps work; "the previous period" is the previous observed
one, as in R ``did``). ``G_i`` is unit i's first treated period (a period value); cohort g is the
set of units with ``G_i = g``; ``a`` is ``anticipation``.

* **ATT(g, t)** (unconditional parallel trends, no covariates, balanced panel): with base period
  ``b``, ``ATT(g,t) = mean_{i in g}(Y_it - Y_ib) - mean_{i in C(g,t)}(Y_it - Y_ib)``: a 2x2 DiD
  of long differences, equal weight per unit. This is R ``did::att_gt(est_method="reg")``
  without covariates (all of ``reg``/``ipw``/``dr`` coincide without covariates).
* **Base period** (argument ``base_period``, default ``"universal"``): ``"universal"`` uses
  ``b = g - 1 - a`` for every t (pre and post), so the event study is relative to one reference
  period (reported as a row with estimate 0 and no standard error), which is how Roth (2024)
  recommends reading event-study plots. ``"varying"`` (R ``did``'s default) uses ``b = g-1-a``
  for ``t >= g`` and the *previous* period ``b = t - 1`` for pre-periods ``t < g`` (short-gap
  placebo DiDs). Post-treatment ATT(g,t) are identical under both.
* **Control group** C(g,t): ``"never_treated"``: units with ``G = NaN``. ``"not_yet_treated"``:
  never-treated units plus units with ``pos(G) > max(pos(t), pos(b)) + a`` and ``G != g`` (as R
  ``did``). Units whose ``G`` lies after the last period are "not treated within the window":
  they are controls under ``"not_yet_treated"`` (placed at position T) and excluded from controls
  under ``"never_treated"``; they form no cohort. Units with ``pos(G) <= a`` have no untreated
  base period and are dropped with a warning (R ``did`` does the same).
* **Overall effect** (as ``did::aggte(type="simple")``): the average of the post-treatment cells
  ``t >= g`` with each cell weighted by its cohort size, ``w_gt = n_g / sum n_g'`` over the post
  cells. A cohort observed for more post periods therefore gets proportionally more weight.
  With ``anticipation = a > 0`` the anticipation cells ``g-a <= t < g`` are shown in the event
  study (e = -a..-1) but are **not** part of the overall effect, which is the effect from
  official adoption on (``diff-diff`` 3.13.0 instead averages ``t >= g - a``; the tests check
  that this is the only difference).
* **Event study** (as ``did::aggte(type="dynamic")``, no balancing in event time): for each
  relative time ``e = pos(t) - pos(g)`` (in periods), the cohort-size weighted average of
  ATT(g, g+e) over the cohorts observed at e; ``e < 0`` rows are pre-trend checks.
* **Exposure**: if ``exposure`` is given the outcome analysed is the per-cell rate
  ``outcome / exposure * per`` (e.g. cases per 10,000 civil servants), and units still count
  equally (the rate is not exposure-weighted across units).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..contract import InputError
from .design import _Design, _design, _py


@dataclass(frozen=True)
class _Plan:
    """The estimable (g, t) cells of a design and the aggregates built from them."""
    cells: pd.DataFrame   # cohort, period, rel_time, base_period, post, n_treated, n_control
    pg: np.ndarray        # (K,) position of each cell's cohort
    pt: np.ndarray        # (K,) position of its period
    pb: np.ndarray        # (K,) position of its base period
    treated: np.ndarray   # (K, n) bool: the cohort's units
    control: np.ndarray   # (K, n) bool: its control units
    W: np.ndarray         # (K, R) cohort-size weights of the aggregates: overall, then each e
    terms: list           # (R,) "overall", "e=-2", ...
    rel_times: list       # (R,) None for overall, else e


def _plan(d: _Design, control: str, base_period: str, anticipation: int,
          function: str) -> _Plan:
    """Cells, their treated and control units, and the aggregation weights (module docstring)."""
    n, T = d.Y.shape
    never = np.isnan(d.gpos)
    rows, pos, treated_sets, control_sets = [], [], [], []
    for pg in sorted({int(p) for p in d.gpos[~never] if p < T}):
        treated = d.gpos == pg
        b_post = pg - 1 - anticipation
        for pt in range(T):
            if base_period == "universal":
                if pt == b_post:
                    continue
                pb = b_post
            elif pt >= pg:
                pb = b_post
            elif pt == 0:
                continue
            else:
                pb = pt - 1
            if control == "never_treated":
                ctrl = never
            else:
                with np.errstate(invalid="ignore"):
                    ctrl = never | ((d.gpos > max(pt, pb) + anticipation) & ~treated)
            if not ctrl.any():
                raise InputError(
                    function, f"no {control.replace('_', '-')} control units for cohort "
                    f"first_treated={_py(d.periods[pg])!r} at period {_py(d.periods[pt])!r}; use "
                    f"control='never_treated' with never-treated units, or end the panel before "
                    f"the last cohort adopts")
            rows.append((d.periods[pg], d.periods[pt], pt - pg, d.periods[pb], pt >= pg,
                         int(treated.sum()), int(ctrl.sum())))
            pos.append((pg, pt, pb))
            treated_sets.append(treated)
            control_sets.append(ctrl)
    cells = pd.DataFrame(rows, columns=["cohort", "period", "rel_time", "base_period", "post",
                                        "n_treated", "n_control"])
    if cells.empty or not cells["post"].any():
        raise InputError(function, "no treated cohort adopts within the panel's periods (after "
                         "its first period): nothing to estimate")
    rel = cells["rel_time"].to_numpy()
    event_times = sorted(int(e) for e in np.unique(rel))
    keeps = [cells["post"].to_numpy()] + [rel == e for e in event_times]
    size = cells["n_treated"].to_numpy(float)
    W = np.column_stack([np.where(k, size, 0.0) / size[k].sum() for k in keeps])
    pos = np.array(pos)
    return _Plan(cells, pos[:, 0], pos[:, 1], pos[:, 2], np.array(treated_sets),
                 np.array(control_sets), W, ["overall"] + [f"e={e}" for e in event_times],
                 [None] + event_times)


def _prepared(panel, unit, time, outcome, first_treated, *, control, base_period, exposure,
              per, cluster, anticipation, function):
    """The design (with its notes) and the plan: what every estimator of this package needs."""
    d = _design(panel, unit, time, outcome, first_treated, exposure, per, cluster, anticipation,
                function)
    never = np.isnan(d.gpos)
    if control == "never_treated" and not never.any():
        raise InputError(function, "control='never_treated' but the panel has no "
                         "never-treated units (first_treated NaN)", column=first_treated)
    after = ~never & (d.gpos >= d.Y.shape[1])
    if after.any():
        d.notes.append(f"{int(after.sum())} unit(s) adopt after the last period: treated as not "
                       f"yet treated throughout" + (" (excluded from never-treated controls)"
                                                    if control == "never_treated" else ""))
    return d, _plan(d, control, base_period, anticipation, function)


def _att(Y: np.ndarray, plan: _Plan, idx: np.ndarray | None = None) -> np.ndarray:
    """ATT(g,t) of every cell, (K,); with ``idx`` (P, n), one row per relabelling of the units'
    adoption dates (unit i takes the date of unit ``idx[p, i]``), (P, K)."""
    dy = Y[:, plan.pt] - Y[:, plan.pb]                                  # n x K
    n_g, n_c = plan.treated.sum(axis=1), plan.control.sum(axis=1)
    if idx is None:
        return (plan.treated * dy.T).sum(axis=1) / n_g - (plan.control * dy.T).sum(axis=1) / n_c
    out = np.empty((idx.shape[0], len(plan.pt)))
    for k in range(len(plan.pt)):
        out[:, k] = (plan.treated[k][idx] @ dy[:, k] / n_g[k]
                     - plan.control[k][idx] @ dy[:, k] / n_c[k])
    return out


def _influence(d: _Design, plan: _Plan, att: np.ndarray, small_sample: bool) -> np.ndarray:
    """Influence functions (n, K + R) of the cells and of the aggregates (with R did's term for
    the estimated cohort-size weights, ``wif``). ``small_sample`` scales the treated and control
    parts of each cell's IF by sqrt(m/(m-1)) (m their sizes): unbiased within-group variances,
    Welch's two-sample SE for one cell."""
    n = d.Y.shape[0]
    dy = d.Y[:, plan.pt] - d.Y[:, plan.pb]
    IF = np.zeros((n, len(plan.pt)))
    for k, (t, c) in enumerate(zip(plan.treated, plan.control)):
        for members, sign in ((t, 1.0), (c, -1.0)):
            m = int(members.sum())
            scale = np.sqrt(m / max(m - 1, 1)) if small_sample else 1.0
            IF[members, k] += sign * n / m * scale * (dy[members, k] - dy[members, k].mean())
    aggregates = []
    for w in plan.W.T:
        keep = w > 0
        share = plan.cells["n_treated"].to_numpy(float)[keep] / n
        total = share.sum()
        centred = (d.gpos[:, None] == plan.pg[keep][None, :]) - share[None, :]
        wif = centred / total - centred.sum(axis=1, keepdims=True) * (share / total ** 2)[None, :]
        aggregates.append(IF @ w + wif @ att[keep])
    return np.column_stack([IF] + aggregates)
