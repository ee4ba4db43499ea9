"""Allowed option values and thresholds of the staggered DiD, their check, and its warning class."""
from __future__ import annotations

import warnings

import numpy as np

from ..contract import InputError, check_level

CONTROLS = ("not_yet_treated", "never_treated")
BASE_PERIODS = ("universal", "varying")
INFERENCES = ("analytic", "wild_bootstrap")
BOOT_WEIGHTS = ("webb", "rademacher")
FEW_TREATED_CLUSTERS = 10   # below this, warn that cluster inference rests on few treated clusters
FEW_CLUSTERS_RADEMACHER = 12  # below this, Rademacher has too few distinct draws: suggest Webb
MIN_PRE_PERIODS = 2          # a cohort needs >= 2 untreated periods for one placebo DiD
MIN_DRAWS = 99               # bootstrap draws and permutations: at least this many


class DidWarning(UserWarning):
    """Warnings from this package (few clusters, few pre-periods, negative TWFE weights...)."""


def _check_options(function: str, *, control: str, base_period: str, anticipation,
                   inference: str = "analytic", boot_weights: str = "webb", n_boot: int = 999,
                   n_perm: int = 999, seed=None, level: float = 0.95) -> float:
    """InputError for an option outside its allowed values; returns ``level`` as a float."""
    for name, value, allowed in (("control", control, CONTROLS),
                                 ("base_period", base_period, BASE_PERIODS),
                                 ("inference", inference, INFERENCES),
                                 ("boot_weights", boot_weights, BOOT_WEIGHTS)):
        if value not in allowed:
            raise InputError(function, f"{name} must be one of {allowed}, got {value!r}")
    if not isinstance(anticipation, (int, np.integer)) or isinstance(anticipation, bool) \
            or anticipation < 0:
        raise InputError(function, f"anticipation must be a non-negative integer, "
                         f"got {anticipation!r}")
    if inference == "wild_bootstrap":
        if seed is None:
            raise InputError(function, "seed is required for inference='wild_bootstrap' "
                             "(reproducibility)")
        if int(n_boot) < MIN_DRAWS:
            raise InputError(function, f"n_boot must be >= {MIN_DRAWS}, got {n_boot}")
    if int(n_perm) < MIN_DRAWS:
        raise InputError(function, f"n_perm must be >= {MIN_DRAWS}, got {n_perm}")
    return check_level(level, function)


def _emit(notes):
    for note in notes:
        warnings.warn(note, DidWarning, stacklevel=3)
