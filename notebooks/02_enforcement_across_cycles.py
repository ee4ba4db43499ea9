# %% [markdown]
# # 02 · Penegakan sanksi antarsiklus / <span lang="en">Enforcement across cycles</span>
#
# Berapa banyak pelanggaran yang berujung sanksi, seberapa cepat, dibandingkan pada jeda yang sama
# setelah hari pemungutan suara; apa yang dapat dan tidak dapat didukung oleh klaim resmi; dan
# apakah SKB 10 September 2020 mengubah tindak lanjut. / <span lang="en">How many violations end
# in a sanction, how fast, compared at equal lags after voting day; what official claims can and
# cannot support; and whether the joint decree of 10 September 2020 changed follow-up.</span>

# %% tags=["parameters"]
reports_dir = "../scratch"  # interactive runs write here; only `python -m analysis report` publishes
decree_date = "2020-09-10"
lags_days = [0, 30, 90, 180, 365]
placebo_days = [-150, -120, -60, -20]
its_max_lag = 30  # ITS window ends this many days after voting day (sensitivity: all points)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.findings import enforcement, evidence, headlines
from analysis.methods import lags
from analysis.data import ledger
from analysis import paths
from analysis.publish.formatting import fmt_date, fmt_days, fmt_int, fmt_num, fmt_pct
from analysis.publish.outputs import save_figures, save_table, show_table
from analysis.publish import plots
from analysis.publish.plots import PALETTE, bilingual, finish
from analysis.publish.reader_tables import Col, en, reader_table

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
# ## 1. Corong penegakan per siklus / <span lang="en">The enforcement funnel per election</span>
#
# Setiap rasio dihitung di dalam satu potret satu lembaga (tanggal data sama). Hitungan ASN
# (KASN/BKN) dan hitungan kasus (Bawaslu) tidak pernah dicampur. Interval 95% eksak
# (Clopper–Pearson). / <span lang="en">Each ratio is computed within one snapshot of one agency
# (same as-of date). ASN counts (KASN/BKN) and case counts (Bawaslu) are never mixed. 95% exact
# (Clopper–Pearson) intervals.</span>

# %%
conversions = enforcement.funnel_conversions(national)
latest = evidence.with_cycle_label(enforcement.latest_funnel(conversions))
funnel_table = latest[["election", "series", "agency", "as_of_date", "as_of_precision",
                       "days_since_vote", "days_since_vote_min", "days_since_vote_max",
                       "conversion", "numerator", "denominator", "proportion", "low", "high"]]
_ = save_table(funnel_table, "02_funnel_latest", reports_dir)

# %% tags=["researcher_only"]
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
reader_table(
    shown.assign(conversion_text=shown["conversion"].map(
                     lambda c: CONVERSION_LABELS[c]),
                 counts=[f"{fmt_int(n)} / {fmt_int(d)}" for n, d in
                         zip(shown["numerator"], shown["denominator"])],
                 interval=[f"{fmt_pct(lo)} – {fmt_pct(hi)}" for lo, hi in
                           zip(shown["low"], shown["high"])]),
    [Col("election", "Pemilihan", "Election"), Col("series", "Seri", "Series"),
     Col("conversion_text", "Tahap", "Stage", "pair"), Col("as_of_date", "Tanggal data", "As of", "date"),
     Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
     Col("counts", "Hitungan", "Counts"), Col("proportion", "Persen", "Percent", "pct"),
     Col("interval", "Interval eksak 95%", "95% exact interval")],
    "Potret terbaru corong penegakan per pemilihan",
    "Latest snapshot of the enforcement funnel per election")

# %%
exec_rows = shown[shown["conversion"] == "executed_of_recommended"]
best = exec_rows.loc[exec_rows["proportion"].idxmax()]


def draw_funnel(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 0.75 * len(shown) + 1.2))
    for i, r in shown.iterrows():
        colour = plots.BLUE if r["series"] == "KASN/BKN" else plots.VERMILLION
        bar = ax.errorbar(r["proportion"] * 100, i, xerr=[[100 * (r["proportion"] - r["low"])],
                                                           [100 * (r["high"] - r["proportion"])]],
                          fmt="o", color=colour, capsize=3)
        plots.hover(bar[0], [f"{r['election']} · {r['series']}: {fmt_pct(r['proportion'], lang)} "
                             f"({fmt_pct(r['low'], lang)}–{fmt_pct(r['high'], lang)})"])
    stage = {c: l.split(" / ")[0 if lang == "id" else 1] for c, l in CONVERSION_LABELS.items()}
    day = t("hari", "day")
    ax.set_yticks(range(len(shown)), [
        f"{r.election} · {r.series}\n{stage[r.conversion]}\n({day} "
        f"{fmt_days(r.days_since_vote, lang, r.days_since_vote_min, r.days_since_vote_max)}: "
        f"{fmt_int(r.numerator, lang)}/{fmt_int(r.denominator, lang)})"
        for r in shown.itertuples()])
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 50, 100])
    ax.xaxis.set_major_formatter(plots.percent_axis(lang))
    ax.set_xlabel(t("persen (interval eksak 95%)", "percent (95% exact interval)"))
    ax.invert_yaxis()
    best_day = {lg: fmt_days(best["days_since_vote"], lg, best["days_since_vote_min"],
                             best["days_since_vote_max"]) for lg in ("id", "en")}
    title = t(f"Tindak lanjut terbaru: {fmt_pct(best['proportion'], 'id')} rekomendasi sanksi "
              f"dijalankan pada {best['election']} (hari {best_day['id']}); "
              "pemilihan lain punya lebih sedikit tahap",
              f"Latest published follow-up: {fmt_pct(best['proportion'], 'en')} of recommended "
              f"sanctions executed in {best['election']} (day "
              f"{best_day['en']}); other elections have fewer stages")
    finish(fig, title, t(f"KASN, BKN, Bawaslu lewat buku besar bukti; potret terbaru per "
                         f"pemilihan, paling akhir {fmt_date(last_as_of)}; biru KASN/BKN (ASN), "
                         "oranye Bawaslu (kasus)",
                         "KASN, BKN, Bawaslu via the evidence ledger; latest snapshot per "
                         f"election, {fmt_date(last_as_of, 'en')} at the latest; blue KASN/BKN "
                         "(ASN), orange Bawaslu (cases)"), lang=lang)
    alt = t("Grafik titik dengan interval eksak 95% untuk setiap tahap penegakan pada potret "
            f"terbaru tiap pemilihan. {title}.",
            "Dot plot with exact 95% intervals of every enforcement conversion in the latest "
            f"snapshot of each election. {title}.")
    return fig, alt


save_figures(draw_funnel, "02_funnel", reports_dir)

# %% [markdown]
# ## 2. Tindak lanjut menurut jeda setelah hari pemungutan suara / <span lang="en">Follow-up by days since voting day</span>
#
# Sanksi terus bertambah setelah hari pemungutan suara, jadi siklus hanya dapat dibandingkan pada
# jeda yang sama. Nilai di antara dua potret diinterpolasi secara linear; di luar potret yang ada
# tidak diisi. / <span lang="en">Sanctions keep accumulating after voting day, so cycles can only
# be compared at equal lags. Values between two snapshots are interpolated linearly; nothing is
# filled outside the observed snapshots.</span>

# %%
followed = enforcement.drop_repeated_releases(national[national["follow_up_rate"].notna()])
followed = evidence.with_cycle_label(followed)
kasn20 = followed[(followed["cycle"] == 2020) & (followed["agency"] == "KASN")]
first, last = kasn20.iloc[0], kasn20.iloc[-1]


def draw_follow_up(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 4.2))
    for k, ((election, agency), g) in enumerate(followed.groupby(["election", "agency"])):
        g = g.sort_values("days_since_vote")
        # a snapshot dated only to the month or year: a horizontal bar over its period
        bar = ax.errorbar(g["days_since_vote"], 100 * g["follow_up_rate"],
                          xerr=[g["days_since_vote"] - g["days_since_vote_min"],
                                g["days_since_vote_max"] - g["days_since_vote"]],
                          yerr=[100 * (g["follow_up_rate"] - g["follow_up_low"]),
                                100 * (g["follow_up_high"] - g["follow_up_rate"])],
                          fmt="o-", capsize=2, color=PALETTE[k % len(PALETTE)],
                          label=f"{election} · {agency}")
        plots.hover(bar[0], [f"{election} · {agency}, {t('hari', 'day')} {fmt_days(d, lang)}: "
                             f"{fmt_pct(v, lang)} ({fmt_pct(lo, lang)}–{fmt_pct(hi, lang)})"
                             for d, v, lo, hi in zip(g["days_since_vote"], g["follow_up_rate"],
                                                     g["follow_up_low"], g["follow_up_high"])])
    ax.axvline(0, color="black", lw=0.8)
    ax.axvline(decree_lag, color="#555555", lw=0.8, ls="--")
    ax.set_ylim(0, 118)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.annotate(t("pemungutan suara", "voting day"), (0, 104), xytext=(8, 0),
                textcoords="offset points", fontsize=plots.MIN_FONT_PT, ha="left", va="bottom")
    ax.annotate("SKB", (decree_lag, 104), xytext=(-8, 0), textcoords="offset points",
                fontsize=plots.MIN_FONT_PT, ha="right", va="bottom")
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.set_xlabel(t("hari sejak pemungutan suara", "days since voting day"))
    ax.set_ylabel(t("tindak lanjut", "follow-up"))
    title = t(f"Tindak lanjut Pilkada 2020 naik dari {fmt_pct(first['follow_up_rate'], 'id', 0)} "
              f"(hari {fmt_int(first['days_since_vote'])}) menjadi "
              f"{fmt_pct(last['follow_up_rate'], 'id', 0)} (hari "
              f"{fmt_int(last['days_since_vote'])}); tidak ada pemilihan lain dengan kurva "
              "sebanding",
              f"Pilkada 2020 follow-up rose from {fmt_pct(first['follow_up_rate'], 'en', 0)} "
              f"(day {fmt_int(first['days_since_vote'], 'en')}) to "
              f"{fmt_pct(last['follow_up_rate'], 'en', 0)} (day "
              f"{fmt_int(last['days_since_vote'], 'en')}); no other election has a comparable "
              "curve")
    finish(fig, title, t(f"potret KASN dan BKN lewat buku besar bukti, paling akhir "
                         f"{fmt_date(max(followed['as_of_date']))}; tindak lanjut = sanksi "
                         "dijalankan / direkomendasikan; interval Wilson 95%; garis putus-putus: "
                         f"SKB {fmt_date(decree_date)}",
                         "KASN and BKN snapshots via the evidence ledger, "
                         f"{fmt_date(max(followed['as_of_date']), 'en')} at the latest; "
                         "follow-up = sanctions executed / recommended; Wilson 95% intervals; "
                         f"dashed line: joint decree of {fmt_date(decree_date, 'en')}"),
           lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Tindak lanjut (sanksi dijalankan dibagi rekomendasi) menurut hari sejak pemungutan "
            f"suara, satu garis per pemilihan dan lembaga. {title}.",
            "Follow-up rate (executed over recommended sanctions) against days since voting "
            f"day, one line per election and agency. {title}.")
    return fig, alt


save_figures(draw_follow_up, "02_follow_up_by_lag", reports_dir)

# %%
at_lags = evidence.with_cycle_label(lags.value_at_lags(followed, lags_days, series_cols=(),
                                                     count_cols=None))
at_lags_table = at_lags[["election", "agency", "lag", "method", "value", "lower_lag",
                         "lower_value", "upper_lag", "upper_value", "bracket_span_days",
                         "nearest_lag", "gap_days"]]
_ = save_table(at_lags_table, "02_follow_up_at_equal_lags", reports_dir)
available = at_lags[at_lags["method"] != "not_available_extrapolation_needed"]
comparable_lags = (available.groupby("lag")["election"].nunique() > 1).sum()
display(Markdown(
    f"Dari {fmt_int(len(at_lags))} kombinasi seri × jeda, {fmt_int(len(available))} dapat "
    f"dihitung tanpa ekstrapolasi; pada {fmt_int(comparable_lags)} jeda lebih dari satu pemilihan "
    "tersedia. / " + en(
        f"Of {fmt_int(len(at_lags), 'en')} series × lag combinations, "
        f"{fmt_int(len(available), 'en')} can be computed without extrapolation; at "
        f"{fmt_int(comparable_lags, 'en')} lags more than one election is available.")
))
METHODS = {"observed": "teramati / observed", "interpolated": "diinterpolasi / interpolated",
           "not_available_extrapolation_needed": "tidak tersedia: perlu ekstrapolasi / "
                                                 "not available: would need extrapolation"}
reader_table(at_lags_table.assign(method_text=at_lags_table["method"].map(
                 lambda m: METHODS.get(m, m.replace("_", " ")))),
             [Col("election", "Pemilihan", "Election"), Col("agency", "Lembaga", "Agency"),
              Col("lag", "Hari dari pemungutan suara", "Days from the vote", "days"),
              Col("value", "Tindak lanjut", "Follow-up", "pct"),
              Col("method_text", "Cara", "Method", "pair")],
             "Tindak lanjut pada jeda yang sama", "Follow-up at equal lags")

# %% tags=["researcher_only"]
show_table(at_lags_table)

# %% [markdown]
# ### Sanksi dijalankan dari ASN dilaporkan, pada jeda yang sama / <span lang="en">Executed of reported, at the same lag</span>
#
# Pilkada 2024 dibandingkan pada jeda potretnya; nilai Pilkada 2020 pada jeda itu diinterpolasi
# di antara dua potret KASN bila tersedia. / <span lang="en">Pilkada 2024 is compared at the lag
# of its snapshot; Pilkada 2020 at that lag is interpolated between two KASN snapshots where
# possible.</span>

# %%
from analysis.publish import charts as brief_charts
from analysis.publish import report_marks
from analysis.publish.safe_text import md

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
        f"**{md(v.text('id'))}** / **{en(md(v.text('en')))}**\n\n"
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
CHECK = {
    "reproduced": "cocok dengan angka yang dipublikasikan / reproduced from published counts",
    "not_reproduced": "tidak cocok / counts give another value",
    "no_counts": "tanpa angka pendukung / no counts published with it",
    "bound_only": "batas atas tanpa siklus jelas / an upper bound over unnamed cycles",
}
claims_table = claims.assign(check_text=claims["check"].map(CHECK))[
    ["election", "id", "stated_percent", "value_qualifier", "as_of_date", "published_date",
     "days_since_vote", "days_since_vote_min", "days_since_vote_max", "lag_basis", "counts",
     "computed", "low", "high", "check_text", "n_releases", "release_ids"]]
_ = save_table(claims_table, "02_follow_up_claims", reports_dir)
reader_table(claims_table.assign(stated=claims_table["stated_percent"] / 100),
             [Col("election", "Pemilihan", "Election"), Col("id", "Kode angka", "Figure id"),
              Col("stated", "Persen yang diklaim", "Percent claimed", "pct"),
              Col("value_qualifier", "Sifat angka", "Qualifier", "word"),
              Col("as_of_date", "Tanggal data", "As of", "date"),
              Col("published_date", "Terbit", "Published", "date"),
              Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
              Col("computed", "Dihitung dari angka", "Computed from counts", "pct"),
              Col("check_text", "Pemeriksaan", "Check", "pair")],
             "Klaim tindak lanjut resmi dan pemeriksaannya",
             "Official follow-up claims and how they check out")

# %% tags=["researcher_only"]
show_table(claims_table)

# %%
def claim_line(election: str, lang: str) -> str:
    rows = claims[claims["election"] == election]
    if rows.empty:
        return ""
    parts = []
    for r in rows.itertuples():
        lag = "?" if pd.isna(r.days_since_vote) else fmt_days(
            r.days_since_vote, lang, r.days_since_vote_min, r.days_since_vote_max)
        parts.append(f"{fmt_num(r.stated_percent, lang)}% ({lag} d)")
    return f"{election}: " + ", ".join(parts)


bounds = claims[claims["check"] == "bound_only"]
no_counts = claims[claims["check"] == "no_counts"]
reproduced = claims[claims["check"] == "reproduced"]
early = no_counts[no_counts["cycle"] < 2020].drop_duplicates("election")
reproduced_2020 = reproduced[(reproduced["cycle"] == 2020)
                             & (reproduced["election_type"] == "pilkada")]
reproduced_other = reproduced.drop(reproduced_2020.index)
other_id = (f" dan {fmt_int(len(reproduced_other))} klaim pemilihan lain "
            f"({', '.join(reproduced_other['election'].unique())})" if len(reproduced_other) else "")
other_en = (f" and {fmt_int(len(reproduced_other), 'en')} claims of other elections "
            f"({', '.join(reproduced_other['election'].unique())})" if len(reproduced_other) else "")
E = '<span lang="en">'
display(Markdown(f"""
- **"Di bawah 30% sebelum 2020" / {E}"below 30% before 2020"</span>**: {fmt_int(len(bounds))}
  pernyataan, semuanya batas atas tanpa menyebut siklus atau jeda; tidak dapat dibandingkan
  dengan siklus mana pun. / {E}{fmt_int(len(bounds), 'en')} statements, all upper bounds naming
  no cycle or lag: they cannot be compared with any one election.</span>
- **Klaim tanpa angka / {E}claims without counts</span>**: {fmt_int(len(no_counts))} (misalnya
  {'; '.join(claim_line(e, 'id') for e in no_counts['election'].unique())}). Persentase
  {' dan '.join(early['election'])} diumumkan {fmt_date(early['published_date'].min())}, tanpa
  tanggal data: jedanya tidak diketahui, jadi tidak dapat dibandingkan dengan potret 2020 pada
  jeda yang sama. / {E}The {' and '.join(early['election'])} percentages were announced on
  {fmt_date(early['published_date'].min(), 'en')}, without an as-of date: their lag is unknown,
  so they cannot be set against 2020 snapshots at an equal lag.</span>
- **Klaim yang cocok / {E}reproduced claims</span>**: {fmt_int(len(reproduced_2020))} klaim
  Pilkada 2020{other_id} cocok dengan hitungan yang dipublikasikan bersamanya; angka 2020
  tertinggi, {fmt_pct(reproduced_2020['computed'].max(), 'id')}, adalah hitungan final
  bertahun-tahun setelah pemungutan suara, bukan capaian pada Desember 2020. /
  {E}{fmt_int(len(reproduced_2020), 'en')} Pilkada 2020 claims{other_en} are reproduced by the
  counts published with them; the highest 2020 figure,
  {fmt_pct(reproduced_2020['computed'].max(), 'en')}, is a final count years after the vote, not
  the December 2020 level.</span>
"""))

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
kasn, kasn_all = decree["points"], decree["all_points"]
fit, fit_all, placebos = decree["fit"], decree["fit_all"], decree["placebos"]
its_table = pd.concat([
    fit.tidy().assign(window=f"day <= {its_max_lag}", n=fit.n, n_pre=fit.n_pre),
    fit_all.tidy().assign(window="all snapshots", n=fit_all.n, n_pre=fit_all.n_pre),
], ignore_index=True).drop(columns=["low", "high", "p_value"])  # no interval read as an effect
_ = save_table(its_table, "02_its_decree", reports_dir)
_ = save_table(placebos, "02_its_placebos", reports_dir)
level = fit.tidy().set_index("term").loc["level_change"]
slope = fit.tidy().set_index("term").loc["slope_change"]
verdict = decree["verdict"]
loo = decree["loo"]
_ = save_table(loo, "02_its_leave_one_out", reports_dir)
steps = decree["increments"]
_ = save_table(steps, "02_its_increments", reports_dir)

# %% tags=["researcher_only"]
show_table(its_table)

# %%
SEGMENTS = {"pre": ("sebelum SKB", "before the decree", plots.BLUE, "-"),
            "post": ("sesudah SKB", "after the decree", plots.VERMILLION, "-"),
            "counterfactual": ("tren sebelum SKB diperpanjang", "pre-decree trend extended",
                               plots.NEUTRAL, ":")}


def draw_its(lang):
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.8))
    ax.scatter(kasn["days_since_vote"], 100 * kasn["follow_up_rate"], color=plots.INK, zorder=3,
               s=28, label=t("potret KASN", "KASN snapshots"))
    for segment, (id_text, en_text, colour, style) in SEGMENTS.items():
        seg = fit.line[fit.line["segment"] == segment]
        ax.plot(seg["days_since_vote"], 100 * seg["value"], style, color=colour, lw=2,
                label=t(id_text, en_text))
    ax.axvline(decree_lag, color="#555555", ls="--", lw=0.8)
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.set_xlabel(t("hari sejak pemungutan suara", "days since voting day"))
    ax.set_ylabel(t("tindak lanjut", "follow-up"))
    ax.set_ylim(0, 100)
    title = t(f"[{verdict.label('id')}] Uji kepekaan, bukan bukti: perubahan level pada SKB "
              f"bergeser antara {fmt_num(100 * decree['loo_low'], 'id')} dan "
              f"{fmt_num(100 * decree['loo_high'], 'id')} poin bila satu dari "
              f"{fmt_int(fit.n)} potret ({fmt_int(fit.n_pre)} sebelum SKB) ditinggalkan",
              f"[{verdict.label('en')}] Sensitivity, not evidence: the level change at the "
              f"decree moves between {fmt_num(100 * decree['loo_low'], 'en')} and "
              f"{fmt_num(100 * decree['loo_high'], 'en')} points when one of "
              f"{fmt_int(fit.n, 'en')} snapshots ({fmt_int(fit.n_pre, 'en')} before) is left out")
    finish(fig, title, t(f"potret KASN lewat buku besar bukti, Pilkada 2020, sampai hari "
                         f"{its_max_lag} setelah pemungutan suara "
                         f"({fmt_date(max(kasn['as_of_date']))}); OLS dengan galat HAC "
                         f"Newey–West; tanpa interval (derajat bebas {fmt_num(fit.df_resid, 'id', 0)}); "
                         f"garis putus-putus: SKB {fmt_date(decree_date)}",
                         f"KASN snapshots via the evidence ledger, Pilkada 2020, up to day "
                         f"{its_max_lag} after voting day ({fmt_date(max(kasn['as_of_date']), 'en')}); "
                         f"OLS with Newey–West HAC errors; no interval shown (df "
                         f"{fmt_num(fit.df_resid, 'en', 0)}); dashed line: the joint decree of "
                         f"{fmt_date(decree_date, 'en')}"),
           lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Potret tindak lanjut dengan garis regresi tersegmentasi sebelum dan sesudah SKB "
            f"{fmt_date(decree_date)}. {title}.",
            "Follow-up snapshots with the fitted segmented regression lines before and after "
            f"the {fmt_date(decree_date, 'en')} decree. {title}.")
    return fig, alt


save_figures(draw_its, "02_its_decree", reports_dir)

# %% tags=["researcher_only"]
show_table(loo)
show_table(steps)

# %%
fitted_placebos = placebos[(placebos["break_time"] != decree_lag) & (placebos["status"] == "ok")]
E = '<span lang="en">'
placebo_days_id = ", ".join(f"hari {fmt_days(b)}" for b in fitted_placebos["break_time"]) or "tidak ada"
placebo_days_en = ", ".join(f"day {fmt_days(b, 'en')}" for b in fitted_placebos["break_time"]) or "none"
display(Markdown(f"""
**{md(verdict.text('id'))}**

**{E}{md(verdict.text('en'))}</span>**

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
