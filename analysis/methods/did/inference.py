"""Standard errors, intervals and p-values from influence functions.

Each ATT(g,t) has an influence function (IF) ``psi_i = (n/n_g) 1[i in g](dY_i - mean_g)
- (n/n_C) 1[i in C](dY_i - mean_C)`` so that ``ATT_hat - ATT ~= mean(psi)``. Aggregates use the
weighted sum of cell IFs **plus** the term for the estimated cohort-size weights (R ``did``'s
``wif``), so standard errors match ``did::aggte``. Units are grouped into clusters (``cluster``
column, default the unit) and IFs summed within cluster: ``Psi_c = sum_{i in c} psi_i``.

* **Small-sample correction** (``small_sample=True``, the default): the treated and control
  parts of each cell's IF are scaled by ``sqrt(m/(m-1))`` (m = their number of units), i.e.
  unbiased within-group variances -- for one cell the SE is Welch's two-sample SE -- and the
  analytic reference distribution is t with G-1 df (G clusters). ``small_sample=False``
  reproduces ``did::aggte`` (and ``diff-diff``) analytic SEs exactly, with a normal reference.
* ``"analytic"`` (**default**): ``se = sqrt(sum_c Psi_c^2) / n``, p-value and interval from
  t(G-1). Chosen because it kept its size where the bootstrap below did not (METHODS.md F,
  ``scripts/did_size.py``): with 12 heteroskedastic units, 4 treated in two cohorts, it rejected
  4.0% at 5% (600 panels, MC SE 0.8 pp; Webb bootstrap 6.8%), and its 95% intervals covered
  95-96% at 12-40 units. It over-rejects when a few treated units face many controls (3 treated
  in one cohort: 9.2% with 15 units, 11.0% with 38), which is why randomisation inference is
  reported beside every estimate.
* ``"wild_bootstrap"``: multiplier bootstrap of the IFs (Callaway & Sant'Anna 2021, sec. 4;
  Kline & Santos 2012), the wild cluster bootstrap of the score without re-estimation and not
  studentised: draw ``V_c`` per cluster, ``theta*_b = (1/n) sum_c V_c Psi_c`` with Rademacher or
  Webb (2014) six-point weights. ``std_error`` = bootstrap interquartile range / (z_.75 - z_.25)
  (as ``did``'s ``mboot``); the interval is ``estimate -/+ q`` with ``q`` the ``level`` quantile
  (R type 1) of ``|theta*_b|``; ``p_value`` = share of draws with ``|theta*_b| >= |estimate|``.
  Its reference distribution is close to the normal, so with few clusters it over-rejects like
  the normal does (6.5-13.3% at 5% with 12-38 units and 3-4 treated).
* **A side with one cluster**: where a cohort's treated units (or a cell's controls) lie in one
  cluster, that side of the IF is identically zero and the variance misses it (with two
  single-unit cohorts among 12 units the analytic test rejected 16% at 5%, the bootstrap 23%).
  Such cells, and every aggregate that weights them, get no standard error, interval or
  p-value, with the reason in their ``note``; the randomisation p-value beside them keeps its
  size (5.0% in the same design).
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from .design import _Design, _py
from .group_time import _Plan

NO_VARIANCE = ("the influence-function variance then has no term for that side: no standard "
               "error, interval or p-value")


def _multipliers(rng: np.random.Generator, size, kind: str) -> np.ndarray:
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=size)
    s = np.sqrt(0.5)
    webb = np.array([-np.sqrt(1.5), -1.0, -s, s, 1.0, np.sqrt(1.5)])
    return rng.choice(webb, size=size)


def _single_cluster_reasons(d: _Design, plan: _Plan) -> list[str]:
    """Per estimate (K cells, then R aggregates): why it has no variance, or "" if it has one.

    A cell whose treated units, or whose control units, lie in one cluster has no within-group
    variation to estimate that side's variance; so has every aggregate that weights the cell."""
    reasons = []
    for k, (t, c) in enumerate(zip(plan.treated, plan.control)):
        why = []
        if np.unique(d.cluster[t]).size < 2:
            why.append(f"cohort {_py(d.periods[plan.pg[k]])} has one treated {d.cluster_word}")
        if np.unique(d.cluster[c]).size < 2:
            why.append(f"the controls of cell (g={_py(d.periods[plan.pg[k]])}, "
                       f"t={_py(d.periods[plan.pt[k]])}) are one {d.cluster_word}")
        reasons.append(why)
    notes = ["; ".join(why) for why in reasons]
    for w in plan.W.T:
        why = list(dict.fromkeys(r for k in np.flatnonzero(w > 0) for r in reasons[k]))
        notes.append("; ".join(why))
    return notes


def _analytic(est, psi_c, n: int, level: float, small_sample: bool):
    G = psi_c.shape[0]
    se = np.sqrt((psi_c ** 2).sum(axis=0)) / n
    # scipy.special's functions, which stats.t and stats.norm call, without building a frozen
    # distribution on every fit (about 1 ms, a tenth of a fit in a simulation study)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.abs(est) / se
        if small_sample:
            z, p = special.stdtrit(G - 1, 0.5 + level / 2), 2 * special.stdtr(G - 1, -x)
        else:
            z, p = special.ndtri(0.5 + level / 2), 2 * special.ndtr(-x)
    return se, est - z * se, est + z * se, np.where(se > 0, p, np.nan)


def _wild_bootstrap(est, psi_c, n: int, level: float, n_boot: int, boot_weights: str, seed):
    rng = np.random.default_rng(seed)
    V = _multipliers(rng, (n_boot, psi_c.shape[0]), boot_weights)
    draws = V @ psi_c / n                                           # n_boot x M, centred at 0
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    se = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    half = np.quantile(np.abs(draws), level, axis=0, method="inverted_cdf")
    p = (np.abs(draws) >= np.abs(est)[None, :] - 1e-12 * np.maximum(1, np.abs(est))).mean(axis=0)
    p = np.where(np.abs(draws).max(axis=0) > 0, p, np.nan)
    return se, est - half, est + half, p


def _inference(est: np.ndarray, PSI: np.ndarray, d: _Design, plan: _Plan, *, inference: str,
               level: float, n_boot: int, boot_weights: str, seed, small_sample: bool):
    """Estimates (M,) with IFs PSI (n, M) -> std_error, low, high, p_value (M,), NaN where
    :func:`_single_cluster_reasons` gives a reason, and those reasons."""
    n = d.Y.shape[0]
    psi_c = np.zeros((int(d.cluster.max()) + 1, PSI.shape[1]))
    np.add.at(psi_c, d.cluster, PSI)
    if inference == "analytic":
        out = _analytic(est, psi_c, n, level, small_sample)
    else:
        out = _wild_bootstrap(est, psi_c, n, level, n_boot, boot_weights, seed)
    reasons = _single_cluster_reasons(d, plan)
    missing = np.array([bool(r) for r in reasons])
    se, low, high, p = (np.where(missing, np.nan, a) for a in out)
    return se, low, high, p, reasons
