# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Tingkat pelanggaran dan perbandingan provinsi / Violation rates and provinces compared
#
# Apakah pelanggaran per 10.000 PNS menurun antarsiklus, berapa per daerah yang menyelenggarakan
# pemilihan, provinsi mana yang berbeda dari angka nasional lebih dari yang dapat dijelaskan oleh
# kebetulan, dan bagaimana profil pelanggaran berubah. / Are violations per 10,000 civil servants
# falling across cycles, how many per region holding an election, which provinces differ from the
# national rate by more than chance explains, and how the profile of violations changes.

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from scipy import stats

from analysis.findings import evidence, provinces, series
from analysis.methods import intervals, rates
from analysis.publish import funnel_chart
from analysis.data import ledger
from analysis.publish.formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from analysis.publish.outputs import save_figure, save_table, show_table
from analysis.publish.plots import PALETTE, bilingual, finish

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()

# %% [markdown]
# ## 1. Pelanggaran per 10.000 PNS / Violations per 10,000 civil servants
#
# Untuk tiap pemilihan dan seri dipakai satu angka nasional menurut aturan pemilihan tertulis;
# penyebutnya PNS nasional pada tahun pemilihan. Kolom `days_since_vote` menunjukkan kapan angka
# itu berlaku: angka pada jeda berbeda tidak sebanding. / For each election and series one
# national figure is used, chosen by the written rule; the denominator is national PNS of the
# election year. `days_since_vote` shows when the figure held: figures at different lags are not
# comparable.

# %%
series_names = ["asn_reported", "asn_proven", "bawaslu_cases"]
rate_rows = pd.concat([series.series_rates(figures, elections, headcount, name, per)
                       for name in series_names], ignore_index=True)
rate_rows = evidence.with_cycle_label(rate_rows)
rate_table = rate_rows[["series", "election", "value", "unit", "agency", "id", "days_since_vote",
                        "lag_basis", "value_qualifier", "pns", "pns_year", "rate", "rate_low",
                        "rate_high"]]
save_table(rate_table, "03_rates_per_10k_pns", reports_dir)
show_table(rate_table)

# %%
fig, axes = plt.subplots(1, len(series_names), figsize=(13, 4.2), sharey=False)
for ax, name in zip(axes, series_names):
    d = rate_rows[rate_rows["series"] == name].reset_index(drop=True)
    for i, r in d.iterrows():
        ax.errorbar(i, r["rate"], yerr=[[r["rate"] - r["rate_low"]], [r["rate_high"] - r["rate"]]],
                    fmt="o", capsize=3, color=PALETTE[0] if r["value_qualifier"] == "exact"
                    else PALETTE[3])
        lag = "?" if pd.isna(r["days_since_vote"]) else int(r["days_since_vote"])
        ax.annotate(f"d{lag}", (i, r["rate_high"]), textcoords="offset points", xytext=(0, 4),
                    ha="center", fontsize=7)
    ax.set_xticks(range(len(d)), d["election"], rotation=40, ha="right", fontsize=8)
    spec = series.SERIES[name]
    ax.set_title(bilingual(spec.label_id, spec.label_en), fontsize=8.5, wrap=True)
    ax.set_ylim(bottom=0)
axes[0].set_ylabel(bilingual(f"per {fmt_int(per, 'id')} PNS", f"per {fmt_int(per, 'en')} PNS"))
reported = rate_rows[rate_rows["series"] == "asn_reported"].set_index("election")
top = reported["rate"].idxmax()
title = (f"Highest published rate of ASN reported: {top}, {fmt_num(reported.loc[top, 'rate'], 'en', 2)}"
         f" per 10,000 PNS; labels give the day after the vote each figure describes")
finish(fig, title, "KASN, BKN, Bawaslu via evidence ledger; PNS from BKN/BPS "
       "(data/raw/asn_headcount.csv); exact Poisson 95% intervals")
saved = save_figure(fig, "03_rates_per_10k", reports_dir,
                    alt_text="Three panels of violation rates per 10,000 civil servants by "
                             f"election, with exact intervals and the lag of each figure. {title}.")
plt.close(fig)
saved

# %% [markdown]
# ## 2. Rasio antarsiklus / Rate ratios between cycles
#
# Rasio tingkat dengan interval eksak bersyarat dan dua uji: uji binomial eksak bersyarat dan
# uji-E (Krishnamoorthy–Thomson). Perbedaan jeda membuat sebagian perbandingan tidak setara;
# kolom jeda disertakan. / Rate ratios with exact conditional intervals and two tests: the exact
# conditional binomial test and the E-test. Lag differences make some comparisons unequal; the
# lag columns are shown.

# %%
ratio_rows = []
for name in series_names:
    d = rate_rows[(rate_rows["series"] == name)].sort_values(["cycle", "election_type"])
    pilkada = d[d["election_type"] == "pilkada"].reset_index(drop=True)
    for i in range(1, len(pilkada)):
        new, old = pilkada.iloc[i], pilkada.iloc[i - 1]
        rr = rates.rate_ratio(int(new["value"]), new["pns"], int(old["value"]), old["pns"])
        ratio_rows.append({"series": name, "comparison": f"{new['election']} vs {old['election']}",
                           "lag_new": new["days_since_vote"], "lag_old": old["days_since_vote"],
                           "ratio": rr.ratio, "low": rr.low, "high": rr.high,
                           "p_exact_conditional": rr.p_exact_conditional, "p_etest": rr.p_etest,
                           "interval_method": rr.ci_method})
ratios = pd.DataFrame(ratio_rows)
save_table(ratios, "03_rate_ratios", reports_dir)
show_table(ratios)

# %%
lines = []
for r in ratios.itertuples():
    same_lag = (not pd.isna(r.lag_new) and not pd.isna(r.lag_old)
                and abs(r.lag_new - r.lag_old) <= 30)
    lines.append(
        f"- {r.comparison} ({series.SERIES[r.series].label_en}): rasio / ratio "
        f"{fmt_num(r.ratio, 'id', 2)} (IK 95% / 95% CI {fmt_num(r.low, 'id', 2)}–"
        f"{fmt_num(r.high, 'id', 2)}); "
        + ("jeda setara / comparable lags" if same_lag else
           f"**jeda berbeda / different lags** ({'?' if pd.isna(r.lag_new) else int(r.lag_new)} "
           f"vs {'?' if pd.isna(r.lag_old) else int(r.lag_old)} d): tidak dapat disimpulkan tren "
           "/ no trend can be inferred"))
display(Markdown("\n".join(lines)))

# %% [markdown]
# ## 3. Per daerah yang menyelenggarakan pemilihan / Per region holding an election

# %%
per_region = []
cases = rate_rows[rate_rows["series"] == "bawaslu_cases"]
for r in cases.itertuples():
    held = series.regions_holding(elections, int(r.cycle), r.election_type)
    if held is None:
        continue
    n_regions = int(held["regions_in_election"])
    rate, low, high = intervals.rate_per(int(r.value), n_regions, per=1)
    per_region.append({"election": r.election, "cases": r.value, "days_since_vote":
                       r.days_since_vote, "regions": n_regions, "regions_source":
                       held["source_url"], "cases_per_region": rate, "low": low, "high": high})
per_region = pd.DataFrame(per_region)
save_table(per_region, "03_cases_per_region", reports_dir)
show_table(per_region.drop(columns="regions_source"))

# %% [markdown]
# ## 4. Provinsi dibandingkan secara adil / Provinces compared fairly
#
# Plot corong (Spiegelhalter 2005): batas kendali Poisson eksak 95% dan 99,8% di sekitar angka
# nasional, disesuaikan untuk overdispersi; provinsi ditandai dengan kendali false discovery rate
# (Benjamini–Hochberg), bukan peringkat. Sumber hanya menyebut sebagian provinsi (teratas dan
# terbawah): provinsi yang tidak disebut tidak diketahui, bukan nol, sehingga daftar yang ada
# condong ke nilai ekstrem. / Funnel plots: exact Poisson 95% and 99.8% limits around the
# national rate, adjusted for overdispersion; provinces flagged with false-discovery-rate control,
# not by rank. Sources list only some provinces (top and bottom): a province not listed is
# unknown, not zero, so the lists lean towards extremes.

# %%
pns, pns_year = provinces.province_headcount(headcount)
funnel_results = {}
for cycle, election_type, agency, unit in province_cycles:
    counts, info = provinces.province_counts(figures, cycle, election_type, agency, unit=unit)
    table = provinces.province_funnel(counts, info, pns, per)
    if table is None:
        continue
    target = table.attrs["target_kind"] == "national"
    label = evidence.cycle_label(cycle, election_type)
    funnel_results[label] = (table, info)
    save_table(table.drop(columns=[c for c in table.columns if c.startswith("adj_")]),
               f"03_funnel_{cycle}_{election_type}", reports_dir)
    s = table.attrs["summary"]
    fig = funnel_chart.plot_funnel(table, per=per,
                                  highlight=province if province in set(table["region"]) else None)
    flagged = table[table["flag"] != ""]
    title = (f"{label}: {len(flagged)} of {len(table)} listed provinces differ from the "
             f"{'national' if target else 'pooled'} rate after FDR control"
             + (f"; {province} {fmt_num(table.set_index('region').loc[province, 'rate'], 'en', 2)}"
                f" per 10,000 PNS" if province in set(table["region"]) else
                f"; {province} not listed"))
    finish(fig, title, f"{agency} province counts ({info['snapshot']}, {info['n_provinces']} "
           f"provinces listed), national total {info['national_id'] or 'not published'}; PNS by "
           f"province {pns_year} (BPS); overdispersion phi {s.phi:.2f}")
    saved = save_figure(fig, f"03_funnel_{cycle}_{election_type}", reports_dir,
                        alt_text=f"Funnel plot of violations per 10,000 PNS against PNS by "
                                 f"province with exact control limits. {title}.")
    plt.close(fig)
    display(saved)
    target_kind = "national" if target else "pooled (no national total of the same release)"
    display(Markdown(
        f"**{label}.** Target: {target_kind} rate {fmt_num(s.pooled_rate_per, 'en', 2)} per 10,000 PNS; overdispersion "
        f"phi = {s.phi:.2f} (test p = {s.chi2_pvalue:.3g}), Pearson chi2/df = "
        f"{s.pearson_dispersion:.2f}; flagged after FDR: "
        f"{', '.join(flagged['region'] + ' (' + flagged['flag'] + ')') or 'none'}."))

# %% [markdown]
# ## 5. Profil pelanggaran / Violation profiles
#
# Sumber deteksi (temuan Bawaslu sendiri dibanding laporan masyarakat) dapat diuji karena
# hitungannya dipublikasikan; jenis pelanggaran dan jabatan hanya dipublikasikan sebagai persen
# dari dasar yang tidak selalu disebut, sehingga ditampilkan secara deskriptif. / Detection
# source (Bawaslu's own findings against public reports) can be tested because counts are
# published; violation types and positions are published as percentages of a base that is not
# always stated, so they are shown descriptively.

# %%
detect = figures[(figures["breakdown"] == "detection_source") & (figures["scope"] == "national")
                 & (figures["source_quality"] != "weak")
                 & (figures["agency"] == "Bawaslu")]
pairs = []
for (cycle, et, url), g in detect.groupby(["cycle", "election_type", "source_url"]):
    cats = g.groupby("category")["value"].max()
    if {"temuan", "laporan"} <= set(cats.index):
        pairs.append({"cycle": cycle, "election_type": et, "temuan": int(cats["temuan"]),
                      "laporan": int(cats["laporan"]), "as_of_date": g["as_of_date"].max(),
                      "published_date": g["published_date"].max(), "source_url": url})
pairs = pd.DataFrame(pairs).sort_values(["cycle", "published_date"])
latest_pairs = evidence.with_cycle_label(pairs.groupby(["cycle", "election_type"]).tail(1))
latest_pairs["share_own_findings"] = latest_pairs["temuan"] / (latest_pairs["temuan"]
                                                               + latest_pairs["laporan"])
ci = [intervals.wilson(t, t + l) for t, l in zip(latest_pairs["temuan"], latest_pairs["laporan"])]
latest_pairs["low"], latest_pairs["high"] = zip(*ci)
save_table(latest_pairs, "03_detection_source", reports_dir)
show_table(latest_pairs.drop(columns="source_url"))

# %%
if len(latest_pairs) >= 2:
    table2 = latest_pairs[["temuan", "laporan"]].to_numpy()
    chi2, p_chi2, dof, _ = stats.chi2_contingency(table2, correction=False)
    a, b = latest_pairs.iloc[0], latest_pairs.iloc[-1]
    display(Markdown(
        f"Uji homogenitas khi-kuadrat (tanpa koreksi kontinuitas) atas {len(latest_pairs)} "
        f"pemilihan: khi² = {fmt_num(chi2, 'id', 1)}, db = {dof}, p = {p_chi2:.2g}. Porsi temuan "
        f"sendiri: {a['election']} {fmt_pct(a['share_own_findings'])}, {b['election']} "
        f"{fmt_pct(b['share_own_findings'])}. / Chi-square test of homogeneity (no continuity "
        f"correction) across {len(latest_pairs)} elections: chi2 = {fmt_num(chi2, 'en', 1)}, df = "
        f"{dof}, p = {p_chi2:.2g}. Share of Bawaslu's own findings: {a['election']} "
        f"{fmt_pct(a['share_own_findings'], 'en')}, {b['election']} "
        f"{fmt_pct(b['share_own_findings'], 'en')}. Findings depend on patrol and monitoring "
        "effort: a shift is a change in detection, not necessarily in behaviour."))

# %%
shares = figures[(figures["metric"] == "share") & figures["breakdown"].isin(
    ["violation_type", "position_level"]) & (figures["scope"] == "national")]
latest_shares = (evidence.with_cycle_label(shares)
                 .sort_values(["effective_date", "id"])
                 .groupby(["election", "agency", "breakdown", "category"]).tail(1))
profile = latest_shares.pivot_table(index=["breakdown", "category"], columns="election",
                                    values="value", aggfunc="first")
save_table(profile.reset_index(), "03_profiles_descriptive", reports_dir)
display(Markdown("Persen terbaru yang dipublikasikan per kategori (deskriptif; dasar dan "
                 "tanggal berbeda antarsumber). / Latest published percentage per category "
                 "(descriptive; bases and dates differ between sources)."))
show_table(profile.reset_index())
