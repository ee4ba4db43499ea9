# %% [markdown]
# # 06 · Efek pengawasan / <span lang="en">Supervision effects</span>
#
# Waktu sampai sanksi per siklus, studi peristiwa per langkah pengawasan, petahana, dan nowcast
# siklus yang sedang berjalan. Temuan (kasus yang terdeteksi) dan penegakan (waktu sampai sanksi,
# bagian yang dijalankan) selalu dipisahkan: pengawasan yang lebih ketat menaikkan pelanggaran
# yang *terdeteksi*. / <span lang="en">Time to sanction by cycle, an event study per supervision
# measure, incumbency, and a nowcast of the running cycle. Detection (cases found) and
# enforcement (time to sanction, share executed) are always kept apart: more supervision raises
# *detected* violations.</span>
#
# Parameter `register` kosong = register demo SINTETIS (data buatan dengan efek yang ditanam);
# setiap keluaran lalu ditandai dan ringkasan kebijakan tidak mengambil apa pun darinya. / <span
# lang="en">An empty `register` parameter = the synthetic demo register (made-up data with
# planted effects); every output is then marked and the policy brief takes nothing from
# it.</span>

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
register = ""  # empty = the SYNTHETIC demo register; else a stored register folder or name
province_regions = ["Bangka", "Bangka Barat", "Bangka Selatan", "Bangka Tengah", "Belitung",
                    "Belitung Timur", "Kota Pangkalpinang", "Kepulauan Bangka Belitung"]
enforcement_horizon_days = 60  # enforcement outcome of the event study: executed within this
nowcast_horizon_days = 365  # a cycle is completed when a snapshot is this many days after voting
seed = 20261129
n_perm = 999

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from matplotlib.ticker import FixedLocator, NullLocator

from analysis import paths
from analysis.data.registers import opening
from analysis.findings import incumbency as inc
from analysis.findings import nowcast as fnow
from analysis.findings import register_tables as rt
from analysis.findings import supervision as sv
from analysis.methods import disclosure
from analysis.findings.register_overview import LABELS
from analysis.publish import plots
from analysis.publish.disclosure_gate import save_protected_table
from analysis.publish.formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from analysis.publish.formatting import localised_counts as localised
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.plots import PALETTE, finish
from analysis.publish.reader_tables import Col, en, reader_table
from analysis.publish.safe_text import md

warnings.filterwarnings("ignore", category=UserWarning)
opened = opening.open_register(register)
cases, meta, truth = opened.cases, opened.meta, opened.truth
synthetic = bool(meta.get("synthetic"))
data_date = meta["data_date"]
measures = pd.read_csv(paths.RAW / "supervision_measures.csv", dtype=str, keep_default_na=False)
measures["cycle"] = measures["cycle"].astype(int)

# Display helpers: the SYNTHETIC mark of Markdown passages (English part with its lang), counts
# of suppressed tables in the reader's locale (the mark "x" kept), words for codes.
MARK_MD = f"SINTETIS / {en('SYNTHETIC')} · " if synthetic else ""
MARK_LANG = {"id": "SINTETIS · " if synthetic else "", "en": "SYNTHETIC · " if synthetic else ""}
TOTAL_PAIR = {"Total": "Jumlah / Total"}


def md_text(text):
    """``md`` for a sentence of prose, its apostrophes typographic: ``md`` turns ``'`` into an
    escaped ``&#x27;`` that the page would show as is."""
    return md(str(text).replace("'", "\u2019"))


def outcome_col(code):
    i, e = LABELS["outcome"].get(code, (code.replace("_", " "),) * 2)
    return Col(code, i[:1].upper() + i[1:], e[:1].upper() + e[1:])


if synthetic:
    display(Markdown(
        f"# SINTETIS / {en('SYNTHETIC')}: register {md(meta['name'])}\n\n"
        f"**Register ini SINTETIS: {fmt_int(len(cases), 'id')} kasus buatan, tanggal data "
        f"{fmt_date(data_date, 'id')}, dengan efek yang ditanam. Bagian 1–4 menguji metode, "
        "bukan temuan tentang Indonesia; ringkasan kebijakan tidak mengambil apa pun dari "
        "sini.** / " + en(
            f"**This register is SYNTHETIC: {fmt_int(len(cases), 'en')} made-up cases, data date "
            f"{fmt_date(data_date, 'en')}, with planted effects. Sections 1–4 test the methods; "
            "they are not findings about Indonesia, and the policy brief takes nothing from "
            "them.**") + "\n\n"
        "Bagian 5 (nowcast) memakai angka yang dipublikasikan (data nyata). / "
        + en("Section 5 (nowcast) uses the published figures (real data).")))
else:
    display(Markdown(f"# Register {md(meta['name'])}: {fmt_int(len(cases), 'id')} kasus, tanggal "
                     f"data {fmt_date(data_date, 'id')} / " + en(
                         f"{fmt_int(len(cases), 'en')} cases, data date "
                         f"{fmt_date(data_date, 'en')}")))

# %% [markdown]
# ## 1. Hasil kasus per siklus / <span lang="en">Case outcomes per election</span>
#
# Hitungan di bawah 5 disembunyikan, dengan sel lain secukupnya agar total dan tabel register
# lain (buku 05) tidak membukanya; semua bertanda «x», yang dapat berarti angka berapa pun. /
# <span lang="en">Counts below 5 are hidden, with enough other cells that neither the totals nor
# the register's other tables (notebook 05) reveal them; all are marked "x", which can stand for
# any count.</span>

# %%
count_tables = rt.supervision_tables(cases, meta, province_regions)  # protected with 05's
counts_wide = count_tables["06_outcomes_by_election"].published
save_protected_table(counts_wide, "06_outcomes_by_election", reports_dir,
                     count_tables["06_outcomes_by_election"])
count_cols = [c for c in counts_wide.columns if c != "election"]
display(reader_table(
    localised(counts_wide, count_cols).assign(
        election=counts_wide["election"].map(lambda e: TOTAL_PAIR.get(e, e))),
    [Col("election", "Pemilihan", "Election", "pair")]
    + [Col(c, "Jumlah", "Total") if c == "Total" else outcome_col(c) for c in count_cols],
    f"{MARK_MD}Hasil kasus menurut pemilihan (sel kecil disembunyikan)",
    "Case outcomes by election (small cells hidden)"))
babel_table = count_tables.get("06_province_cases")
babel_counts = babel_table.result if babel_table else pd.DataFrame()
if len(babel_counts):
    babel_wide = babel_table.published
    save_protected_table(babel_wide, "06_province_cases", reports_dir, babel_table)
    n_hidden = int(babel_counts["suppressed"].sum())
    display(Markdown(f"{MARK_MD}Kasus per kabupaten/kota provinsi pilihan: {n_hidden} dari "
                     f"{len(babel_counts)} sel disembunyikan. / " + en(
                         f"Cases per regency of the chosen province: {n_hidden} of "
                         f"{len(babel_counts)} cells hidden.")))
    babel_cols = [c for c in babel_wide.columns if c != "region"]
    display(reader_table(
        localised(babel_wide, babel_cols).assign(
            region=babel_wide["region"].map(lambda r: TOTAL_PAIR.get(r, r))),
        [Col("region", "Kabupaten/kota", "Regency/city", "pair")]
        + [Col(c, "Jumlah", "Total") if c == "Total" else Col(c, c, c) for c in babel_cols],
        f"{MARK_MD}Kasus per kabupaten/kota provinsi pilihan dan pemilihan",
        "Cases per regency of the chosen province and election"))
withheld = sum(t.withheld for t in count_tables.values())
if withheld:  # small cells that tables already published would give away
    display(Markdown(f"{withheld} sel tidak diterbitkan karena tabel register lain membukanya. / "
                     + en(f"{withheld} cells are withheld because other register tables would "
                          "give them away.")))

# %% tags=["researcher_only"]
show_table(counts_wide)
if len(babel_counts):
    show_table(babel_wide)

# %% [markdown]
# ## 2. Waktu sampai sanksi / <span lang="en">Time to sanction</span>
#
# Dari tanggal rekomendasi sampai sanksi dijalankan PPK; kasus yang belum disanksi disensor
# pada tanggal data (Kaplan–Meier, interval log-log 95%). Setelah rekomendasi tidak ada akhir
# lain yang tercatat, jadi 1 − KM adalah bagian yang dijalankan. Agar tidak ada satu kasus pun
# yang dapat dibaca dari kurva, taksiran dihitung dari hitungan kumulatif yang dibulatkan ke
# tengah blok 5 (1–5 menjadi 3, 6–10 menjadi 8), hanya dibaca pada hari-hari tertentu, dan
# berhenti bila kurang dari 5 kasus masih diikuti. / <span lang="en">From the recommendation to
# the sanction executed by the PPK; cases not yet sanctioned are censored at the data date
# (Kaplan–Meier, 95% log-log intervals). After a recommendation no other end is recorded, so
# 1 − KM is the share executed. So that no single case can be read from a curve, the estimates
# are computed from cumulative counts rounded to the middle of blocks of 5 (1–5 become 3, 6–10
# become 8), read on set days only, and stop where fewer than 5 cases are still
# followed.</span>

# %%
at_days = sv.time_to_sanction(cases, data_date, rounding=sv.THRESHOLD)
# published from a register: rows with fewer than 5 at risk dropped, small counts shown as "<5"
# (rounding, not suppression: "<5" there means 1-4 and other counts are rounded to 5)
published_days = disclosure.protect_risk_table(at_days, ["n_risk", "n_event", "n_censor"])
save_table(published_days, "06_time_to_sanction", reports_dir)
curves = at_days[at_days["n_risk"] >= sv.THRESHOLD]  # the published rows, as numbers
at90 = curves[curves["time"] == 90].set_index("election")
best = at90["executed"].idxmax() if len(at90) else None


def register_source(lang, method_id, method_en):
    """The source line of a register figure, in the figure's language."""
    if lang == "id":
        return f"register perkara {meta['name']}, tanggal data {fmt_date(data_date)}; {method_id}"
    return f"case register {meta['name']}, data date {fmt_date(data_date, 'en')}; {method_en}"


def draw_time_to_sanction(lang):
    t_ = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.6))
    for k, (election, g) in enumerate(curves.groupby("election")):
        # the published days only: the curve steps where it is read (day 0 reads 0 executed)
        t = g["time"].to_numpy()
        ex, lo, hi = (g[c].fillna(0).to_numpy() for c in ("executed", "executed_low",
                                                           "executed_high"))
        ax.step(t, 100 * ex, where="post", color=PALETTE[k % len(PALETTE)], label=election,
                marker="o", markersize=3)
        ax.fill_between(t, 100 * lo, 100 * hi, step="post", alpha=0.15,
                        color=PALETTE[k % len(PALETTE)])
    ax.set_xlabel(t_("hari sejak rekomendasi", "days since recommendation"))
    ax.set_ylabel(t_("sanksi dijalankan", "sanction executed"))
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    if len(at90):
        title = t_("Dijalankan dalam 90 hari: " + ", ".join(
                       f"{e} {fmt_pct(r.executed, 'id', 0)}" for e, r in at90.iterrows()),
                   "Executed within 90 days: " + ", ".join(
                       f"{e} {fmt_pct(r.executed, 'en', 0)}" for e, r in at90.iterrows()))
    else:
        title = t_("Bagian yang dijalankan setelah rekomendasi, menurut pemilihan",
                   "Share executed after recommendation, by election")
    finish(fig, title, register_source(
               lang, "Kaplan–Meier dari hitungan yang dibulatkan (blok 5), disensor pada "
               "tanggal data, dibaca pada hari yang ditandai titik, pita: interval log-log 95%",
               "Kaplan–Meier from counts rounded in blocks of 5, censored at the data date, "
               "read on the marked days, bands: 95% log-log intervals"),
           synthetic=synthetic, lang=lang, legend=ax.get_legend_handles_labels())
    alt = t_(f"{MARK_LANG['id']}Kurva tangga bagian rekomendasi sanksi yang dijalankan menurut "
             f"hari sejak rekomendasi, satu per pemilihan. {title}.",
             f"{MARK_LANG['en']}Step curves of the share of recommended sanctions executed "
             f"against days since the recommendation, one per election. {title}.")
    return fig, alt


save_figures(draw_time_to_sanction, "06_time_to_sanction", reports_dir)

# %%
short = published_days[published_days["time"].isin([30, 90, 180, 365])][
    ["election", "time", "n_risk", "executed", "executed_low", "executed_high"]]
reader_table(
    localised(short, ["n_risk"]),
    [Col("election", "Pemilihan", "Election"),
     Col("time", "Hari sejak rekomendasi", "Days since recommendation", "int"),
     Col("n_risk", "Belum disanksi (masih diikuti, dibulatkan ke kelipatan 5)",
         "Not yet sanctioned (still followed, rounded to a multiple of 5)"),
     Col("executed", "Dijalankan", "Executed", "pct"),
     Col("executed_low", "Batas bawah 95%", "95% lower limit", "pct"),
     Col("executed_high", "Batas atas 95%", "95% upper limit", "pct")],
    f"{MARK_MD}Bagian rekomendasi sanksi yang dijalankan, 30 sampai 365 hari setelah rekomendasi",
    "Share of sanction recommendations executed, 30 to 365 days after the recommendation")

# %% tags=["researcher_only"]
show_table(short)

# %% [markdown]
# ### Dari laporan: akhir yang bersaing / <span lang="en">From the report: competing ends</span>
#
# Dari tanggal laporan, kasus dapat berakhir disanksi, tidak terbukti, atau dihentikan:
# insidensi kumulatif Aalen–Johansen, bukan 1 − KM (yang menganggap kasus tidak terbukti masih
# bisa disanksi). Register tidak mencatat tanggal putusan "tidak terbukti"/"dihentikan", jadi
# putusan itu ditempatkan pada tanggal data (paling akhir) dan pada hari laporan (paling awal);
# selisihnya ditunjukkan. / <span lang="en">From the report date, a case can end sanctioned, not
# proven or stopped: Aalen–Johansen cumulative incidence, not 1 − KM (which treats a case found
# not proven as still able to be sanctioned). The register has no date for a not-proven or
# stopped decision, so it is placed at the data date (latest) and on the report day (earliest);
# the difference is shown.</span>

# %%
cif = sv.competing_from_report(cases, data_date, rounding=sv.THRESHOLD)
save_table(disclosure.protect_risk_table(cif, ["n_risk", "n_event"]), "06_competing_outcomes",
           reports_dir)
bounds = sv.competing_bounds(cases, data_date, rounding=sv.THRESHOLD)
km_report = sv.time_to_sanction(cases, data_date, origin="date_report", rounding=sv.THRESHOLD)
# only what the published table shows: days with at least 5 cases still followed
cif_shown = cif[cif["n_risk"] >= sv.THRESHOLD]
cmp_ = km_report.loc[km_report["n_risk"] >= sv.THRESHOLD, ["election", "time", "executed"]].merge(
    cif_shown.loc[cif_shown["term"] == "sanctioned", ["election", "time", "estimate"]],
    on=["election", "time"])
overstate = float((cmp_["executed"] - cmp_["estimate"]).max())
sanction_bounds = bounds[bounds["term"] == "sanctioned"].merge(
    cif_shown[["election", "time"]].drop_duplicates(), on=["election", "time"])
spread = float(sanction_bounds["difference"].abs().max())
cif365 = cif_shown[(cif_shown["time"] == 365)].pivot(index="election", columns="term",
                                                     values="estimate")
cif365_shown = cif365.reset_index()
cif365_shown.columns.name = None
display(reader_table(
    cif365_shown,
    [Col("election", "Pemilihan", "Election")]
    + [Col(c, outcome_col(c).id, outcome_col(c).en, "pct")
       for c in cif365_shown.columns if c != "election"],
    f"{MARK_MD}Insidensi kumulatif tiap akhir, 365 hari setelah laporan",
    "Cumulative incidence of each end, 365 days after the report"))
display(Markdown(
    f"{MARK_MD}1 − KM dari laporan melebihi insidensi kumulatif sanksi hingga "
    f"{fmt_num(100 * overstate, 'id')} poin persentase; penempatan putusan tanpa tanggal menggeser "
    f"insidensi sanksi paling banyak {fmt_num(100 * spread, 'id')} poin. / " + en(
        f"From the report, 1 − KM exceeds the cumulative incidence of the sanction by up to "
        f"{fmt_num(100 * overstate, 'en')} percentage points; the placement of the undated "
        f"decisions moves the sanction's incidence by at most {fmt_num(100 * spread, 'en')} "
        "points.")))

# %% tags=["researcher_only"]
show_table(cif365.reset_index())

# %% [markdown]
# ## 3. Studi peristiwa per langkah pengawasan / <span lang="en">Event study per supervision measure</span>
#
# Callaway–Sant'Anna ATT(g,t) dengan kontrol yang belum diperlakukan, periode dasar universal,
# galat fungsi pengaruh ber-klaster per wilayah dengan koreksi sampel kecil dan t(G−1) (tanpa
# interval bila satu kohort hanya satu wilayah), dan di sampingnya inferensi randomisasi dengan
# p-value terkecil yang mungkin.
# Dua hasil terpisah: deteksi (kasus per 10.000 ASN) dan penegakan (bagian rekomendasi yang
# dijalankan dalam horizon). / <span lang="en">Callaway–Sant'Anna ATT(g,t) with not-yet-treated
# controls, a universal base period, influence-function errors clustered by region with the
# small-sample correction and t(G−1) (no interval where a cohort is a single region), and beside
# it randomisation inference with its smallest attainable p-value. Two separate outcomes: detection (cases per 10,000 ASN) and
# enforcement (share of recommendations executed within the horizon).</span>

# %%
units = inc.units_from_truth(truth) if truth is not None else None
studies = {}
if units is not None:
    panel_u = sv.panel_units(units)
    adoption = sv.synthetic_adoption(truth)
    for outcome in ("detection", "enforcement"):
        studies[("planted measure", outcome)] = sv.event_study(
            cases, panel_u, adoption, outcome, data_date=data_date,
            horizon_days=enforcement_horizon_days, seed=seed, n_perm=n_perm)
    province_units = sv.panel_units(units[units["region"].isin(province_regions)],
                                    cycles=[2020, 2024])
    curated = sv.curated_adoptions(measures, sorted(province_units["region"].unique()))
    for a in curated:
        if a["usable"]:
            studies[(a["measure_id"], "detection")] = sv.event_study(
                cases, province_units, a["adoption"], "detection", seed=seed, n_perm=n_perm)
else:
    curated = []
    display(Markdown("Register ini tidak membawa tabel adopsi langkah per wilayah; studi "
                     "peristiwa memerlukan daftar wilayah yang mengadakan pemilihan beserta "
                     "eksposurnya. / " + en(
                         "This register carries no per-region adoption table; the event study "
                         "needs the list of regions holding the election with their exposure.")))

# %%
rows = []
study_verdicts = {}  # (measure, outcome) -> Verdict, for the text in both languages
for (label, outcome), s in studies.items():
    v = sv.verdict_event_study(s, synthetic)
    study_verdicts[(label, outcome)] = v
    ov = s["result"].overall if s.get("estimable") else None
    rows.append({"measure": label, "outcome": outcome, "G": s["G"],
                 "treated_units": s["n_treated"],
                 "estimate": ov.estimate if ov else np.nan,
                 "low": ov.low if ov else np.nan, "high": ov.high if ov else np.nan,
                 "randomisation_p": s["ri"].p_value if s.get("estimable") else np.nan,
                 "min_randomisation_p": s["min_ri_p"] if s.get("estimable") else np.nan,
                 "verdict": v.label("en"), "reason": v.reason_en})
study_table = pd.DataFrame(rows)
save_table(study_table, "06_event_study_summary", reports_dir)
OUTCOME_WORDS = {"detection": "deteksi / detection", "enforcement": "penegakan / enforcement"}
MEASURE_WORDS = {"planted measure": "langkah yang ditanam / planted measure"}
if len(study_table):
    display(reader_table(
        study_table.assign(
            measure_text=study_table["measure"].map(lambda m: MEASURE_WORDS.get(m, m)),
            outcome_text=study_table["outcome"].map(lambda o: OUTCOME_WORDS.get(o, o)),
            reason_text=[f"{study_verdicts[(m, o)].reason_id} / {study_verdicts[(m, o)].reason_en}"
                         for m, o in zip(study_table["measure"], study_table["outcome"])]),
        [Col("measure_text", "Langkah", "Measure", "pair"),
         Col("outcome_text", "Hasil yang diukur", "Outcome", "pair"),
         Col("G", "Unit (G)", "Units (G)", "int"),
         Col("treated_units", "Unit yang diperlakukan", "Units treated", "int"),
         Col("estimate", "Efek rata-rata", "Average effect", "num", 2),
         Col("low", "Batas bawah 95%", "95% lower limit", "num", 2),
         Col("high", "Batas atas 95%", "95% upper limit", "num", 2),
         Col("randomisation_p", "p permutasi", "Permutation p", "num", 3),
         Col("min_randomisation_p", "p permutasi terkecil yang mungkin",
             "Smallest attainable permutation p", "num", 3),
         Col("verdict", "Penilaian", "Verdict", "word"),
         Col("reason_text", "Alasan", "Reason", "pair")],
        f"{MARK_MD}Studi peristiwa: efek rata-rata setelah adopsi per langkah dan hasil",
        "Event study: average effect after adoption by measure and outcome"))
for _, r in study_table.iterrows():
    v = study_verdicts[(r["measure"], r["outcome"])]
    display(Markdown(f"**{md(MEASURE_WORDS.get(r['measure'], r['measure']).split(' / ')[0])} · "
                     f"{md(OUTCOME_WORDS.get(r['outcome'], r['outcome']).split(' / ')[0])}**: "
                     f"{md_text(v.text('id'))} / " + en(
                         f"**{md(r['measure'])} · {md(r['outcome'])}**: {md_text(v.text('en'))}")))

# %% tags=["researcher_only"]
show_table(study_table)

# %%
key = ("planted measure", "detection")


def draw_event_study(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, axes = plt.subplots(2, 1, figsize=(plots.WIDTH_IN, 6.4))
    for ax, outcome in zip(axes, ("detection", "enforcement")):
        s = studies[("planted measure", outcome)]
        if not s.get("estimable"):
            ax.set_axis_off()
            continue
        es = s["result"].event_study
        ax.errorbar(es["rel_time"], es["estimate"],
                    yerr=[es["estimate"] - es["low"], es["high"] - es["estimate"]],
                    fmt="o", capsize=3, color=PALETTE[0])
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(-0.5, color="#777777", ls=":", lw=0.8)
        ax.set_xlabel(t("siklus relatif terhadap adopsi", "cycles relative to adoption"))
        ax.set_ylabel(t("kasus per 10.000 ASN", "cases per 10,000 ASN")
                      if outcome == "detection" else
                      t(f"dijalankan ≤ {enforcement_horizon_days} hari\n(bagian)",
                        f"executed ≤ {enforcement_horizon_days} days\n(share)"))
        ax.set_xticks(sorted(es["rel_time"].unique()))
        ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
        ax.yaxis.set_major_formatter(plots.number_axis(lang))
        ax.set_title(t("deteksi", "detection") if outcome == "detection" else
                     t("penegakan", "enforcement"), loc="left", fontsize=plots.MIN_FONT_PT,
                     fontweight="bold")
    det = studies[key]
    n_pre = int((det['result'].event_study['rel_time'] < -1).sum())
    title = t(f"Langkah pemantauan yang ditanam: ATT deteksi "
              f"{fmt_num(det['result'].overall.estimate, 'id', 2)} kasus per 10.000 ASN "
              f"(G = {det['G']}), periode pra yang diperiksa: {n_pre}",
              f"Planted monitoring measure: detection ATT "
              f"{fmt_num(det['result'].overall.estimate, 'en', 2)} cases per 10,000 ASN "
              f"(G = {det['G']}), pre-periods checked: {n_pre}")
    finish(fig, title, register_source(
               lang, "Callaway–Sant'Anna, kontrol yang belum diperlakukan, t(G−1) ber-klaster "
               "per wilayah; garis tegak: interval 95%",
               "Callaway–Sant'Anna, not-yet-treated controls, t(G−1) clustered by region; "
               "vertical bars: 95% intervals"), synthetic=synthetic, lang=lang)
    alt = t(f"{MARK_LANG['id']}Estimasi studi peristiwa dengan interval 95% menurut siklus "
            f"relatif terhadap adopsi, deteksi dan penegakan. {title}.",
            f"{MARK_LANG['en']}Event-study estimates with 95% intervals by cycle relative to "
            f"adoption, detection and enforcement. {title}.")
    return fig, alt


if key in studies and studies[key].get("estimable"):
    display(save_figures(draw_event_study, "06_event_study", reports_dir))

# %% tags=["researcher_only"]
frames = [sv.event_study_table(s, f"{lab} · {out}") for (lab, out), s in studies.items()]
if frames:
    es_all = pd.concat(frames, ignore_index=True)
    save_table(es_all, "06_event_study", reports_dir)
    show_table(es_all)
for (lab, out), s in studies.items():
    if s.get("estimable"):
        print(f"{lab} · {out}: G = {s['G']}, treated = {s['n_treated']}, randomisation p = "
              f"{s['ri'].p_value:.4f} ({s['ri'].n_perm} "
              f"{'assignments, exact' if s['ri'].exact else 'permutations'}), smallest "
              f"attainable p = {s['min_ri_p']:.4f}, units dropped "
              f"(no eligible recommendation) = {s['dropped_units']}")

# %% [markdown]
# ### Langkah yang dikurasi dan guncangan yang bersamaan / <span lang="en">Curated measures and concurrent shocks</span>
#
# Dari `data/raw/supervision_measures.csv`. Langkah nasional berlaku untuk semua wilayah
# sekaligus: tanpa kelompok kontrol, efeknya tidak dapat dipisahkan dari siklus itu sendiri
# (SKB 2020, teguran, pemblokiran data; pengalihan KASN ke BKN 2024). / <span lang="en">From
# `data/raw/supervision_measures.csv`. National measures apply to every region at once: with no
# control group their effect cannot be told apart from the cycle itself (the 2020 decree,
# reprimands, record blocking; the 2024 KASN-to-BKN transfer).</span>

# %%
m_show = measures[["measure_id", "kind", "cycle", "election_type", "scope", "region",
                   "start_date", "start_precision", "date_basis", "source_quality"]]
KINDS = {"appeal_letter": "surat imbauan / appeal letter",
         "blocking_of_records": "pemblokiran data / blocking of records",
         "circular": "surat edaran / circular", "complaint_channel": "kanal aduan / complaint channel",
         "decree": "keputusan bersama / joint decree",
         "institutional_change": "perubahan kelembagaan / institutional change",
         "monitoring": "pemantauan / monitoring", "mou": "nota kesepahaman / MoU",
         "pledge": "ikrar / pledge", "reprimand": "teguran / reprimand",
         "training": "pelatihan / training", "working_group": "kelompok kerja / working group"}
PRECISION = {"day": "hari / day", "month": "bulan / month", "year": "tahun / year"}
DATE_BASIS = {"start": "mulai berlaku / start", "count_as_of": "tanggal hitungan / count as of",
              "planned": "direncanakan / planned", "reported_by": "dilaporkan pada / reported by",
              "unknown": "tidak diketahui / unknown"}
QUALITY = {"primary": "primer / primary", "weak": "lemah / weak"}
ELECTION_TYPE = {"pilkada_rerun": "Pilkada ulang / Pilkada rerun"}
reader_table(
    m_show.assign(
        kind=m_show["kind"].map(lambda k: KINDS.get(k, k.replace("_", " "))),
        cycle=m_show["cycle"].astype(str),
        election_type=m_show["election_type"].map(
            lambda e: ELECTION_TYPE.get(e, e.replace("_", " ").capitalize())),
        start_precision=m_show["start_precision"].map(PRECISION),
        date_basis=m_show["date_basis"].map(lambda b: DATE_BASIS.get(b, b.replace("_", " "))),
        source_quality=m_show["source_quality"].map(lambda q: QUALITY.get(q, q))),
    [Col("measure_id", "Kode langkah", "Measure code"), Col("kind", "Jenis", "Kind", "pair"),
     Col("cycle", "Siklus", "Cycle"), Col("election_type", "Pemilihan", "Election", "pair"),
     Col("scope", "Cakupan", "Scope", "word"), Col("region", "Wilayah", "Region"),
     Col("start_date", "Tanggal mulai", "Start date", "date"),
     Col("start_precision", "Ketelitian tanggal", "Date precision", "pair"),
     Col("date_basis", "Dasar tanggal", "Date basis", "pair"),
     Col("source_quality", "Mutu sumber", "Source quality", "pair")],
    "Langkah pengawasan yang dikurasi", "Curated supervision measures")

# %% tags=["researcher_only"]
show_table(m_show)

# %%
national = measures[measures["scope"] == "national"]
by_cycle = national.groupby("cycle")["measure_id"].apply(list)
usable_ids = [a["measure_id"] for a in curated if a["usable"]]
n_units = province_units['region'].nunique() if units is not None else 0
per_cycle = "; ".join(f"{c}: {', '.join(map(md, ids))}" for c, ids in by_cycle.items())
display(Markdown(
    f"Langkah nasional per siklus: {per_cycle}. Langkah kabupaten/kota yang dapat diuji di "
    f"register ini: {', '.join(map(md, usable_ids)) or '–'} (G = {n_units} unit). / " + en(
        f"National measures per cycle: {per_cycle}. Regency measures testable on this register: "
        f"{', '.join(map(md, usable_ids)) or '–'} (G = {n_units} units).")))

# %% [markdown]
# ## 4. Petahana / <span lang="en">Incumbency</span>
#
# Deteksi: kasus per ASN di wilayah tempat petahana maju vs tidak (binomial negatif, eksposur
# jumlah PNS, efek tetap siklus, galat ber-klaster per wilayah dengan t(G−1)). Penegakan: waktu
# dari rekomendasi sampai sanksi (Cox, galat ber-klaster). Hanya Pilkada. / <span
# lang="en">Detection: cases per ASN where the incumbent runs vs not (negative binomial, PNS
# headcount as exposure, cycle fixed effects, errors clustered by region with t(G−1)).
# Enforcement: time from recommendation to sanction (Cox, clustered errors). Pilkada only.</span>

# %%
if units is not None:
    panel = inc.rate_panel(cases, units)
    rate = inc.violation_rate_model(panel)
    hz = inc.sanction_hazard_model(cases, units, data_date)
    v_rate, v_hz = inc.verdict_rate(rate, synthetic), inc.verdict_hazard(hz, synthetic)
    planted = truth["planted"] if synthetic else {}
    def ratio_text(lang, what_id, what_en, r, value, key_planted):
        num = lambda x: fmt_num(x, lang, 2)  # noqa: E731
        planted_text = ""
        if planted:
            planted_text = (f"; ditanam {num(planted[key_planted])}" if lang == "id" else
                            f"; planted {num(planted[key_planted])}")
        return (f"{what_id if lang == 'id' else what_en} {num(r[value])} (95%: {num(r['low'])}–"
                f"{num(r['high'])}; G = {r['n_clusters']}){planted_text}")

    display(Markdown(
        f"{MARK_MD}**Deteksi**: "
        + ratio_text("id", "rasio laju", "", rate, "rate_ratio", "incumbent_rate_ratio")
        + f". {md_text(v_rate.text('id'))} / " + en(
            "**Detection**: " + ratio_text("en", "", "rate ratio", rate, "rate_ratio",
                                           "incumbent_rate_ratio")
            + f". {md_text(v_rate.text('en'))}") + "\n\n"
        "**Penegakan**: "
        + ratio_text("id", "rasio bahaya", "", hz, "hazard_ratio", "incumbent_hazard_ratio")
        + f". {md_text(v_hz.text('id'))} / " + en(
            "**Enforcement**: " + ratio_text("en", "", "hazard ratio", hz, "hazard_ratio",
                                             "incumbent_hazard_ratio")
            + f". {md_text(v_hz.text('en'))}")))

    def draw_incumbency(lang):
        t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
        fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 2.6))
        labels = [t("deteksi:\nrasio laju", "detection:\nrate ratio"),
                  t("penegakan:\nrasio bahaya", "enforcement:\nhazard ratio")]
        vals = [(rate["rate_ratio"], rate["low"], rate["high"]),
                (hz["hazard_ratio"], hz["low"], hz["high"])]
        for i, (e, lo, hi) in enumerate(vals):
            ax.errorbar(e, i, xerr=[[e - lo], [hi - e]], fmt="o", capsize=3, color=PALETTE[i])
        ax.axvline(1, color="black", lw=0.8)
        ax.set_yticks([0, 1], labels)
        ax.set_ylim(-0.6, 1.6)
        ax.set_xscale("log")
        low = min(v[1] for v in vals + [(1, 1, 1)])
        high = max(v[2] for v in vals + [(1, 1, 1)])
        ax.set_xlim(low / 1.15, high * 1.15)
        ticks = [x for x in (0.25, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4)
                 if low / 1.15 <= x <= high * 1.15]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(plots.number_axis(lang, 2))
        ax.set_xlabel(t("petahana maju vs tidak (skala log)",
                        "incumbent running vs not (log scale)"))
        title = t(f"Petahana maju: rasio laju {fmt_num(rate['rate_ratio'], 'id', 2)} "
                  f"[{v_rate.label('id')}], rasio bahaya sanksi "
                  f"{fmt_num(hz['hazard_ratio'], 'id', 2)} [{v_hz.label('id')}]",
                  f"Incumbent running: rate ratio {fmt_num(rate['rate_ratio'], 'en', 2)} "
                  f"[{v_rate.label('en')}], hazard ratio of sanction "
                  f"{fmt_num(hz['hazard_ratio'], 'en', 2)} [{v_hz.label('en')}]")
        finish(fig, title, register_source(
                   lang, f"binomial negatif dan Cox, galat ber-klaster; G\u00a0=\u00a0{rate['n_clusters']}; "
                   "garis: interval 95%",
                   f"NB with clustered errors, Cox with clustered errors; "
                   f"G\u00a0=\u00a0{rate['n_clusters']}; bars: 95% intervals"),
               synthetic=synthetic, lang=lang)
        alt = t(f"{MARK_LANG['id']}Rasio laju kasus tercatat dan rasio bahaya sanksi yang "
                f"dijalankan di wilayah tempat petahana maju. {title}.",
                f"{MARK_LANG['en']}Rate ratio of recorded cases and hazard ratio of the executed "
                f"sanction where the incumbent runs. {title}.")
        return fig, alt

    display(save_figures(draw_incumbency, "06_incumbency", reports_dir))

# %% tags=["researcher_only"]
if units is not None:
    save_table(rate["fit"].tidy(exponentiate=True), "06_incumbency_nb", reports_dir)
    show_table(rate["fit"].tidy(exponentiate=True))
    print(f"NB: {rate['formula']}; theta = {rate['theta']:.3f}; Poisson Pearson chi2/df = "
          f"{rate['poisson_dispersion']:.2f}; model SE = {rate['model_se']:.4f}, clustered "
          f"(HC1) SE = {rate['robust_se']:.4f}, used = {rate['se_used']:.4f}; clustered-only "
          f"interval {rate['robust_low']:.3f}-{rate['robust_high']:.3f}")
    save_table(hz["fit"].tidy(exponentiate=True), "06_incumbency_cox", reports_dir)
    show_table(hz["fit"].tidy(exponentiate=True))
    show_table(hz["ph_test"])

# %% [markdown]
# ## 5. Nowcast siklus berjalan (angka yang dipublikasikan) / <span lang="en">Nowcast of the running cycle (published figures)</span>
#
# Bagian akhir sanksi yang dijalankan dari rekomendasi, diprediksi dari potret yang ada dengan
# kurva akumulasi siklus yang sudah selesai (satu lembaga, satu satuan), dan uji balik pada
# Pilkada 2020. Data nyata, bukan register. / <span lang="en">The final share of recommendations
# executed, predicted from the snapshots so far with the accumulation curves of completed cycles
# (one agency, one unit), and a back-test on Pilkada 2020. Real data, not the register.</span>

# %%
snapshots = pd.read_csv(paths.PROCESSED / "enforcement_snapshots.csv")
running = fnow.running_nowcast(snapshots, horizon_days=nowcast_horizon_days)
back = fnow.backtest_2020(snapshots, horizon_days=nowcast_horizon_days)
v_now = fnow.verdict(running, back)
save_table(running["table"], "06_nowcast_series", reports_dir)
series_table = running["table"]
display(reader_table(
    series_table.assign(
        cycle=series_table["cycle"].astype(str),
        election_type=series_table["election_type"].astype(str).str.capitalize(),
        completed=series_table["completed"].map(
            lambda c: "ya / yes" if bool(c) else "tidak / no")),
    [Col("cycle", "Siklus", "Cycle"), Col("election_type", "Pemilihan", "Election"),
     Col("agency", "Lembaga", "Agency"),
     Col("snapshots_executed", "Potret sanksi dijalankan", "Snapshots of sanctions executed",
         "int"),
     Col("snapshots_share", "Potret dengan bagian yang dijalankan",
         "Snapshots with the share executed", "int"),
     Col("first_lag", "Hari pertama (dari pemungutan suara)", "First day (from the vote)",
         "days"),
     Col("last_lag", "Hari terakhir", "Last day", "days"),
     Col("last_value", "Bagian dijalankan terakhir", "Last share executed", "pct"),
     Col("completed", "Siklus selesai", "Cycle completed", "pair")],
    "Seri angka per tanggal yang dipublikasikan, per siklus dan lembaga",
    "Published snapshot series, by cycle and agency"))
bt = back["backtest"]
save_table(bt, "06_nowcast_backtest", reports_dir)
display(reader_table(
    bt.assign(carry_points=-100 * bt["carry_forward_error"]),
    [Col("as_of_date", "Tanggal data", "As of", "date"),
     Col("lag", "Hari dari pemungutan suara", "Days from the vote", "days"),
     Col("current", "Bagian dijalankan saat itu", "Share executed then", "pct"),
     Col("n", "Rekomendasi", "Recommendations", "int"),
     Col("estimate", "Nowcast", "Nowcast", "pct"),
     Col("low", "Batas bawah", "Lower limit", "pct"), Col("high", "Batas atas", "Upper limit", "pct"),
     Col("final", "Nilai akhir", "Final value", "pct"),
     Col("carry_points", "Kekurangan bila potret dibawa ke depan (poin)",
         "Shortfall when the snapshot is carried forward (points)", "num", 1)],
    "Uji balik Pilkada 2020: setiap potret dibandingkan dengan nilai akhir (metode, jumlah "
    "kurva acuan dan lebar interval: lihat di bawah grafik)",
    "Back-test on Pilkada 2020: every snapshot against the final value (method, number of "
    "reference curves and interval width: see below the figure)"))

# %% tags=["researcher_only"]
show_table(running["table"])
show_table(bt[["as_of_date", "lag", "current", "n", "estimate", "low", "high", "k", "method",
               "width", "final", "carry_forward_error"]])

# %%
pts = fnow.follow_up_series(snapshots)
worst = bt["carry_forward_error"].min()


def draw_nowcast(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.8))
    for k, ((cy, et, ag), g) in enumerate(pts.groupby(fnow.SERIES_KEYS)):
        ax.plot(g["lag"], 100 * g["value"], "o-", color=PALETTE[k % len(PALETTE)],
                label=f"{et.capitalize()} {cy} · {ag}")
    ax.fill_between(bt["lag"], 100 * bt["low"], 100 * bt["high"], color="#bbbbbb", alpha=0.35,
                    label=t("rentang yang mungkin (tanpa kurva acuan)",
                            "possible range (no reference curve)"))
    ax.axhline(100 * back["final"], color="#555555", ls="--", lw=0.8,
               label=t("nilai akhir 2020", "final value 2020"))
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.set_xlabel(t("hari sejak pemungutan suara", "days since voting day"))
    ax.set_ylabel(t("dijalankan", "executed"))
    k = running['k_available']
    title = t(f"[{v_now.label('id')}] {k} kurva siklus selesai; potret 2020 di bawah nilai "
              f"akhirnya {fmt_pct(back['final'], 'id', 0)} hingga "
              f"{fmt_num(-100 * worst, 'id', 0)} poin",
              f"[{v_now.label('en')}] {k} completed curve(s); 2020 snapshots understated its "
              f"final {fmt_pct(back['final'], 'en', 0)} by up to "
              f"{fmt_num(-100 * worst, 'en', 0)} points")
    finish(fig, title, t(f"potret KASN dan BKN lewat buku besar bukti; nilai akhir = potret "
                         f"{fmt_date(back['final_as_of'])} (hari ke-{int(back['final_lag'])})",
                         f"KASN and BKN snapshots via evidence ledger; final = snapshot of "
                         f"{fmt_date(back['final_as_of'], 'en')} (day {int(back['final_lag'])})"),
           lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Bagian sanksi yang dijalankan menurut hari sejak pemungutan suara untuk setiap seri "
            f"yang dipublikasikan, dengan rentang yang mungkin bagi nilai akhir. {title}.",
            "Follow-up share against days since voting day for each published series, with the "
            f"possible range of the final value. {title}.")
    return fig, alt


save_figures(draw_nowcast, "06_nowcast", reports_dir)

# %%
rn = running["nowcast"]
exec_only = running["executed_only"]
refs = ', '.join(map(md, running['references'])) or '–'
first_miss = -100 * bt['carry_forward_error'].iloc[-1]
if rn is not None:
    running_id = (f"Siklus berjalan: nowcast {fmt_pct(rn.estimate, 'id')} "
                  f"({fmt_pct(rn.low, 'id')}–{fmt_pct(rn.high, 'id')}, {md(rn.method)}).")
    running_en = (f"Running cycle: nowcast {fmt_pct(rn.estimate, 'en')} "
                  f"({fmt_pct(rn.low, 'en')}–{fmt_pct(rn.high, 'en')}, {md(rn.method)}).")
else:
    running_id = (f"Pilkada 2024: {len(exec_only)} potret jumlah sanksi tanpa jumlah rekomendasi "
                  "(BKN/Kemendagri), jadi bagian yang dijalankan tidak dapat dihitung, apalagi "
                  "di-nowcast. Selain itu, 2024 diputus BKN dengan prosedur baru: kurva KASN "
                  "2020 bukan acuan yang sah.")
    running_en = (f"Pilkada 2024: {len(exec_only)} snapshots of sanctions executed without a "
                  "count of recommendations (BKN/Kemendagri): the share executed cannot be "
                  "computed, let alone nowcast. Moreover 2024 cases are decided by BKN under a "
                  "new procedure: the 2020 KASN curve is not a valid reference.")
display(Markdown(
    f"**{md_text(v_now.text('id'))}** / " + en(f"**{md_text(v_now.text('en'))}**") + "\n\n"
    f"- Kurva siklus selesai: {running['k_available']} ({refs}). Uji balik 2020 hanya memakai "
    f"kurva yang sudah selesai pada tanggal setiap potret: {back['n_informative']} dari "
    f"{len(bt)} potret memiliki interval prediksi; potret tanpa kurva acuan (interval selebar "
    f"{fmt_num(100 * bt['width'].max(), 'id', 0)} poin) tidak menguji apa pun. / " + en(
        f"Completed curves: {running['k_available']} ({refs}). The 2020 back-test uses only "
        f"curves completed by each snapshot's date: {back['n_informative']} of {len(bt)} "
        f"snapshots had a prediction interval; a snapshot without a reference curve (an interval "
        f"{fmt_num(100 * bt['width'].max(), 'en', 0)} points wide) tests nothing.") + "\n"
    f"- Tanpa kurva, membawa potret terakhir ke depan meleset {fmt_num(first_miss, 'id', 0)}"
    f"–{fmt_num(-100 * worst, 'id', 0)} poin dari nilai akhir {fmt_pct(back['final'], 'id', 1)} "
    f"({fmt_int(back['final_executed'], 'id')}/{fmt_int(back['final_recommended'], 'id')}). / "
    + en(f"Without a curve, carrying a snapshot forward misses the final "
         f"{fmt_pct(back['final'], 'en', 1)} "
         f"({fmt_int(back['final_executed'], 'en')}/{fmt_int(back['final_recommended'], 'en')}) "
         f"by {fmt_num(first_miss, 'en', 0)}–{fmt_num(-100 * worst, 'en', 0)} points.") + "\n"
    f"- {running_id} / " + en(running_en)))

# %% [markdown]
# ## Keterbatasan / <span lang="en">Caveats</span>
#
# - Kasus tercatat = perilaku × deteksi; langkah yang menambah pengawasan menaikkan deteksi.
#   / <span lang="en">Recorded cases = behaviour × detection; a measure that adds supervision
#   raises detection.</span>
# - Studi peristiwa pada siklus pemilihan hanya punya sedikit periode (2019 Pemilu, 2020 dan
#   2024 Pilkada); tren sebelum adopsi hanya dapat diperiksa pada satu periode. / <span
#   lang="en">The event study on election cycles has few periods (Pemilu 2019, Pilkada 2020 and
#   2024); pre-adoption trends can be checked at one period only.</span>
# - Langkah nasional (SKB 2020, pemblokiran data, pengalihan ke BKN 2024) bersamaan dengan
#   siklus: tidak dapat dipisahkan satu sama lain maupun dari siklus. / <span lang="en">National
#   measures (the 2020 decree, record blocking, the 2024 transfer to BKN) coincide with cycles:
#   they cannot be separated from each other or from the cycle.</span>
# - Untuk satu provinsi (Babel: 7 kabupaten/kota) G kecil; inferensi permutasi memberi batas
#   bawah p-value, dan hasilnya "belum dapat disimpulkan". / <span lang="en">Within one province
#   (Babel: 7 regencies/city) G is small; randomisation inference bounds the p-value from below,
#   and the result is "cannot tell".</span>
