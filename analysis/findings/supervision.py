"""Supervision effects on a case register: time to sanction by cycle, competing outcomes, and
an event study per supervision measure, with detection and enforcement kept apart.

- **Detection** (cases recorded per ASN) answers "did a measure change what is *found*?" More
  supervision raises detected violations, so a rise is not more misconduct.
- **Enforcement** answers "once a case is recommended, is the sanction executed, and how fast?":
  time from recommendation (and from report) to the executed sanction, right-censored at the
  register's data date (Kaplan–Meier, Cox); from report, the competing ends (not proven,
  stopped) use Aalen–Johansen cumulative incidence, never 1 − KM.

Small counts shown from a register pass through :func:`analysis.methods.disclosure` (threshold
5), the synthetic demo included; published survival and incidence curves are estimated from
counts rounded to blocks of 5 (``rounding=THRESHOLD``), so no step gives away one case.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..methods import did, disclosure, survival
from .verdicts import CANNOT_TELL, SUGGESTIVE, SUPPORTED, Verdict, p_text

THRESHOLD = 5
CURVE_DAYS = (0, 30, 60, 90, 120, 180, 270, 365, 540, 730)
COMPETING = ("sanctioned", "not_proven", "stopped")
USABLE_DATE_BASIS = ("start", "reported_by", "count_as_of")


def election_label(cases: pd.DataFrame) -> pd.Series:
    return cases["election_type"].str.capitalize() + " " + cases["cycle"].astype(int).astype(str)


# --------------------------------------------------------------------------- enforcement
def time_to_sanction(cases: pd.DataFrame, data_date, origin: str = "date_recommendation",
                     at=CURVE_DAYS, rounding: int | None = None) -> pd.DataFrame:
    """Kaplan–Meier of 'not yet sanctioned' per election from ``origin`` (recommendation or
    report), censored at the data date, read at the days ``at`` (only days some case of that
    election could have reached by the data date); ``executed`` = 1 − S with its interval.
    From the report, 1 − S counts sanctions only while treating not-proven/stopped cases as
    still at risk: use :func:`competing_from_report` for the share sanctioned.

    ``rounding``: for publication, estimate from counts rounded to blocks of this size
    (:func:`analysis.methods.disclosure.rounded_event_data`), so the curve gives away no
    single case; None = the exact estimate.

    Columns: ``election``, the tidy columns of :func:`~analysis.methods.survival.kaplan_meier`
    (``estimate`` = S), ``executed`` = 1 − S with ``executed_low``/``executed_high``,
    ``origin``."""
    rec = cases[cases[origin].notna()].copy()
    d = survival.durations_from_dates(rec, origin, "date_sanction", data_date)
    rec = rec.assign(days=d["days"], event=d["event"], election=election_label(rec))
    if rounding:
        rec = disclosure.rounded_event_data(rec, "days", "event", rounding, by="election")
    frames = []
    for election, g in rec.groupby("election"):
        days = [a for a in at if a <= g["days"].max()]
        km = survival.kaplan_meier(g, "days", "event", conf_type="log-log", at=days).tidy()
        km.insert(0, "election", election)
        frames.append(km)
    out = pd.concat(frames, ignore_index=True)
    out["executed"] = 1 - out["estimate"]
    out["executed_low"] = 1 - out["high"]
    out["executed_high"] = 1 - out["low"]
    out["origin"] = origin
    return out


def competing_from_report(cases: pd.DataFrame, data_date, placement: str = "data_date",
                          at=CURVE_DAYS, rounding: int | None = None) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of sanctioned / not proven / stopped from the report,
    pending censored at the data date, per election.

    The register has no date for a not-proven or stopped decision; ``placement`` puts it at the
    ``"data_date"`` (latest possible) or at the ``"report"`` day (earliest). Compare both: the
    share sanctioned is bounded by them. ``rounding``: as in :func:`time_to_sanction`, per
    outcome. Columns: ``election``, the tidy columns of
    :func:`~analysis.methods.survival.cumulative_incidence` (``term`` = the outcome,
    ``estimate`` = its cumulative incidence), ``placement``."""
    if placement not in ("data_date", "report"):
        raise ValueError(f"placement must be 'data_date' or 'report', got {placement!r}")
    c = cases.copy()
    cutoff = pd.Timestamp(data_date)
    end = c["date_sanction"].where(c["outcome"] == "sanctioned")
    other = c["outcome"].isin(["not_proven", "stopped"])
    end = end.where(~other, cutoff if placement == "data_date" else c["date_report"])
    c["days"] = (end.fillna(cutoff) - c["date_report"]).dt.days
    c["election"] = election_label(c)
    if rounding:
        c = disclosure.rounded_event_data(c, "days", "outcome", rounding, by="election")
    frames = []
    for election, g in c.groupby("election"):
        days = [a for a in at if a <= g["days"].max()]
        cif = survival.cumulative_incidence(g, "days", "outcome", list(COMPETING), "pending",
                                            at=days, conf_type="log").tidy()
        cif.insert(0, "election", election)
        frames.append(cif)
    out = pd.concat(frames, ignore_index=True)
    out["placement"] = placement
    return out


def competing_bounds(cases: pd.DataFrame, data_date, at=CURVE_DAYS,
                     rounding: int | None = None) -> pd.DataFrame:
    """Cumulative incidence of each outcome (``term``) under both placements of the undated
    competing decisions, side by side."""
    a = competing_from_report(cases, data_date, "data_date", at, rounding)
    b = competing_from_report(cases, data_date, "report", at, rounding)
    keys = ["election", "time", "term"]
    m = a[keys + ["estimate"]].merge(b[keys + ["estimate"]], on=keys,
                                     suffixes=("_latest", "_earliest"))
    m = m.rename(columns={"estimate_latest": "cif_latest", "estimate_earliest": "cif_earliest"})
    m["difference"] = m["cif_latest"] - m["cif_earliest"]
    return m


def published_time_to_sanction(cases: pd.DataFrame, data_date,
                               threshold: int = THRESHOLD) -> dict:
    """Time from recommendation to sanction as a register may publish it: :func:`time_to_sanction`
    from counts rounded to blocks of ``threshold``.

    ``table``: every read day with the numbers at risk, events and censorings rounded (small
    ones shown as ``<threshold``, :func:`~analysis.methods.disclosure.protect_risk_table`);
    ``curves``: the days the table shows as numbers (at least ``threshold`` still followed);
    ``at_90``: the share executed by day 90 per election (indexed by election)."""
    at_days = time_to_sanction(cases, data_date, rounding=threshold)
    table = disclosure.protect_risk_table(at_days, ["n_risk", "n_event", "n_censor"])
    curves = at_days[at_days["n_risk"] >= threshold]
    return {"table": table, "curves": curves,
            "at_90": curves[curves["time"] == 90].set_index("election")}


def competing_summary(cases: pd.DataFrame, data_date, threshold: int = THRESHOLD,
                      at_day: int = 365) -> dict:
    """The competing ends from the report, as a register may publish them (counts rounded to
    blocks of ``threshold``; only days with at least ``threshold`` still followed are read).

    ``table``: the cumulative incidence per election, day and end, numbers at risk rounded;
    ``at_day``: election x end (sanctioned, not proven, stopped) at ``at_day`` days;
    ``overstate``: by how much 1 − KM from the report exceeds the cumulative incidence of the
    sanction at most (a proportion); ``spread``: the largest shift of the sanction's incidence
    between the two placements of the undated decisions (a proportion)."""
    cif = competing_from_report(cases, data_date, rounding=threshold)
    shown = cif[cif["n_risk"] >= threshold]
    km = time_to_sanction(cases, data_date, origin="date_report", rounding=threshold)
    both = km.loc[km["n_risk"] >= threshold, ["election", "time", "executed"]].merge(
        shown.loc[shown["term"] == "sanctioned", ["election", "time", "estimate"]],
        on=["election", "time"])
    bounds = competing_bounds(cases, data_date, rounding=threshold)
    sanction = bounds[bounds["term"] == "sanctioned"].merge(
        shown[["election", "time"]].drop_duplicates(), on=["election", "time"])
    at = shown[shown["time"] == at_day].pivot(index="election", columns="term",
                                              values="estimate").reset_index()
    at.columns.name = None
    return {"table": disclosure.protect_risk_table(cif, ["n_risk", "n_event"]), "at_day": at,
            "overstate": float((both["executed"] - both["estimate"]).max()),
            "spread": float(sanction["difference"].abs().max())}


# --------------------------------------------------------------------------- counts
def outcome_counts(cases: pd.DataFrame, threshold: int = THRESHOLD) -> pd.DataFrame:
    """Election x outcome counts with primary and secondary suppression (long form)."""
    c = cases.assign(election=election_label(cases))
    tab = c.groupby(["election", "outcome"]).size().rename("cases").reset_index()
    return disclosure.suppress(tab, "election", "outcome", "cases", threshold=threshold)


def region_counts(cases: pd.DataFrame, regions, threshold: int = THRESHOLD) -> pd.DataFrame:
    """Election x region counts for the listed regions (e.g. Babel's), suppressed."""
    c = cases[cases["region"].isin(list(regions))].assign(election=election_label(cases))
    tab = c.groupby(["region", "election"]).size().rename("cases").reset_index()
    if tab.empty:
        return tab
    return disclosure.suppress(tab, "region", "election", "cases", threshold=threshold)


# --------------------------------------------------------------------------- event study
def panel_units(units: pd.DataFrame, cycles=None) -> pd.DataFrame:
    """Units observed in every listed cycle (a balanced panel): region x cycle with exposure."""
    u = units.copy()
    u["cycle"] = u["cycle"].astype(int)
    if cycles is not None:
        u = u[u["cycle"].isin(list(cycles))]
    n = u["cycle"].nunique()
    keep = u.groupby("region")["cycle"].nunique()
    return u[u["region"].isin(keep[keep == n].index)].reset_index(drop=True)


def event_study(cases: pd.DataFrame, units: pd.DataFrame, adoption: pd.DataFrame,
                outcome: str, data_date=None, horizon_days: int = 60, seed: int = 20261129,
                n_perm: int = 999) -> dict:
    """Callaway–Sant'Anna event study of one measure on one outcome.

    ``units``: region x cycle (balanced; see :func:`panel_units`) with ``exposure``;
    ``adoption``: region, first_treated (cycle, NaN = never). ``outcome``:

    - ``"detection"``: cases recorded per 10,000 ASN of exposure;
    - ``"enforcement"``: share of recommendations made at least ``horizon_days`` before the data
      date that were executed within ``horizon_days`` (units with no such recommendation in
      some cycle are dropped, and counted).

    Inference: analytic influence-function errors by region with the small-sample correction
    and t(G-1) (no interval where a cohort is one region), plus randomisation inference
    (adoption dates permuted across regions) with its smallest attainable p-value. G is
    reported.
    """
    if outcome not in ("detection", "enforcement"):
        raise ValueError(f"outcome must be 'detection' or 'enforcement', got {outcome!r}")
    u = units.copy()
    u["cycle"] = u["cycle"].astype(int)
    c = cases[cases["region"].isin(u["region"]) & cases["cycle"].astype(int).isin(u["cycle"])]
    c = c.assign(cycle=c["cycle"].astype(int))
    periods = sorted(u["cycle"].unique())
    adoption = adoption[adoption["region"].isin(u["region"])]
    dropped = 0
    if outcome == "detection":
        panel = did.build_panel(c, adoption, "region", "cycle", "first_treated",
                                periods=periods, outcome="y", exposure=u[["region", "cycle",
                                                                          "exposure"]],
                                exposure_column="exposure")
        exposure, per = "exposure", 10_000.0
    else:
        cutoff = pd.Timestamp(data_date) - pd.Timedelta(days=horizon_days)
        elig = c[c["date_recommendation"].notna() & (c["date_recommendation"] <= cutoff)]
        done = elig[elig["date_sanction"].notna() & (
            (elig["date_sanction"] - elig["date_recommendation"]).dt.days <= horizon_days)]
        n_el = elig.groupby(["region", "cycle"]).size().rename("n_eligible")
        n_done = done.groupby(["region", "cycle"]).size().rename("y")
        grid = u[["region", "cycle"]].merge(n_el.reset_index(), how="left").merge(
            n_done.reset_index(), how="left").fillna({"n_eligible": 0, "y": 0})
        bad = grid.loc[grid["n_eligible"] == 0, "region"].unique()
        dropped = len(bad)
        grid = grid[~grid["region"].isin(bad)]
        grid = grid.merge(adoption, on="region", how="left")
        panel = grid.rename(columns={"n_eligible": "exposure"})
        exposure, per = "exposure", 1.0
    G = panel["region"].nunique()
    n_treated = int(panel.groupby("region")["first_treated"].first().notna().sum())
    out = {"outcome": outcome, "G": G, "n_treated": n_treated, "dropped_units": dropped,
           "periods": periods, "panel": panel}
    if G < 3 or n_treated == 0 or n_treated == G:
        out.update({"estimable": False, "reason": "fewer than 3 units or no treated/control"})
        return out
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", did.DidWarning)
        try:
            res = did.staggered_effect(panel, "region", "cycle", "y", "first_treated",
                                       exposure=exposure, per=per, n_perm=n_perm, seed=seed)
        except ValueError as exc:
            out.update({"estimable": False, "reason": str(exc)})
            return out
    out.update({"estimable": True, "result": res, "ri": res.randomisation,
                "min_ri_p": res.randomisation.min_p_value})
    return out


def synthetic_adoption(truth: dict) -> pd.DataFrame:
    """Adoption of the planted measure in a SYNTHETIC register (ground truth)."""
    a = pd.DataFrame(truth["measure_adoption"])
    return a.rename(columns={"first_cycle": "first_treated"}).assign(
        first_treated=lambda d: pd.to_numeric(d["first_treated"], errors="coerce"))


def curated_adoptions(measures: pd.DataFrame, regions, election_type: str = "pilkada"
                      ) -> list[dict]:
    """One adoption table per curated regency measure among ``regions``: the named region is
    treated from the measure's cycle, the others are not (as far as the file says). Measures
    with no usable date (planned, unknown) or of another election type are listed as not
    usable."""
    out = []
    regions = list(regions)
    for m in measures.itertuples():
        usable = (m.scope == "regency" and m.region in regions
                  and m.date_basis in USABLE_DATE_BASIS and m.election_type == election_type)
        table = pd.DataFrame({"region": regions,
                              "first_treated": [float(m.cycle) if r == m.region else np.nan
                                                for r in regions]})
        out.append({"measure_id": m.measure_id, "kind": m.kind, "region": m.region,
                    "cycle": m.cycle, "election_type": m.election_type,
                    "date_basis": m.date_basis, "usable": usable, "adoption": table})
    return out


def event_study_table(study: dict, label: str) -> pd.DataFrame:
    """The event-study rows (relative period, estimate, interval) of one study, labelled."""
    if not study.get("estimable"):
        return pd.DataFrame([{"study": label, "outcome": study["outcome"], "G": study["G"],
                              "note": study.get("reason", "")}])
    es = study["result"].event_study.copy()
    es.insert(0, "study", label)
    es.insert(1, "outcome", study["outcome"])
    es["G"] = study["G"]
    es["ri_min_p_value"] = study["ri"].min_p_value
    return es


def verdict_event_study(study: dict, synthetic: bool, concurrent: int = 0) -> Verdict:
    """Verdict for one measure x outcome."""
    syn_id = " (data SINTETIS)" if synthetic else ""
    syn_en = " (SYNTHETIC data)" if synthetic else ""
    if not study.get("estimable"):
        return Verdict(CANNOT_TELL, f"tidak dapat diestimasi{syn_id}",
                       f"not estimable{syn_en}")
    ov = study["result"].overall
    G, k = study["G"], study["n_treated"]
    ri_p = study["ri"].p_value
    excl = ov.low > 0 or ov.high < 0
    pre = study["result"].event_study
    n_pre = int(((pre["rel_time"] < -1) & pre["estimate"].notna()).sum()) \
        if "rel_time" in pre else 0
    if k < 3 or G < 8 or study["min_ri_p"] > 0.05:
        return Verdict(CANNOT_TELL,
                       f"G = {G} unit, {k} diperlakukan: p-value permutasi terkecil yang mungkin "
                       f"{p_text(study['min_ri_p'], 'id', 2)}{syn_id}",
                       f"G = {G} units, {k} treated: the smallest attainable permutation "
                       f"{p_text(study['min_ri_p'], 'en', 2)}{syn_en}")
    if np.isnan(ov.low):
        return Verdict(CANNOT_TELL, f"tanpa interval: satu kohort atau kelompok kontrol hanya "
                       f"satu wilayah; permutasi {p_text(ri_p, 'id')}{syn_id}",
                       f"no interval: a cohort or a control group is a single region; "
                       f"permutation {p_text(ri_p)}{syn_en}")
    if not excl or ri_p > 0.05:
        return Verdict(CANNOT_TELL,
                       f"interval memuat 0 atau permutasi {p_text(ri_p, 'id')}{syn_id}",
                       f"the interval includes 0 or the permutation {p_text(ri_p)}{syn_en}")
    reason_id = (f"interval t(G−1) (G = {G}) dan uji permutasi ({p_text(ri_p, 'id')}) "
                 f"sejalan; hanya {n_pre} periode pra untuk memeriksa tren sejajar")
    reason_en = (f"t(G−1) interval (G = {G}) and permutation test ({p_text(ri_p)}) "
                 f"agree; only {n_pre} pre-period(s) to check parallel trends")
    if concurrent:
        reason_id += f"; {concurrent} langkah lain bersamaan tidak dapat dipisahkan"
        reason_en += f"; {concurrent} concurrent measure(s) cannot be separated"
    strength = SUGGESTIVE if (concurrent or n_pre < 2) else SUPPORTED
    return Verdict(strength, reason_id + syn_id, reason_en + syn_en)
