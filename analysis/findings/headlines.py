"""The headline findings, computed from ``data/raw`` through the analysis modules.

One function per finding; each returns plain numbers (proportions 0-1, rates per 10,000 PNS,
days since voting day) and the ledger ids behind them, so the policy briefs and the landing
page fill every number in at build time and can cite its sources. The notebooks tell the same
stories at length and call the same functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from scipy import stats

from ..data import build, ledger
from . import casestudy, enforcement, evidence, provinces, series
from .. import paths
from ..methods import intervals, its, lags

DEFAULT_PROVINCE = "Kepulauan Bangka Belitung"
DECREE_DATE = "2020-09-10"  # SKB of five agencies on ASN neutrality (blocking of records)
ITS_MAX_LAG = 30  # days after voting day; the ITS window (sensitivity: all snapshots)
PLACEBO_DAYS = (-150, -120, -60, -20)
REPORTING_LAGS = (30, 90, 180, 365)  # lags the recommendations ask agencies to report at


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
        tables = build.build()
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
    """KASN follow-up (executed / recommended) in Pilkada 2020: the first snapshot, the first
    on or after voting day, and the last, each with a Wilson 95% interval."""
    s = inp.national
    s = s[(s["cycle"] == 2020) & (s["election_type"] == "pilkada") & (s["agency"] == "KASN")
          & s["follow_up_rate"].notna() & (s["follow_up_basis"] == "recommended")]
    s = enforcement.drop_repeated_releases(s).sort_values("days_since_vote")
    inp.cite(s["source_ids"])
    after = s[s["days_since_vote"] >= 0]
    return {"first": _point(s.iloc[0], "executed", "recommended"),
            "at_vote": _point(after.iloc[0], "executed", "recommended"),
            "last": _point(s.iloc[-1], "executed", "recommended"),
            "points": [_point(r, "executed", "recommended") for _, r in s.iterrows()],
            "n_snapshots": len(s)}


def executed_of_reported_at_equal_lag(inp: Inputs) -> dict | None:
    """Share of reported ASN already sanctioned, Pilkada 2020 against Pilkada 2024, at the lag of
    the Pilkada 2024 snapshot (2020 interpolated between snapshots, never extrapolated).
    ``table`` is the full ``lags.value_at_lags`` output for both elections."""
    s = inp.national
    base = s[s["reported"].notna() & s["executed"].notna()
             & s["reported_unit"].isin(["ASN", "complaints", "reports"])
             & (s["election_type"] == "pilkada")].copy()
    base = enforcement.drop_repeated_releases(base, ("executed", "reported"))
    base["executed_of_reported"] = base["executed"] / base["reported"]
    target = base[base["cycle"] == 2024]
    if target.empty:
        return None
    lag = int(target["days_since_vote"].iloc[0])
    table = lags.value_at_lags(base, [lag], value_col="executed_of_reported",
                               count_cols=("executed", "reported"),
                               group_cols=("cycle", "election_type"))
    at = table.set_index("cycle")
    if 2020 not in at.index or at.loc[2020, "method"] == "not_available_extrapolation_needed":
        return None
    inp.cite(base[base["cycle"].isin([2020, 2024])]["source_ids"])
    out = {"lag": lag, "table": table}
    for cycle in (2020, 2024):
        r = at.loc[cycle]
        out[cycle] = {"p": r["rate_from_counts"], "low": r["rate_low"], "high": r["rate_high"],
                      "method": r["method"]}
    return out


def follow_up_claims(inp: Inputs) -> dict:
    """What the published follow-up percentages can support."""
    claims = enforcement.follow_up_claims(inp.figures, inp.elections, inp.national)
    inp.cite(claims["id"])
    unchecked = claims[(claims["check"] == "no_counts") & (claims["cycle"] < 2020)]
    return {
        "n": len(claims),
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
    level = fit.table.set_index("term").loc["level_change"]
    others = placebos[placebos["break_time"] != decree_lag]
    return {"decree_lag": decree_lag, "level": level, "n": fit.n, "n_pre": fit.n_pre,
            "n_post": fit.n_post, "maxlags": fit.maxlags,
            "level_all": fit_all.table.set_index("term").loc["level_change"],
            "n_placebos": len(others),
            "n_placebos_as_large": int((others["level_change"].abs() >= abs(level["estimate"])).sum()),
            "fit": fit, "fit_all": fit_all, "placebos": placebos, "points": window,
            "all_points": s}


def reported_rates(inp: Inputs) -> pd.DataFrame:
    """ASN reported to KASN/BKN per 10,000 PNS per Pilkada, with the lag of each figure."""
    rates = series.series_rates(inp.figures, inp.elections, inp.headcount, "asn_reported")
    rates = rates[rates["election_type"] == "pilkada"].reset_index(drop=True)
    inp.cite(rates["id"])
    return rates


def province_comparison(inp: Inputs, province: str = DEFAULT_PROVINCE) -> dict:
    """The province's case rate per 10,000 PNS against the rest of the country, for each
    release listing it (``provinces.RELEASES``), oldest first, with the ratio needed before a
    difference could show; and incumbents in the province's latest Pilkada."""
    compared = casestudy.compare_with_nation(inp.figures, inp.headcount, province,
                                             provinces.RELEASES)
    table = compared["comparisons"]
    out = []
    if len(table):
        done = table[table["status"] == "compared"].sort_values("cycle")
        inp.cite(list(done["id"]) + list(done["national_id"]))
        out = done.to_dict("records")
    names = casestudy.province_regions(inp.regions, province)
    calendar = casestudy.election_calendar(inp.elections, names)
    pilkada = calendar[calendar["election_type"] == "pilkada"]
    latest = pilkada[pilkada["cycle"] == pilkada["cycle"].max()] if len(pilkada) else pilkada
    races = latest[latest["race"] != "all"]
    return {"province": province, "pns": compared["pns"], "pns_year": compared["pns_year"],
            "comparisons": out,
            "latest_cycle": int(latest["cycle"].max()) if len(latest) else None,
            "races": len(races),
            "incumbent_races": int((races["incumbent_running"] == 1).sum()),
            "incumbent_unknown": int(races["incumbent_running"].isna().sum())}


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
                          "ids": "|".join(g["id"])})
    if len(pairs) < 2:
        return None
    pairs = (pd.DataFrame(pairs).sort_values(["cycle", "published"])
             .groupby(["cycle", "election_type"]).tail(1).reset_index(drop=True))
    chi2, p, dof, _ = stats.chi2_contingency(pairs[["own", "public"]].to_numpy(), correction=False)
    rows = []
    for r in pairs.itertuples():
        low, high = intervals.wilson(r.own, r.own + r.public)
        inp.cite(r.ids)
        rows.append({"election": evidence.cycle_label(r.cycle, r.election_type),
                     "share": r.own / (r.own + r.public), "low": low, "high": high})
    return {"rows": rows, "chi2": chi2, "df": dof, "p": p}


def ledger_facts(inp: Inputs) -> dict:
    facts = evidence.caveat_facts(inp.figures, inp.conflicts)
    facts["n_same_date_conflicts"] = int((inp.conflicts["kind"] == "same_as_of_date").sum())
    return facts


def sources(inp: Inputs) -> pd.DataFrame:
    """The ledger rows behind every cited number, one row per source page."""
    rows = inp.figures[inp.figures["id"].isin(inp.used_ids)]
    grouped = rows.groupby("source_url").agg(
        title=("source_title", "first"), agency=("agency_detail", "first"),
        published=("published_date", "max"), ids=("id", lambda s: ", ".join(sorted(s))))
    return grouped.reset_index().sort_values(["published", "source_url"]).reset_index(drop=True)


def compute(province: str = DEFAULT_PROVINCE) -> dict:
    """Every headline, plus the sources cited (call once per build)."""
    inp = Inputs.load()
    out = {
        "follow_up": follow_up_2020(inp),
        "equal_lag": executed_of_reported_at_equal_lag(inp),
        "claims": follow_up_claims(inp),
        "decree": decree_its(inp),
        "rates": reported_rates(inp),
        "province": province_comparison(inp, province),
        "detection": detection_shift(inp),
        "ledger": ledger_facts(inp),
        "reporting_lags": REPORTING_LAGS,
        "decree_date": DECREE_DATE,
    }
    out["sources"] = sources(inp)
    return out
