"""Randomisation inference: the units' adoption dates permuted across units.

Each assignment gives every unit the first-treated date of another unit, so the multiset of dates
(never treated and after-the-window included) and every cohort's size are kept, and the same
cells and aggregates are re-estimated. The statistic is ``|estimate|``, two-sided. Valid under the
sharp null of no effect in any cell when adoption dates are exchangeable across units (clusters
that group units are not respected: dates are permuted unit by unit).

* **Exact** when the number of distinct assignments ``N = n! / prod(m_k!)`` (``m_k`` units per
  distinct date) is at most ``n_perm``: every assignment is evaluated once, the observed one
  included, and ``p = #{|theta_a| >= |theta_obs|} / N``.
* Otherwise ``n_perm`` uniformly random permutations (seeded):
  ``p = (1 + #{|theta_perm| >= |theta_obs|}) / (1 + n_perm)``.

The smallest attainable p-value (``min_p_value``) is ``1/N`` when exact, else ``1/(1 + n_perm)``:
seven regencies with one treated can never go below 1/7, twelve with one treated below 1/12.
"""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

from ..contract import InputError
from .design import _Design
from .group_time import _att, _Plan, _prepared
from .options import _check_options, _emit
from .results import RandomisationResult


def _date_classes(gpos: np.ndarray) -> np.ndarray:
    """One class per distinct adoption position (never treated is its own class)."""
    return pd.factorize(pd.Series(gpos).fillna(-2.0))[0]


def _n_assignments(classes: np.ndarray) -> int:
    """Distinct assignments of the dates to the units: n! / prod(m_k!)."""
    counts = np.bincount(classes)
    return math.factorial(len(classes)) // math.prod(math.factorial(int(m)) for m in counts)


def _labellings(classes: np.ndarray) -> np.ndarray:
    """Every distinct labelling of the units with the classes' multiset, (N, n)."""
    counts = np.bincount(classes)
    out = []

    def fill(free: list, k: int, label: np.ndarray) -> None:
        if k == len(counts) - 1:
            label[free] = k
            out.append(label.copy())
            return
        for chosen in combinations(free, int(counts[k])):
            label[list(chosen)] = k
            fill([i for i in free if i not in chosen], k + 1, label)

    fill(list(range(len(classes))), 0, np.empty(len(classes), dtype=int))
    return np.array(out)


def _assignments(classes: np.ndarray, n_perm: int, seed, function: str):
    """(idx (P, n), exact, N): unit i takes the date of unit ``idx[p, i]``."""
    n, N = len(classes), _n_assignments(classes)
    if N <= n_perm:
        labels = _labellings(classes)
        source = np.argsort(classes, kind="stable")
        idx = np.empty_like(labels)
        np.put_along_axis(idx, np.argsort(labels, axis=1, kind="stable"),
                          np.broadcast_to(source, labels.shape), axis=1)
        return idx, True, N
    if seed is None:
        raise InputError(function, f"seed is required: randomisation inference samples "
                         f"{n_perm} of the {N:,} assignments of adoption dates")
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(n), (int(n_perm), 1)), axis=1), False, N


def _randomise(d: _Design, plan: _Plan, observed: np.ndarray, *, n_perm: int, seed,
               function: str) -> dict:
    """Randomisation p-values of the cells and aggregates ``observed`` (K + R,)."""
    idx, exact, N = _assignments(_date_classes(d.gpos), int(n_perm), seed, function)
    att = _att(d.Y, plan, idx)
    permuted = np.column_stack([att, att @ plan.W])                    # P x (K + R)
    tol = 1e-12 * np.maximum(1.0, np.abs(observed))
    hits = (np.abs(permuted) >= np.abs(observed)[None, :] - tol).sum(axis=0)
    P = permuted.shape[0]
    p = hits / P if exact else (1 + hits) / (1 + P)
    return dict(p=p, permuted=permuted, exact=exact, n_assignments=N, n_perm=P,
                min_p_value=1 / N if exact else 1 / (1 + P))


def _ri_result(plan: _Plan, observed: np.ndarray, ri: dict, seed) -> RandomisationResult:
    k = len(plan.cells)
    how = (f"exact over all {ri['n_assignments']:,} distinct assignments" if ri["exact"] else
           f"{ri['n_perm']:,} random permutations of {ri['n_assignments']:,} distinct "
           f"assignments (seed {seed})")
    table = pd.DataFrame({"term": plan.terms, "rel_time": pd.array(plan.rel_times, "Int64"),
                          "estimate": observed[k:], "p_value": ri["p"][k:]})
    return RandomisationResult(
        estimate=float(observed[k]), p_value=float(ri["p"][k]), n_perm=ri["n_perm"],
        permuted=ri["permuted"][:, k], seed=seed, n_assignments=ri["n_assignments"],
        exact=ri["exact"], min_p_value=ri["min_p_value"], table=table,
        method=f"randomisation inference: adoption dates permuted across units, |estimate| as "
               f"the statistic, {how}; smallest attainable p-value {ri['min_p_value']:.3g}")


def randomisation_inference(panel: pd.DataFrame, unit: str, time: str, outcome: str,
                            first_treated: str, *, n_perm: int = 999, seed: int | None = None,
                            control: str = "not_yet_treated", base_period: str = "universal",
                            exposure: str | None = None, per: float = 1.0,
                            anticipation: int = 0) -> RandomisationResult:
    """Randomisation p-values of the overall effect and of every event-study row (module
    docstring); the estimates are those of :func:`staggered_effect` with the same options.

    ``seed`` is required when the distinct assignments outnumber ``n_perm`` (then sampled).
    :meth:`RandomisationResult.tidy` has no standard errors or intervals (NaN);
    ``min_p_value`` is the smallest p-value the design can give.
    """
    fn = "randomisation_inference"
    _check_options(fn, control=control, base_period=base_period, anticipation=anticipation,
                   n_perm=n_perm)
    d, plan = _prepared(panel, unit, time, outcome, first_treated, control=control,
                        base_period=base_period, exposure=exposure, per=per, cluster=None,
                        anticipation=anticipation, function=fn)
    _emit(d.notes)
    att = _att(d.Y, plan)
    observed = np.concatenate([att, att @ plan.W])
    ri = _randomise(d, plan, observed, n_perm=n_perm, seed=seed, function=fn)
    return _ri_result(plan, observed, ri, seed)
