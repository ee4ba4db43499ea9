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
# # 02 · Penegakan sanksi antarsiklus / Enforcement across cycles
#
# Berapa banyak pelanggaran yang berujung sanksi, seberapa cepat, dibandingkan pada jeda yang sama
# setelah hari pemungutan suara; apa yang dapat dan tidak dapat didukung oleh klaim resmi; dan
# apakah SKB 10 September 2020 mengubah tindak lanjut. / How many violations end in a sanction,
# how fast, compared at equal lags after voting day; what official claims can and cannot support;
# and whether the joint decree of 10 September 2020 changed follow-up.

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
decree_date = "2020-09-10"
lags_days = [0, 30, 90, 180, 365]
placebo_days = [-150, -120, -60, -20]
its_max_lag = 30  # ITS window ends this many days after voting day (sensitivity: all points)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import enforcement, evidence, headlines
from analysis.methods import lags
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from analysis.publish.outputs import save_figure, save_table, show_table
from analysis.publish.plots import PALETTE, bilingual, finish

inputs = headlines.Inputs.load()
figures = ledger.load_ledger()
elections = ledger.load_elections()
snapshots = pd.read_csv(paths.PROCESSED / "enforcement_snapshots.csv", keep_default_na=False,
                        na_values=[""])
snapshots["as_of_date"] = snapshots["as_of_date"].fillna("")
national = snapshots[(snapshots["scope"] == "national") & (snapshots["region"] == "Indonesia")]
votes = ledger.voting_days(elections)
vote_2020 = votes.query("cycle == 2020 and election_type == 'pilkada'")["voting_day"].iloc[0]
decree_lag = (pd.Timestamp(decree_date) - vote_2020).days
last_as_of = max(d for d in national["as_of_date"] if d)

# %% [markdown]
# ## 1. Corong penegakan per siklus / The enforcement funnel per election
#
# Setiap rasio dihitung di dalam satu potret satu lembaga (tanggal data sama). Hitungan ASN
# (KASN/BKN) dan hitungan kasus (Bawaslu) tidak pernah dicampur. Interval 95% eksak
# (Clopper–Pearson). / Each ratio is computed within one snapshot of one agency (same as-of
# date). ASN counts (KASN/BKN) and case counts (Bawaslu) are never mixed. 95% exact
# (Clopper–Pearson) intervals.

# %%
conversions = enforcement.funnel_conversions(national)
latest = evidence.with_cycle_label(enforcement.latest_funnel(conversions))
funnel_table = latest[["election", "series", "agency", "as_of_date", "days_since_vote",
                       "conversion", "numerator", "denominator", "proportion", "low", "high"]]
save_table(funnel_table, "02_funnel_latest", reports_dir)
show_table(funnel_table)

# %%
CONVERSION_LABELS = {
    "proven_of_reported": bilingual("terbukti/direkomendasikan dari dilaporkan",
                                    "proven/recommended of reported"),
    "found_of_reported": bilingual("terbukti dari dilaporkan", "found of reported"),
    "executed_of_recommended": bilingual("sanksi dijalankan dari direkomendasikan",
                                         "executed of recommended"),
    "forwarded_of_reported": bilingual("diteruskan dari dilaporkan", "forwarded of reported"),
    "executed_of_reported": bilingual("sanksi dijalankan dari dilaporkan",
                                      "executed of reported"),
}
shown = latest.sort_values(["series", "conversion", "cycle"]).reset_index(drop=True)
fig, ax = plt.subplots(figsize=(10, 0.42 * len(shown) + 1.8))
for i, r in shown.iterrows():
    colour = PALETTE[0] if r["series"] == "KASN/BKN" else PALETTE[1]
    ax.errorbar(r["proportion"] * 100, i, xerr=[[100 * (r["proportion"] - r["low"])],
                                                 [100 * (r["high"] - r["proportion"])]],
                fmt="o", color=colour, capsize=3)
    ax.text(101, i, f"{int(r['numerator'])}/{int(r['denominator'])}", va="center", fontsize=8)
ax.set_yticks(range(len(shown)), [f"{r.election} · {r.series} · "
                                  f"{CONVERSION_LABELS[r.conversion].split(' / ')[1]} "
                                  f"(day {int(r.days_since_vote)})" for r in shown.itertuples()],
              fontsize=8)
ax.set_xlim(0, 112)
ax.set_xlabel(bilingual("persen (interval eksak 95%)", "percent (95% exact interval)"))
ax.invert_yaxis()
exec_rows = shown[shown["conversion"] == "executed_of_recommended"]
best = exec_rows.loc[exec_rows["proportion"].idxmax()]
title = (f"Latest published follow-up: {fmt_pct(best['proportion'], 'en')} of recommended "
         f"sanctions executed in {best['election']} (day {int(best['days_since_vote'])}); "
         "other elections have fewer stages")
finish(fig, title, f"KASN, BKN, Bawaslu via evidence ledger; latest snapshot per election, "
       f"as of {last_as_of} at the latest")
saved = save_figure(fig, "02_funnel", reports_dir,
                    alt_text="Dot plot with exact 95% intervals of every enforcement conversion "
                             f"in the latest snapshot of each election. {title}.")
plt.close(fig)
saved

# %% [markdown]
# ## 2. Tindak lanjut menurut jeda setelah hari pemungutan suara / Follow-up by days since voting day
#
# Sanksi terus bertambah setelah hari pemungutan suara, jadi siklus hanya dapat dibandingkan pada
# jeda yang sama. Nilai di antara dua potret diinterpolasi secara linear; di luar potret yang ada
# tidak diisi. / Sanctions keep accumulating after voting day, so cycles can only be compared at
# equal lags. Values between two snapshots are interpolated linearly; nothing is filled outside
# the observed snapshots.

# %%
followed = enforcement.drop_repeated_releases(national[national["follow_up_rate"].notna()])
followed = evidence.with_cycle_label(followed)
fig, ax = plt.subplots(figsize=(10, 5))
for k, ((election, agency), g) in enumerate(followed.groupby(["election", "agency"])):
    g = g.sort_values("days_since_vote")
    ax.errorbar(g["days_since_vote"], 100 * g["follow_up_rate"],
                yerr=[100 * (g["follow_up_rate"] - g["follow_up_low"]),
                      100 * (g["follow_up_high"] - g["follow_up_rate"])],
                fmt="o-", capsize=2, color=PALETTE[k % len(PALETTE)], label=f"{election} · {agency}")
ax.axvline(0, color="black", lw=0.8)
ax.text(2, 3, bilingual("hari pemungutan suara", "voting day"), fontsize=8)
ax.axvline(decree_lag, color="#666666", lw=0.8, ls="--")
ax.text(decree_lag + 2, 10, f"SKB {fmt_date(decree_date, 'id')}", fontsize=8)
ax.set_ylim(0, 100)
ax.set_xlabel(bilingual("hari sejak pemungutan suara", "days since voting day"))
ax.set_ylabel(bilingual("tindak lanjut (%)", "follow-up (%)"))
ax.legend(fontsize=8, loc="lower right")
kasn20 = followed[(followed["cycle"] == 2020) & (followed["agency"] == "KASN")]
first, last = kasn20.iloc[0], kasn20.iloc[-1]
title = (f"Pilkada 2020 follow-up rose from {fmt_pct(first['follow_up_rate'], 'en', 0)} "
         f"(day {int(first['days_since_vote'])}) to {fmt_pct(last['follow_up_rate'], 'en', 0)} "
         f"(day {int(last['days_since_vote'])}); no other election has a comparable curve")
finish(fig, title, "KASN and BKN snapshots via evidence ledger, as of "
       f"{max(followed['as_of_date'])} at the latest; follow-up = sanctions executed / "
       "recommended; Wilson 95% intervals")
saved = save_figure(fig, "02_follow_up_by_lag", reports_dir,
                    alt_text="Follow-up rate (executed over recommended sanctions) against days "
                             f"since voting day, one line per election and agency. {title}.")
plt.close(fig)
saved

# %%
at_lags = evidence.with_cycle_label(lags.value_at_lags(followed, lags_days, series_cols=(),
                                                     count_cols=None))
at_lags_table = at_lags[["election", "agency", "lag", "method", "value", "lower_lag",
                         "lower_value", "upper_lag", "upper_value", "bracket_span_days",
                         "nearest_lag", "gap_days"]]
save_table(at_lags_table, "02_follow_up_at_equal_lags", reports_dir)
available = at_lags[at_lags["method"] != "not_available_extrapolation_needed"]
comparable_lags = (available.groupby("lag")["election"].nunique() > 1).sum()
display(Markdown(
    f"Dari {len(at_lags)} kombinasi seri × jeda, {len(available)} dapat dihitung tanpa "
    f"ekstrapolasi; pada {comparable_lags} jeda lebih dari satu pemilihan tersedia. / Of "
    f"{len(at_lags)} series × lag combinations, {len(available)} can be computed without "
    f"extrapolation; at {comparable_lags} lags more than one election is available."
))
show_table(at_lags_table)

# %% [markdown]
# ### Sanksi dijalankan dari ASN dilaporkan, pada jeda yang sama / Executed of reported, at the same lag
#
# Pilkada 2024 dibandingkan pada jeda potretnya; nilai Pilkada 2020 pada jeda itu diinterpolasi
# di antara dua potret KASN bila tersedia. / Pilkada 2024 is compared at the lag of its
# snapshot; Pilkada 2020 at that lag is interpolated between two KASN snapshots where possible.

# %%
from analysis.publish import charts as brief_charts
from analysis.publish.safe_text import md

equal_lag = headlines.executed_of_reported_at_equal_lag(inputs)
if equal_lag:
    equal = evidence.with_cycle_label(equal_lag["table"])
    save_table(equal, "02_executed_of_reported_equal_lag", reports_dir)
    show_table(equal[["election", "agency", "lag", "method", "executed", "reported",
                      "rate_from_counts", "rate_low", "rate_high", "lower_lag", "lower_counts",
                      "lower_low", "lower_high", "upper_lag", "upper_counts", "upper_low",
                      "upper_high", "bound_low", "bound_high"]])
    fig, alt, title = brief_charts.equal_lag_chart({"equal_lag": equal_lag}, "en")
    saved = save_figure(fig, "02_executed_of_reported_equal_lag", reports_dir, alt_text=alt)
    plt.close(fig)
    display(saved)
    v, eq = equal_lag["verdict"], equal_lag["equivalence"]
    display(Markdown(
        f"**{md(v.text('id'))}** / **{md(v.text('en'))}**\n\n"
        + (f"Seri yang dinyatakan setara / series declared equivalent: {md(eq['declaration_id'])} / "
           f"{md(eq['declaration_en'])} ({md(eq['source'])}). " if eq else "")
        + "Nilai 2020 diinterpolasi, bukan hitungan: intervalnya adalah interval kedua potret "
        "pengapit, dan rentangnya berlaku berapa pun pertumbuhan hitungan kumulatif di antaranya. "
        "/ The 2020 value is interpolated, not a count: the intervals are those of the two "
        "bracketing snapshots, and the range holds whatever the cumulative counts did in between."))

# %% [markdown]
# ## 3. Apa yang dapat didukung klaim resmi / What official claims can support

# %%
releases = enforcement.follow_up_claims(figures, elections, national)
claims = evidence.with_cycle_label(enforcement.distinct_claims(releases))
display(Markdown(f"{len(claims)} klaim berbeda dari {len(releases)} publikasi (angka yang diumumkan "
                 f"ulang dihitung sekali) / {len(claims)} distinct claims from {len(releases)} "
                 f"releases (a figure announced again counts once). "
                 f"**{md(headlines.follow_up_claims(inputs)['verdict'].text('en'))}**"))
CHECK = {
    "reproduced": "cocok dengan angka yang dipublikasikan / reproduced from published counts",
    "not_reproduced": "tidak cocok / counts give another value",
    "no_counts": "tanpa angka pendukung / no counts published with it",
    "bound_only": "batas atas tanpa siklus jelas / an upper bound over unnamed cycles",
}
claims_table = claims.assign(check_text=claims["check"].map(CHECK))[
    ["election", "id", "stated_percent", "value_qualifier", "as_of_date", "published_date",
     "days_since_vote", "lag_basis", "counts", "computed", "low", "high", "check_text",
     "n_releases", "release_ids"]]
save_table(claims_table, "02_follow_up_claims", reports_dir)
show_table(claims_table)

# %%
def claim_line(election: str, lang: str) -> str:
    rows = claims[claims["election"] == election]
    if rows.empty:
        return ""
    parts = []
    for r in rows.itertuples():
        lag = "?" if pd.isna(r.days_since_vote) else fmt_int(r.days_since_vote, lang)
        parts.append(f"{fmt_num(r.stated_percent, lang)}% ({lag} d)")
    return f"{election}: " + ", ".join(parts)


bounds = claims[claims["check"] == "bound_only"]
no_counts = claims[claims["check"] == "no_counts"]
reproduced = claims[claims["check"] == "reproduced"]
early = no_counts[no_counts["cycle"] < 2020].drop_duplicates("election")
display(Markdown(f"""
- **"Di bawah 30% sebelum 2020" / "below 30% before 2020"**: {len(bounds)} pernyataan, semuanya
  batas atas tanpa menyebut siklus atau jeda; tidak dapat dibandingkan dengan siklus mana pun. /
  {len(bounds)} statements, all upper bounds naming no cycle or lag: they cannot be compared with
  any one election.
- **Klaim tanpa angka / claims without counts**: {len(no_counts)} (misalnya / e.g.
  {'; '.join(claim_line(e, 'id') for e in no_counts['election'].unique())}). Persentase
  {' dan '.join(early['election'])} diumumkan {fmt_date(early['published_date'].min())}, tanpa
  tanggal data: jedanya tidak diketahui, jadi tidak dapat dibandingkan dengan potret 2020 pada
  jeda yang sama. / The {' and '.join(early['election'])} percentages were announced on
  {fmt_date(early['published_date'].min(), 'en')}, without an as-of date: their lag is unknown,
  so they cannot be set against 2020 snapshots at an equal lag.
- **Klaim yang cocok / reproduced claims**: {len(reproduced)} klaim 2020 cocok dengan hitungan
  yang dipublikasikan bersamanya; angka {fmt_pct(reproduced['computed'].max(), 'id')} adalah
  hitungan final bertahun-tahun setelah pemungutan suara, bukan capaian pada Desember 2020. /
  {len(reproduced)} 2020 claims are reproduced by the counts published with them; the highest,
  {fmt_pct(reproduced['computed'].max(), 'en')}, is a final count years after the vote, not the
  December 2020 level.
"""))

# %%
display(Markdown(f"## 4. SKB {fmt_date(decree_date)}: deret waktu terputus / Interrupted time "
                 "series"))

# %% [markdown]
# Regresi tersegmentasi pada potret KASN Pilkada 2020 (linear pada proporsi, galat HAC
# Newey–West), dengan tanggal plasebo sebagai pembanding. / Segmented regression on the KASN
# Pilkada 2020 snapshots (linear in the proportion, Newey–West HAC errors), with placebo dates
# for comparison.

# %%
decree = headlines.decree_its(inputs, decree_date, its_max_lag, placebo_days)
kasn, kasn_all = decree["points"], decree["all_points"]
fit, fit_all, placebos = decree["fit"], decree["fit_all"], decree["placebos"]
its_table = pd.concat([
    fit.table.assign(window=f"day <= {its_max_lag}", n=fit.n, n_pre=fit.n_pre),
    fit_all.table.assign(window="all snapshots", n=fit_all.n, n_pre=fit_all.n_pre),
], ignore_index=True).drop(columns=["ci_low", "ci_high", "p_value"])  # no interval read as an effect
save_table(its_table, "02_its_decree", reports_dir)
save_table(placebos, "02_its_placebos", reports_dir)
show_table(its_table)

# %%
level = fit.table.set_index("term").loc["level_change"]
slope = fit.table.set_index("term").loc["slope_change"]
verdict = decree["verdict"]
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.scatter(kasn["days_since_vote"], 100 * kasn["follow_up_rate"], color=PALETTE[0], zorder=3,
           label=bilingual("potret KASN", "KASN snapshots"))
for segment, style in (("pre", "-"), ("post", "-"), ("counterfactual", ":")):
    seg = fit.line[fit.line["segment"] == segment]
    ax.plot(seg["days_since_vote"], 100 * seg["value"], style, color=PALETTE[1] if segment !=
            "counterfactual" else "#777777", label={"pre": bilingual("sebelum SKB", "before"),
                                                   "post": bilingual("sesudah SKB", "after"),
                                                   "counterfactual": bilingual(
                                                       "tren sebelum diperpanjang",
                                                       "pre-trend extended")}[segment])
ax.axvline(decree_lag, color="#666666", ls="--", lw=0.8)
ax.set_xlabel(bilingual("hari sejak pemungutan suara", "days since voting day"))
ax.set_ylabel(bilingual("tindak lanjut (%)", "follow-up (%)"))
ax.set_ylim(0, 100)
ax.legend(fontsize=8, loc="lower right")
title = (f"[{verdict.label('en')}] Sensitivity, not evidence: the level change at the decree "
         f"moves between {fmt_num(100 * decree['loo_low'], 'en')} and "
         f"{fmt_num(100 * decree['loo_high'], 'en')} points when one of {fit.n} snapshots "
         f"({fit.n_pre} before) is left out")
finish(fig, title, f"KASN snapshots via evidence ledger, Pilkada 2020, up to day {its_max_lag} "
       f"after voting day ({max(kasn['as_of_date'])}); OLS with Newey-West HAC errors (maxlags "
       f"{fit.maxlags}); no interval shown (df = {fit.df_resid:g})")
saved = save_figure(fig, "02_its_decree", reports_dir,
                    alt_text="Follow-up snapshots with the fitted segmented regression lines "
                             f"before and after the 10 September 2020 decree. {title}.")
plt.close(fig)
saved

# %%
loo = decree["loo"]
save_table(loo, "02_its_leave_one_out", reports_dir)
show_table(loo)
steps = decree["increments"]
save_table(steps, "02_its_increments", reports_dir)
show_table(steps)
fitted_placebos = placebos[(placebos["break_time"] != decree_lag) & (placebos["status"] == "ok")]
display(Markdown(f"""
**{md(verdict.text('id'))}**

**{md(verdict.text('en'))}**

- Peringatan model / model warnings: {md('; '.join(fit.warnings) or '–')}.
- Tinggalkan satu / leave one out: perubahan level / level change
  {fmt_num(100 * decree['loo_low'], 'en')} to {fmt_num(100 * decree['loo_high'], 'en')} points
  (all points: {fmt_num(100 * level['estimate'], 'en')}).
- Plasebo / placebos: {decree['n_placebos']} dates, {len(fitted_placebos)} could be fitted
  ({', '.join(f"day {int(b)}" for b in fitted_placebos['break_time']) or 'none'}); of those,
  {decree['n_placebos_as_large']} give a level change as large.
- Ukuran alternatif / alternative outcome, sanksi baru per rekomendasi baru antarpotret / new
  executions per new recommendation between snapshots: {fmt_num(decree['increment_before'], 'en', 2)}
  before the decree, {fmt_num(decree['increment_after'], 'en', 2)} after (intervals that span the
  decree belong to neither side). The cumulative ratio dilutes mechanically when
  recommendations surge; the increments do not.

**Keterbatasan / Caveats.** Hanya {fit.n} titik ({fit.n_pre} sebelum SKB); potret bersifat
kumulatif sehingga galatnya berautokorelasi kuat. Tidak ada interval yang ditampilkan sebagai
efek. / Only {fit.n} points ({fit.n_pre} before the decree); cumulative snapshots have strongly
autocorrelated errors. No interval is shown as an effect. Concurrent changes (the approach of
voting day, Kemendagri's reprimands, BKN's record blocking) cannot be separated from the decree.
"""))
