"""Difference in differences with staggered adoption of a measure (Callaway & Sant'Anna 2021).

A *measure* (e.g. a supervision or sanction scheme for civil-servant neutrality) is adopted by
units (regions) at different periods (election cycles, months) and stays on once adopted.
This module estimates its effect on an outcome per unit x period.

**Outcome-agnostic, one outcome per model.** The functions take whatever outcome column the
caller names. In this project that is *either* a count (or rate) of **detected** cases *or* an
**enforcement** outcome (e.g. cases sanctioned), never both in one model: a measure that raises
detection mechanically raises the denominator of enforcement, so the two answer different
questions and must be estimated, reported and interpreted separately.

Functions
---------
* :func:`build_panel` -- case table + measures table (+ exposure) -> balanced unit x period panel
  of counts with zeros filled and a ``first_treated`` column (**NaN = never treated**; 0 is not
  used because 0 can be a legitimate period value).
* :func:`staggered_effect` -- group-time ATT(g, t), the overall effect and the event study, with
  analytic or wild (multiplier) cluster bootstrap inference.
* :func:`randomisation_inference` -- permutation p-value of the overall effect, permuting
  adoption dates across units.
* :func:`twfe` -- the two-way fixed-effects estimate, shown beside, with the
  de Chaisemartin-D'Haultfoeuille weights on the treated (cohort, period) cells.
* :func:`treatment_indicator` -- the 0/1 "measure in force" column TWFE needs.

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
  interval ``estimate -/+ q`` with ``q`` the ``confidence`` quantile (R type 1) of
  ``|theta*_b|``; ``p_value`` = share of draws with ``|theta*_b| >= |estimate|``. Intervals are
  pointwise (no uniform band over event times). Note: with Rademacher weights the bootstrap
  variance equals the analytic one; what it adds is a non-normal reference distribution, not a
  small-sample correction. With few *treated* clusters both can over-reject (MacKinnon & Webb
  2017); use :func:`randomisation_inference` as well.
* :func:`randomisation_inference`: re-estimate the overall effect with the vector of adoption
  dates permuted across units (the multiset of dates, including never-treated, is kept);
  ``p = (1 + #{|theta_perm| >= |theta_obs|}) / (1 + n_perm)``.

TWFE and its weights
--------------------
``Y_it = alpha_i + lambda_t + beta D_it + e_it`` by OLS with unit and period dummies; SE
cluster-robust (CR1: ``G/(G-1) * (N-1)/(N-K)``, K counting all dummies, as Stata ``regress ...
i.unit i.time, vce(cluster unit)``), t reference with G-1 df. With ``eps_it`` the residual of
``D_it`` on the two sets of dummies, ``beta = sum_{D_it=1} W_it Delta_it`` under parallel trends
with ``W_it = eps_it / sum_{D_js=1} eps_js`` (de Chaisemartin & D'Haultfoeuille 2020, Thm 1);
weights are reported summed over the units of each treated (cohort, period) cell. Negative
weights mean TWFE can have the wrong sign even when every effect is positive.

References
----------
* Callaway, B. & Sant'Anna, P.H.C. (2021). Difference-in-differences with multiple time periods.
  Journal of Econometrics 225(2), 200-230.
* de Chaisemartin, C. & D'Haultfoeuille, X. (2020). Two-way fixed effects estimators with
  heterogeneous treatment effects. American Economic Review 110(9), 2964-2996.
* Roodman, D., MacKinnon, J.G., Nielsen, M.O. & Webb, M.D. (2019). Fast and wild: bootstrap
  inference in Stata using boottest. Stata Journal 19(1), 4-60.
* Webb, M.D. (2014/2023). Reworking wild bootstrap based inference for clustered errors.
  Queen's Economics Dept. Working Paper 1315 / Canadian Journal of Economics 56(3).
* Kline, P. & Santos, A. (2012). A score based approach to wild bootstrap inference. Journal of
  Econometric Methods 1(1), 23-41.
* MacKinnon, J.G. & Webb, M.D. (2017). Wild bootstrap inference for wildly different cluster
  sizes. Journal of Applied Econometrics 32(2), 233-254.
* Roth, J. (2024). Interpreting event-studies from recent difference-in-differences methods.
  arXiv:2401.12309.

Cross-check: ``tests/methods/test_did.py`` compares ATT(g,t), the aggregates and analytic standard errors
with ``diff-diff`` (``CallawaySantAnna(estimation_method="reg")``) on a small panel.
"""
from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

CONTROLS = ("not_yet_treated", "never_treated")
BASE_PERIODS = ("universal", "varying")
INFERENCES = ("wild_bootstrap", "analytic")
BOOT_WEIGHTS = ("rademacher", "webb")
FEW_TREATED_CLUSTERS = 10   # below this, warn that cluster inference may over-reject
FEW_CLUSTERS_RADEMACHER = 12  # below this, Rademacher has too few distinct draws: suggest Webb
MIN_PRE_PERIODS = 2          # a cohort needs >= 2 untreated periods for one placebo DiD


class DidWarning(UserWarning):
    """Warnings from this module (few clusters, few pre-periods, negative TWFE weights...)."""


# --------------------------------------------------------------------------------------------
# Panel building
# --------------------------------------------------------------------------------------------

def _require_columns(df: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}; it has {list(df.columns)}")


def _adoption_by_unit(table: pd.DataFrame, unit: str, first_treated: str, what: str) -> pd.Series:
    """One first-treated period per unit (NaN = never); ValueError naming units with two."""
    sub = table[[unit, first_treated]].drop_duplicates()
    n_dates = sub.groupby(unit, dropna=False)[first_treated].apply(
        lambda s: s.nunique(dropna=False))
    bad = n_dates[n_dates > 1]
    if len(bad):
        detail = {u: sorted(sub.loc[sub[unit] == u, first_treated].tolist(), key=str)
                  for u in bad.index[:5]}
        raise ValueError(f"{what}: unit(s) with two or more adoption dates in '{first_treated}' "
                         f"(a measure must be adopted once and stay on): {detail}")
    return sub.set_index(unit)[first_treated].astype(float)


def build_panel(events: pd.DataFrame, measures: pd.DataFrame, unit: str, time: str,
                first_treated: str, *, periods=None, outcome: str = "n_cases",
                exposure: pd.DataFrame | None = None, exposure_column: str | None = None
                ) -> pd.DataFrame:
    """Balanced unit x period panel of case counts with each unit's adoption period.

    Parameters
    ----------
    events : one row per case with columns ``unit`` and ``time`` (e.g. region and cycle year).
        Pass either detected cases or an enforcement subset, not a mix (see module docstring).
    measures : one row per unit with columns ``unit`` and ``first_treated`` -- the first period
        in which the measure applied, or missing (NaN/None) if never. **Its units define the
        panel's units**, so units with no cases get zero rows. Identical duplicate rows are
        allowed; a unit with two different dates is a ValueError.
    periods : the panel's periods. ``None`` means the distinct periods observed in ``events``
        (a period with no case anywhere would then be missing: pass the list when that matters).
    outcome : name of the count column created.
    exposure, exposure_column : optional table with ``unit`` (and ``time`` if it varies over
        time) and the column ``exposure_column`` (e.g. civil servants); joined on the unit (and
        the period when the table has a ``time`` column). Every panel cell must get a value.

    Returns
    -------
    DataFrame with columns ``unit, time, outcome, first_treated`` (+ ``exposure_column``), one row
    per unit x period, sorted. ``first_treated`` is a float column; **NaN = never treated**.
    """
    _require_columns(events, [unit, time], "events")
    _require_columns(measures, [unit, first_treated], "measures")
    if events[[unit, time]].isna().any().any():
        raise ValueError(f"events has missing values in '{unit}' or '{time}'")
    if measures[unit].isna().any():
        raise ValueError(f"measures has missing values in '{unit}'")
    adoption = _adoption_by_unit(measures, unit, first_treated, "measures")
    unknown = sorted(set(events[unit]) - set(adoption.index), key=str)
    if unknown:
        raise ValueError(f"events has unit(s) not in measures (treatment status unknown): "
                         f"{unknown[:10]}")
    if periods is None:
        periods = sorted(events[time].unique())
    periods = list(periods)
    if len(set(periods)) != len(periods):
        raise ValueError("periods has duplicates")
    outside = sorted(set(events[time]) - set(periods), key=str)
    if outside:
        raise ValueError(f"events has period(s) not in periods: {outside[:10]}")

    counts = events.groupby([unit, time]).size()
    grid = pd.MultiIndex.from_product([sorted(adoption.index), sorted(periods)],
                                      names=[unit, time])
    panel = counts.reindex(grid, fill_value=0).rename(outcome).reset_index()
    panel[outcome] = panel[outcome].astype("int64")
    panel[first_treated] = panel[unit].map(adoption).astype(float)

    if exposure is not None:
        if exposure_column is None:
            raise ValueError("exposure_column must name the exposure column of the exposure table")
        keys = [unit, time] if time in exposure.columns else [unit]
        _require_columns(exposure, keys + [exposure_column], "exposure")
        if exposure.duplicated(keys).any():
            raise ValueError(f"exposure has duplicate rows for {keys}")
        panel = panel.merge(exposure[keys + [exposure_column]], on=keys, how="left",
                            validate="many_to_one")
        missing = panel[panel[exposure_column].isna()]
        if len(missing):
            raise ValueError(f"exposure '{exposure_column}' missing for {len(missing)} panel "
                             f"cell(s), e.g. {missing[keys].head(3).to_dict('records')}")
    return panel.sort_values([unit, time]).reset_index(drop=True)


def treatment_indicator(panel: pd.DataFrame, time: str, first_treated: str) -> pd.Series:
    """0/1 "measure in force": ``time >= first_treated``; 0 for never treated (NaN).

    No anticipation shift: a TWFE with anticipation needs a dummy shifted by position, which
    the caller should build explicitly.
    """
    g = panel[first_treated].astype(float)
    return ((g.notna()) & (panel[time] >= g)).astype("int64")


# --------------------------------------------------------------------------------------------
# Design: a wide matrix of outcomes and each unit's adoption position
# --------------------------------------------------------------------------------------------

@dataclass
class _Design:
    units: np.ndarray          # unit labels (rows of Y)
    periods: np.ndarray        # sorted period values (columns of Y)
    Y: np.ndarray              # n x T outcome (or rate)
    gpos: np.ndarray           # adoption position per unit: NaN never, T = after the window
    gval: np.ndarray           # adoption period value per unit (NaN never)
    cluster: np.ndarray        # cluster code per unit
    notes: list                # warnings raised while preparing


def _design(panel, unit, time, outcome, first_treated, exposure, per, cluster,
            anticipation) -> _Design:
    cols = [unit, time, outcome, first_treated] + [c for c in (exposure, cluster) if c]
    _require_columns(panel, cols, "panel")
    if not isinstance(anticipation, (int, np.integer)) or isinstance(anticipation, bool) \
            or anticipation < 0:
        raise ValueError(f"anticipation must be a non-negative integer, got {anticipation!r}")
    for c in [unit, time, outcome] + [c for c in (exposure, cluster) if c]:
        if panel[c].isna().any():
            raise ValueError(f"panel column '{c}' has missing values")
    if panel.duplicated([unit, time]).any():
        dup = panel.loc[panel.duplicated([unit, time], keep=False), [unit, time]].head(3)
        raise ValueError(f"panel has duplicate ({unit}, {time}) rows, e.g. "
                         f"{dup.to_dict('records')}")
    adoption = _adoption_by_unit(panel, unit, first_treated, "panel")
    units = np.array(sorted(adoption.index, key=lambda u: (str(type(u)), u)), dtype=object)
    periods = np.array(sorted(panel[time].unique()))
    if len(panel) != len(units) * len(periods):
        raise ValueError(f"panel is not balanced: {len(panel)} rows for {len(units)} units x "
                         f"{len(periods)} periods (use build_panel to fill zeros)")
    y = panel[outcome].astype(float)
    if exposure:
        e = panel[exposure].astype(float)
        if (~np.isfinite(e) | (e <= 0)).any():
            raise ValueError(f"exposure '{exposure}' must be positive and finite in every cell")
        y = y / e * per
    wide = (pd.DataFrame({"u": panel[unit].to_numpy(), "t": panel[time].to_numpy(),
                          "y": y.to_numpy()})
            .pivot(index="u", columns="t", values="y").reindex(index=units, columns=periods))
    gval = adoption.reindex(units).to_numpy(dtype=float)
    notes = []
    gpos = np.full(len(units), np.nan)
    for i, g in enumerate(gval):
        if np.isnan(g):
            continue
        if g > periods[-1]:
            gpos[i] = len(periods)
            continue
        hit = np.flatnonzero(periods == g)
        if not len(hit):
            if g < periods[0]:
                gpos[i] = -1.0
                continue
            raise ValueError(f"first_treated {g!r} of unit {_py(units[i])!r} is not one of the "
                             f"panel's periods; code it as the first observed period with the "
                             f"measure")
        gpos[i] = hit[0]
    if cluster:
        cl = panel[[unit, cluster]].drop_duplicates()
        if cl[unit].duplicated().any():
            raise ValueError(f"cluster '{cluster}' is not constant within unit: clusters must "
                             f"nest units")
        codes = pd.factorize(cl.set_index(unit)[cluster].reindex(units))[0]
    else:
        codes = np.arange(len(units))
    return _Design(units, periods, wide.to_numpy(), gpos, gval, codes, notes)


def _py(value):
    """numpy scalar -> Python scalar, for readable messages."""
    return value.item() if hasattr(value, "item") else value


def _drop_always_treated(d: _Design, anticipation: int) -> _Design:
    drop = ~np.isnan(d.gpos) & (d.gpos <= anticipation)
    if drop.any():
        d.notes.append(
            f"{int(drop.sum())} unit(s) treated by the first period (+ anticipation) have no "
            f"untreated base period and were dropped: {list(d.units[drop][:10])} (first_treated "
            f"{sorted(set(d.gval[drop].tolist()))}); never-treated units must be coded NaN, not 0")
        keep = ~drop
        d = _Design(d.units[keep], d.periods, d.Y[keep], d.gpos[keep], d.gval[keep],
                    pd.factorize(d.cluster[keep])[0], d.notes)
    return d


# --------------------------------------------------------------------------------------------
# Group-time ATT and influence functions
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Inference
# --------------------------------------------------------------------------------------------

def _multipliers(rng: np.random.Generator, size, kind: str) -> np.ndarray:
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=size)
    s = np.sqrt(0.5)
    webb = np.array([-np.sqrt(1.5), -1.0, -s, s, 1.0, np.sqrt(1.5)])
    return rng.choice(webb, size=size)


def _inference(est: np.ndarray, PSI: np.ndarray, cluster: np.ndarray, n: int, inference: str,
               confidence: float, n_boot: int, weights: str, seed, small_sample: bool):
    """Columns of est (M,) with IFs PSI (n x M) -> std_error, lower, upper, p_value arrays."""
    G = int(cluster.max()) + 1
    psi_c = np.zeros((G, PSI.shape[1]))
    np.add.at(psi_c, cluster, PSI)
    if inference == "analytic":
        se = np.sqrt((psi_c ** 2).sum(axis=0)) / n
        ref = stats.t(G - 1) if small_sample else stats.norm
        z = ref.ppf(0.5 + confidence / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = 2 * ref.sf(np.abs(est) / se)
        p = np.where(se > 0, p, np.nan)
        return se, est - z * se, est + z * se, p
    rng = np.random.default_rng(seed)
    V = _multipliers(rng, (n_boot, G), weights)
    draws = V @ psi_c / n                                           # n_boot x M, centred at 0
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    se = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    half = np.quantile(np.abs(draws), confidence, axis=0, method="inverted_cdf")
    p = (np.abs(draws) >= np.abs(est)[None, :] - 1e-12 * np.maximum(1, np.abs(est))).mean(axis=0)
    p = np.where(np.abs(draws).max(axis=0) > 0, p, np.nan)
    return se, est - half, est + half, p


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------

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


@dataclass
class RandomisationResult:
    estimate: float
    p_value: float
    n_perm: int
    permuted: np.ndarray
    seed: int


@dataclass
class TwfeResult:
    estimate: float
    std_error: float
    lower: float
    upper: float
    p_value: float
    n_units: int
    n_clusters: int
    weights: pd.DataFrame         # cohort, period, rel_time, n_units, weight (sums to 1)
    n_negative: int               # treated (cohort, period) cells with a negative weight
    share_negative: float         # ... as a share of treated cells
    sum_negative: float           # sum of the negative weights
    warnings: list = field(default_factory=list)


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


def _emit(notes):
    for note in notes:
        warnings.warn(note, DidWarning, stacklevel=3)


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


def twfe(panel: pd.DataFrame, unit: str, time: str, outcome: str, treated: str, *,
         cluster: str | None = None, confidence: float = 0.95) -> TwfeResult:
    """Two-way fixed-effects DiD with cluster-robust SE and dCDH (2020) weights.

    ``treated`` is a 0/1 column (e.g. from :func:`treatment_indicator`); adoption must be
    staggered (once 1, a unit stays 1) so that treated cells group into (cohort, period).
    Warns (:class:`DidWarning`, and in ``.warnings``) when any weight is negative.
    """
    cols = [unit, time, outcome, treated] + ([cluster] if cluster else [])
    _require_columns(panel, cols, "panel")
    df = panel[cols].copy()
    if df.isna().any().any():
        raise ValueError(f"panel has missing values in {cols}")
    if df.duplicated([unit, time]).any():
        raise ValueError(f"panel has duplicate ({unit}, {time}) rows")
    if not df[treated].isin([0, 1]).all():
        raise ValueError(f"'{treated}' must be 0/1")
    df = df.sort_values([unit, time]).reset_index(drop=True)
    switches_off = df.groupby(unit)[treated].apply(lambda s: (s.diff() < 0).any())
    if switches_off.any():
        raise ValueError(f"'{treated}' switches off for unit(s) "
                         f"{list(switches_off[switches_off].index[:5])}: twfe weights here assume "
                         f"staggered adoption")
    if df[treated].sum() == 0:
        raise ValueError(f"no treated cells in '{treated}'")
    fe = pd.get_dummies(df[[unit, time]].astype(str), drop_first=True, dtype=float)
    X0 = np.column_stack([np.ones(len(df)), fe.to_numpy()])
    D = df[treated].to_numpy(float)
    X = np.column_stack([D, X0])
    groups = pd.factorize(df[cluster or unit])[0]
    fit = sm.OLS(df[outcome].to_numpy(float), X).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True,
                                      "df_correction": True}, use_t=True)
    G = int(groups.max()) + 1
    beta, se = float(fit.params[0]), float(fit.bse[0])
    tcrit = stats.t.ppf(0.5 + confidence / 2, G - 1)
    p = float(2 * stats.t.sf(abs(beta / se), G - 1)) if se > 0 else float("nan")

    eps = D - X0 @ np.linalg.lstsq(X0, D, rcond=None)[0]
    on = D == 1
    W = np.where(on, eps / eps[on].sum(), 0.0)
    periods = np.sort(df[time].unique())
    first = df[on].groupby(unit)[time].min()
    df["_cohort"] = df[unit].map(first)
    df["_w"] = W
    cell = (df[on].groupby(["_cohort", time])
            .agg(n_units=("_w", "size"), weight=("_w", "sum")).reset_index()
            .rename(columns={"_cohort": "cohort", time: "period"}))
    cell["cohort"] = cell["cohort"].astype(df[time].dtype)
    pos = {v: i for i, v in enumerate(periods)}
    cell.insert(2, "rel_time", [pos[t] - pos[g] for g, t in zip(cell["cohort"], cell["period"])])
    neg = cell["weight"] < -1e-12
    notes = []
    if neg.any():
        total = cell.loc[neg, "weight"].sum()
        notes.append(f"TWFE puts negative weights on {int(neg.sum())} of {len(cell)} treated "
                     f"(cohort, period) cells ({neg.mean():.0%}; sum {total:.3f}): with effects "
                     f"that vary over time or cohorts it can be biased, even in sign "
                     f"(de Chaisemartin & D'Haultfoeuille 2020); use staggered_effect")
    _emit(notes)
    return TwfeResult(beta, se, float(beta - tcrit * se), float(beta + tcrit * se), p,
                      int(df[unit].nunique()), G, cell, int(neg.sum()), float(neg.mean()),
                      float(cell.loc[neg, "weight"].sum()), notes)
