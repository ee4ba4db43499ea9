"""Report 06, section 3: the event study per supervision measure and the curated measures.

A curated measure is shown by its title (from ``data/raw/supervision_measures.csv``, in English
as curated, escaped) with its id as a secondary label; the id links to the measure's row in the
table of curated measures (anchor :func:`anchor`).
"""
from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
import pandas as pd

from ...findings.measure_studies import PLANTED
from .. import plots
from ..formatting import fmt_num
from ..plots import PALETTE, finish
from ..reader_tables import Col, en, reader_table
from ..safe_text import md
from .register_page import RegisterPage, prose

OUTCOME_WORDS = {"detection": ("deteksi", "detection"),
                 "enforcement": ("penegakan", "enforcement")}
PLANTED_WORDS = ("langkah yang ditanam", "planted measure")
KINDS = {"appeal_letter": ("surat imbauan", "appeal letter"),
         "blocking_of_records": ("pemblokiran data", "blocking of records"),
         "circular": ("surat edaran", "circular"),
         "complaint_channel": ("kanal aduan", "complaint channel"),
         "decree": ("keputusan bersama", "joint decree"),
         "institutional_change": ("perubahan kelembagaan", "institutional change"),
         "monitoring": ("pemantauan", "monitoring"), "mou": ("nota kesepahaman", "MoU"),
         "pledge": ("ikrar", "pledge"), "reprimand": ("teguran", "reprimand"),
         "training": ("pelatihan", "training"),
         "working_group": ("kelompok kerja", "working group")}
DATE_BASIS = {"start": ("mulai berlaku", "start"),
              "count_as_of": ("tanggal hitungan", "count as of"),
              "planned": ("direncanakan", "planned"),
              "reported_by": ("dilaporkan pada", "reported by"),
              "unknown": ("tidak diketahui", "unknown")}
QUALITY = {"primary": ("primer", "primary"), "weak": ("lemah", "weak")}
ELECTION_TYPE = {"pilkada_rerun": ("Pilkada ulang", "Pilkada rerun")}


def _pair(words: dict, code: str, fallback: str) -> str:
    """'Indonesian / English' for a code (a ``pair`` cell), or ``fallback``."""
    pair = words.get(code)
    return f"{pair[0]} / {pair[1]}" if pair else fallback


def anchor(measure_id: str) -> str:
    """The id of a measure's row in the table of curated measures ('measure-sm-015')."""
    return "measure-" + re.sub(r"[^A-Za-z0-9_-]", "", str(measure_id))


def measure_link(measure_id: str) -> str:
    """The measure's id as a link to its row (HTML, escaped)."""
    return f'<a href="#{anchor(measure_id)}">{html.escape(str(measure_id))}</a>'


def measure_titles(measures: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """``{measure_id: (Indonesian title or "", English title)}`` from the curated measures."""
    title_id = (measures["title_id"] if "title_id" in measures
                else pd.Series("", index=measures.index))
    return {str(m): ("" if pd.isna(i) else str(i).strip(), str(e))
            for m, i, e in zip(measures["measure_id"], title_id, measures["title"])}


def measure_label(measure: str, titles: dict, lang: str = "both") -> str:
    """A measure for readers (HTML): the planted measure in its words, a curated measure by its
    title with its id linked to its row. ``titles`` maps an id to ``(Indonesian, English)``
    (:func:`measure_titles`) or to an English title alone. ``lang``: ``"id"`` (the English,
    marked, when no Indonesian was curated), ``"en"`` (plain, for text already marked English)
    or ``"both"`` (Indonesian with its translation)."""
    if measure == PLANTED:
        return {"id": PLANTED_WORDS[0], "en": PLANTED_WORDS[1]}.get(
            lang, f"{PLANTED_WORDS[0]} / {en(PLANTED_WORDS[1])}")
    title = titles.get(measure)
    if title is None:
        return html.escape(str(measure))
    title_id, title_en = ("", title) if isinstance(title, str) else title
    if lang == "en":
        text = html.escape(title_en)
    elif lang == "id" and title_id:
        text = html.escape(title_id)
    elif lang == "id":
        text = en(html.escape(title_en))
    else:
        text = measure_title(title_id, title_en)
    return f"{text} ({measure_link(measure)})"


def study_table(summary: pd.DataFrame, titles: dict, page: RegisterPage):
    """The event-study summary for readers: measure (title and id), outcome, units, the average
    effect with its 95% interval, the permutation p and the smallest attainable, the verdict (its
    reason follows the table, one line per study: :func:`verdict_lines`)."""
    return reader_table(
        summary.assign(
            measure_text=[measure_label(m, titles) for m in summary["measure"]],
            outcome_text=summary["outcome"].map(lambda o: _pair(OUTCOME_WORDS, o, o))),
        [Col("measure_text", "Langkah", "Measure", "html"),
         Col("outcome_text", "Hasil yang diukur", "Outcome", "pair"),
         Col("G", "Unit (G)", "Units (G)", "int"),
         Col("treated_units", "Unit yang diperlakukan", "Units treated", "int"),
         Col("estimate", "Efek rata-rata", "Average effect", "num", 2),
         Col("low", "Batas bawah 95%", "95% lower limit", "num", 2),
         Col("high", "Batas atas 95%", "95% upper limit", "num", 2),
         Col("randomisation_p", "p permutasi", "Permutation p", "num", 3),
         Col("min_randomisation_p", "p permutasi terkecil yang mungkin",
             "Smallest attainable permutation p", "num", 3),
         Col("verdict", "Penilaian", "Verdict", "word")],
        f"{page.mark_md}Studi peristiwa: efek rata-rata setelah adopsi per langkah dan hasil "
        "(alasan setiap penilaian di bawah tabel)",
        "Event study: average effect after adoption by measure and outcome (the reason for each "
        "verdict follows the table)")


def verdict_lines(summary: pd.DataFrame, verdicts: dict, titles: dict) -> list[str]:
    """One Markdown line per study: the measure and outcome, then its verdict in both
    languages."""
    lines = []
    for measure, outcome in zip(summary["measure"], summary["outcome"]):
        v = verdicts[(measure, outcome)]
        words = OUTCOME_WORDS.get(outcome, (outcome, outcome))
        if measure == PLANTED:
            who_id, who_en = PLANTED_WORDS
        elif measure in titles:
            who_id, who_en = (measure_label(measure, titles, "id"),
                              measure_label(measure, titles, "en"))
        else:
            who_id = who_en = md(measure)
        lines.append(f"**{who_id} · {md(words[0])}**: {prose(v.text('id'))} / " + en(
            f"**{who_en} · {md(words[1])}**: {prose(v.text('en'))}"))
    return lines


def draw_event_study(studies: dict, horizon_days: int, page: RegisterPage, lang: str):
    """The planted measure's event study, detection above enforcement, with 95% intervals by
    cycle relative to adoption; the title gives the detection ATT and the pre-periods checked."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    fig, axes = plt.subplots(2, 1, figsize=(plots.WIDTH_IN, 6.4))
    for ax, outcome in zip(axes, ("detection", "enforcement")):
        s = studies[(PLANTED, outcome)]
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
                      t(f"dijalankan ≤ {horizon_days} hari\n(bagian)",
                        f"executed ≤ {horizon_days} days\n(share)"))
        ax.set_xticks(sorted(es["rel_time"].unique()))
        ax.xaxis.set_major_formatter(plots.number_axis(lang, 0))
        ax.yaxis.set_major_formatter(plots.number_axis(lang))
        ax.set_title(t(*OUTCOME_WORDS[outcome]), loc="left", fontsize=plots.MIN_FONT_PT,
                     fontweight="bold")
    det = studies[(PLANTED, "detection")]
    n_pre = int((det["result"].event_study["rel_time"] < -1).sum())
    att = det["result"].overall.estimate
    title = t(f"Langkah pemantauan yang ditanam: ATT deteksi {fmt_num(att, 'id', 2)} kasus per "
              f"10.000 ASN (G = {det['G']}), periode pra yang diperiksa: {n_pre}",
              f"Planted monitoring measure: detection ATT {fmt_num(att, 'en', 2)} cases per "
              f"10,000 ASN (G = {det['G']}), pre-periods checked: {n_pre}")
    finish(fig, title, page.source(
               lang, "Callaway–Sant'Anna, kontrol yang belum diperlakukan, t(G−1) ber-klaster "
               "per wilayah; garis tegak: interval 95%",
               "Callaway–Sant'Anna, not-yet-treated controls, t(G−1) clustered by region; "
               "vertical bars: 95% intervals"), synthetic=page.synthetic, lang=lang)
    alt = t(f"{page.mark('id')}Estimasi studi peristiwa dengan interval 95% menurut siklus "
            f"relatif terhadap adopsi, deteksi dan penegakan. {title}.",
            f"{page.mark('en')}Event-study estimates with 95% intervals by cycle relative to "
            f"adoption, detection and enforcement. {title}.")
    return fig, alt


def has_planted_figure(studies: dict) -> bool:
    """True when the planted measure's detection study could be estimated (the figure's
    subject)."""
    study = studies.get((PLANTED, "detection"))
    return bool(study and study.get("estimable"))


MEASURE_COLUMNS = ["measure_id", "title", "kind", "cycle", "election_type", "scope", "region",
                   "start_date", "start_precision", "date_basis", "source_quality"]
# the start date reads at its own precision ('September 2022', '2018'): no column for it


def measure_title(title_id, title_en) -> str:
    """A measure's title as HTML: the Indonesian (``title_id``) with the English as its
    translation; the English alone, marked as English, when no Indonesian was curated."""
    title_id = "" if pd.isna(title_id) else str(title_id).strip()
    english = en(html.escape(str(title_en)))
    return f"{html.escape(title_id)} / {english}" if title_id else english


def measures_table(measures: pd.DataFrame):
    """The curated supervision measures: title (in Indonesian with the curated English as its
    translation) with the id as a secondary label and the anchor of the row, kind, cycle,
    election, scope, region, the start date (at its precision) with how it is known, and the
    source's quality."""
    shown = measures[MEASURE_COLUMNS]
    titles = measure_titles(measures)
    cells = [f'{measure_title(*titles[str(mid)])}<br><small id="{anchor(mid)}">'
             f'{html.escape(mid)}</small>' for mid in shown["measure_id"]]
    return reader_table(
        shown.assign(
            measure_text=cells,
            kind=shown["kind"].map(lambda k: _pair(KINDS, k, k.replace("_", " "))),
            cycle=shown["cycle"].astype(str),
            election_type=shown["election_type"].map(
                lambda e: _pair(ELECTION_TYPE, e, e.replace("_", " ").capitalize())),
            date_basis=shown["date_basis"].map(
                lambda b: _pair(DATE_BASIS, b, b.replace("_", " "))),
            source_quality=shown["source_quality"].map(lambda q: _pair(QUALITY, q, q))),
        [Col("measure_text", "Langkah (kode)", "Measure (code)", "html"),
         Col("kind", "Jenis", "Kind", "pair"),
         Col("cycle", "Siklus", "Cycle"), Col("election_type", "Pemilihan", "Election", "pair"),
         Col("scope", "Cakupan", "Scope", "word"), Col("region", "Wilayah", "Region"),
         Col("start_date", "Tanggal mulai", "Start date", "date"),
         Col("date_basis", "Dasar tanggal", "Date basis", "pair"),
         Col("source_quality", "Mutu sumber", "Source quality", "pair")],
        "Langkah pengawasan yang dikurasi", "Curated supervision measures")


def national_text(by_cycle: dict, usable: list[str], n_units: int) -> str:
    """The national measures per cycle and the regency measures testable on the register, ids
    linked to their rows (Markdown, both languages)."""
    def ids(measure_ids):
        return ", ".join(measure_link(m) for m in measure_ids) or "–"

    per_cycle = "; ".join(f"{cycle}: {ids(found)}" for cycle, found in by_cycle.items())
    return (f"Langkah nasional per siklus: {per_cycle}. Langkah kabupaten/kota yang dapat diuji "
            f"di register ini: {ids(usable)} (G = {n_units} unit). / " + en(
                f"National measures per cycle: {per_cycle}. Regency measures testable on this "
                f"register: {ids(usable)} (G = {n_units} units)."))
