"""Report 06, section 5: the nowcast of the running cycle's share executed from the published
snapshots (real data, not the register), and its back-test on Pilkada 2020."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ...findings.nowcast import SERIES_KEYS
from .. import plots
from ..formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from ..plots import PALETTE, finish
from ..reader_tables import Col, en, reader_table
from ..safe_text import md
from .enforcement import days_axes
from .register_page import prose


def series_table(table: pd.DataFrame):
    """One row per published snapshot series (cycle, election, agency): how many snapshots,
    first and last day from the vote, the last share executed, whether the cycle is complete."""
    return reader_table(
        table.assign(
            cycle=table["cycle"].astype(str),
            election_type=table["election_type"].astype(str).str.capitalize(),
            completed=table["completed"].map(lambda c: "ya / yes" if bool(c) else "tidak / no")),
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
        "Published snapshot series, by cycle and agency")


def backtest_table(bt: pd.DataFrame):
    """Every 2020 snapshot's nowcast against the final value, and the shortfall when the
    snapshot is carried forward (percentage points)."""
    return reader_table(
        bt.assign(carry_points=-100 * bt["carry_forward_error"]),
        [Col("as_of_date", "Tanggal data", "As of", "date"),
         Col("lag", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("current", "Bagian dijalankan saat itu", "Share executed then", "pct"),
         Col("n", "Rekomendasi", "Recommendations", "int"),
         Col("estimate", "Nowcast", "Nowcast", "pct"),
         Col("low", "Batas bawah", "Lower limit", "pct"),
         Col("high", "Batas atas", "Upper limit", "pct"),
         Col("final", "Nilai akhir", "Final value", "pct"),
         Col("carry_points", "Kekurangan bila potret dibawa ke depan (poin)",
             "Shortfall when the snapshot is carried forward (points)", "num", 1)],
        "Uji balik Pilkada 2020: setiap potret dibandingkan dengan nilai akhir (metode, jumlah "
        "kurva acuan dan lebar interval: lihat di bawah grafik)",
        "Back-test on Pilkada 2020: every snapshot against the final value (method, number of "
        "reference curves and interval width: see below the figure)")


def draw_nowcast(points: pd.DataFrame, running: dict, back: dict, shortfall: dict, verdict,
                 lang: str):
    """The follow-up share against days since voting day for every published series, the
    possible range of the 2020 final value and that final value; the title gives the verdict,
    the completed curves and how far the 2020 snapshots fell short."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    bt = back["backtest"]
    worst = shortfall["largest"]
    fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 3.8))
    for k, ((cy, et, ag), g) in enumerate(points.groupby(SERIES_KEYS)):
        ax.plot(g["lag"], 100 * g["value"], "o-", color=PALETTE[k % len(PALETTE)],
                label=f"{et.capitalize()} {cy} · {ag}")
    ax.fill_between(bt["lag"], 100 * bt["low"], 100 * bt["high"], color="#bbbbbb", alpha=0.35,
                    label=t("rentang yang mungkin (tanpa kurva acuan)",
                            "possible range (no reference curve)"))
    ax.axhline(100 * back["final"], color="#555555", ls="--", lw=0.8,
               label=t("nilai akhir 2020", "final value 2020"))
    ax.set_ylim(0, 100)
    days_axes(ax, lang, ("dijalankan", "executed"))
    k = running["k_available"]
    title = t(f"[{verdict.label('id')}] {k} kurva siklus selesai; potret 2020 di bawah nilai "
              f"akhirnya {fmt_pct(back['final'], 'id', 0)} hingga {fmt_num(worst, 'id', 0)} poin",
              f"[{verdict.label('en')}] {k} completed curve(s); 2020 snapshots understated its "
              f"final {fmt_pct(back['final'], 'en', 0)} by up to {fmt_num(worst, 'en', 0)} "
              "points")
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


def summary_text(running: dict, back: dict, shortfall: dict, verdict) -> str:
    """The nowcast's verdict, the completed curves and what the back-test could test, the
    carry-forward shortfall, and the running cycle's nowcast or why there is none (Markdown,
    both languages)."""
    bt = back["backtest"]
    rn = running["nowcast"]
    refs = ", ".join(map(md, running["references"])) or "–"
    k, n_inf, n_bt = running["k_available"], back["n_informative"], len(bt)
    latest, largest, wide = (shortfall["latest"], shortfall["largest"],
                             shortfall["widest_interval"])
    final = {lg: (f"{fmt_pct(back['final'], lg, 1)} ({fmt_int(back['final_executed'], lg)}/"
                  f"{fmt_int(back['final_recommended'], lg)})") for lg in ("id", "en")}
    if rn is not None:
        running_id = (f"Siklus berjalan: nowcast {fmt_pct(rn.estimate, 'id')} "
                      f"({fmt_pct(rn.low, 'id')}–{fmt_pct(rn.high, 'id')}, {md(rn.method)}).")
        running_en = (f"Running cycle: nowcast {fmt_pct(rn.estimate, 'en')} "
                      f"({fmt_pct(rn.low, 'en')}–{fmt_pct(rn.high, 'en')}, {md(rn.method)}).")
    else:
        n_exec = len(running["executed_only"])
        running_id = (f"Pilkada 2024: {n_exec} potret jumlah sanksi tanpa jumlah rekomendasi "
                      "(BKN/Kemendagri), jadi bagian yang dijalankan tidak dapat dihitung, "
                      "apalagi di-nowcast. Selain itu, 2024 diputus BKN dengan prosedur baru: "
                      "kurva KASN 2020 bukan acuan yang sah.")
        running_en = (f"Pilkada 2024: {n_exec} snapshots of sanctions executed without a count "
                      "of recommendations (BKN/Kemendagri): the share executed cannot be "
                      "computed, let alone nowcast. Moreover 2024 cases are decided by BKN under "
                      "a new procedure: the 2020 KASN curve is not a valid reference.")
    return (
        f"**{prose(verdict.text('id'))}** / " + en(f"**{prose(verdict.text('en'))}**") + "\n\n"
        f"- Kurva siklus selesai: {k} ({refs}). Uji balik 2020 hanya memakai kurva yang sudah "
        f"selesai pada tanggal setiap potret: {n_inf} dari {n_bt} potret memiliki interval "
        f"prediksi; potret tanpa kurva acuan (interval selebar {fmt_num(wide, 'id', 0)} poin) "
        "tidak menguji apa pun. / " + en(
            f"Completed curves: {k} ({refs}). The 2020 back-test uses only curves completed by "
            f"each snapshot's date: {n_inf} of {n_bt} snapshots had a prediction interval; a "
            f"snapshot without a reference curve (an interval {fmt_num(wide, 'en', 0)} points "
            "wide) tests nothing.") + "\n"
        f"- Tanpa kurva, membawa potret terakhir ke depan meleset {fmt_num(latest, 'id', 0)}"
        f"–{fmt_num(largest, 'id', 0)} poin dari nilai akhir {final['id']}. / " + en(
            f"Without a curve, carrying a snapshot forward misses the final {final['en']} by "
            f"{fmt_num(latest, 'en', 0)}–{fmt_num(largest, 'en', 0)} points.") + "\n"
        f"- {running_id} / " + en(running_en))
