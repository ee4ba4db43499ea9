# %% [markdown]
# # 03 · Tingkat pelanggaran dan perbandingan provinsi / <span lang="en">Violation rates and provinces compared</span>
#
# Apakah pelanggaran per 10.000 PNS menurun antarsiklus, berapa per daerah yang menyelenggarakan
# pemilihan, provinsi mana yang berbeda dari angka nasional lebih dari yang dapat dijelaskan oleh
# kebetulan, dan bagaimana profil pelanggaran berubah. / <span lang="en">Are violations per 10,000
# civil servants falling across cycles, how many per region holding an election, which provinces
# differ from the national rate by more than chance explains, and how the profile of violations
# changes.</span>

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
province = "Kepulauan Bangka Belitung"
per = 10_000
province_cycles = [[2020, "pilkada", "Bawaslu", "cases"], [2019, "pemilu", "Bawaslu", "cases"],
                   [2024, "pemilu", "KASN", "cases"]]

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import evidence, headlines, provinces, series
from analysis.publish.safe_text import md
from analysis.publish import funnel_chart, report_marks
from analysis.data import ledger
from analysis.publish.formatting import fmt_date, fmt_days, fmt_int, fmt_num
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish import plots
from analysis.publish.plots import finish
from analysis.publish.reader_tables import Col, en, reader_table
from analysis.publish.tile_map import short_name

figures = ledger.load_ledger()
elections = ledger.load_elections()
headcount = ledger.load_headcount()

# %% [markdown]
# ## 1. Pelanggaran per 10.000 PNS / <span lang="en">Violations per 10,000 civil servants</span>
#
# Untuk tiap pemilihan dan seri dipakai satu angka nasional menurut aturan pemilihan tertulis;
# penyebutnya PNS nasional pada tahun pemilihan. Kolom "hari dari pemungutan suara" menunjukkan
# kapan angka itu berlaku: angka pada jeda berbeda tidak sebanding. / <span lang="en">For each
# election and series one national figure is used, chosen by the written rule; the denominator
# is national PNS of the election year. The "days from the vote" column shows when the figure
# held: figures at different lags are not comparable.</span>

# %%
series_names = ["asn_reported", "asn_proven", "bawaslu_cases"]
rate_rows = pd.concat([series.series_rates(figures, elections, headcount, name, per)
                       for name in series_names], ignore_index=True)
rate_rows = evidence.with_cycle_label(rate_rows)
rate_table = rate_rows[["series", "election", "value", "unit", "agency", "id", "as_of_date",
                        "days_since_vote", "days_since_vote_min", "days_since_vote_max",
                        "lag_basis", "value_qualifier", "denominator",
                        "denominator_type", "denominator_year", "exposure_scope", "rate",
                        "mismatch_en"]]
inputs = headlines.Inputs.load()
rates_verdict = headlines.reported_rates(inputs).attrs["verdict"]
display(Markdown(f"**{md(rates_verdict.text('id'))}** / **{en(md(rates_verdict.text('en')))}** "
                 "Satu satuan per seri (ASN, atau kasus untuk Bawaslu); ASN dibagi ASN bila jumlahnya "
                 "ada, selain itu PNS dan ketidakcocokan disebut; tanpa interval karena hitungan "
                 "overdispersi. / " + en(
                     "One unit per series (ASN, or cases for Bawaslu); ASN over ASN where the "
                     "headcount exists, else PNS with the mismatch stated; no intervals, because "
                     "the counts are overdispersed and one figure per election admits no model of "
                     f"it. {md(series.EXPOSURE_NOTE_EN)}.")))
_ = save_table(rate_table, "03_rates_per_10k_pns", reports_dir)
reader_table(rate_table.assign(
                 series_text=[f"{series.SERIES[n].label_id} / {series.SERIES[n].label_en}"
                              for n in rate_table["series"]],
                 per_text=[f"{d} {y}" for d, y in zip(rate_table["denominator_type"],
                                                      rate_table["denominator_year"])]),
             [Col("series_text", "Seri", "Series", "pair"), Col("election", "Pemilihan", "Election"),
              Col("value", "Jumlah", "Count", "int"), Col("unit", "Satuan", "Unit", "word"),
              Col("agency", "Lembaga", "Agency"), Col("as_of_date", "Tanggal data", "As of", "date"),
              Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
              Col("denominator", "Penyebut", "Denominator", "int"),
              Col("per_text", "Jenis dan tahun penyebut", "Denominator kind and year"),
              Col("rate", f"Per {fmt_int(per)}", f"Per {fmt_int(per, 'en')}", "num", 2)],
             f"Angka nasional per {fmt_int(per)} ASN/PNS",
             f"National figures per {fmt_int(per, 'en')} ASN/PNS")

# %% tags=["researcher_only"]
show_table(rate_table)

# %%
def draw_rates(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, axes = plt.subplots(len(series_names), 1, figsize=(plots.WIDTH_IN, 3.0 * len(series_names)))
    for ax, name in zip(axes, series_names):
        d = rate_rows[rate_rows["series"] == name].reset_index(drop=True)
        for i, r in d.iterrows():
            colour = plots.BLUE if r["value_qualifier"] == "exact" else plots.VERMILLION
            ax.plot(i, r["rate"], "o" if r["value_qualifier"] == "exact" else "s", color=colour)
            lag = "?" if pd.isna(r["days_since_vote"]) else fmt_days(
                r["days_since_vote"], lang, r["days_since_vote_min"], r["days_since_vote_max"])
            ax.annotate(f"{t('h', 'd')}{lag}\n/{r['denominator_type']} {r['denominator_year']}",
                        (i, r["rate"]), textcoords="offset points", xytext=(0, 7), ha="center",
                        va="bottom", fontsize=plots.MIN_FONT_PT)
        ax.set_xticks(range(len(d)), d["election"])
        ax.set_xlim(-0.6, len(d) - 0.4)
        spec = series.SERIES[name]
        ax.set_title(plots.wrap(t(spec.label_id, spec.label_en), plots.WIDTH_IN - 1.2,
                                plots.MIN_FONT_PT), loc="left", fontsize=plots.MIN_FONT_PT)
        ax.set_ylim(0, d["rate"].max() * 1.9)
        ax.yaxis.set_major_formatter(plots.number_axis(lang))
        ax.set_ylabel(t(f"per {fmt_int(per, 'id')}", f"per {fmt_int(per, 'en')}"))
    title = t(f"[{rates_verdict.label('id')}] Angka yang dipublikasikan berlaku pada jeda yang "
              "sangat berbeda (label: hari setelah pemungutan suara, penyebut dan tahunnya): "
              "tidak ada tren yang dapat dibaca",
              f"[{rates_verdict.label('en')}] Published rates at very different lags (labels: "
              "day after the vote, denominator and its year): no trend can be read")
    finish(fig, title, t("KASN, BKN, Bawaslu lewat buku besar bukti; ASN/PNS dari BKN/BPS; "
                         "tanpa interval (hitungan overdispersi); lingkaran: angka tepat, "
                         "persegi: angka tidak tepat",
                         "KASN, BKN, Bawaslu via the evidence ledger; ASN/PNS from BKN/BPS; no "
                         "intervals (overdispersed counts); circles: exact figures, squares: "
                         "inexact figures"), lang=lang)
    alt = t("Tiga panel tingkat pelanggaran per 10.000 pegawai menurut pemilihan, dengan jeda "
            f"setiap angka. {title}.",
            "Three panels of violation rates per 10,000 civil servants by election, with the "
            f"lag of each figure. {title}.")
    return fig, alt


save_figures(draw_rates, "03_rates_per_10k", reports_dir)

# %% [markdown]
# ## 2. Rasio antarsiklus / <span lang="en">Rate ratios between cycles</span>
#
# Rasio tingkat dengan interval eksak bersyarat dan dua uji: uji binomial eksak bersyarat dan
# uji-E (Krishnamoorthy–Thomson). Perbedaan jeda membuat sebagian perbandingan tidak setara;
# kolom jeda disertakan. / <span lang="en">Rate ratios with exact conditional intervals and two
# tests: the exact conditional binomial test and the E-test. Lag differences make some
# comparisons unequal; the lag columns are shown.</span>

# %%
ratio_rows = []
for name in series_names:
    d = rate_rows[(rate_rows["series"] == name)].sort_values(["cycle", "election_type"])
    pilkada = d[d["election_type"] == "pilkada"].reset_index(drop=True)
    for i in range(1, len(pilkada)):
        new, old = pilkada.iloc[i], pilkada.iloc[i - 1]
        # equal lags only if even the farthest days the two dates can stand for are within 30
        # days (a month- or year-only date spans its whole period)
        spans = [new["days_since_vote_min"], new["days_since_vote_max"],
                 old["days_since_vote_min"], old["days_since_vote_max"]]
        same_lag = (not any(pd.isna(v) for v in spans)
                    and max(abs(spans[1] - spans[2]), abs(spans[3] - spans[0])) <= 30)
        ratio_rows.append({"series": name, "comparison": f"{new['election']} vs {old['election']}",
                           "unit_new": new["unit"], "unit_old": old["unit"],
                           "denominator_new": f"{new['denominator_type']} {new['denominator_year']}",
                           "denominator_old": f"{old['denominator_type']} {old['denominator_year']}",
                           "lag_new": new["days_since_vote"], "lag_old": old["days_since_vote"],
                           "lag_new_min": new["days_since_vote_min"],
                           "lag_new_max": new["days_since_vote_max"],
                           "lag_old_min": old["days_since_vote_min"],
                           "lag_old_max": old["days_since_vote_max"],
                           "ratio": new["rate"] / old["rate"],
                           "verdict": "cannot tell" if not same_lag else "suggestive",
                           "why": ("lags differ: no interval or test is shown" if not same_lag
                                   else "comparable lags; no model of overdispersion, so no interval")})
ratios = pd.DataFrame(ratio_rows)
_ = save_table(ratios, "03_rate_ratios", reports_dir)
WHY = {"lags differ: no interval or test is shown":
       "jeda berbeda: tanpa interval atau uji / lags differ: no interval or test is shown",
       "comparable lags; no model of overdispersion, so no interval":
       "jeda sebanding; tanpa model overdispersi, jadi tanpa interval / comparable lags; no "
       "model of overdispersion, so no interval"}
if len(ratios):
    display(reader_table(
        ratios.assign(series_text=[f"{series.SERIES[n].label_id} / {series.SERIES[n].label_en}"
                                   for n in ratios["series"]],
                      why_text=ratios["why"].map(lambda w: WHY.get(w, w))),
        [Col("series_text", "Seri", "Series", "pair"),
         Col("comparison", "Perbandingan", "Comparison"),
         Col("lag_new", "Hari (baru)", "Days (newer)", "days"),
         Col("lag_old", "Hari (lama)", "Days (older)", "days"),
         Col("ratio", "Rasio", "Ratio", "num", 2), Col("verdict", "Penilaian", "Verdict", "word"),
         Col("why_text", "Alasan", "Why", "pair")],
        "Rasio tingkat antarsiklus Pilkada", "Rate ratios between Pilkada cycles"))
display(Markdown("Rasio ditampilkan tanpa interval atau nilai p: hitungannya overdispersi dan "
                 "jedanya berbeda. / " + en("Ratios are shown without intervals or p-values: the "
                                            "counts are overdispersed and the lags differ.")))

# %% tags=["researcher_only"]
show_table(ratios)

# %% [markdown]
# ## 3. Per daerah yang menyelenggarakan pemilihan / <span lang="en">Per region holding an election</span>

# %%
per_region = []
cases = rate_rows[rate_rows["series"] == "bawaslu_cases"]
for r in cases.itertuples():
    held = series.regions_holding(elections, int(r.cycle), r.election_type)
    if held is None:
        continue
    n_regions = int(held["regions_in_election"])
    per_region.append({"election": r.election, "cases": r.value, "days_since_vote":
                       r.days_since_vote, "days_since_vote_min": r.days_since_vote_min,
                       "days_since_vote_max": r.days_since_vote_max,
                       "regions": n_regions, "regions_source":
                       held["source_url"], "cases_per_region": r.value / n_regions})
per_region = pd.DataFrame(per_region)
_ = save_table(per_region, "03_cases_per_region", reports_dir)
if len(per_region):
    display(reader_table(
        per_region,
        [Col("election", "Pemilihan", "Election"), Col("cases", "Kasus", "Cases", "int"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("regions", "Daerah yang memilih", "Regions voting", "int"),
         Col("cases_per_region", "Kasus per daerah", "Cases per region", "num", 1),
         Col("regions_source", "Sumber jumlah daerah", "Source of the region count", "url")],
        "Kasus Bawaslu per daerah yang menyelenggarakan pemilihan",
        "Bawaslu cases per region holding an election"))

# %% [markdown]
# ## 4. Provinsi dibandingkan secara adil / <span lang="en">Provinces compared fairly</span>
#
# Plot corong (Spiegelhalter 2005): batas kendali Poisson eksak 95% dan 99,8% di sekitar angka
# nasional, disesuaikan untuk overdispersi; provinsi ditandai dengan kendali false discovery rate
# (Benjamini–Hochberg), bukan peringkat. Sumber hanya menyebut sebagian provinsi (teratas dan
# terbawah): provinsi yang tidak disebut tidak diketahui, bukan nol, sehingga daftar yang ada
# condong ke nilai ekstrem. / <span lang="en">Funnel plots: exact Poisson 95% and 99.8% limits
# around the national rate, adjusted for overdispersion; provinces flagged with
# false-discovery-rate control, not by rank. Sources list only some provinces (top and bottom): a
# province not listed is unknown, not zero, so the lists lean towards extremes.</span>
#
# Cara membaca: setiap titik satu provinsi; makin banyak PNS, makin sempit corong yang dapat
# dijelaskan oleh kebetulan. Provinsi di luar garis putus-putus berbeda lebih dari yang dapat
# dijelaskan kebetulan dan keragaman antarprovinsi; provinsi yang dinamai berada di luar batas,
# ditandai setelah kendali FDR, atau provinsi studi kasus. / <span lang="en">How to read it: each
# dot is a province; the more civil servants, the narrower the funnel that chance explains.
# Provinces outside the dashed lines differ by more than chance and the spread between provinces
# explain; the provinces named are outside the limits, flagged after FDR control, or the case
# study province.</span>

# %%
def snapshot_date(text, lang="id"):
    """A snapshot's date for readers ('4 Oktober 2020'); a label such as 'published 2019' as is."""
    text = str(text)
    prefix = ""
    if text.startswith("published "):
        prefix, text = ("terbit " if lang == "id" else "published "), text[len("published "):]
    try:
        return prefix + fmt_date(text, lang)
    except ValueError:
        return prefix + text


pns, pns_year = provinces.province_headcount(headcount)
funnel_results = {}
funnel_notes = []
for cycle, election_type, agency, unit in province_cycles:
    counts, info = provinces.province_counts(figures, cycle, election_type, agency, unit=unit)
    table = provinces.province_funnel(counts, info, pns, per)
    if table is None:
        continue
    target = table.attrs["target_kind"] == "national"
    label = evidence.cycle_label(cycle, election_type)
    funnel_results[label] = (table, info)
    _ = save_table(table.drop(columns=[c for c in table.columns if c.startswith("adj_")]),
               f"03_funnel_{cycle}_{election_type}", reports_dir)
    s = table.attrs["summary"]
    phi, phi_kind = table.attrs["phi"], table.attrs["phi_kind"]
    target_kind = "national" if target else "pooled (no national total of the same release)"
    phi_text = ("not estimable" if phi_kind == "not estimable" else
                f">= {phi:.2f} (lower bound: partial list)" if phi_kind == "lower bound" else
                f"{phi:.2f} ({table.attrs['n_implied_zero']} unlisted provinces entered as implied "
                f"zeros)" if phi_kind == "implied zeros" else f"{phi:.2f}")
    flagged = table[table["flag"] != ""]
    in_list = province in set(table["term"])
    rate_here = table.set_index("term").loc[province, "estimate"] if in_list else None

    def draw_funnel(lang, table=table, info=info, label=label, flagged=flagged):
        t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
        where = (t(f"; {short_name(province)} {fmt_num(rate_here, 'id', 2)} per 10.000 PNS",
                   f"; {short_name(province)} {fmt_num(rate_here, 'en', 2)} per 10,000 PNS")
                 if in_list else t(f"; {short_name(province)} tidak ada dalam daftar",
                                   f"; {short_name(province)} not listed"))
        title = t(f"{label} (potret {snapshot_date(info['snapshot'])}): {fmt_int(len(flagged))} dari "
                  f"{fmt_int(table.attrs['n_provinces'])} provinsi ditandai setelah kendali FDR "
                  f"({fmt_int(table.attrs['n_listed'])} tercantum){where}",
                  f"{label} (snapshot {snapshot_date(info['snapshot'], 'en')}): "
                  f"{fmt_int(len(flagged), 'en')} of {fmt_int(table.attrs['n_provinces'], 'en')} "
                  f"provinces flagged after FDR control ({fmt_int(table.attrs['n_listed'], 'en')} "
                  f"listed){where}")
        source = t(f"hitungan provinsi {agency} ({snapshot_date(info['snapshot'])}, "
                   f"{fmt_int(info['n_provinces'])} provinsi tercantum); PNS per provinsi "
                   f"{pns_year} (BPS); {funnel_chart.limits_source(table, 'id')}",
                   f"{agency} province counts ({snapshot_date(info['snapshot'], 'en')}, "
                   f"{fmt_int(info['n_provinces'], 'en')} provinces listed); PNS by province "
                   f"{pns_year} (BPS); {funnel_chart.limits_source(table, 'en')}")
        fig = funnel_chart.plot_funnel(table, per=per, highlight=province if in_list else None,
                                       lang=lang, title=title, source=source)
        alt = t("Plot corong pelanggaran per 10.000 PNS terhadap jumlah PNS per provinsi dengan "
                f"batas kendali eksak. {title}.",
                "Funnel plot of violations per 10,000 PNS against PNS by province with exact "
                f"control limits. {title}.")
        return fig, alt

    display(save_figures(draw_funnel, f"03_funnel_{cycle}_{election_type}", reports_dir))
    named = ", ".join(flagged["term"]) or None
    below = ", ".join(table.loc[table["position"].isin(["below_95", "below_998"])
                                & (table["observed"] > 0), "term"]) or None
    display(Markdown(
        f"**{md(label)}**: {fmt_int(len(flagged))} provinsi ditandai setelah kendali FDR"
        f"{' (' + md(named) + ')' if named else ''}"
        f"{'; di bawah batas eksak: ' + md(below) if below else ''}. / "
        + en(f"{fmt_int(len(flagged), 'en')} provinces flagged after FDR control"
             f"{' (' + md(named) + ')' if named else ''}"
             f"{'; below the exact limits: ' + md(below) if below else ''}.")))
    if report_marks.funnel_position_sentence(table, province, label):
        display(Markdown(report_marks.funnel_position_sentence(table, province, label)))
    funnel_notes.append(
        f"**{md(label)}** (snapshot {md(info['snapshot'])}, not a cycle total). Target: "
        f"{target_kind} rate {fmt_num(s.pooled_rate_per, 'en', 2)} per 10,000 PNS; Pearson phi "
        f"{phi_text}; {funnel_chart.form_note(table)}; FDR over "
        f"{table.attrs['n_provinces']} provinces; flagged: "
        f"{md(', '.join(flagged['term'] + ' (' + flagged['flag'] + ')')) or 'none'}.")

# %% tags=["researcher_only"]
display(Markdown("\n\n".join(funnel_notes)))

# %% [markdown]
# ## 5. Profil pelanggaran / <span lang="en">Violation profiles</span>
#
# Sumber deteksi (temuan Bawaslu sendiri dibanding laporan masyarakat) dapat diuji karena
# hitungannya dipublikasikan; jenis pelanggaran dan jabatan hanya dipublikasikan sebagai persen
# dari dasar yang tidak selalu disebut, sehingga ditampilkan secara deskriptif. / <span
# lang="en">Detection source (Bawaslu's own findings against public reports) can be tested
# because counts are published; violation types and positions are published as percentages of a
# base that is not always stated, so they are shown descriptively.</span>

# %%
detection = headlines.detection_shift(inputs)
if detection:
    latest_pairs = pd.DataFrame(detection["rows"])
    _ = save_table(latest_pairs, "03_detection_source", reports_dir)
    display(reader_table(
        latest_pairs,
        [Col("election", "Pemilihan", "Election"),
         Col("own", "Temuan Bawaslu sendiri", "Bawaslu's own findings", "int"),
         Col("total", "Semua kasus", "All cases", "int"),
         Col("share", "Porsi temuan sendiri", "Share found by Bawaslu", "pct"),
         Col("date", "Tanggal", "Date", "date"), Col("date_basis", "Jenis tanggal", "Date kind", "word"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days")],
        "Sumber deteksi: temuan Bawaslu dibanding laporan masyarakat",
        "Detection source: Bawaslu's own findings against public reports"))
    v = detection["verdict"]
    display(Markdown(
        f"**{md(v.text('id'))}**\n\n**{en(md(v.text('en')))}**\n\nTanpa uji khi-kuadrat: kasus "
        "berkelompok dan kedua pemilihan berbeda jenis dan jeda. Temuan bergantung pada upaya "
        "patroli dan pemantauan: pergeseran berarti perubahan deteksi, belum tentu perilaku. / "
        + en("No chi-square test: cases cluster, and the two elections differ in kind and lag. "
             "Findings depend on patrol and monitoring effort: a shift would be a change in "
             "detection, not necessarily in behaviour.")))

# %% tags=["researcher_only"]
if detection:
    show_table(latest_pairs)

# %%
shares = figures[(figures["metric"] == "share") & figures["breakdown"].isin(
    ["violation_type", "position_level"]) & (figures["scope"] == "national")]
latest_shares = (evidence.with_cycle_label(shares)
                 .sort_values(["effective_date", "id"])
                 .groupby(["election", "agency", "breakdown", "category"]).tail(1))
profile = latest_shares.pivot_table(index=["breakdown", "category"], columns="election",
                                    values="value", aggfunc="first")
_ = save_table(profile.reset_index(), "03_profiles_descriptive", reports_dir)
display(Markdown("Persen terbaru yang dipublikasikan per kategori (deskriptif; dasar dan "
                 "tanggal berbeda antarsumber). / " + en(
                     "Latest published percentage per category (descriptive; bases and dates "
                     "differ between sources).")))
profile_shown = profile.reset_index()
profile_shown.columns.name = None
display(reader_table(
    profile_shown,
    [Col("breakdown", "Rincian", "Breakdown", "word"), Col("category", "Kategori", "Category")]
    + [Col(c, f"{c} (%)", f"{c} (%)", "num", 1) for c in profile.columns],
    "Profil pelanggaran: persen terbaru yang dipublikasikan",
    "Violation profiles: latest published percentages"))

# %% tags=["researcher_only"]
show_table(profile.reset_index())
