"""Allowed option values and thresholds of the staggered DiD, and its warning class."""
from __future__ import annotations

import warnings

CONTROLS = ("not_yet_treated", "never_treated")
BASE_PERIODS = ("universal", "varying")
INFERENCES = ("wild_bootstrap", "analytic")
BOOT_WEIGHTS = ("rademacher", "webb")
FEW_TREATED_CLUSTERS = 10   # below this, warn that cluster inference may over-reject
FEW_CLUSTERS_RADEMACHER = 12  # below this, Rademacher has too few distinct draws: suggest Webb
MIN_PRE_PERIODS = 2          # a cohort needs >= 2 untreated periods for one placebo DiD


class DidWarning(UserWarning):
    """Warnings from this module (few clusters, few pre-periods, negative TWFE weights...)."""


def _emit(notes):
    for note in notes:
        warnings.warn(note, DidWarning, stacklevel=3)
