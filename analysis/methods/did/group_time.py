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

import numpy as np
import pandas as pd

from .design import _Design, _py


def _cells(d: _Design, control: str, base_period: str, anticipation: int, with_if: bool,
           small_sample: bool = False):
    """ATT(g,t) for every estimable cell; IF matrix n x cells when ``with_if``.

    ``small_sample`` scales the treated and control parts of each IF by sqrt(m/(m-1)) (m their
    sizes), i.e. unbiased within-group variances (Welch's two-sample SE for one cell).
    """
    n, T = d.Y.shape
    never = np.isnan(d.gpos)
    cohorts = sorted({int(p) for p in d.gpos[~never] if p < T})
    rows, ifs = [], []
    for pg in cohorts:
        treated = d.gpos == pg
        n_g = int(treated.sum())
        b_post = pg - 1 - anticipation
        for pt in range(T):
            if base_period == "universal":
                if pt == b_post:
                    continue
                pb = b_post
            else:
                if pt >= pg:
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
            n_c = int(ctrl.sum())
            if n_c == 0:
                raise ValueError(
                    f"no {control.replace('_', '-')} control units for cohort "
                    f"first_treated={_py(d.periods[pg])!r} at period {_py(d.periods[pt])!r}; use "
                    f"control='never_treated' with never-treated units, or end the panel before "
                    f"the last cohort adopts")
            dy = d.Y[:, pt] - d.Y[:, pb]
            m_g, m_c = dy[treated].mean(), dy[ctrl].mean()
            rows.append((d.periods[pg], d.periods[pt], pt - pg, d.periods[pb], pt >= pg,
                         m_g - m_c, n_g, n_c))
            if with_if:
                s_g = np.sqrt(n_g / max(n_g - 1, 1)) if small_sample else 1.0
                s_c = np.sqrt(n_c / max(n_c - 1, 1)) if small_sample else 1.0
                psi = np.zeros(n)
                psi[treated] = n / n_g * s_g * (dy[treated] - m_g)
                psi[ctrl] -= n / n_c * s_c * (dy[ctrl] - m_c)
                ifs.append(psi)
    table = pd.DataFrame(rows, columns=["cohort", "period", "rel_time", "base_period", "post",
                                        "estimate", "n_treated", "n_control"])
    IF = np.column_stack(ifs) if with_if and ifs else np.zeros((n, 0))
    return table, IF


def _aggregate(d: _Design, cells: pd.DataFrame, IF: np.ndarray | None, keep: np.ndarray):
    """Cohort-size weighted mean of the kept cells and its IF (with R did's weight IF term)."""
    n = d.Y.shape[0]
    pg = cells["n_treated"].to_numpy(float)[keep] / n
    s = pg.sum()
    w = pg / s
    att = cells["estimate"].to_numpy()[keep]
    est = float(w @ att)
    if IF is None:
        return est, None
    cohort_pos = {v: k for k, v in enumerate(d.periods)}
    gk = np.array([cohort_pos[c] for c in cells["cohort"].to_numpy()[keep]])
    ind = (d.gpos[:, None] == gk[None, :]).astype(float)          # n x K: 1[G_i = g_k]
    centred = ind - pg[None, :]
    wif = centred / s - centred.sum(axis=1, keepdims=True) * (pg / s ** 2)[None, :]
    psi = IF[:, keep] @ w + wif @ att
    return est, psi
