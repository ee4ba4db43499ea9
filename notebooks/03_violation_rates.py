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

from analysis.findings import evidence, headlines, provinces, series
from analysis.methods import intervals, rates
from analysis.publish.safe_text import md
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
rate_table = rate_rows[["series", "election", "value", "unit", "agency", "id", "as_of_date",
                        "days_since_vote", "lag_basis", "value_qualifier", "denominator",
                        "denominator_type", "denominator_year", "exposure_scope", "rate",
                        "mismatch_en"]]
inputs = headlines.Inputs.load()
rates_verdict = headlines.reported_rates(inputs).attrs["verdict"]
display(Markdown(f"**{md(rates_verdict.text('id'))}** / **{md(rates_verdict.text('en'))}** "
                 "Satu satuan per seri (ASN, atau kasus untuk Bawaslu); ASN dibagi ASN bila jumlahnya "
                 "ada, selain itu PNS dan ketidakcocokan disebut; tanpa interval karena hitungan "
                 "overdispersi. / One unit per series (ASN, or cases for Bawaslu); ASN over ASN "
                 "where the headcount exists, else PNS with the mismatch stated; no intervals, "
                 "because the counts are overdispersed and one figure per election admits no "
                 f"model of it. {md(series.EXPOSURE_NOTE_EN)}."))
save_table(rate_table, "03_rates_per_10k_pns", reports_dir)
show_table(rate_table)

# %%
fig, axes = plt.subplots(1, len(series_names), figsize=(13, 4.2), sharey=False)
for ax, name in zip(axes, series_names):
    d = rate_rows[rate_rows["series"] == name].reset_index(drop=True)
    for i, r in d.iterrows():
        ax.plot(i, r["rate"], "o", color=PALETTE[0] if r["value_qualifier"] == "exact"
                else PALETTE[3])
        lag = "?" if pd.isna(r["days_since_vote"]) else int(r["days_since_vote"])
        ax.annotate(f"d{lag}, /{r['denominator_type']} {r['denominator_year']}", (i, r["rate"]),
                    textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
    ax.set_xticks(range(len(d)), d["election"], rotation=40, ha="right", fontsize=8)
    spec = series.SERIES[name]
    ax.set_title(bilingual(spec.label_id, spec.label_en), fontsize=8.5, wrap=True)
    ax.set_ylim(bottom=0)
axes[0].set_ylabel(bilingual(f"per {fmt_int(per, 'id')} ASN/PNS", f"per {fmt_int(per, 'en')} ASN/PNS"))
title = (f"[{rates_verdict.label('en')}] Published rates at very different lags (labels: day "
         "after the vote, denominator and its year): no trend can be read")
finish(fig, title, "KASN, BKN, Bawaslu via evidence ledger; ASN/PNS from BKN/BPS "
       "(data/raw/asn_headcount.csv); no intervals (overdispersed counts)")
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
        same_lag = (not pd.isna(new["days_since_vote"]) and not pd.isna(old["days_since_vote"])
                    and abs(new["days_since_vote"] - old["days_since_vote"]) <= 30)
        ratio_rows.append({"series": name, "comparison": f"{new['election']} vs {old['election']}",
                           "unit_new": new["unit"], "unit_old": old["unit"],
                           "denominator_new": f"{new['denominator_type']} {new['denominator_year']}",
                           "denominator_old": f"{old['denominator_type']} {old['denominator_year']}",
                           "lag_new": new["days_since_vote"], "lag_old": old["days_since_vote"],
                           "ratio": new["rate"] / old["rate"],
                           "verdict": "cannot tell" if not same_lag else "suggestive",
                           "why": ("lags differ: no interval or test is shown" if not same_lag
                                   else "comparable lags; no model of overdispersion, so no interval")})
ratios = pd.DataFrame(ratio_rows)
save_table(ratios, "03_rate_ratios", reports_dir)
show_table(ratios)
display(Markdown("Rasio ditampilkan tanpa interval atau nilai p: hitungannya overdispersi dan "
                 "jedanya berbeda. / Ratios are shown without intervals or p-values: the counts "
                 "are overdispersed and the lags differ."))

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
    per_region.append({"election": r.election, "cases": r.value, "days_since_vote":
                       r.days_since_vote, "regions": n_regions, "regions_source":
                       held["source_url"], "cases_per_region": r.value / n_regions})
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
    phi, phi_kind = table.attrs["phi"], table.attrs["phi_kind"]
    phi_text = ("not estimable" if phi_kind == "not estimable" else
                f">= {phi:.2f} (lower bound: partial list)" if phi_kind == "lower bound" else
                f"{phi:.2f} ({table.attrs['n_implied_zero']} unlisted provinces entered as implied "
                f"zeros)" if phi_kind == "implied zeros" else f"{phi:.2f}")
    fig = funnel_chart.plot_funnel(table, per=per,
                                  highlight=province if province in set(table["region"]) else None)
    flagged = table[table["flag"] != ""]
    title = (f"{label} (snapshot {info['snapshot']}): {len(flagged)} of "
             f"{table.attrs['n_provinces']} provinces flagged after FDR control over all "
             f"provinces ({table.attrs['n_listed']} listed)"
             + (f"; {province} {fmt_num(table.set_index('region').loc[province, 'rate'], 'en', 2)}"
                f" per 10,000 PNS" if province in set(table["region"]) else
                f"; {province} not listed"))
    finish(fig, title, f"{agency} province counts ({info['snapshot']}, {info['n_provinces']} "
           f"provinces listed), national total {info['national_id'] or 'not published'}; PNS by "
           f"province {pns_year} (BPS); additive random-effect limits on the sqrt scale "
           f"(DerSimonian-Laird); Pearson phi {phi_text}")
    saved = save_figure(fig, f"03_funnel_{cycle}_{election_type}", reports_dir,
                        alt_text=f"Funnel plot of violations per 10,000 PNS against PNS by "
                                 f"province with exact control limits. {title}.")
    plt.close(fig)
    display(saved)
    target_kind = "national" if target else "pooled (no national total of the same release)"
    display(Markdown(
        f"**{md(label)}** (snapshot {md(info['snapshot'])}, not a cycle total). Target: "
        f"{target_kind} rate {fmt_num(s.pooled_rate_per, 'en', 2)} per 10,000 PNS; Pearson phi "
        f"{phi_text}; sqrt-scale tau² {table.attrs['tau2_sqrt']:.3g}; FDR over "
        f"{table.attrs['n_provinces']} provinces; flagged: "
        f"{md(', '.join(flagged['region'] + ' (' + flagged['flag'] + ')')) or 'none'}."))

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
detection = headlines.detection_shift(inputs)
if detection:
    latest_pairs = pd.DataFrame(detection["rows"])
    save_table(latest_pairs, "03_detection_source", reports_dir)
    show_table(latest_pairs)
    v = detection["verdict"]
    display(Markdown(
        f"**{md(v.text('id'))}**\n\n**{md(v.text('en'))}**\n\nTanpa uji khi-kuadrat: kasus "
        "berkelompok dan kedua pemilihan berbeda jenis dan jeda. / No chi-square test: cases "
        "cluster, and the two elections differ in kind and lag. Findings depend on patrol and "
        "monitoring effort: a shift would be a change in detection, not necessarily in "
        "behaviour."))

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
