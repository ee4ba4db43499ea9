# %% [markdown]
# # 02 · Penegakan sanksi antarsiklus / <span lang="en">Enforcement across cycles</span>
#
# Berapa banyak pelanggaran yang berujung sanksi, seberapa cepat, dibandingkan pada jeda yang sama
# setelah hari pemungutan suara; apa yang dapat dan tidak dapat didukung oleh klaim resmi; dan
# apakah SKB 10 September 2020 mengubah tindak lanjut. / <span lang="en">How many violations end
# in a sanction, how fast, compared at equal lags after voting day; what official claims can and
# cannot support; and whether the joint decree of 10 September 2020 changed follow-up.</span>

# %% tags=["parameters"]
# interactive runs write here; only `python -m analysis report` publishes
reports_dir = "../scratch"
decree_date = "2020-09-10"
lags_days = [0, 30, 90, 180, 365]
placebo_days = [-150, -120, -60, -20]
its_max_lag = 30  # ITS window ends this many days after voting day (sensitivity: all points)

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis.data import ledger
from analysis.findings import enforcement, evidence, follow_up, headlines
from analysis.publish import charts as brief_charts
from analysis.publish import report_marks
from analysis.publish.formatting import fmt_date, fmt_days, fmt_int, fmt_num
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish.reader_tables import en, verdict_md
from analysis.publish.safe_text import md
from analysis.publish.views import enforcement as view

inputs = headlines.Inputs.load()
figures = ledger.load_ledger()
elections = ledger.load_elections()
national = inputs.national
votes = ledger.voting_days(elections)
vote_2020 = votes.query("cycle == 2020 and election_type == 'pilkada'")["voting_day"].iloc[0]
decree_lag = (pd.Timestamp(decree_date) - vote_2020).days
last_as_of = max(d for d in national["as_of_date"] if d)
SAME_LAG_DAYS = 30  # two day-precise snapshots at most this far apart stand at the same lag

# %% [markdown]
# ## 1. Corong penegakan per siklus / <span lang="en">The enforcement funnel per election</span>
#
# Setiap rasio dihitung di dalam satu potret satu lembaga (tanggal data sama). Hitungan ASN
# (KASN/BKN) dan hitungan kasus (Bawaslu) tidak pernah dicampur. Interval 95% eksak
# (Clopper–Pearson). Setiap pemilihan punya panelnya sendiri: potret terbaru tiap pemilihan
# berada pada jeda yang berbeda. / <span lang="en">Each ratio is computed within one snapshot of
# one agency (same as-of date). ASN counts (KASN/BKN) and case counts (Bawaslu) are never mixed.
# 95% exact (Clopper–Pearson) intervals. Each election has its own panel: the latest snapshots of
# the elections stand at different lags.</span>

# %%
latest = follow_up.latest_by_election(national)
_ = save_table(latest[follow_up.LATEST_COLUMNS], "02_funnel_latest", reports_dir)
shared = follow_up.shared_lags(latest, SAME_LAG_DAYS)
display(Markdown(view.shared_lags_text(latest, shared, SAME_LAG_DAYS)))
view.latest_table(latest)

# %% tags=["researcher_only"]
show_table(latest[follow_up.LATEST_COLUMNS])
show_table(shared)

# %%
save_figures(lambda lang: view.draw_latest_panels(latest, shared, last_as_of, lang), "02_funnel",
             reports_dir)

# %% [markdown]
# ## 2. Tindak lanjut menurut jeda setelah hari pemungutan suara / <span lang="en">Follow-up by days since voting day</span>
#
# Sanksi terus bertambah setelah hari pemungutan suara, jadi siklus hanya dapat dibandingkan pada
# jeda yang sama. Nilai di antara dua potret diinterpolasi secara linear; di luar potret yang ada
# tidak diisi. / <span lang="en">Sanctions keep accumulating after voting day, so cycles can only
# be compared at equal lags. Values between two snapshots are interpolated linearly; nothing is
# filled outside the observed snapshots.</span>

# %%
followed = follow_up.follow_up_points(national)
save_figures(lambda lang: view.draw_follow_up(followed, decree_lag, decree_date, lang),
             "02_follow_up_by_lag", reports_dir)

# %%
at_lags = follow_up.at_equal_lags(followed, lags_days)
_ = save_table(at_lags["table"], "02_follow_up_at_equal_lags", reports_dir)
display(Markdown(
    f"Dari {fmt_int(at_lags['n'])} kombinasi seri × jeda, {fmt_int(at_lags['n_available'])} "
    f"dapat dihitung tanpa ekstrapolasi; pada {fmt_int(at_lags['n_lags_shared'])} jeda lebih "
    "dari satu pemilihan tersedia. / " + en(
        f"Of {fmt_int(at_lags['n'], 'en')} series × lag combinations, "
        f"{fmt_int(at_lags['n_available'], 'en')} can be computed without extrapolation; at "
        f"{fmt_int(at_lags['n_lags_shared'], 'en')} lags more than one election is available.")
))
view.at_lags_table(at_lags["table"])

# %% tags=["researcher_only"]
show_table(at_lags["table"])

# %% [markdown]
# ### Sanksi dijalankan dari ASN dilaporkan, pada jeda yang sama / <span lang="en">Executed of reported, at the same lag</span>
#
# Pilkada 2024 dibandingkan pada jeda potretnya; nilai Pilkada 2020 pada jeda itu diinterpolasi
# di antara dua potret KASN bila tersedia. / <span lang="en">Pilkada 2024 is compared at the lag
# of its snapshot; Pilkada 2020 at that lag is interpolated between two KASN snapshots where
# possible.</span>

# %%
equal_lag = headlines.executed_of_reported_at_equal_lag(inputs)
if equal_lag:
    equal = evidence.with_cycle_label(equal_lag["table"])
    _ = save_table(equal, "02_executed_of_reported_equal_lag", reports_dir)

# %% tags=["researcher_only"]
if equal_lag:
    show_table(equal[["election", "agency", "lag", "method", "executed", "reported",
                      "rate_from_counts", "rate_low", "rate_high", "lower_lag", "lower_counts",
                      "lower_low", "lower_high", "upper_lag", "upper_counts", "upper_low",
                      "upper_high", "bound_low", "bound_high"]])

# %%
if equal_lag:
    display(save_figures(lambda lang: brief_charts.equal_lag_chart({"equal_lag": equal_lag},
                                                                   lang)[:2],
                         "02_executed_of_reported_equal_lag", reports_dir))
    v, eq = equal_lag["verdict"], equal_lag["equivalence"]
    display(Markdown(
        f"{verdict_md(v)}\n\n"
        + (f"Seri yang dinyatakan setara / {en('series declared equivalent')}: "
           f"{md(eq['declaration_id'])} / {en(md(eq['declaration_en']))} ({md(eq['source'])}). "
           if eq else "")
        + "Nilai 2020 diinterpolasi, bukan hitungan: intervalnya adalah interval kedua potret "
        "pengapit, dan rentangnya berlaku berapa pun pertumbuhan hitungan kumulatif di antaranya. "
        "/ " + en("The 2020 value is interpolated, not a count: the intervals are those of the "
                  "two bracketing snapshots, and the range holds whatever the cumulative counts "
                  "did in between.")))
    display(Markdown(report_marks.equal_lag_sentence(equal_lag, national)))

# %% [markdown]
# ## 3. Apa yang dapat didukung klaim resmi / <span lang="en">What official claims can support</span>

# %%
releases = enforcement.follow_up_claims(figures, elections, national)
claims = evidence.with_cycle_label(enforcement.distinct_claims(releases))
claims_verdict = headlines.follow_up_claims(inputs)["verdict"]
display(Markdown(f"{fmt_int(len(claims))} klaim berbeda dari {fmt_int(len(releases))} publikasi "
                 "(angka yang diumumkan ulang dihitung sekali). "
                 f"**{md(claims_verdict.text('id'))}** / " + en(
                     f"{fmt_int(len(claims), 'en')} distinct claims from "
                     f"{fmt_int(len(releases), 'en')} releases (a figure announced again counts "
                     f"once). **{md(claims_verdict.text('en'))}**")))
claims_table = view.claims_frame(claims)
_ = save_table(claims_table, "02_follow_up_claims", reports_dir)
view.claims_table(claims_table)

# %% tags=["researcher_only"]
show_table(claims_table)

# %%
display(Markdown(view.claims_text(follow_up.claims_by_check(claims))))

# %%
display(Markdown(f"## 4. SKB {fmt_date(decree_date)}: deret waktu terputus / "
                 + en("Interrupted time series")))

# %% [markdown]
# Regresi tersegmentasi pada potret KASN Pilkada 2020 (linear pada proporsi, galat HAC
# Newey–West), dengan tanggal plasebo sebagai pembanding. / <span lang="en">Segmented regression
# on the KASN Pilkada 2020 snapshots (linear in the proportion, Newey–West HAC errors), with
# placebo dates for comparison.</span>

# %%
decree = headlines.decree_its(inputs, decree_date, its_max_lag, placebo_days)
fit, placebos, verdict = decree["fit"], decree["placebos"], decree["verdict"]
_ = save_table(follow_up.its_tables(decree, its_max_lag), "02_its_decree", reports_dir)
_ = save_table(placebos, "02_its_placebos", reports_dir)
_ = save_table(decree["loo"], "02_its_leave_one_out", reports_dir)
_ = save_table(decree["increments"], "02_its_increments", reports_dir)
level = fit.tidy().set_index("term").loc["level_change"]

# %% tags=["researcher_only"]
show_table(follow_up.its_tables(decree, its_max_lag))

# %%
save_figures(lambda lang: view.draw_its(decree, decree_lag, decree_date, its_max_lag, lang),
             "02_its_decree", reports_dir)

# %% tags=["researcher_only"]
show_table(decree["loo"])
show_table(decree["increments"])

# %%
E = '<span lang="en">'
fitted_placebos = follow_up.fitted_placebos(placebos, decree_lag)
placebo_breaks = fitted_placebos["break_time"]
placebo_days_id = ", ".join(f"hari {fmt_days(b)}" for b in placebo_breaks) or "tidak ada"
placebo_days_en = ", ".join(f"day {fmt_days(b, 'en')}" for b in placebo_breaks) or "none"
display(Markdown(f"""
{verdict_md(verdict)}

- Peringatan model / {E}model warnings</span>: {md('; '.join(fit.warnings) or '–')}.
- Tinggalkan satu: perubahan level {fmt_num(100 * decree['loo_low'])} sampai
  {fmt_num(100 * decree['loo_high'])} poin (semua titik: {fmt_num(100 * level['estimate'])}). /
  {E}Leave one out: level change {fmt_num(100 * decree['loo_low'], 'en')} to
  {fmt_num(100 * decree['loo_high'], 'en')} points (all points:
  {fmt_num(100 * level['estimate'], 'en')}).</span>
- Plasebo: {fmt_int(decree['n_placebos'])} tanggal, {fmt_int(len(fitted_placebos))} dapat
  dihitung ({placebo_days_id}); dari itu {fmt_int(decree['n_placebos_as_large'])} memberi
  perubahan level sebesar itu. / {E}Placebos: {fmt_int(decree['n_placebos'], 'en')} dates,
  {fmt_int(len(fitted_placebos), 'en')} could be fitted ({placebo_days_en}); of those,
  {fmt_int(decree['n_placebos_as_large'], 'en')} give a level change as large.</span>
- Ukuran alternatif, sanksi baru per rekomendasi baru antarpotret:
  {fmt_num(decree['increment_before'], 'id', 2)} sebelum SKB,
  {fmt_num(decree['increment_after'], 'id', 2)} sesudahnya. / {E}Alternative outcome, new
  executions per new recommendation between snapshots:
  {fmt_num(decree['increment_before'], 'en', 2)} before the decree,
  {fmt_num(decree['increment_after'], 'en', 2)} after (intervals that span the decree belong to
  neither side). The cumulative ratio dilutes mechanically when recommendations surge; the
  increments do not.</span>

**Keterbatasan / {E}Caveats</span>.** Hanya {fmt_int(fit.n)} titik ({fmt_int(fit.n_pre)} sebelum
SKB); potret bersifat kumulatif sehingga galatnya berautokorelasi kuat. Tidak ada interval yang
ditampilkan sebagai efek. / {E}Only {fmt_int(fit.n, 'en')} points ({fmt_int(fit.n_pre, 'en')}
before the decree); cumulative snapshots have strongly autocorrelated errors. No interval is
shown as an effect. Concurrent changes (the approach of voting day, Kemendagri's reprimands,
BKN's record blocking) cannot be separated from the decree.</span>
"""))
