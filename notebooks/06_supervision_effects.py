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
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
register = ""  # empty = the SYNTHETIC demo register; else a stored register folder or name
province = "Kepulauan Bangka Belitung"  # the province whose regencies sections 1 and 3 study
enforcement_horizon_days = 60  # enforcement outcome of the event study: executed within this
nowcast_horizon_days = 365  # a cycle is completed when a snapshot is this many days after voting
seed = 20261129
n_perm = 999

# %%
import warnings

import pandas as pd
from IPython.display import Markdown, display

from analysis import paths
from analysis.data import ledger
from analysis.data.registers import opening
from analysis.findings import casestudy, incumbency, measure_studies
from analysis.findings import nowcast as fnow
from analysis.findings import register_tables as rt
from analysis.findings import supervision as sv
from analysis.publish.disclosure_gate import save_protected_table
from analysis.publish.formatting import fmt_date, fmt_int, fmt_p
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import en
from analysis.publish.safe_text import md
from analysis.publish.views import event_study as ev
from analysis.publish.views import incumbency as vinc
from analysis.publish.views import nowcast as vnow
from analysis.publish.views import sanction_time as st
from analysis.publish.views.register_page import RegisterPage

warnings.filterwarnings("ignore", category=UserWarning)
opened = opening.open_register(register)
cases, meta, truth = opened.cases, opened.meta, opened.truth
page = RegisterPage.from_meta(meta)
data_date = meta["data_date"]
regions = casestudy.province_regions(ledger.read_raw(paths.REGIONS), province)
measures = ledger.load_measures()
titles = ev.measure_titles(measures)

if page.synthetic:
    display(Markdown(
        f"# SINTETIS / {en('SYNTHETIC')}: register {md(page.name)}\n\n"
        f"**Register ini SINTETIS: {fmt_int(len(cases), 'id')} kasus buatan, tanggal data "
        f"{fmt_date(data_date, 'id')}, dengan efek yang ditanam. Bagian 1–4 menguji metode, "
        "bukan temuan tentang Indonesia; ringkasan kebijakan tidak mengambil apa pun dari "
        "sini.** / " + en(
            f"**This register is SYNTHETIC: {fmt_int(len(cases), 'en')} made-up cases, data date "
            f"{fmt_date(data_date, 'en')}, with planted effects. Sections 1–4 test the methods; "
            "they are not findings about Indonesia, and the policy brief takes nothing from "
            "them.**") + "\n\n"
        "Konteks petahana di bagian 4 dan bagian 5 (nowcast) memakai angka yang "
        "dipublikasikan (data nyata). / " + en("The incumbency context in section 4 and "
                                               "section 5 (nowcast) use the published figures "
                                               "(real data).")))
else:
    display(Markdown(f"# Register {md(page.name)}: {fmt_int(len(cases), 'id')} kasus, tanggal "
                     f"data {fmt_date(data_date, 'id')} / " + en(
                         f"{fmt_int(len(cases), 'en')} cases, data date "
                         f"{fmt_date(data_date, 'en')}")))
display(Markdown(f"Provinsi pilihan / {en('Chosen province')}: **{md(province)}** "
                 f"({md(', '.join(regions[1:])) or '–'})."))

# %% [markdown]
# ## 1. Hasil kasus per siklus / <span lang="en">Case outcomes per election</span>
#
# Hitungan di bawah 5 disembunyikan, dengan sel lain secukupnya agar total dan tabel register
# lain (buku 05) tidak membukanya; semua bertanda «x», yang dapat berarti angka berapa pun. /
# <span lang="en">Counts below 5 are hidden, with enough other cells that neither the totals nor
# the register's other tables (notebook 05) reveal them; all are marked "x", which can stand for
# any count.</span>

# %%
count_tables = rt.supervision_tables(cases, meta, regions)  # protected with 05's
outcomes = count_tables["06_outcomes_by_election"]
save_protected_table(outcomes.published, "06_outcomes_by_election", reports_dir, outcomes)
display(st.outcomes_table(outcomes.published, page))
in_province = count_tables.get("06_province_cases")
if in_province is not None and len(in_province.result):
    save_protected_table(in_province.published, "06_province_cases", reports_dir, in_province)
    display(Markdown(st.hidden_cells_text(in_province.result, province, page)))
    display(st.province_cases_table(in_province.published, province, page))
withheld = sum(t.withheld for t in count_tables.values())
if withheld:  # small cells that tables already published would give away
    display(Markdown(f"{withheld} sel tidak diterbitkan karena tabel register lain membukanya. / "
                     + en(f"{withheld} cells are withheld because other register tables would "
                          "give them away.")))

# %% tags=["researcher_only"]
show_table(outcomes.published)
if in_province is not None and len(in_province.result):
    show_table(in_province.published)

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
sanction = sv.published_time_to_sanction(cases, data_date)
save_table(sanction["table"], "06_time_to_sanction", reports_dir)
save_figures(lambda lang: st.draw_time_to_sanction(sanction["curves"], sanction["at_90"], page,
                                                   lang),
             "06_time_to_sanction", reports_dir)

# %%
short = st.read_days(sanction["table"])
st.time_to_sanction_table(short, page, csv="06_time_to_sanction")

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
competing = sv.competing_summary(cases, data_date)
save_table(competing["table"], "06_competing_outcomes", reports_dir)
display(st.competing_table(competing["at_day"], page, csv="06_competing_outcomes"))
display(Markdown(st.competing_text(competing, page)))

# %% tags=["researcher_only"]
show_table(competing["at_day"])

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
# it randomisation inference with its smallest attainable p-value. Two separate outcomes:
# detection (cases per 10,000 ASN) and enforcement (share of recommendations executed within the
# horizon).</span>

# %%
run = measure_studies.run_studies(cases, truth, measures, regions, data_date,
                                  horizon_days=enforcement_horizon_days, seed=seed, n_perm=n_perm)
studies = run["studies"]
if not run["has_units"]:
    display(Markdown("Register ini tidak membawa tabel adopsi langkah per wilayah; studi "
                     "peristiwa memerlukan daftar wilayah yang mengadakan pemilihan beserta "
                     "eksposurnya. / " + en(
                         "This register carries no per-region adoption table; the event study "
                         "needs the list of regions holding the election with their exposure.")))

# %%
study_table, study_verdicts = measure_studies.study_summary(studies, page.synthetic)
save_table(study_table, "06_event_study_summary", reports_dir,
           empty_reason=("tidak ada langkah pengawasan yang adopsinya dapat dianalisis",
                         "no supervision measure has an adoption that can be analysed"))
if len(study_table):
    display(ev.study_table(study_table, titles, page))
for line in ev.verdict_lines(study_table, study_verdicts, titles):
    display(Markdown(line))

# %% tags=["researcher_only"]
show_table(study_table)

# %%
if ev.has_planted_figure(studies):
    display(save_figures(lambda lang: ev.draw_event_study(studies, enforcement_horizon_days,
                                                          page, lang),
                         "06_event_study", reports_dir))

# %% tags=["researcher_only"]
es_all = measure_studies.event_study_rows(studies)
if len(es_all):
    save_table(es_all, "06_event_study", reports_dir)
    show_table(es_all)
for (lab, out), s in studies.items():
    if s.get("estimable"):
        print(f"{lab} · {out}: G = {s['G']}, treated = {s['n_treated']}, randomisation "
              f"{fmt_p(s['ri'].p_value, 'en', 4)} ({s['ri'].n_perm} "
              f"{'assignments, exact' if s['ri'].exact else 'permutations'}), smallest "
              f"attainable {fmt_p(s['min_ri_p'], 'en', 4)}, units dropped "
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
_ = save_table(measures[ev.MEASURE_COLUMNS], "06_supervision_measures", reports_dir)
ev.measures_table(measures)

# %% tags=["researcher_only"]
show_table(measures[ev.MEASURE_COLUMNS])

# %%
n_units = run["province_units"]["region"].nunique() if run["has_units"] else 0
display(Markdown(ev.national_text(measure_studies.national_by_cycle(measures),
                                  measure_studies.usable_measures(run["curated"]), n_units)))

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
if truth is not None:
    effects = incumbency.effects(cases, incumbency.units_from_truth(truth), data_date,
                                 page.synthetic)
    display(Markdown(vinc.effects_text(effects, truth.get("planted", {}), page)))
    display(save_figures(lambda lang: vinc.draw_incumbency(effects, page, lang),
                         "06_incumbency", reports_dir))

# %% tags=["researcher_only"]
if truth is not None:
    rate, hz = effects["rate"], effects["hazard"]
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
# ### Konteks: petahana yang maju, angka nasional / <span lang="en">Context: incumbents running, national counts</span>
#
# Dari `data/raw/candidates.csv`: berapa kepala daerah atau wakil yang maju lagi per Pilkada,
# sebagaimana dipublikasikan. Angka ini konteks bagi analisis petahana di atas, bukan hitungan
# pelanggaran dan bukan penyebut laju. / <span lang="en">From `data/raw/candidates.csv`: how many
# regional heads or deputies ran again per Pilkada, as published. These are context for the
# incumbency analysis above, not counts of violations and not the denominator of a rate.</span>

# %%
candidates = incumbency.national_candidates(ledger.load_candidates())
save_table(candidates, "06_national_candidates", reports_dir)
display(Markdown(vinc.incumbents_running_text(incumbency.incumbents_running(candidates))))
display(vinc.national_candidates_table(candidates))

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
shortfall = fnow.carry_forward_shortfall(back)
save_table(running["table"], "06_nowcast_series", reports_dir)
display(vnow.series_table(running["table"]))
save_table(back["backtest"], "06_nowcast_backtest", reports_dir)
display(vnow.backtest_table(back["backtest"]))

# %% tags=["researcher_only"]
show_table(running["table"])
show_table(back["backtest"][["as_of_date", "lag", "current", "n", "estimate", "low", "high", "k",
                             "method", "width", "final", "carry_forward_error"]])

# %%
save_figures(lambda lang: vnow.draw_nowcast(fnow.follow_up_series(snapshots), running, back,
                                            shortfall, v_now, lang),
             "06_nowcast", reports_dir)

# %%
display(Markdown(vnow.summary_text(running, back, shortfall, v_now)))

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

# %%
n_regencies = len(regions) - 1
display(Markdown(
    f"- Untuk satu provinsi ({md(province)}: {fmt_int(n_regencies)} kabupaten/kota) G kecil; "
    "inferensi permutasi memberi batas bawah p-value, dan hasilnya \"belum dapat "
    "disimpulkan\". / " + en(f"Within one province ({md(province)}: "
                              f"{fmt_int(n_regencies, 'en')} regencies/cities) G is small; "
                              "randomisation inference bounds the p-value from below, and the "
                              "result is \"cannot tell\".")))
