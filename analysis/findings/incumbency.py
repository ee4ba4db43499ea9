"""Incumbency: where the incumbent regional head runs, are violations more frequent per civil
servant, and are recommended sanctions executed more slowly?

Two outcomes, kept apart (METHODS.md 7):

- **Detection** (:func:`violation_rate_model`): cases recorded per region x cycle, per ASN of
  exposure, negative binomial (theta by ML, as ``MASS::glm.nb``) with ``log(exposure)`` offset,
  cycle fixed effects, and cluster-robust (CR1/HC1) errors by region with t(G-1) intervals
  (:func:`analysis.methods.rates.fit_count_model`). It measures *recorded* cases, i.e.
  behaviour times detection: where the incumbent runs, rivals and the public may report more.
- **Enforcement** (:func:`sanction_hazard_model`): days from recommendation to the executed
  sanction, censored at the register's data date, Cox model (Efron ties) with robust errors
  clustered by region (:func:`analysis.methods.cox.cox`), and its PH check.

Same definition on both sides: within one register, one unit (a register row = one ASN in one
case), Pilkada cycles only (no regional head runs in a Pemilu), cycle fixed effects so cycles
with different totals or lags are not compared with each other.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ..methods import cox, rates, survival
from .verdicts import CANNOT_TELL, SUGGESTIVE, SUPPORTED, Verdict, p_text

TERM = "incumbent"  # 0/1 column: the term keeps its name in both models


def units_from_truth(truth: dict) -> pd.DataFrame:
    """Region x cycle units of a SYNTHETIC register from its ground truth: every region holding
    the election (zero-case ones too), exposure = the generator's PNS weight, incumbency and the
    planted measure."""
    u = pd.DataFrame(truth["region_cycles"])
    return u.rename(columns={"weight": "exposure", "incumbent_running": "incumbent"})[
        ["cycle", "election_type", "region", "exposure", "incumbent", "measure"]]


def units_from_register(cases: pd.DataFrame, exposure: pd.DataFrame) -> pd.DataFrame:
    """Region x cycle units of a real register: the region-cycles it records (a region holding
    the election with no case is missing: pass a fuller list when you have one), incumbency as
    recorded (unknown dropped), ``exposure`` = DataFrame(region, exposure) of ASN headcounts."""
    u = (cases.dropna(subset=["incumbent_running"])
         .groupby(["cycle", "election_type", "region"], as_index=False)["incumbent_running"]
         .agg(lambda s: bool(s.mode().iloc[0])))
    u = u.rename(columns={"incumbent_running": "incumbent"}).merge(exposure, on="region",
                                                                   how="inner")
    return u


def rate_panel(cases: pd.DataFrame, units: pd.DataFrame,
               election_type: str = "pilkada") -> pd.DataFrame:
    """Cases per unit (zeros kept) for one election type, with exposure and incumbency."""
    u = units[units["election_type"] == election_type].copy()
    c = cases[cases["election_type"] == election_type]
    counts = c.groupby(["cycle", "region"]).size().rename("cases").reset_index()
    counts["cycle"] = counts["cycle"].astype(int)
    u["cycle"] = u["cycle"].astype(int)
    panel = u.merge(counts, on=["cycle", "region"], how="left")
    panel["cases"] = panel["cases"].fillna(0).astype(int)
    panel["incumbent"] = panel["incumbent"].astype(bool).astype(int)
    if "measure" in panel:
        panel["measure"] = panel["measure"].astype(bool).astype(int)
    return panel


def violation_rate_model(panel: pd.DataFrame, with_measure: bool = True,
                         level: float = 0.95) -> dict:
    """NB rate model ``cases ~ C(cycle) + incumbent [+ measure]``, offset log(exposure).

    Interval: t(G-1) with G regions, and as standard error the *larger* of the cluster-robust
    (CR1/HC1 by region) and the model-based NB one (Angrist & Pischke 2009, sec. 8.2.3: robust
    errors are biased down in small samples). Reason, from the coverage simulation
    (``tests/findings/test_incumbency.py``, 200 SYNTHETIC registers of 4,000 rows, G about 44
    regions of very unequal size): the clustered interval alone covered the planted rate ratio in
    0.92 and 0.915 of replicates (two seed blocks), the model-based one in 0.94, the larger of the
    two in 0.95. Both standard errors and the clustered-only interval are returned."""
    terms = ["C(cycle)"] if panel["cycle"].nunique() > 1 else []
    terms.append("incumbent")
    if with_measure and "measure" in panel and panel["measure"].nunique() > 1:
        terms.append("measure")
    formula = "cases ~ " + " + ".join(terms)
    fit = rates.fit_count_model(panel, formula, "exposure", "negbin", cluster="region",
                                cov_type="HC1", level=level)
    row = fit.tidy().set_index("term").loc[TERM]
    ratio = fit.tidy(exponentiate=True).set_index("term").loc[TERM]
    model_se = float(np.sqrt(fit.result.cov_params().loc[TERM, TERM]))
    robust_se = float(row["std_error"])
    se = max(model_se, robust_se)
    G = fit.stats["n_clusters"]
    crit = rates.critical_t(G, level)
    est = float(row["estimate"])
    poisson = rates.fit_count_model(panel, formula, "exposure", "poisson")
    return {"fit": fit, "formula": formula, "row": row, "rate_ratio": math.exp(est),
            "low": math.exp(est - crit * se), "high": math.exp(est + crit * se),
            "p_value": float(2 * stats.t.sf(abs(est / se), G - 1)), "n_clusters": G,
            "model_se": model_se, "robust_se": robust_se, "se_used": se,
            "robust_low": float(ratio["low"]), "robust_high": float(ratio["high"]),
            "theta": fit.stats["theta"],
            "poisson_dispersion": poisson.stats["pearson_chi2_over_df"]}


def sanction_durations(cases: pd.DataFrame, data_date, origin: str = "date_recommendation"
                       ) -> pd.DataFrame:
    """Cases with a date at ``origin``: days to the executed sanction (event) or to the data date
    (censored)."""
    rec = cases[cases[origin].notna()].copy()
    d = survival.durations_from_dates(rec, origin, "date_sanction", data_date)
    return rec.assign(days=d["days"], event=d["event"])


def sanction_hazard_model(cases: pd.DataFrame, units: pd.DataFrame, data_date,
                          election_type: str = "pilkada", with_measure: bool = True,
                          level: float = 0.95) -> dict:
    """Cox model of recommendation -> executed sanction: incumbent [+ measure] + cycle, Efron
    ties, robust SE clustered by region; with the PH score test (``cox.zph``, KM transform)."""
    c = cases[cases["election_type"] == election_type]
    dur = sanction_durations(c, data_date)
    dur["cycle"] = dur["cycle"].astype(int)
    u = units[units["election_type"] == election_type].copy()
    u["cycle"] = u["cycle"].astype(int)
    keep = ["cycle", "region", "incumbent"] + (["measure"] if "measure" in u else [])
    dur = dur.merge(u[keep], on=["cycle", "region"], how="inner")
    dur["incumbent"] = dur["incumbent"].astype(bool).astype(int)
    covs = ["incumbent"]
    if with_measure and "measure" in dur and dur["measure"].nunique() > 1:
        dur["measure"] = dur["measure"].astype(bool).astype(int)
        covs.append("measure")
    if dur["cycle"].nunique() > 1:
        covs.append("cycle")
    res = cox.cox(dur, "days", "event", covs, ties="efron", cluster="region",
                  categorical=["cycle"] if "cycle" in covs else (), level=level)
    row = res.tidy(exponentiate=True).set_index("term").loc[TERM]
    ph = res.ph_test("km")
    return {"fit": res, "data": dur, "row": row, "hazard_ratio": float(row["estimate"]),
            "low": float(row["low"]), "high": float(row["high"]),
            "p_value": float(row["p_value"]), "n_clusters": res.n_clusters, "ph_test": ph,
            "n": res.n, "n_events": res.n_events}


def effects(cases: pd.DataFrame, units: pd.DataFrame, data_date, synthetic: bool) -> dict:
    """Both incumbency models on a register's region x cycle ``units`` with their verdicts:
    ``rate`` (:func:`violation_rate_model` on :func:`rate_panel`), ``hazard``
    (:func:`sanction_hazard_model`), ``rate_verdict`` and ``hazard_verdict``."""
    rate = violation_rate_model(rate_panel(cases, units))
    hazard = sanction_hazard_model(cases, units, data_date)
    return {"rate": rate, "hazard": hazard, "rate_verdict": verdict_rate(rate, synthetic),
            "hazard_verdict": verdict_hazard(hazard, synthetic)}


def verdict_rate(result: dict, synthetic: bool) -> Verdict:
    """Verdict on the incumbency rate ratio (detection)."""
    G, lo, hi = result["n_clusters"], result["low"], result["high"]
    excl = lo > 1 or hi < 1
    syn_id = " (data SINTETIS: menguji metode, bukan temuan)" if synthetic else ""
    syn_en = " (SYNTHETIC data: a test of the method, not a finding)" if synthetic else ""
    if not excl:
        return Verdict(CANNOT_TELL, f"interval t(G-1) dengan G = {G} klaster memuat 1{syn_id}",
                       f"the t(G-1) interval with G = {G} clusters includes 1{syn_en}")
    if G < 12:
        return Verdict(SUGGESTIVE, f"interval tidak memuat 1 tetapi hanya G = {G} klaster{syn_id}",
                       f"the interval excludes 1 but there are only G = {G} clusters{syn_en}")
    return Verdict(SUGGESTIVE,
                   f"interval NB ber-klaster (G = {G}, t(G-1)) tidak memuat 1, tetapi kasus "
                   f"tercatat = perilaku x deteksi: petahana yang maju dapat menarik lebih banyak "
                   f"laporan tanpa lebih banyak pelanggaran{syn_id}",
                   f"the clustered NB interval (G = {G}, t(G-1)) excludes 1, but recorded cases "
                   f"are behaviour x detection: an incumbent running may draw more reports "
                   f"without more violations{syn_en}")


def verdict_hazard(result: dict, synthetic: bool) -> Verdict:
    """Verdict on the incumbency hazard ratio (enforcement)."""
    G, lo, hi = result["n_clusters"], result["low"], result["high"]
    glob = result["ph_test"].set_index("term").loc["GLOBAL", "p_value"]
    syn_id = " (data SINTETIS)" if synthetic else ""
    syn_en = " (SYNTHETIC data)" if synthetic else ""
    if not (lo > 1 or hi < 1):
        return Verdict(CANNOT_TELL, f"interval memuat 1 (G = {G} klaster){syn_id}",
                       f"the interval includes 1 (G = {G} clusters){syn_en}")
    if glob < 0.05:
        return Verdict(SUGGESTIVE,
                       f"interval tidak memuat 1, tetapi uji bahaya proporsional menolak "
                       f"({p_text(glob, 'id')}): rasio bahaya adalah rata-rata yang berubah "
                       f"menurut waktu{syn_id}",
                       f"the interval excludes 1, but the proportional-hazards test rejects "
                       f"({p_text(glob)}): the hazard ratio is an average that changes over "
                       f"time{syn_en}")
    strength = SUPPORTED if G >= 30 else SUGGESTIVE
    return Verdict(strength,
                   f"satu definisi (rekomendasi sampai sanksi, tersensor pada tanggal data), "
                   f"galat ber-klaster G = {G}, interval tidak memuat 1{syn_id}",
                   f"one definition (recommendation to sanction, censored at the data date), "
                   f"errors clustered with G = {G}, the interval excludes 1{syn_en}")


def simulate_rate_ratio(n_rep: int, rows: int, seed0: int = 1000,
                        level: float = 0.95) -> pd.DataFrame:
    """Replicates of the incumbency rate ratio on SYNTHETIC registers with the planted effect:
    one row per replicate with estimate, interval, truth and whether it covers."""
    from ..data.registers import synth

    out = []
    for k in range(n_rep):
        cases, truth = synth.synth_register(rows, seed0 + k)
        cases = cases.assign(cycle=cases["cycle"].astype(int))
        panel = rate_panel(cases, units_from_truth(truth))
        r = violation_rate_model(panel, level=level)
        true = truth["planted"]["incumbent_rate_ratio"]
        out.append({"seed": seed0 + k, "estimate": r["rate_ratio"], "low": r["low"],
                    "high": r["high"], "truth": true, "covers": r["low"] <= true <= r["high"],
                    "n_clusters": r["n_clusters"]})
    return pd.DataFrame(out)


def coverage_summary(sim: pd.DataFrame) -> dict:
    """Relative bias of the mean estimate, coverage and its exact (Clopper-Pearson) interval."""
    n, k = len(sim), int(sim["covers"].sum())
    truth = float(sim["truth"].iloc[0])
    lo = stats.beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
    hi = stats.beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    return {"n": n, "truth": truth, "mean_estimate": float(sim["estimate"].mean()),
            "relative_bias": float(sim["estimate"].mean() / truth - 1),
            "relative_bias_log": float(math.exp(np.log(sim["estimate"]).mean()) / truth - 1),
            "coverage": k / n, "coverage_low": float(lo), "coverage_high": float(hi)}


# --------------------------------------------------------------------------- national context
CANDIDATE_COLUMNS = ["cycle", "election_type", "race", "quantity", "office", "value", "unit",
                     "as_of_date", "agency", "source_url", "id"]


def national_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    """The national counts of ``candidates.csv`` (candidate pairs, incumbents eligible, running,
    re-running as a pair, winning or losing), oldest cycle first: context for the incumbency
    analysis, never a count of violations and never an exposure."""
    rows = candidates[candidates["scope"] == "national"]
    order = {q: i for i, q in enumerate(("incumbents_running", "incumbent_pairs_rerunning",
                                         "incumbents_won", "incumbents_lost",
                                         "incumbents_eligible", "candidate_pairs",
                                         "single_candidate_races"))}
    rows = rows.assign(_order=rows["quantity"].map(order).fillna(len(order)))
    return (rows.sort_values(["cycle", "_order", "race", "office", "unit", "id"])[CANDIDATE_COLUMNS]
            .reset_index(drop=True))


def incumbents_running(national: pd.DataFrame) -> pd.DataFrame:
    """National counts of incumbents on the ballot per cycle, from :func:`national_candidates`:
    one row per cycle, unit (persons: heads and deputies, every office added up; regions:
    regions with one) and source (agency, as-of date), with ``value`` the total and
    ``n_figures`` the figures added. Figures of another agency or date are never added
    together."""
    running = national[national["quantity"] == "incumbents_running"]
    keys = ["cycle", "election_type", "unit", "agency", "as_of_date"]
    out = (running.groupby(keys, sort=True)
           .agg(value=("value", "sum"), n_figures=("id", "size"),
                ids=("id", lambda s: " ".join(sorted(s))))
           .reset_index())
    return out
