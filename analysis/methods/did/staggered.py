"""The staggered-adoption estimator: ATT(g,t), overall effect and event study in one call."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .design import _design, _drop_always_treated, _py
from .group_time import _aggregate, _cells
from .inference import _inference
from .options import (BASE_PERIODS, BOOT_WEIGHTS, CONTROLS, FEW_CLUSTERS_RADEMACHER,
                      FEW_TREATED_CLUSTERS, INFERENCES, MIN_PRE_PERIODS, _emit)


@dataclass(frozen=True)
class Overall:
    """Overall (simple, cohort-size weighted) ATT over post-treatment cells."""
    estimate: float
    std_error: float
    lower: float
    upper: float
    p_value: float
    n_units: int
    n_clusters: int
    n_treated_units: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class StaggeredResult:
    overall: Overall
    event_study: pd.DataFrame     # rel_time, estimate, std_error, lower, upper, p_value, ...
    att_gt: pd.DataFrame          # cohort, period, rel_time, base_period, post, estimate, ...
    warnings: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)



def _check_options(control, base_period, inference, weights, n_boot, seed, confidence):
    for name, value, allowed in (("control", control, CONTROLS),
                                 ("base_period", base_period, BASE_PERIODS),
                                 ("inference", inference, INFERENCES),
                                 ("weights", weights, BOOT_WEIGHTS)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    if inference == "wild_bootstrap":
        if seed is None:
            raise ValueError("seed is required for inference='wild_bootstrap' (reproducibility)")
        if int(n_boot) < 99:
            raise ValueError(f"n_boot must be >= 99, got {n_boot}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")



def staggered_effect(panel: pd.DataFrame, unit: str, time: str, outcome: str,
                     first_treated: str, *, control: str = "not_yet_treated",
                     base_period: str = "universal", exposure: str | None = None,
                     per: float = 1.0, anticipation: int = 0,
                     inference: str = "wild_bootstrap", n_boot: int = 999,
                     weights: str = "webb", seed: int | None = None,
                     cluster: str | None = None, small_sample: bool = True,
                     confidence: float = 0.95) -> StaggeredResult:
    """Callaway-Sant'Anna ATT(g,t), overall effect and event study (see module docstring).

    The outcome is whatever the caller names: a count (or rate) of *detected* cases **or** an
    *enforcement* outcome -- never both in one model.

    Parameters
    ----------
    panel : balanced unit x period panel (e.g. from :func:`build_panel`).
    unit, time, outcome, first_treated : column names; ``first_treated`` is the first period
        (a value of ``time``) the measure applied, constant within unit, **NaN = never treated**.
    control : ``"not_yet_treated"`` (default) or ``"never_treated"``.
    base_period : ``"universal"`` (default, one reference period g-1-anticipation; its event
        time is reported with estimate 0 and NaN inference) or ``"varying"`` (short gaps).
    exposure, per : optional exposure column; the outcome becomes ``outcome/exposure*per``.
    anticipation : periods before adoption in which effects may already occur.
    inference : ``"wild_bootstrap"`` (multiplier bootstrap of influence functions, clustered) or
        ``"analytic"``; ``n_boot`` draws with ``weights`` ``"webb"`` (default) or
        ``"rademacher"``; ``seed`` is required for the bootstrap.
    cluster : column constant within unit to cluster on; default the unit.
    small_sample : ``True`` (default): Welch-scaled influence functions and, for ``"analytic"``,
        a t reference with G-1 df (G clusters). ``False``: exactly ``did::aggte``'s analytic
        standard errors with a normal reference.
    confidence : two-sided level of the intervals.

    Returns
    -------
    :class:`StaggeredResult` with ``.overall``, ``.event_study``, ``.att_gt``, ``.warnings``
    (also emitted as :class:`DidWarning`) and ``.settings``.
    """
    _check_options(control, base_period, inference, weights, n_boot, seed, confidence)
    d = _design(panel, unit, time, outcome, first_treated, exposure, per, cluster, anticipation)
    d = _drop_always_treated(d, anticipation)
    n, T = d.Y.shape
    if int(d.cluster.max()) + 1 < 2:
        raise ValueError("inference needs at least 2 clusters")
    notes = list(d.notes)
    never = np.isnan(d.gpos)
    if control == "never_treated" and not never.any():
        raise ValueError("control='never_treated' but the panel has no never-treated units "
                         f"(first_treated NaN in '{first_treated}')")
    after = ~never & (d.gpos >= T)
    if after.any():
        notes.append(f"{int(after.sum())} unit(s) adopt after the last period: treated as not yet "
                     f"treated throughout" + (" (excluded from never-treated controls)"
                                              if control == "never_treated" else ""))
    cells, IF = _cells(d, control, base_period, anticipation, with_if=True,
                       small_sample=small_sample)
    if cells.empty or not cells["post"].any():
        raise ValueError("no treated cohort adopts within the panel's periods (after its first "
                         "period): nothing to estimate")

    # Aggregates: overall (post cells) and one per event time.
    post = cells["post"].to_numpy()
    est_all, psi_all = _aggregate(d, cells, IF, post)
    es_rows, es_psi = [], []
    for e in sorted(cells["rel_time"].unique()):
        keep = cells["rel_time"].to_numpy() == e
        est, psi = _aggregate(d, cells, IF, keep)
        es_rows.append((int(e), est, int(keep.sum())))
        es_psi.append(psi)
    est_vec = np.concatenate([cells["estimate"].to_numpy(), [est_all],
                              [r[1] for r in es_rows]])
    PSI = np.column_stack([IF, psi_all] + es_psi)
    se, lo, hi, p = _inference(est_vec, PSI, d.cluster, n, inference, confidence, n_boot,
                               weights, seed, small_sample)
    k = len(cells)
    att_gt = cells.assign(std_error=se[:k], lower=lo[:k], upper=hi[:k], p_value=p[:k])
    event_study = pd.DataFrame(es_rows, columns=["rel_time", "estimate", "n_cohorts"])
    event_study = event_study.assign(std_error=se[k + 1:], lower=lo[k + 1:], upper=hi[k + 1:],
                                     p_value=p[k + 1:], reference=False)
    if base_period == "universal":
        ref = pd.DataFrame({"rel_time": [-1 - anticipation], "estimate": [0.0],
                            "n_cohorts": [int(cells["cohort"].nunique())], "std_error": [np.nan],
                            "lower": [np.nan], "upper": [np.nan], "p_value": [np.nan],
                            "reference": [True]})
        event_study = pd.concat([event_study, ref], ignore_index=True)
    event_study = (event_study[["rel_time", "estimate", "std_error", "lower", "upper", "p_value",
                                "n_cohorts", "reference"]]
                   .sort_values("rel_time").reset_index(drop=True))

    cohort_pos = sorted(set(int(x) for x in d.gpos[~never & (d.gpos < T)]))
    treated_units = np.isin(d.gpos, cohort_pos)
    treated_clusters = np.unique(d.cluster[treated_units]).size
    n_clusters = int(d.cluster.max()) + 1
    overall = Overall(estimate=float(est_all), std_error=float(se[k]), lower=float(lo[k]),
                      upper=float(hi[k]), p_value=float(p[k]), n_units=int(n),
                      n_clusters=n_clusters, n_treated_units=int(treated_units.sum()))

    if treated_clusters < FEW_TREATED_CLUSTERS:
        notes.append(f"only {treated_clusters} treated cluster(s) (< {FEW_TREATED_CLUSTERS}): "
                     f"cluster-robust and wild-bootstrap inference can over-reject; report "
                     f"randomisation_inference as well")
    if inference == "wild_bootstrap" and weights == "rademacher" \
            and n_clusters < FEW_CLUSTERS_RADEMACHER:
        notes.append(f"{n_clusters} clusters: Rademacher weights give only 2^{n_clusters} "
                     f"distinct bootstrap draws; use weights='webb'")
    few = [_py(d.periods[g]) for g in cohort_pos if g - anticipation < MIN_PRE_PERIODS]
    if few:
        notes.append(f"cohort(s) {few} have fewer than {MIN_PRE_PERIODS} pre-treatment periods: "
                     f"their parallel trends cannot be checked in the event study")
    _emit(notes)
    settings = dict(control=control, base_period=base_period, exposure=exposure, per=per,
                    anticipation=anticipation, inference=inference,
                    n_boot=n_boot if inference == "wild_bootstrap" else None,
                    weights=weights if inference == "wild_bootstrap" else None, seed=seed,
                    cluster=cluster or unit, small_sample=small_sample, confidence=confidence,
                    overall_weighting="cohort size per post-treatment cell (did::aggte simple)")
    return StaggeredResult(overall, event_study, att_gt.reset_index(drop=True), notes, settings)
