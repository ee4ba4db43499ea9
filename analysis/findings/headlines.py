"""The headline findings, computed from ``data/raw`` through the analysis modules.

One function per finding; each returns plain numbers (proportions 0-1, rates per 10,000 PNS,
days since voting day) and the ledger ids behind them, so the policy briefs and the landing
page fill every number in at build time and can cite its sources. The notebooks tell the same
stories at length and call the same functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import build, ledger
from ..data.vocabulary import DEFAULT_PROVINCE
from . import (casestudy, decide, enforcement, evidence, nowcast, province_record, provinces,
               scorecard, series, verdicts)
from .. import paths
from ..methods import intervals, its, lags

DECREE_DATE = "2020-09-10"  # SKB of five agencies on ASN neutrality (blocking of records)
ITS_MAX_LAG = 30  # days after voting day; the ITS window (sensitivity: all snapshots)
PLACEBO_DAYS = (-150, -120, -60, -20)
REPORTING_LAGS = (30, 90, 180, 365)  # lags the recommendations ask agencies to report at
FOLLOW_UP_CYCLE = 2020  # the one Pilkada with a long KASN follow-up series


@dataclass
class Inputs:
    """Everything the headlines read, loaded once."""

    figures: pd.DataFrame
    elections: pd.DataFrame
    headcount: pd.DataFrame
    regions: pd.DataFrame
    snapshots: pd.DataFrame
    conflicts: pd.DataFrame
    used_ids: set = field(default_factory=set)

    @classmethod
    def load(cls) -> "Inputs":
        tables = build.load_processed()  # the report build already wrote them
        return cls(ledger.load_ledger(), ledger.load_elections(), ledger.load_headcount(),
                   ledger.read_raw(paths.REGIONS), tables["enforcement_snapshots"],
                   tables["conflicts"])

    @property
    def national(self) -> pd.DataFrame:
        s = self.snapshots
        return s[(s["scope"] == "national") & (s["region"] == "Indonesia")]

    def cite(self, ids) -> None:
        for value in ids if not isinstance(ids, str) else [ids]:
            self.used_ids.update(i for i in str(value).split("|") if i)


def _point(row: pd.Series, x_col: str, n_col: str) -> dict:
    x, n = int(row[x_col]), int(row[n_col])
    low, high = intervals.wilson(x, n)
    return {"x": x, "n": n, "p": x / n, "low": low, "high": high,
            "day": int(row["days_since_vote"]), "as_of": row["as_of_date"]}


def follow_up_2020(inp: Inputs) -> dict:
    """KASN follow-up (executed / recommended, cumulative) in Pilkada 2020: the first snapshot
    (166 days *before* the vote in today's ledger), the first on or after voting day, and the
    last, each with a Wilson 95% interval. The rise is that of a cumulative share of a growing
    caseload, not evidence that supervision worked (the verdict says so)."""
    s = inp.national
    s = s[(s["cycle"] == FOLLOW_UP_CYCLE) & (s["election_type"] == "pilkada")
          & (s["agency"] == "KASN") & s["follow_up_rate"].notna()
          & (s["follow_up_basis"] == "recommended")]
    s = enforcement.drop_repeated_releases(s).sort_values("days_since_vote")
    inp.cite(s["source_ids"])
    after = s[s["days_since_vote"] >= 0]
    first, last = _point(s.iloc[0], "executed", "recommended"), _point(s.iloc[-1], "executed",
                                                                      "recommended")
    return {"first": first,
            "at_vote": _point(after.iloc[0], "executed", "recommended"),
            "last": last,
            "points": [_point(r, "executed", "recommended") for _, r in s.iterrows()],
            "n_snapshots": len(s), "agency": "KASN", "cycle": FOLLOW_UP_CYCLE,
            "verdict": verdicts.follow_up(first, last, "KASN")}


# Series declared equivalent across agencies (METHODS.md 17): (cycle, agency, unit) pairs that
# may be compared, with the declaration and its source. Nothing else is compared across agencies.
EQUIVALENT_SERIES = (
    {"earlier": ("KASN", "ASN"), "later": ("BKN", "ASN"), "from_cycle": 2024,
     "declaration_en": "BKN took over KASN's supervision of ASN neutrality when KASN was "
                       "dissolved; both count ASN reported and ASN sanctioned, but BKN's 2024 "
                       "procedure adds a verification step before a recommendation",
     "declaration_id": "BKN mengambil alih pengawasan netralitas ASN dari KASN ketika KASN "
                       "dibubarkan; keduanya menghitung ASN yang dilaporkan dan disanksi, tetapi "
                       "prosedur BKN 2024 menambah tahap verifikasi sebelum rekomendasi",
     # The law is a document, not a ledger figure; the handover is reported in ledger row bb-0305.
     "source": "UU No. 20 Tahun 2023 tentang Aparatur Sipil Negara (document); the handover of "
               "reports to BKN after KASN was dissolved is reported in ledger row bb-0305"},
)


def declared_equivalence(agency_a: str, unit_a: str, agency_b: str, unit_b: str) -> dict | None:
    """The declaration that lets two series be compared, or None (then they may not be)."""
    if (agency_a, unit_a) == (agency_b, unit_b):
        return None
    for d in EQUIVALENT_SERIES:
        if {d["earlier"], d["later"]} == {(agency_a, unit_a), (agency_b, unit_b)}:
            return d
    raise ValueError(f"series {agency_a}/{unit_a} and {agency_b}/{unit_b} are not declared "
                     "equivalent: compare within one agency and one unit, or add a declaration "
                     "with its source to headlines.EQUIVALENT_SERIES")


def executed_of_reported_at_equal_lag(inp: Inputs) -> dict | None:
    """Share of reported ASN already sanctioned, Pilkada 2020 against Pilkada 2024, at the lag of
    the first Pilkada 2024 snapshot, within one unit (ASN) on both sides.

    2020 is read from the same agency as 2024 if its series brackets the lag; otherwise from
    the series declared equivalent (``EQUIVALENT_SERIES``, e.g. KASN for BKN), never spliced
    from two agencies. An interpolated 2020 value carries no interval of its own: the result
    gives the bracketing snapshots with their Wilson intervals and the bounds that hold for any
    growth of the cumulative counts between them. ``table`` is the ``lags.value_at_lags``
    output (columns ``executed`` and ``reported``). A repeated release of one figure counts once,
    at its first as-of date."""
    s = inp.national
    base = s[s["reported"].notna() & s["executed"].notna() & (s["reported_unit"] == "ASN")
             & (s["executed_unit"] == "ASN") & (s["election_type"] == "pilkada")].copy()
    base = enforcement.drop_repeated_releases(base, ("executed", "reported"))
    base["executed_of_reported"] = base["executed"] / base["reported"]
    target = base[base["cycle"] == 2024].sort_values("days_since_vote")
    if target.empty:
        return None
    lag = int(target["days_since_vote"].iloc[0])
    agency_new = target["agency"].iloc[0]
    table = lags.value_at_lags(base[base["cycle"].isin([2020, 2024])], [lag],
                               value_col="executed_of_reported",
                               count_cols=("executed", "reported"),
                               group_cols=("cycle", "election_type", "agency"))
    ok = table[table["method"] != lags.EXTRAPOLATION_NEEDED]
    new = ok[(ok["cycle"] == 2024) & (ok["agency"] == agency_new)]
    old = ok[ok["cycle"] == 2020]
    same = old[old["agency"] == agency_new]
    equivalence, chosen = None, same
    if same.empty:
        for agency in old["agency"]:
            try:
                equivalence = declared_equivalence(agency, "ASN", agency_new, "ASN")
            except ValueError:
                continue
            chosen = old[old["agency"] == agency]
            break
    if new.empty or chosen.empty:
        return None
    r_old, r_new = chosen.iloc[0], new.iloc[0]
    used = base[((base["cycle"] == 2020) & (base["agency"] == r_old["agency"])
                 & base["days_since_vote"].isin([r_old["lower_lag"], r_old["upper_lag"]]))
                | ((base["cycle"] == 2024) & (base["days_since_vote"] == lag))]
    inp.cite(used["source_ids"])
    oldest = {}  # earliest snapshot with reported ASN in each compared series (case age)
    for cycle, agency in ((2020, r_old["agency"]), (2024, agency_new)):
        seen = base[(base["cycle"] == cycle) & (base["agency"] == agency)]
        if len(seen):
            oldest[cycle] = int(seen["days_since_vote"].min())
    same_agency_last = base[(base["cycle"] == 2020) & (base["agency"] == agency_new)]
    out = {"lag": lag, "table": table, "equivalence": equivalence, "oldest_lag": oldest,
           "same_agency_2020": (None if same_agency_last.empty else
                                same_agency_last.sort_values("days_since_vote").iloc[-1]
                                [["days_since_vote", "executed", "reported"]].to_dict())}
    out[2020] = {"p": r_old["rate_from_counts"], "method": r_old["method"],
                 "agency": r_old["agency"], "lower_lag": int(r_old["lower_lag"]),
                 "upper_lag": int(r_old["upper_lag"]), "lower_counts": r_old["lower_counts"],
                 "upper_counts": r_old["upper_counts"], "lower_p": r_old["lower_value"],
                 "upper_p": r_old["upper_value"], "lower_low": r_old["lower_low"],
                 "lower_high": r_old["lower_high"], "upper_low": r_old["upper_low"],
                 "upper_high": r_old["upper_high"], "bound_low": r_old["bound_low"],
                 "bound_high": r_old["bound_high"], "low": r_old["rate_low"],
                 "high": r_old["rate_high"]}
    out[2024] = {"p": r_new["rate_from_counts"], "low": r_new["rate_low"],
                 "high": r_new["rate_high"], "method": r_new["method"],
                 "agency": agency_new, "counts": r_new["lower_counts"]}
    out["verdict"] = verdicts.equal_lag(out)
    return out


def follow_up_claims(inp: Inputs) -> dict:
    """What the published follow-up percentages can support."""
    releases = enforcement.follow_up_claims(inp.figures, inp.elections, inp.national)
    inp.cite(releases["id"])
    claims = enforcement.distinct_claims(releases)
    unchecked = claims[(claims["check"] == "no_counts") & (claims["cycle"] < 2020)]
    n_reproduced = int((claims["check"] == "reproduced").sum())
    return {
        "n": len(claims), "n_releases": len(releases),
        "verdict": verdicts.claims(len(claims), n_reproduced, len(unchecked)),
        "reproduced": int((claims["check"] == "reproduced").sum()),
        "bounds": claims[claims["check"] == "bound_only"],
        "unchecked_before_2020": unchecked,
        "highest_reproduced": claims[claims["check"] == "reproduced"]
        .sort_values("computed").iloc[-1] if (claims["check"] == "reproduced").any() else None,
    }


def decree_its(inp: Inputs, decree_date: str = DECREE_DATE, max_lag: int = ITS_MAX_LAG,
               placebo_days=PLACEBO_DAYS) -> dict:
    """Segmented regression of KASN follow-up at the decree (window up to ``max_lag`` days
    after the vote), the same with all snapshots, and placebo breaks within the window."""
    s = inp.national
    s = s[(s["cycle"] == 2020) & (s["election_type"] == "pilkada") & (s["agency"] == "KASN")
          & s["follow_up_rate"].notna()]
    s = enforcement.drop_repeated_releases(s).sort_values("days_since_vote")
    vote = ledger.voting_days(inp.elections).query("cycle == 2020 and election_type == 'pilkada'")
    decree_lag = (pd.Timestamp(decree_date) - vote["voting_day"].iloc[0]).days
    window = s[s["days_since_vote"] <= max_lag]
    fit = its.segmented_regression(window, "days_since_vote", "follow_up_rate", decree_lag)
    fit_all = its.segmented_regression(s, "days_since_vote", "follow_up_rate", decree_lag)
    placebos = its.placebo_breaks(window, "days_since_vote", "follow_up_rate",
                                  list(placebo_days), real_break=decree_lag)
    level = fit.tidy().set_index("term").loc["level_change"]
    others = placebos[placebos["break_time"] != decree_lag]
    fitted = others[others["status"] == "ok"]
    loo = its.leave_one_out(window, "days_since_vote", "follow_up_rate", decree_lag)
    loo_ok = loo[loo["status"] == "ok"]
    steps = its.increments(s, "days_since_vote", "executed", "recommended", decree_lag)
    pooled = {}
    for period in ("before", "after"):
        g = steps[steps["period"] == period]
        pooled[period] = (g["d_numerator"].sum() / g["d_denominator"].sum()
                          if g["d_denominator"].sum() > 0 else float("nan"))
    as_large = int((fitted["level_change"].abs() >= abs(level["estimate"])).sum())
    loo_low, loo_high = float(loo_ok["estimate"].min()), float(loo_ok["estimate"].max())
    return {"decree_lag": decree_lag, "level": level, "n": fit.n, "n_pre": fit.n_pre,
            "n_post": fit.n_post, "maxlags": fit.maxlags, "df_resid": fit.df_resid,
            "warnings": fit.warnings,
            "level_all": fit_all.tidy().set_index("term").loc["level_change"],
            "n_placebos": len(others), "n_placebos_fitted": len(fitted),
            "n_placebos_as_large": as_large,
            "loo": loo, "loo_low": loo_low, "loo_high": loo_high,
            "increments": steps, "increment_before": pooled["before"],
            "increment_after": pooled["after"],
            "verdict": verdicts.decree(fit.n_pre, fit.df_resid, loo_low, loo_high, len(fitted),
                                       as_large),
            "fit": fit, "fit_all": fit_all, "placebos": placebos, "points": window,
            "all_points": s}


def reported_rates(inp: Inputs) -> pd.DataFrame:
    """ASN reported to KASN/BKN per 10,000 ASN (PNS where no ASN headcount exists: the
    ``mismatch_*`` columns say so) per Pilkada, one unit (ASN), with the lag of each figure and
    the denominator's type and year. No intervals (see ``series.series_rates``); the verdict is
    in ``rates.attrs["verdict"]``."""
    rates = series.series_rates(inp.figures, inp.elections, inp.headcount, "asn_reported")
    rates = rates[rates["election_type"] == "pilkada"].reset_index(drop=True)
    inp.cite(rates["id"])
    rates.attrs["verdict"] = verdicts.rates(rates.to_dict("records"))
    return rates


def province_comparison(inp: Inputs, province: str = DEFAULT_PROVINCE) -> dict:
    """The province's case rate per 10,000 PNS against the rest of the country, for each
    release listing it (``provinces.RELEASES``), oldest first, with the ratio needed before a
    difference could show; and incumbents in the province's latest Pilkada."""
    compared = casestudy.compare_with_nation(inp.figures, inp.headcount, province,
                                             provinces.RELEASES, elections=inp.elections)
    table = compared["comparisons"]
    out = []
    if len(table) and (table["status"] == "compared").any():  # else in no published list
        done = table[table["status"] == "compared"].sort_values("cycle")
        inp.cite(list(done["id"]) + list(done["national_id"]))
        out = done.to_dict("records")
    names = casestudy.province_regions(inp.regions, province)
    calendar = casestudy.election_calendar(inp.elections, names)
    pilkada = calendar[calendar["election_type"] == "pilkada"]
    latest = pilkada[pilkada["cycle"] == pilkada["cycle"].max()] if len(pilkada) else pilkada
    races = latest[latest["race"] != "all"]
    pns_table, _ = provinces.province_headcount(inp.headcount)
    return {"province": province, "pns": compared["pns"], "pns_year": compared["pns_year"],
            "pns_national": float(pns_table["pns"].sum()),
            "comparisons": out,
            "latest_cycle": int(latest["cycle"].max()) if len(latest) else None,
            "races": len(races),
            "incumbent_races": int((races["incumbent_running"] == 1).sum()),
            "incumbent_unknown": int(races["incumbent_running"].isna().sum()),
            "verdict": verdicts.province(out, province)}


def detection_shift(inp: Inputs) -> dict | None:
    """Share of Bawaslu's own findings among alleged cases, Pemilu 2019 against Pilkada 2020
    (the latest non-weak source giving both counts), with a chi-square test (no correction)."""
    f = inp.figures
    d = f[(f["breakdown"] == "detection_source") & (f["scope"] == "national")
          & (f["agency"] == "Bawaslu") & (f["source_quality"] != "weak")]
    pairs = []
    for (cycle, et, url), g in d.groupby(["cycle", "election_type", "source_url"]):
        cats = g.groupby("category")["value"].max()
        if {"temuan", "laporan"} <= set(cats.index):
            pairs.append({"cycle": cycle, "election_type": et, "own": int(cats["temuan"]),
                          "public": int(cats["laporan"]), "published": g["published_date"].max(),
                          "as_of": g["as_of_date"].max(), "ids": "|".join(g["id"])})
    if len(pairs) < 2:
        return None
    pairs = (pd.DataFrame(pairs).sort_values(["cycle", "published"])
             .groupby(["cycle", "election_type"]).tail(1).reset_index(drop=True))
    days = ledger.voting_days(inp.elections).set_index(["cycle", "election_type"])["voting_day"]
    rows = []
    for r in pairs.itertuples():
        inp.cite(r.ids)
        when = r.as_of or r.published
        vote = days.get((r.cycle, r.election_type), pd.NaT)
        lag, lag_min, lag_max = ledger.days_from_vote(when, ledger.precision_of(when), vote)
        lag = None if pd.isna(lag) else lag
        rows.append({"election": evidence.cycle_label(r.cycle, r.election_type),
                     "election_type": r.election_type, "own": r.own, "total": r.own + r.public,
                     "share": r.own / (r.own + r.public), "date": when,
                     "date_basis": "as_of" if r.as_of else "published",
                     "days_since_vote": lag, "days_since_vote_min": lag_min,
                     "days_since_vote_max": lag_max})
    # no chi-square: cases cluster (one viral post, many reports) and the two elections differ
    # in kind and lag; the verdict says what the shares can and cannot show
    return {"rows": rows, "verdict": verdicts.detection(rows)}


def ledger_facts(inp: Inputs) -> dict:
    facts = evidence.caveat_facts(inp.figures, inp.conflicts)
    facts["n_same_date_conflicts"] = int((inp.conflicts["kind"] == "same_as_of_date").sum())
    return facts


def sources(inp: Inputs) -> pd.DataFrame:
    """The ledger rows behind every cited number, one row per source page."""
    rows = inp.figures[inp.figures["id"].isin(inp.used_ids)]
    grouped = rows.groupby("source_url").agg(
        title=("source_title", "first"), agency=("agency_detail", "first"),
        published=("published_date", "max"), ids=("id", lambda s: ", ".join(sorted(s))),
        quality=("source_quality", lambda q: next((k for k in ("weak", "secondary", "primary")
                                                   if k in set(q)), "")))
    return grouped.reset_index().sort_values(["published", "source_url"]).reset_index(drop=True)


def edition_dates(inp: Inputs) -> dict:
    """Dates a reader needs under the brief's title: the data cut-off (the latest as-of or
    publication date in the whole ledger) and, for each election the brief cites, the date of
    its latest cited figure (as-of date, else publication date). ISO strings, oldest election
    first."""
    f = inp.figures
    when = f["as_of_date"].where(f["as_of_date"] != "", f["published_date"])
    dated = f.assign(when=when)
    cutoff = max(max(f["as_of_date"]), max(f["published_date"]))
    cited = dated[dated["id"].isin(inp.used_ids) & (dated["when"] != "")]
    latest = (cited.sort_values("when").groupby(["cycle", "election_type"])["when"].last()
              .reset_index().sort_values(["cycle", "election_type"]))
    return {"cutoff": cutoff,
            "latest": [{"election": evidence.cycle_label(r.cycle, r.election_type),
                        "cycle": int(r.cycle), "election_type": r.election_type, "date": r.when}
                       for r in latest.itertuples()]}


def denominator_sources(inp: Inputs, rates: pd.DataFrame, province: str) -> list[dict]:
    """The headcount rows behind every rate in the brief (``data/raw/asn_headcount.csv``), with
    their source: one per national denominator of ``rates`` and the province's PNS."""
    hc = inp.headcount.assign(_key=inp.headcount["source_file"] + ":" + inp.headcount["source_row"])
    keep = ["year", "scope", "region", "employee_type", "value", "agency_detail", "source_url",
            "source_title", "source_quality", "published_date"]
    out = []
    for r in rates.itertuples():
        row = hc[(hc["_key"] == r.denominator_id) & (hc["employee_type"] == r.denominator_type)]
        if len(row):
            out.append({**row.iloc[0][keep].to_dict(), "used_for": f"{r.cycle}"})
    table, year = provinces.province_headcount(inp.headcount)
    mine = table[table["region"] == province]
    if len(mine):
        row = hc[(hc["region"] == province) & (hc["employee_type"] == "PNS") & (hc["year"] == year)
                 & (hc["source_url"] == mine["source_url"].iloc[0])]
        if len(row):
            out.append({**row.iloc[0][keep].to_dict(), "used_for": "province"})
    for d in out:
        d["year"], d["value"] = int(d["year"]), int(d["value"])
    return out


def _record(inp: Inputs, province: str, cycle: int | None) -> dict:
    """The province's own record (``province_record.record``), citing the ledger rows shown."""
    rec = province_record.record(inp.figures, ledger.load_measures(), inp.elections, inp.regions,
                                 province, cycle)
    inp.cite(list(rec["activity"]["id"]) + list(rec["cases"]["id"]) + list(rec["sanctions"]["id"])
             + [i for r in rec["reruns"] for i in r["figures"]["id"]])
    return rec


def _tracked(inp: Inputs, cited: dict, key: str, fn, *args, **kwargs):
    """Run one headline function, recording the ledger ids it cites under ``cited[key]``."""
    before = set(inp.used_ids)
    inp.used_ids = set()
    try:
        result = fn(inp, *args, **kwargs)
    finally:
        cited[key] = sorted(inp.used_ids)
        inp.used_ids |= before
    return result


def compute(province: str = DEFAULT_PROVINCE) -> dict:
    """Every headline, plus the sources cited (call once per build); ``cited`` maps each
    headline to the ledger ids behind it."""
    inp = Inputs.load()
    cited: dict[str, list[str]] = {}
    out = {
        "follow_up": _tracked(inp, cited, "follow_up", follow_up_2020),
        "equal_lag": _tracked(inp, cited, "equal_lag", executed_of_reported_at_equal_lag),
        "claims": _tracked(inp, cited, "claims", follow_up_claims),
        "decree": _tracked(inp, cited, "decree", decree_its),
        "rates": _tracked(inp, cited, "rates", reported_rates),
        "province": _tracked(inp, cited, "province", province_comparison, province),
        "detection": _tracked(inp, cited, "detection", detection_shift),
        "ledger": ledger_facts(inp),
        "reporting_lags": REPORTING_LAGS,
        "decree_date": DECREE_DATE,
    }
    out["province_record"] = _tracked(inp, cited, "province_record", _record, province,
                                      out["province"]["latest_cycle"])
    out["decisions"] = decide.decisions(out, inp.snapshots, inp.elections, inp.regions,
                                        nowcast.running_nowcast(inp.snapshots),
                                        nowcast.HORIZON_DAYS)
    out["cited"] = cited
    out["sources"] = sources(inp)
    out["dates"] = edition_dates(inp)
    out["scorecard"] = scorecard.build(out, inp.snapshots)
    out["denominators"] = denominator_sources(inp, out["rates"], province)
    return out
