"""The staggered-adoption estimator in one call: ATT(g,t), the overall effect and the event
study, each with its interval and, beside it, its randomisation p-value."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import InputError
from .design import _py
from .group_time import _att, _influence, _prepared
from .inference import NO_VARIANCE, _inference
from .options import (FEW_CLUSTERS_RADEMACHER, FEW_TREATED_CLUSTERS, MIN_PRE_PERIODS,
                      _check_options, _emit)
from .randomisation import _randomise, _ri_result
from .results import Overall, StaggeredResult


def staggered_effect(panel: pd.DataFrame, unit: str, time: str, outcome: str,
                     first_treated: str, *, control: str = "not_yet_treated",
                     base_period: str = "universal", exposure: str | None = None,
                     per: float = 1.0, anticipation: int = 0, inference: str = "analytic",
                     n_boot: int = 999, boot_weights: str = "webb", n_perm: int = 999,
                     seed: int | None = None, cluster: str | None = None,
                     small_sample: bool = True, level: float = 0.95) -> StaggeredResult:
    """Callaway-Sant'Anna ATT(g,t), overall effect and event study (package docstring).

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
    inference : ``"analytic"`` (default: Welch-scaled influence functions, t with G-1 df; it
        kept its size with few clusters in simulation, :mod:`.inference`) or
        ``"wild_bootstrap"`` (multiplier bootstrap of the influence functions, ``n_boot`` draws
        with ``boot_weights`` ``"webb"`` or ``"rademacher"``; it over-rejects with few treated
        clusters).
    n_perm, seed : randomisation inference beside every estimate (:mod:`.randomisation`):
        exact when the distinct assignments of the dates number at most ``n_perm``, else
        ``n_perm`` seeded permutations. ``seed`` is required for the bootstrap and for sampled
        permutations.
    cluster : column constant within unit to cluster on; default the unit.
    small_sample : ``True`` (default): Welch-scaled influence functions and, for ``"analytic"``,
        a t reference with G-1 df (G clusters). ``False``: exactly ``did::aggte``'s analytic
        standard errors with a normal reference.
    level : two-sided level of the intervals.

    Returns
    -------
    :class:`StaggeredResult`: ``.overall``, ``.event_study``, ``.att_gt`` (each with
    ``ri_p_value``; no standard error, interval or p-value, with the reason in ``note``, where a
    cohort's treated units or a cell's controls lie in one cluster), ``.randomisation``
    (its ``min_p_value`` is the smallest attainable), ``.warnings`` (also emitted as
    :class:`DidWarning`), ``.settings``; ``.tidy()`` gives overall and event-study rows.
    """
    fn = "staggered_effect"
    level = _check_options(fn, control=control, base_period=base_period,
                           anticipation=anticipation, inference=inference,
                           boot_weights=boot_weights, n_boot=n_boot, n_perm=n_perm, seed=seed,
                           level=level)
    d, plan = _prepared(panel, unit, time, outcome, first_treated, control=control,
                        base_period=base_period, exposure=exposure, per=per, cluster=cluster,
                        anticipation=anticipation, function=fn)
    n, T = d.Y.shape
    n_clusters = int(d.cluster.max()) + 1
    if n_clusters < 2:
        raise InputError(fn, "inference needs at least 2 clusters", column=cluster or unit)
    att = _att(d.Y, plan)
    est = np.concatenate([att, att @ plan.W])
    se, low, high, p, why = _inference(est, _influence(d, plan, att, small_sample), d, plan,
                                       inference=inference, level=level, n_boot=n_boot,
                                       boot_weights=boot_weights, seed=seed,
                                       small_sample=small_sample)
    ri = _randomise(d, plan, est, n_perm=n_perm, seed=seed, function=fn)
    notes_by_row = [f"{w}; {NO_VARIANCE} (see ri_p_value)" if w else "" for w in why]
    columns = dict(std_error=se, low=low, high=high, p_value=p, ri_p_value=ri["p"],
                   note=notes_by_row)
    k = len(plan.cells)
    att_gt = plan.cells.assign(estimate=att, **{c: v[:k] for c, v in columns.items()})
    att_gt = att_gt[["cohort", "period", "rel_time", "base_period", "post", "estimate",
                     "std_error", "low", "high", "p_value", "ri_p_value", "n_treated",
                     "n_control", "note"]]
    rows = pd.DataFrame({"rel_time": plan.rel_times[1:], "estimate": est[k + 1:],
                         **{c: v[k + 1:] for c, v in columns.items()},
                         "n_cohorts": [int((w > 0).sum()) for w in plan.W.T[1:]],
                         "reference": False})
    if base_period == "universal":
        ref = {"rel_time": -1 - anticipation, "estimate": 0.0, "n_cohorts":
               int(plan.cells["cohort"].nunique()), "reference": True,
               "note": "reference period (estimate 0 by construction)"}
        rows = pd.concat([rows, pd.DataFrame([ref])], ignore_index=True)
    event_study = rows.sort_values("rel_time").reset_index(drop=True)[
        ["rel_time", "estimate", "std_error", "low", "high", "p_value", "ri_p_value",
         "n_cohorts", "reference", "note"]]

    never = np.isnan(d.gpos)
    cohort_pos = sorted(set(int(x) for x in d.gpos[~never & (d.gpos < T)]))
    treated_units = np.isin(d.gpos, cohort_pos)
    treated_clusters = np.unique(d.cluster[treated_units]).size
    overall = Overall(estimate=float(est[k]), std_error=float(se[k]), low=float(low[k]),
                      high=float(high[k]), p_value=float(p[k]), n_units=int(n),
                      n_clusters=n_clusters, n_treated_units=int(treated_units.sum()),
                      ri_p_value=float(ri["p"][k]), note=notes_by_row[k])
    randomisation = _ri_result(plan, est, ri, seed)

    notes = list(d.notes)
    missing = [term for term, w in zip(plan.terms, why[k:]) if w]
    if missing:
        reasons = "; ".join(dict.fromkeys(w for w in why[k:] if w))
        notes.append(f"{', '.join(missing)}: {reasons}; {NO_VARIANCE}; the randomisation "
                     f"p-value is beside each (smallest attainable "
                     f"{randomisation.min_p_value:.3g})")
    if treated_clusters < FEW_TREATED_CLUSTERS:
        notes.append(f"only {treated_clusters} treated cluster(s) (< {FEW_TREATED_CLUSTERS}): "
                     f"against many controls the interval can over-reject (METHODS.md F); read "
                     f"it beside the randomisation p-value (smallest attainable "
                     f"{randomisation.min_p_value:.3g})")
    if inference == "wild_bootstrap" and boot_weights == "rademacher" \
            and n_clusters < FEW_CLUSTERS_RADEMACHER:
        notes.append(f"{n_clusters} clusters: Rademacher weights give only 2^{n_clusters} "
                     f"distinct bootstrap draws; use boot_weights='webb'")
    few = [_py(d.periods[g]) for g in cohort_pos if g - anticipation < MIN_PRE_PERIODS]
    if few:
        notes.append(f"cohort(s) {few} have fewer than {MIN_PRE_PERIODS} pre-treatment periods: "
                     f"their parallel trends cannot be checked in the event study")
    _emit(notes)
    settings = dict(control=control, base_period=base_period, exposure=exposure, per=per,
                    anticipation=anticipation, inference=inference,
                    n_boot=n_boot if inference == "wild_bootstrap" else None,
                    boot_weights=boot_weights if inference == "wild_bootstrap" else None,
                    n_perm=n_perm, seed=seed, cluster=cluster or unit,
                    small_sample=small_sample, level=level,
                    overall_weighting="cohort size per post-treatment cell (did::aggte simple)")
    method = _method(settings, n_clusters, randomisation.method)
    return StaggeredResult(overall, event_study, att_gt.reset_index(drop=True), randomisation,
                           level, method, notes, settings)


def _method(s: dict, G: int, ri_method: str) -> str:
    """One sentence naming every choice of the fit."""
    if s["inference"] == "analytic":
        how = ("analytic influence-function standard errors, "
               + ("Welch-scaled, t with G-1 = " f"{G - 1} df" if s["small_sample"] else
                  "as did::aggte, normal reference"))
    else:
        how = (f"multiplier (wild) bootstrap of the influence functions, {s['n_boot']} "
               f"{s['boot_weights']} draws (seed {s['seed']}), symmetric percentile interval")
    return (f"Callaway-Sant'Anna ATT(g,t), {s['control'].replace('_', '-')} controls, "
            f"{s['base_period']} base period, anticipation {s['anticipation']}; {how}; "
            f"{G} clusters ({s['cluster']}); beside it, {ri_method}")
