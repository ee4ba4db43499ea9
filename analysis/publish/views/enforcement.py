"""Report 02 for readers: the latest snapshot of each election (one panel per election, each at
its own lag), follow-up by days since voting day, the official claims and how they check out,
and the decree's segmented regression."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import plots
from ..formatting import fmt_date, fmt_days, fmt_int, fmt_num, fmt_pct
from ..plots import PALETTE, finish
from ..reader_tables import Col, en, reader_table
from ..safe_text import md

CONVERSIONS = {
    "proven_of_reported": ("terbukti/direkomendasikan dari dilaporkan",
                           "proven/recommended of reported"),
    "found_of_reported": ("terbukti dari dilaporkan", "found of reported"),
    "executed_of_recommended": ("sanksi dijalankan dari direkomendasikan",
                                "executed of recommended"),
    "forwarded_of_reported": ("diteruskan dari dilaporkan", "forwarded of reported"),
    "executed_of_reported": ("sanksi dijalankan dari dilaporkan", "executed of reported"),
}
AT_LAG_METHODS = {"observed": "teramati / observed", "interpolated": "diinterpolasi / interpolated",
                  "not_available_extrapolation_needed": "tidak tersedia: perlu ekstrapolasi / "
                                                        "not available: would need extrapolation"}
CHECKS = {
    "reproduced": "cocok dengan angka yang dipublikasikan / reproduced from published counts",
    "not_reproduced": "tidak cocok / counts give another value",
    "no_counts": "tanpa angka pendukung / no counts published with it",
    "bound_only": "batas atas tanpa siklus jelas / an upper bound over unnamed cycles",
}
CLAIM_COLUMNS = ["election", "id", "stated_percent", "value_qualifier", "as_of_date",
                 "published_date", "days_since_vote", "days_since_vote_min",
                 "days_since_vote_max", "lag_basis", "counts", "computed", "low", "high",
                 "check_text", "n_releases", "release_ids"]
ITS_SEGMENTS = {"pre": ("sebelum SKB", "before the decree", plots.BLUE, "-"),
                "post": ("sesudah SKB", "after the decree", plots.VERMILLION, "-"),
                "counterfactual": ("tren sebelum SKB diperpanjang", "pre-decree trend extended",
                                   plots.NEUTRAL, ":")}


def days_axes(ax, lang: str, ylabel=("tindak lanjut", "follow-up")) -> None:
    """Days since voting day across, a percentage up, labelled in ``lang``."""
    ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
    ax.yaxis.set_major_formatter(plots.percent_axis(lang))
    ax.set_xlabel(plots.pick(lang, "hari sejak pemungutan suara", "days since voting day"))
    ax.set_ylabel(plots.pick(lang, *ylabel))


def _days(row, lang: str) -> str:
    return fmt_days(row["days_since_vote"], lang, row["days_since_vote_min"],
                    row["days_since_vote_max"])


def latest_table(latest: pd.DataFrame):
    """The latest snapshot of each election's conversions: counts, percent and exact 95%
    interval, with the day from the vote of each."""
    return reader_table(
        latest.assign(
            conversion_text=latest["conversion"].map(lambda c: " / ".join(CONVERSIONS[c])),
            counts=[f"{fmt_int(n)} / {fmt_int(d)}"
                    for n, d in zip(latest["numerator"], latest["denominator"])],
            interval=[f"{fmt_pct(lo)} – {fmt_pct(hi)}"
                      for lo, hi in zip(latest["low"], latest["high"])]),
        [Col("election", "Pemilihan", "Election"), Col("series", "Seri", "Series"),
         Col("conversion_text", "Tahap", "Stage", "pair"),
         Col("as_of_date", "Tanggal data", "As of", "date"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("counts", "Hitungan", "Counts"), Col("proportion", "Persen", "Percent", "pct"),
         Col("interval", "Interval eksak 95%", "95% exact interval")],
        "Potret terbaru corong penegakan per pemilihan, masing-masing pada jedanya sendiri",
        "Latest snapshot of the enforcement funnel per election, each at its own lag")


def lag_range(latest: pd.DataFrame, lang: str) -> str:
    """'−66 … +372': the earliest and latest day from the vote among the latest snapshots."""
    days = latest["days_since_vote"].dropna()
    return f"{fmt_days(days.min(), lang)} … {fmt_days(days.max(), lang)}"


def shared_lags_text(latest: pd.DataFrame, shared: pd.DataFrame, tolerance_days: int) -> str:
    """Whether any stage of the latest snapshots stands at the same lag in two elections, and
    what follows for reading the panels (Markdown, both languages)."""
    span = {lg: lag_range(latest, lg) for lg in ("id", "en")}
    n = latest["election"].nunique()
    if shared.empty:
        return (f"Potret terbaru {n} pemilihan berada pada hari {span['id']} dari pemungutan "
                f"suara; tidak ada tahap yang teramati pada jeda yang sama (±{tolerance_days} "
                "hari, tanggal harian) di dua pemilihan. Setiap panel berdiri sendiri: jangan "
                "membandingkan persentase antarpanel; perbandingan pada jeda yang sama ada di "
                "bagian 2. / " + en(
                    f"The latest snapshots of {n} elections lie at days {span['en']} from the "
                    f"vote; no stage is observed at the same lag (±{tolerance_days} days, "
                    "day-precise dates) in two elections. Each panel stands alone: do not compare "
                    "percentages across panels; comparisons at equal lags are in section 2."))
    pairs = {lg: "; ".join(
        f"{md(r.election_a)} ({fmt_days(r.lag_a, lg)}) · {md(r.election_b)} "
        f"({fmt_days(r.lag_b, lg)}): {CONVERSIONS[r.conversion][0 if lg == 'id' else 1]}"
        for r in shared.itertuples()) for lg in ("id", "en")}
    return (f"Potret terbaru {n} pemilihan berada pada hari {span['id']} dari pemungutan suara. "
            f"Tahap pada jeda yang sama (±{tolerance_days} hari) di dua pemilihan: "
            f"{pairs['id']}; selain itu setiap panel berdiri sendiri. / " + en(
                f"The latest snapshots of {n} elections lie at days {span['en']} from the vote. "
                f"Stages at the same lag (±{tolerance_days} days) in two elections: "
                f"{pairs['en']}; otherwise each panel stands alone."))


def draw_latest_panels(latest: pd.DataFrame, shared: pd.DataFrame, last_as_of: str, lang: str):
    """One panel per election (oldest first): each conversion of its latest snapshot with its
    exact 95% interval, labelled above the dot with its series, stage, day from the vote and
    counts (the labels leave the axis its full width on a phone); the title says the lags
    differ and whether any stage shares one."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    day = t("hari", "day")
    elections = list(dict.fromkeys(latest["election"]))
    sizes = [int((latest["election"] == e).sum()) for e in elections]
    fig, axes = plt.subplots(len(elections), 1, sharex=True, squeeze=False,
                             figsize=(plots.WIDTH_IN, 0.95 * sum(sizes) + 0.5 * len(elections)),
                             gridspec_kw={"height_ratios": [n + 0.3 for n in sizes]})
    for ax, election in zip(axes[:, 0], elections):
        rows = latest[latest["election"] == election].reset_index(drop=True)
        for i, r in rows.iterrows():
            colour = plots.BLUE if r["series"] == "KASN/BKN" else plots.VERMILLION
            bar = ax.errorbar(100 * r["proportion"], i,
                              xerr=[[100 * (r["proportion"] - r["low"])],
                                    [100 * (r["high"] - r["proportion"])]],
                              fmt="o", color=colour, capsize=3)
            plots.hover(bar[0], [f"{election} · {r['series']}: {fmt_pct(r['proportion'], lang)} "
                                 f"({fmt_pct(r['low'], lang)}–{fmt_pct(r['high'], lang)})"])
            conversion = CONVERSIONS[r["conversion"]][0 if lang == "id" else 1]
            ax.text(0, i - 0.2, f"{r['series']}: {conversion}"
                    f"\n{day} {_days(r, lang)}: {fmt_int(r['numerator'], lang)}/"
                    f"{fmt_int(r['denominator'], lang)}", ha="left", va="bottom",
                    fontsize=plots.MIN_FONT_PT, color=plots.INK)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(len(rows) - 0.6, -0.95)
        ax.set_title(election, loc="left", fontsize=plots.MIN_FONT_PT, fontweight="bold")
        ax.set_xlim(0, 100)
    bottom = axes[-1, 0]
    bottom.set_xticks([0, 50, 100])
    bottom.xaxis.set_major_formatter(plots.percent_axis(lang))
    bottom.set_xlabel(t("persen (interval eksak 95%)", "percent (95% exact interval)"))
    span = lag_range(latest, lang)
    if shared.empty:
        title = t(f"Potret terbaru per pemilihan pada jeda berbeda (hari {span}): tidak ada tahap "
                  "pada jeda yang sama di dua pemilihan, jadi panel tidak dibandingkan",
                  f"Latest snapshot per election at different lags (days {span}): no stage at "
                  "the same lag in two elections, so the panels are not compared")
    else:
        title = t(f"Potret terbaru per pemilihan pada jeda berbeda (hari {span}); "
                  f"{fmt_int(len(shared))} tahap pada jeda yang sama di dua pemilihan",
                  f"Latest snapshot per election at different lags (days {span}); "
                  f"{fmt_int(len(shared), 'en')} stage(s) at the same lag in two elections")
    finish(fig, title, t(f"KASN, BKN, Bawaslu lewat buku besar bukti; potret terbaru per "
                         f"pemilihan, paling akhir {fmt_date(last_as_of)}; biru KASN/BKN (ASN), "
                         "oranye Bawaslu (kasus)",
                         "KASN, BKN, Bawaslu via the evidence ledger; latest snapshot per "
                         f"election, {fmt_date(last_as_of, 'en')} at the latest; blue KASN/BKN "
                         "(ASN), orange Bawaslu (cases)"), lang=lang)
    alt = t("Satu panel per pemilihan: grafik titik dengan interval eksak 95% untuk setiap tahap "
            f"penegakan pada potret terbaru, dengan harinya dari pemungutan suara. {title}.",
            "One panel per election: dot plot with exact 95% intervals of every enforcement "
            f"conversion in the latest snapshot, with its day from the vote. {title}.")
    return fig, alt


def draw_follow_up(followed: pd.DataFrame, decree_lag: int, decree_date: str, lang: str):
    """Follow-up against days since voting day, one line per election and agency, Wilson 95%
    intervals, a month- or year-only snapshot as a horizontal bar over its period; the title
    gives Pilkada 2020's KASN rise."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    kasn20 = followed[(followed["cycle"] == 2020) & (followed["agency"] == "KASN")]
    first, last = kasn20.iloc[0], kasn20.iloc[-1]
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 4.2))
    for k, ((election, agency), g) in enumerate(followed.groupby(["election", "agency"])):
        g = g.sort_values("days_since_vote")
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
    days_axes(ax, lang)
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
    latest = max(followed["as_of_date"])
    finish(fig, title, t(f"potret KASN dan BKN lewat buku besar bukti, paling akhir "
                         f"{fmt_date(latest)}; tindak lanjut = sanksi dijalankan / "
                         "direkomendasikan; interval Wilson 95%; garis putus-putus: "
                         f"SKB {fmt_date(decree_date)}",
                         "KASN and BKN snapshots via the evidence ledger, "
                         f"{fmt_date(latest, 'en')} at the latest; follow-up = sanctions executed "
                         "/ recommended; Wilson 95% intervals; dashed line: joint decree of "
                         f"{fmt_date(decree_date, 'en')}"),
           lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Tindak lanjut (sanksi dijalankan dibagi rekomendasi) menurut hari sejak pemungutan "
            f"suara, satu garis per pemilihan dan lembaga. {title}.",
            "Follow-up rate (executed over recommended sanctions) against days since voting "
            f"day, one line per election and agency. {title}.")
    return fig, alt


def at_lags_table(table: pd.DataFrame):
    """Follow-up of each election and agency at the set lags, with how each value was had."""
    return reader_table(
        table.assign(method_text=table["method"].map(
            lambda m: AT_LAG_METHODS.get(m, m.replace("_", " ")))),
        [Col("election", "Pemilihan", "Election"), Col("agency", "Lembaga", "Agency"),
         Col("lag", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("value", "Tindak lanjut", "Follow-up", "pct"),
         Col("method_text", "Cara", "Method", "pair")],
        "Tindak lanjut pada jeda yang sama", "Follow-up at equal lags")


def claims_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """The distinct claims as the report's table saves them, the check in words."""
    return claims.assign(check_text=claims["check"].map(CHECKS))[CLAIM_COLUMNS]


def claims_table(table: pd.DataFrame):
    """The official follow-up claims with their dates, lags and how they check out."""
    return reader_table(
        table.assign(stated=table["stated_percent"] / 100),
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


def _claim(row, lang: str) -> str:
    """'38,0% (diumumkan hari +614)': a claim's percentage and its lag, from the as-of date or,
    when undated, marked as the day it was announced."""
    if pd.isna(row.days_since_vote):
        lag = "?"
    else:
        lag = fmt_days(row.days_since_vote, lang, row.days_since_vote_min, row.days_since_vote_max)
    basis = ({"id": "hari", "en": "day"} if row.lag_basis == "as_of" else
             {"id": "diumumkan hari", "en": "announced on day"})[lang]
    return f"{fmt_num(row.stated_percent, lang)}% ({basis} {lag})"


def claims_list(claims: pd.DataFrame, lang: str) -> str:
    """Every claim of ``claims`` by election: 'Pilkada 2018: 17,0% (…); Pemilu 2019: …'."""
    return "; ".join(f"{md(election)}: " + ", ".join(_claim(r, lang) for r in g.itertuples())
                     for election, g in claims.groupby("election", sort=False))


def claims_text(groups: dict) -> str:
    """What the claims can support, by how they check out (Markdown list, both languages;
    ``groups`` from :func:`analysis.findings.follow_up.claims_by_check`); every count is the
    length of the list it introduces."""
    E = '<span lang="en">'
    bounds, no_counts = groups["bounds"], groups["no_counts"]
    early, r2020 = groups["undated_early"], groups["reproduced_2020"]
    other = groups["reproduced_other"]
    elections = md(", ".join(other["election"].unique()))
    other_id = (f" dan {fmt_int(len(other))} klaim pemilihan lain ({elections})"
                if len(other) else "")
    other_en = (f" and {fmt_int(len(other), 'en')} claim{'' if len(other) == 1 else 's'} of "
                f"other elections ({elections})" if len(other) else "")
    early_names = md(" dan ".join(early["election"])), md(" and ".join(early["election"]))
    announced = early["published_date"].min() if len(early) else ""
    early_id = (f" Persentase {early_names[0]} diumumkan {fmt_date(announced)}, tanpa tanggal "
                "data: jedanya tidak diketahui, jadi tidak dapat dibandingkan dengan potret 2020 "
                "pada jeda yang sama." if len(early) else "")
    early_en = (f" The {early_names[1]} percentages were announced on "
                f"{fmt_date(announced, 'en')}, without an as-of date: their lag is unknown, so "
                "they cannot be set against 2020 snapshots at an equal lag." if len(early) else "")
    highest = r2020["computed"].max()
    return f"""
- **"Di bawah 30% sebelum 2020" / {E}"below 30% before 2020"</span>**: {fmt_int(len(bounds))}
  pernyataan, semuanya batas atas tanpa menyebut siklus atau jeda; tidak dapat dibandingkan
  dengan siklus mana pun. / {E}{fmt_int(len(bounds), 'en')} statements, all upper bounds naming
  no cycle or lag: they cannot be compared with any one election.</span>
- **Klaim tanpa angka / {E}claims without counts</span>**: {fmt_int(len(no_counts))}
  ({claims_list(no_counts, 'id')}).{early_id} / {E}{fmt_int(len(no_counts), 'en')}
  ({claims_list(no_counts, 'en')}).{early_en}</span>
- **Klaim yang cocok / {E}reproduced claims</span>**: {fmt_int(len(r2020))} klaim
  Pilkada 2020{other_id} cocok dengan hitungan yang dipublikasikan bersamanya; angka 2020
  tertinggi, {fmt_pct(highest, 'id')}, adalah hitungan final bertahun-tahun setelah pemungutan
  suara, bukan capaian pada Desember 2020. / {E}{fmt_int(len(r2020), 'en')} Pilkada 2020
  claims{other_en} are reproduced by the counts published with them; the highest 2020 figure,
  {fmt_pct(highest, 'en')}, is a final count years after the vote, not the December 2020
  level.</span>
"""


def draw_its(decree: dict, decree_lag: int, decree_date: str, max_lag: int, lang: str):
    """The KASN Pilkada 2020 snapshots with the segmented regression before and after the decree
    and the pre-decree trend extended; the title gives the verdict and the leave-one-out range
    of the level change (no interval: too few points)."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fit, points, verdict = decree["fit"], decree["points"], decree["verdict"]
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.8))
    ax.scatter(points["days_since_vote"], 100 * points["follow_up_rate"], color=plots.INK,
               zorder=3, s=28, label=t("potret KASN", "KASN snapshots"))
    for segment, (id_text, en_text, colour, style) in ITS_SEGMENTS.items():
        seg = fit.line[fit.line["segment"] == segment]
        ax.plot(seg["days_since_vote"], 100 * seg["value"], style, color=colour, lw=2,
                label=t(id_text, en_text))
    ax.axvline(decree_lag, color="#555555", ls="--", lw=0.8)
    days_axes(ax, lang)
    ax.set_ylim(0, 100)
    low, high = 100 * decree["loo_low"], 100 * decree["loo_high"]
    title = t(f"[{verdict.label('id')}] Uji kepekaan, bukan bukti: perubahan level pada SKB "
              f"bergeser antara {fmt_num(low, 'id')} dan {fmt_num(high, 'id')} poin bila satu "
              f"dari {fmt_int(fit.n)} potret ({fmt_int(fit.n_pre)} sebelum SKB) ditinggalkan",
              f"[{verdict.label('en')}] Sensitivity, not evidence: the level change at the "
              f"decree moves between {fmt_num(low, 'en')} and {fmt_num(high, 'en')} points when "
              f"one of {fmt_int(fit.n, 'en')} snapshots ({fmt_int(fit.n_pre, 'en')} before) is "
              "left out")
    last = max(points["as_of_date"])
    finish(fig, title, t(f"potret KASN lewat buku besar bukti, Pilkada 2020, sampai hari "
                         f"{max_lag} setelah pemungutan suara ({fmt_date(last)}); OLS dengan "
                         f"galat HAC Newey–West; tanpa interval (derajat bebas "
                         f"{fmt_num(fit.df_resid, 'id', 0)}); garis putus-putus: SKB "
                         f"{fmt_date(decree_date)}",
                         f"KASN snapshots via the evidence ledger, Pilkada 2020, up to day "
                         f"{max_lag} after voting day ({fmt_date(last, 'en')}); OLS with "
                         f"Newey–West HAC errors; no interval shown (df "
                         f"{fmt_num(fit.df_resid, 'en', 0)}); dashed line: the joint decree of "
                         f"{fmt_date(decree_date, 'en')}"),
           lang=lang, legend=ax.get_legend_handles_labels())
    alt = t("Potret tindak lanjut dengan garis regresi tersegmentasi sebelum dan sesudah SKB "
            f"{fmt_date(decree_date)}. {title}.",
            "Follow-up snapshots with the fitted segmented regression lines before and after "
            f"the {fmt_date(decree_date, 'en')} decree. {title}.")
    return fig, alt
