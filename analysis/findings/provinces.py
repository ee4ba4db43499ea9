"""Province counts and denominators for fair comparisons (funnel plots) and province studies.

Sources publish province counts as partial lists (the top five, the top and bottom provinces),
so a province missing from a list is *unknown*, not zero. ``province_counts`` takes, per election
and agency, the snapshot that lists the most provinces, plus the national total of the same
snapshot as the target; ``province_headcount`` takes one year of PNS counts for every province,
so no province's rate uses a different year from another's.
"""
from __future__ import annotations

import pandas as pd

from ..data.ledger import QUALITY_RANK, choose_figure


def province_counts(ledger: pd.DataFrame, cycle: int, election_type: str, agency: str,
                    metric: str = "reported", unit: str = "cases") -> tuple[pd.DataFrame, dict]:
    """(province rows, snapshot info) for the snapshot listing the most provinces.

    A snapshot is one as-of date (or, when undated, one published date) of one agency. Within
    a snapshot, a province with several figures keeps the one the best source gives (primary
    first) and, among equals, the larger id order is ignored: the first id. ``info`` has
    as_of_date, published_date, n_provinces, national (the national total of the same
    snapshot chosen by ``ledger.choose_figure``, or of a national figure of the same agency and
    unit dated within 14 days of it; None when there is none), national_id, ids, unit.
    """
    rows = ledger[(ledger["cycle"] == cycle) & (ledger["election_type"] == election_type)
                  & (ledger["agency"] == agency) & (ledger["metric"] == metric)
                  & (ledger["unit"] == unit) & (ledger["breakdown"] == "")]
    rows = rows.assign(snapshot=rows["as_of_date"].where(rows["as_of_date"] != "",
                                                         "published " + rows["published_date"]))
    provinces = rows[rows["scope"] == "province"]
    if provinces.empty:
        return pd.DataFrame(columns=["region", "count", "id"]), {}
    sizes = provinces.groupby("snapshot")["region"].nunique()
    best = sorted(sizes[sizes == sizes.max()].index)[-1]  # most provinces; then the latest
    chosen = (provinces[provinces["snapshot"] == best]
              .assign(_q=lambda d: d["source_quality"].map(QUALITY_RANK))
              .sort_values(["region", "_q", "id"]).drop_duplicates("region"))
    national = rows[(rows["scope"] == "national") & (rows["snapshot"] == best)]
    if national.empty:  # the same release dated differently: a national total within 14 days
        when = chosen["effective_date"].max()
        near = rows[(rows["scope"] == "national")
                    & ((rows["effective_date"] - when).abs() <= pd.Timedelta(days=14))]
        national = near
    nat = choose_figure(national) if len(national) else None
    info = {
        "snapshot": best,
        "as_of_date": chosen["as_of_date"].iloc[0],
        "published_date": chosen["published_date"].max(),
        "n_provinces": len(chosen),
        "national": float(nat["value"]) if nat is not None else None,
        "national_id": nat["id"] if nat is not None else "",
        "ids": "|".join(sorted(chosen["id"])),
        "unit": unit,
        "agency": agency,
    }
    out = chosen[["region", "value", "id", "source_url"]].rename(columns={"value": "count"})
    return out.reset_index(drop=True), info


def province_headcount(headcount: pd.DataFrame,
                       employee_type: str = "PNS") -> tuple[pd.DataFrame, int]:
    """PNS per province from the most recent year that covers the most provinces.

    Returns (region, pns, id columns) and the year. One value per province: primary before
    secondary before weak, then the latest as-of date, then the first source row.
    """
    rows = headcount[(headcount["scope"] == "province")
                     & (headcount["employee_type"] == employee_type)
                     & headcount["year"].notna()]
    coverage = rows.groupby("year")["region"].nunique()
    year = int(coverage[coverage == coverage.max()].index.max())
    chosen = (rows[rows["year"] == year]
              .assign(_q=lambda d: d["source_quality"].map(QUALITY_RANK))
              .sort_values(["region", "_q", "as_of_date", "source_row"],
                           ascending=[True, True, False, True])
              .drop_duplicates("region"))
    out = chosen[["region", "value", "source_url", "agency"]].rename(columns={"value": "pns"})
    return out.reset_index(drop=True), year


IMPLIED_ZERO_SHARE = 0.05  # a list holding >= 95% of the national total: the rest are ~0


def province_funnel(counts: pd.DataFrame, info: dict, pns: pd.DataFrame,
                    per: float = 10_000) -> pd.DataFrame | None:
    """Funnel-plot table for one release's province counts (``province_counts``) with the PNS of
    ``province_headcount``, centred on the national rate of the same release (national total /
    PNS of all provinces), or on the pooled rate of the listed provinces when the release gives
    no national total. None with fewer than 3 listed provinces.

    Between-province variation: negative-binomial limits with the variance ``phi * mu + omega *
    mu^2`` (``funnel.funnel_table(overdispersion="negative_binomial")``): ``phi`` for clustered
    reports, ``omega`` for rates that differ between provinces, fitted by moments; their adjusted
    95% limits keep 3-5% of in-control provinces outside in simulation under either form or a
    mix (METHODS.md D). Partial lists (METHODS.md 19):

    - the listed provinces hold at least 95% of the national total (``IMPLIED_ZERO_SHARE``):
      the unlisted provinces are entered with 0 (they are near zero, not unknown), and the
      form is fitted to all provinces (``attrs["phi_kind"] = "implied zeros"``);
    - otherwise only the listed provinces are plotted; the form cannot be fitted, but each
      single form has a **lower bound** (the unlisted total spread in proportion to PNS,
      ``dispersion.unlisted_q_lower_bound``): ``phi`` with ``omega = 0``, and ``omega`` with
      ``phi = 1``. The limits use, at each size, the wider of the two
      (``VarianceForm(combine="max")``): at least as wide as those of whichever single form
      holds. ``attrs["phi_kind"] = "lower bound"``; with no national total the form is fitted
      to the listed provinces alone and phi is ``"not estimable"``.

    The FDR step always counts every province in ``pns`` (unlisted ones as p = 1).
    The table is the funnel's ``tidy()`` (``term`` the province, ``estimate`` its rate per
    ``per``). ``attrs``: ``summary`` (the :class:`~analysis.methods.funnel.FunnelSummary`),
    ``form`` (the :class:`~analysis.methods.dispersion.VarianceForm` behind the limits),
    ``form_aic`` and ``form_preferred`` (:func:`form_check`; empty when the form is a bound),
    ``target_kind``, ``phi_kind``, ``phi`` (Pearson chi2/df, or its lower bound),
    ``n_listed``, ``n_implied_zero``, ``unlisted_total``, ``n_provinces``."""
    from ..methods import dispersion, funnel

    if len(counts) < 3:
        return None
    all_pns = pns[["region", "pns"]]
    df = counts.merge(all_pns, on="region", how="left")
    national = info.get("national")
    target = national / all_pns["pns"].sum() if national else None
    listed_total = float(df["count"].sum())
    unlisted = all_pns[~all_pns["region"].isin(df["region"])]
    residual = (national - listed_total) if national else None
    n_tests = len(all_pns)
    attrs = {"n_listed": len(df), "n_implied_zero": 0, "unlisted_total": residual,
             "n_provinces": n_tests}
    form = None
    if national and len(unlisted) and residual <= IMPLIED_ZERO_SHARE * national:
        zeros = unlisted.assign(count=0, id="", source_url="")
        df = pd.concat([df, zeros[df.columns]], ignore_index=True)
        attrs.update(phi_kind="implied zeros", n_implied_zero=len(unlisted))
    elif national and len(unlisted):
        pearson_extra, _ = dispersion.unlisted_q_lower_bound(residual, unlisted["pns"], target)
        mu = target * df["pns"].to_numpy(float)
        pearson = float((((df["count"].to_numpy(float) - mu) ** 2) / mu).sum() + pearson_extra)
        df_sum, b_sum = dispersion.moment_terms(target * all_pns["pns"].to_numpy(float))
        phi_low, omega_low = dispersion.single_forms(pearson, df_sum, b_sum)
        form = dispersion.VarianceForm(float(phi_low), float(omega_low), "max")
        attrs.update(phi_kind="lower bound", phi=pearson / df_sum)
    result = funnel.funnel_table(df, "count", "pns", "region", per=per,
                                 overdispersion="negative_binomial", target_rate=target,
                                 n_tests=n_tests, variance_form=form)
    s = result.summary
    if "phi_kind" not in attrs:
        complete = national is not None and not len(unlisted)
        attrs.update(phi_kind="estimated" if complete else "not estimable")
    if attrs["phi_kind"] in ("implied zeros", "estimated"):
        attrs["phi"] = s.pearson_dispersion
    attrs.setdefault("phi", float("nan"))
    table = result.tidy()
    table.attrs.update(attrs, summary=s, form=s.variance_form)
    table.attrs["form_aic"], table.attrs["form_preferred"] = form_check(s)
    table.attrs["target_kind"] = "national" if target else "pooled"
    return table


FORM_PARAMETERS = {"poisson": 0, "multiplicative": 1, "random_rates": 1, "both": 2}


def form_check(summary) -> tuple[dict, str]:
    """Which variance form the provinces support: AIC (``-2 log L + 2k``) of the negative
    binomial under Poisson, clustered reports alone (``phi``), rates that differ alone
    (``omega``) and both, each fitted by moments (``FunnelSummary.loglik_*``), and the form with
    the smallest. The limits use both whatever this says (both nests each); the check says
    which mechanism the data point to. ``({}, "")`` when the form was given (a bound from a
    partial list: nothing to check)."""
    if summary.form_given:
        return {}, ""
    aic = {name: -2 * getattr(summary, f"loglik_{name}") + 2 * k
           for name, k in FORM_PARAMETERS.items()}
    return aic, min(aic, key=aic.get)


# Releases with province lists: (cycle, election type, agency, unit).
RELEASES = ((2020, "pilkada", "Bawaslu", "cases"), (2019, "pemilu", "Bawaslu", "cases"),
            (2024, "pemilu", "KASN", "cases"))


def release_funnels(figures: pd.DataFrame, headcount: pd.DataFrame, releases,
                    per: float = 10_000) -> dict:
    """The funnel of every release ``(cycle, election_type, agency, unit)`` that lists at least
    three provinces: {election label: {"table", "info", "cycle", "election_type", "agency"}}
    (:func:`province_counts`, :func:`province_funnel`), with the PNS of one year for every
    province."""
    from .evidence import cycle_label

    pns, _ = province_headcount(headcount)
    out = {}
    for cycle, election_type, agency, unit in releases:
        counts, info = province_counts(figures, cycle, election_type, agency, unit=unit)
        table = province_funnel(counts, info, pns, per)
        if table is not None:
            out[cycle_label(cycle, election_type)] = {
                "table": table, "info": info, "cycle": cycle, "election_type": election_type,
                "agency": agency}
    return out


def flagged(table: pd.DataFrame) -> pd.DataFrame:
    """The provinces of a funnel flagged after FDR control."""
    return table[table["flag"] != ""]


def below_limits(table: pd.DataFrame) -> list[str]:
    """The provinces with at least one case below the exact 95% or 99.8% limit (possible
    under-detection, or under-reporting)."""
    return list(table.loc[table["position"].isin(["below_95", "below_998"])
                          & (table["observed"] > 0), "term"])


NON_ASN_COLUMNS = ["region", "value", "unit", "metric", "agency", "as_of_date", "published_date",
                   "id", "source_url"]


def non_asn_province_lists(figures: pd.DataFrame, min_provinces: int = 2) -> list[dict]:
    """Province lists whose unit is not ASN-only (``vocabulary.NOT_ASN_ONLY_UNITS``: counts that
    include soldiers, police, village heads or every kind of violation): one per release
    (cycle, election type, agency, stage, unit, as-of date) naming at least ``min_provinces``
    provinces, largest count first, with the national total of the same release where one was
    published. Descriptive only: no exposure counts every barred actor, so no rate is formed."""
    from ..data.vocabulary import NOT_ASN_ONLY_UNITS
    from .evidence import cycle_label

    rows = figures[figures["unit"].isin(NOT_ASN_ONLY_UNITS) & (figures["breakdown"] == "")]
    keys = ["cycle", "election_type", "agency", "metric", "unit", "as_of_date"]
    out = []
    for key, g in rows.groupby(keys, sort=True):
        provinces = g[g["scope"] == "province"]
        if provinces["region"].nunique() < min_provinces:
            continue
        national = g[g["scope"] == "national"]
        out.append(dict(zip(keys, key)) | {
            "election": cycle_label(key[0], key[1]),
            "table": provinces.sort_values(["value", "region"], ascending=[False, True])[
                NON_ASN_COLUMNS].reset_index(drop=True),
            "national": float(national["value"].iloc[0]) if len(national) else None,
            "national_id": national["id"].iloc[0] if len(national) else ""})
    return out
