"""Randomisation inference: adoption dates permuted across units."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .design import _Design, _design, _drop_always_treated
from .group_time import _aggregate, _cells
from .options import _emit
from .staggered import _check_options


@dataclass
class RandomisationResult:
    estimate: float
    p_value: float
    n_perm: int
    permuted: np.ndarray
    seed: int



def randomisation_inference(panel: pd.DataFrame, unit: str, time: str, outcome: str,
                            first_treated: str, *, n_perm: int, seed: int,
                            control: str = "not_yet_treated", base_period: str = "universal",
                            exposure: str | None = None, per: float = 1.0,
                            anticipation: int = 0) -> RandomisationResult:
    """Permutation p-value of the overall effect (adoption dates permuted across units).

    Each permutation reassigns the units' ``first_treated`` values (never-treated included) at
    random, so the set of adoption dates and cohort sizes is kept, and recomputes the overall
    estimate of :func:`staggered_effect` with the same options. Two-sided:
    ``p = (1 + #{|theta_perm| >= |theta_obs|}) / (1 + n_perm)``. Valid under the sharp null of no
    effect in any cell when adoption dates are exchangeable across units.
    """
    if int(n_perm) < 1:
        raise ValueError(f"n_perm must be >= 1, got {n_perm}")
    _check_options(control, base_period, "analytic", "webb", 999, seed, 0.95)
    d = _design(panel, unit, time, outcome, first_treated, exposure, per, None, anticipation)
    d = _drop_always_treated(d, anticipation)
    _emit(d.notes)
    if control == "never_treated" and not np.isnan(d.gpos).any():
        raise ValueError("control='never_treated' but the panel has no never-treated units")

    def overall(dd: _Design) -> float:
        cells, _ = _cells(dd, control, base_period, anticipation, with_if=False)
        if not cells["post"].any():
            raise ValueError("no treated cohort adopts within the panel's periods")
        return _aggregate(dd, cells, None, cells["post"].to_numpy())[0]

    observed = overall(d)
    rng = np.random.default_rng(seed)
    perm = np.empty(int(n_perm))
    for b in range(int(n_perm)):
        idx = rng.permutation(len(d.units))
        dd = _Design(d.units, d.periods, d.Y, d.gpos[idx], d.gval[idx], d.cluster, [])
        perm[b] = overall(dd)
    tol = 1e-12 * max(1.0, abs(observed))
    p = (1 + np.sum(np.abs(perm) >= abs(observed) - tol)) / (1 + int(n_perm))
    return RandomisationResult(float(observed), float(p), int(n_perm), perm, seed)
