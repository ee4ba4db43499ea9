"""Standard errors, intervals and p-values from influence functions.

Inference
---------
Each ATT(g,t) has an influence function (IF) ``psi_i = (n/n_g) 1[i in g](dY_i - mean_g)
- (n/n_C) 1[i in C](dY_i - mean_C)`` so that ``ATT_hat - ATT ~= mean(psi)``. Aggregates use the
weighted sum of cell IFs **plus** the term for the estimated cohort-size weights (R ``did``'s
``wif``), so standard errors match ``did::aggte``. Units are grouped into clusters (``cluster``
column, default the unit) and IFs summed within cluster: ``Psi_c = sum_{i in c} psi_i``.

* **Small-sample correction** (``small_sample=True``, the default): the treated and control
  parts of each cell's IF are scaled by ``sqrt(m/(m-1))`` (m = their number of units), i.e.
  unbiased within-group variances -- for one cell the SE is Welch's two-sample SE -- and the
  analytic reference distribution is t with G-1 df (G clusters). Reason: cohorts of a few
  regions make the plain IF variance too small; in the coverage simulation of the tests (40 units,
  cohorts of 8) the uncorrected analytic 95% interval covered about 93%, the corrected one 95%.
  ``small_sample=False`` reproduces ``did::aggte`` (and ``diff-diff``) analytic SEs exactly.
* ``"analytic"``: ``se = sqrt(sum_c Psi_c^2) / n`` with the IFs above (no further cluster
  factor), p-value and interval from t(G-1) (or the normal when ``small_sample=False``).
* ``"wild_bootstrap"`` (default): multiplier bootstrap of the IFs (Callaway & Sant'Anna 2021,
  sec. 4; Kline & Santos 2012), i.e. the wild cluster bootstrap of the score without re-estimation
  (Roodman, MacKinnon, Nielsen & Webb 2019): draw ``V_c`` per cluster, ``theta*_b = (1/n) sum_c
  V_c Psi_c``. ``V_c`` are Rademacher (+/-1, prob 1/2) or Webb (2014) six-point weights
  (+/-sqrt(1/2), +/-1, +/-sqrt(3/2), prob 1/6 each; better with fewer than ~12 clusters, where
  Rademacher has only 2^G distinct draws). Reported: ``std_error`` = bootstrap interquartile
  range / (z_.75 - z_.25) (as ``did``'s ``mboot``); the interval is the *symmetric percentile*
  interval ``estimate -/+ q`` with ``q`` the ``level`` quantile (R type 1) of
  ``|theta*_b|``; ``p_value`` = share of draws with ``|theta*_b| >= |estimate|``. Intervals are
  pointwise (no uniform band over event times). Note: with Rademacher weights the bootstrap
  variance equals the analytic one; what it adds is a non-normal reference distribution, not a
  small-sample correction. With few *treated* clusters both can over-reject (MacKinnon & Webb
  2017); use :func:`randomisation_inference` as well.
* Randomisation inference (:mod:`.randomisation`) is reported beside every estimate.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from .design import _Design

def _multipliers(rng: np.random.Generator, size, kind: str) -> np.ndarray:
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=size)
    s = np.sqrt(0.5)
    webb = np.array([-np.sqrt(1.5), -1.0, -s, s, 1.0, np.sqrt(1.5)])
    return rng.choice(webb, size=size)


def _analytic(est, psi_c, n: int, level: float, small_sample: bool):
    G = psi_c.shape[0]
    se = np.sqrt((psi_c ** 2).sum(axis=0)) / n
    ref = stats.t(G - 1) if small_sample else stats.norm
    z = ref.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * ref.sf(np.abs(est) / se)
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


def _inference(est: np.ndarray, PSI: np.ndarray, d: _Design, *, inference: str, level: float,
               n_boot: int, boot_weights: str, seed, small_sample: bool):
    """Estimates (M,) with IFs PSI (n, M) -> std_error, low, high, p_value (M,)."""
    n = d.Y.shape[0]
    psi_c = np.zeros((int(d.cluster.max()) + 1, PSI.shape[1]))
    np.add.at(psi_c, d.cluster, PSI)
    if inference == "analytic":
        return _analytic(est, psi_c, n, level, small_sample)
    return _wild_bootstrap(est, psi_c, n, level, n_boot, boot_weights, seed)
