"""The key charts of the policy brief, drawn in the brief's language from the headlines.

Each chart function returns (figure, alt text, title); :func:`caption` gives the caption that
explains how to read it (it does not repeat the title). Every title starts with the verdict of
its headline (``analysis.findings.verdicts``) and states no difference the verdict does not
support: a "cannot tell" title names no direction (tests/findings/test_verdicts.py checks this).

Charts are drawn for a phone first: :data:`WIDTH_IN` inches at :data:`DPI`, every text at least
:data:`MIN_FONT_PT`, so that on a 390 px wide phone, where the image is shown
:data:`PHONE_DISPLAY_PX` wide, no text renders below 9 px (:func:`phone_text_px`, which is
:func:`analysis.publish.plots.phone_text_px` at the brief's display width). Ticks are formatted
in the brief's language (``72,8%``, ``1.116`` in Indonesian; :func:`plots.number_axis`,
:func:`plots.percent_axis`). The tests check the charts with the same functions as the
notebooks' figures: :func:`plots.text_overlaps` (no text on text, on data or off the figure) and
:func:`plots.marker_contrasts` (WCAG contrast of every colour that marks data).
"""
from __future__ import annotations

import textwrap
from functools import partial

import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from . import plots
from .formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from .plots import number_axis, percent_axis

DPI = 150
WIDTH_IN = 4.8
MIN_FONT_PT = 9.0
TITLE_PT = 10.5
BACKGROUND = "#ffffff"
# The brief's body on a 390 px phone: 1.1 rem padding each side (16 px rem) and a 1 px border
PHONE_VIEWPORT_PX = 390
PHONE_DISPLAY_PX = PHONE_VIEWPORT_PX - 2 * 1.1 * 16 - 2
# The figure checks are the notebooks' (analysis.publish.plots), one implementation for both; the
# phone check measured at the brief's own display width.
phone_text_px = partial(plots.phone_text_px, display_px=PHONE_DISPLAY_PX)

BLUE = "#0072B2"        # Okabe-Ito blue: earlier cycle / national series
VERMILLION = "#C85500"  # Okabe-Ito vermillion, darkened a little for >= 3:1 on white (+ text)
GREY = "#5F5F5F"        # national reference
INK = "#1b1b1b"
MUTED = "#333333"

TEXT = {
    "id": {
        "days": "hari sejak pemungutan suara (negatif = sebelum)",
        "follow_up": "rekomendasi sanksi\nyang dijalankan",
        "vote": "pemungutan\nsuara",
        "follow_title_dir": "[{verdict}] Pilkada 2020: porsi rekomendasi sanksi yang dijalankan "
                            "naik dari {first} menjadi {last} dalam {span} hari",
        "follow_title": "[{verdict}] Pilkada 2020: porsi rekomendasi sanksi yang dijalankan, "
                        "menurut hari sejak pemungutan suara",
        "follow_alt": "Grafik titik porsi rekomendasi sanksi KASN yang sudah dijalankan PPK "
                      "menurut hari sejak pemungutan suara Pilkada 2020, dengan selang "
                      "kepercayaan 95%. {title}.",
        "follow_source": "Sumber: KASN, angka per tanggal {first} s.d. {last}",
        "follow_caption": "Setiap titik adalah angka per tanggal yang diumumkan KASN: sanksi "
                          "yang sudah dijalankan dibagi rekomendasi sanksi sampai tanggal itu; "
                          "garis tegak adalah selang kepercayaan 95%.",
        "lag_x": "% ASN dilaporkan yang sudah disanksi,\n{lag} hari setelah pemungutan suara",
        "lag_title_dir": "[{verdict}] {lag} hari setelah pemungutan suara, porsi ASN yang sudah "
                         "disanksi pada Pilkada 2024 jauh {direction} Pilkada 2020",
        "lag_title": "[{verdict}] Porsi ASN dilaporkan yang sudah disanksi {lag} hari setelah "
                     "pemungutan suara: Pilkada 2020 dan 2024",
        "below": "di bawah", "above": "di atas",
        "lag_alt": "Rentang yang mungkin untuk Pilkada 2020 dan titik Pilkada 2024 dengan "
                   "selang kepercayaan 95%. {title}.",
        "lag_source": "Sumber: {old_agency} (2020), {new_agency} (2024); dinyatakan setara: "
                      "BKN penerus KASN",
        "lag_range": "rentang yang mungkin",
        "lag_caption": "Pilkada 2020 tidak punya angka tepat pada hari ke-{lag}: garis biru "
                       "adalah rentang yang mungkin di antara angka {lo_days} hari sebelum dan "
                       "{hi_days} hari sesudah pemungutan suara. Titik 2024 membawa selang "
                       "kepercayaan 95%.",
        "prov_x": "tingkat kasus per PNS dibanding provinsi lain\n(1 = sama; skala log)",
        "prov_alt": "Rasio tingkat kasus per PNS {province} terhadap provinsi lain per rilis "
                    "Bawaslu, dengan selang kepercayaan 95%. {title}.",
        "prov_source": "Sumber: Bawaslu (angka per tanggal); PNS per provinsi {year}",
        "same": "sama dengan\nprovinsi lain",
        "prov_title": "[{verdict}] {province} dibanding provinsi lain: rasio tingkat kasus "
                      "per PNS, dengan selang kepercayaan 95%",
        "cases": "{n} kasus",
        "beyond": "selang melewati tepi grafik",
        "prov_caption": "Setiap baris satu rilis Bawaslu yang menyebut {province}, dengan tanggal "
                        "datanya dan jumlah kasus provinsi. Garis adalah selang kepercayaan 95% "
                        "dengan variasi antarprovinsi rilis itu; panah berarti selangnya melewati "
                        "tepi grafik. Selang yang memuat 1 berarti tingkatnya belum dapat "
                        "dibedakan dari provinsi lain.",
        "tile_title": "{province} pada peta ringkasan provinsi: {category}",
        "tile_alt": "Peta ubin 38 provinsi dengan {province} disorot. {title}.",
        "tile_source": "laporan 07 (ringkasan provinsi), aturan warna yang sama",
        "tile_other": "provinsi lain",
        "tile_caption": "Satu ubin per provinsi, kira-kira menurut letaknya; warna ubin "
                        "{province} mengikuti kategorinya pada laporan 07.",
        "before": "{n} hari sebelum pemungutan suara",
        "after": "{n} hari setelah pemungutan suara",
    },
    "en": {
        "days": "days since voting day (negative = before)",
        "follow_up": "sanction recommendations\nexecuted",
        "vote": "voting\nday",
        "follow_title_dir": "[{verdict}] Pilkada 2020: the share of sanction recommendations "
                            "executed rose from {first} to {last} over {span} days",
        "follow_title": "[{verdict}] Pilkada 2020: the share of sanction recommendations "
                        "executed, by days since voting day",
        "follow_alt": "Dot chart of the share of KASN sanction recommendations executed by the "
                      "PPK, by days since the Pilkada 2020 vote, with 95% confidence ranges. "
                      "{title}.",
        "follow_source": "Source: KASN, snapshots {first} to {last}",
        "follow_caption": "Each dot is a snapshot announced by KASN: sanctions executed divided "
                          "by sanctions recommended up to that date; the vertical bars are 95% "
                          "confidence ranges.",
        "lag_x": "% of reported ASN already sanctioned,\n{lag} days after voting day",
        "lag_title_dir": "[{verdict}] {lag} days after the vote, the share of ASN sanctioned in "
                         "Pilkada 2024 is far {direction} Pilkada 2020",
        "lag_title": "[{verdict}] Share of reported ASN sanctioned {lag} days after the vote: "
                     "Pilkada 2020 and 2024",
        "below": "below", "above": "above",
        "lag_alt": "The possible range for Pilkada 2020 and the Pilkada 2024 point with its 95% "
                   "confidence range. {title}.",
        "lag_source": "Source: {old_agency} (2020), {new_agency} (2024); declared equivalent: "
                      "BKN succeeds KASN",
        "lag_range": "possible range",
        "lag_caption": "Pilkada 2020 has no figure on day {lag}: the blue line is the possible "
                       "range between the snapshots {lo_days} days before and {hi_days} days "
                       "after the vote. The 2024 dot carries its 95% confidence range.",
        "prov_x": "case rate per PNS against the other provinces\n(1 = the same; log scale)",
        "prov_alt": "Ratio of the case rate per PNS of {province} to the other provinces, per "
                    "Bawaslu release, with 95% confidence ranges. {title}.",
        "prov_source": "Source: Bawaslu (snapshots); PNS by province {year}",
        "same": "same as the\nother provinces",
        "prov_title": "[{verdict}] {province} against the other provinces: ratio of case rates "
                      "per PNS, with 95% confidence ranges",
        "cases": "{n} cases",
        "case": "{n} case",
        "beyond": "range runs past the chart's edge",
        "prov_caption": "Each row is one Bawaslu release naming {province}, with its as-of date "
                        "and the province's case count. The line is the 95% confidence range "
                        "with that release's variation between provinces; an arrow means the "
                        "range runs past the edge of the chart. A range that includes 1 cannot "
                        "be told apart from the other provinces.",
        "tile_title": "{province} on the province overview map: {category}",
        "tile_alt": "Tile map of the 38 provinces with {province} highlighted. {title}.",
        "tile_source": "report 07 (province overview), the same colour rule",
        "tile_other": "other provinces",
        "tile_caption": "One tile per province, roughly where it lies; the tile of {province} "
                        "takes its category's colour in report 07.",
        "before": "{n} days before the vote",
        "after": "{n} days after the vote",
    },
}


def cases(n: int, lang: str) -> str:
    """'3 kasus' / '3 cases' / '1 case' (no 'case(s)')."""
    t = TEXT[lang]
    return (t.get("case", t["cases"]) if n == 1 else t["cases"]).format(n=fmt_int(n, lang))


def days_phrase(days: int, lang: str) -> str:
    """'166 hari sebelum pemungutan suara' / '10 days after the vote' (never 'hari -166')."""
    t = TEXT[lang]
    return (t["before"] if days < 0 else t["after"]).format(n=fmt_int(abs(days), lang))


# ----------------------------------------------------------------------------- formatting

def _wrap(text: str, width_in: float, size: float, bold: bool = False) -> str:
    chars = max(20, int(width_in * 72 / (size * (0.64 if bold else 0.57))))
    return "\n".join(textwrap.wrap(text, chars))


def _layout(fig, title: str, source: str) -> None:
    """Title on top, source line at the bottom, the axes in between (sizes in inches)."""
    w, h = fig.get_size_inches()
    title = _wrap(title, w - 0.15, TITLE_PT, bold=True)
    source = _wrap(source, w - 0.15, MIN_FONT_PT)
    title_h = (title.count("\n") + 1) * TITLE_PT * 1.3 / 72 + 0.08
    source_h = (source.count("\n") + 1) * MIN_FONT_PT * 1.3 / 72 + 0.08
    fig.set_size_inches(w, h + title_h + source_h)
    h = h + title_h + source_h
    fig.text(0.01, 1 - 0.04 / h, title, ha="left", va="top", fontsize=TITLE_PT,
             fontweight="bold", color=INK)
    fig.text(0.01, 0.03 / h, source, ha="left", va="bottom", fontsize=MIN_FONT_PT, color=MUTED)
    fig.tight_layout(rect=(0, (source_h + 0.02) / h, 1, 1 - (title_h + 0.02) / h), pad=0.3)


def _new(height_in: float):
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height_in), dpi=DPI)
    fig.patch.set_facecolor(BACKGROUND)
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=MIN_FONT_PT)
    return fig, ax


# ----------------------------------------------------------------------------- charts

def follow_up_chart(h: dict, lang: str):
    t = TEXT[lang]
    f = h["follow_up"]
    verdict = f["verdict"]
    fig, ax = _new(2.1)
    pts = f["points"]
    ax.errorbar([p["day"] for p in pts], [100 * p["p"] for p in pts],
                yerr=[[100 * (p["p"] - p["low"]) for p in pts],
                      [100 * (p["high"] - p["p"]) for p in pts]],
                fmt="o-", color=BLUE, ms=4, lw=1.2, capsize=0, elinewidth=1.2)
    ax.axvline(0, color=GREY, lw=0.8, ls="--")
    # beside the voting-day line, a fixed distance from it (the line counts as data)
    ax.annotate(t["vote"], (0, 4), xytext=(5, 0), textcoords="offset points",
                fontsize=MIN_FONT_PT, color=MUTED, va="bottom", ha="left")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.yaxis.set_major_formatter(percent_axis(lang))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.xaxis.set_major_formatter(number_axis(lang, 0))
    ax.set_xlabel(t["days"], fontsize=MIN_FONT_PT)
    ax.set_ylabel(t["follow_up"], fontsize=MIN_FONT_PT)
    if verdict.strength == "cannot tell":
        title = t["follow_title"].format(verdict=verdict.label(lang))
    else:
        title = t["follow_title_dir"].format(
            verdict=verdict.label(lang), first=fmt_pct(f["first"]["p"], lang, 0),
            last=fmt_pct(f["last"]["p"], lang, 0),
            span=fmt_int(f["last"]["day"] - f["first"]["day"], lang))
    _layout(fig, title, t["follow_source"].format(first=fmt_date(f["first"]["as_of"], lang),
                                                  last=fmt_date(f["last"]["as_of"], lang)))
    return fig, t["follow_alt"].format(title=title), title


def equal_lag_chart(h: dict, lang: str):
    t = TEXT[lang]
    e = h["equal_lag"]
    old, new = e[2020], e[2024]
    verdict = e["verdict"]
    fig, ax = _new(1.7)
    lo, hi = 100 * old["bound_low"], 100 * old["bound_high"]
    ax.plot([lo, hi], [1, 1], color=BLUE, lw=2.5, solid_capstyle="butt")
    ax.plot([lo, lo], [0.88, 1.12], color=BLUE, lw=2.5)
    ax.plot([hi, hi], [0.88, 1.12], color=BLUE, lw=2.5)
    ax.text((lo + hi) / 2, 1.3, f"{t['lag_range']}: {fmt_pct(old['bound_low'], lang)}–"
            f"{fmt_pct(old['bound_high'], lang)}", ha="center", va="bottom",
            fontsize=MIN_FONT_PT, color=INK)
    plots.hover(ax.errorbar(100 * new["p"], 0, xerr=[[100 * (new["p"] - new["low"])],
                                                     [100 * (new["high"] - new["p"])]],
                            fmt="o", ms=6, capsize=3, color=VERMILLION, elinewidth=1.5)[0],
                [f"Pilkada 2024 ({new['agency']}): {fmt_pct(new['p'], lang)} "
                 f"({fmt_pct(new['low'], lang)}–{fmt_pct(new['high'], lang)})"])
    ax.text(100 * new["high"] + 3, 0, fmt_pct(new["p"], lang), va="center", ha="left",
            fontsize=MIN_FONT_PT, color=INK)
    ax.set_yticks([0, 1], [f"Pilkada 2024\n({new['agency']})",
                           f"Pilkada 2020\n({old['agency']})"])
    ax.set_xlim(-3, 100)
    ax.set_ylim(-0.5, 1.85)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(percent_axis(lang))
    ax.set_xlabel(t["lag_x"].format(lag=fmt_int(e["lag"], lang)), fontsize=MIN_FONT_PT)
    apart = old["bound_low"] > new["high"] or new["low"] > old["bound_high"]
    if verdict.strength == "cannot tell" or not apart:
        title = t["lag_title"].format(verdict=verdict.label(lang), lag=fmt_int(e["lag"], lang))
    else:
        title = t["lag_title_dir"].format(
            verdict=verdict.label(lang), lag=fmt_int(e["lag"], lang),
            direction=t["below"] if new["high"] < old["bound_low"] else t["above"])
    _layout(fig, title, t["lag_source"].format(old_agency=old["agency"],
                                               new_agency=new["agency"]))
    return fig, t["lag_alt"].format(title=title), title


TILE_WIDTH_IN = 5.8  # the province tile map (plots' fonts) shown at the brief's phone width
RATIO_LIMITS = (0.01, 100.0)  # the province chart's axis: a ratio beyond is drawn as an arrow


def _ratio_tick(lang: str):
    return FuncFormatter(lambda v, _: fmt_num(v, lang, 0 if v >= 1 else (1 if v >= 0.1 else 2)))


def province_chart(h: dict, lang: str):
    """The province's case rate per PNS against the other provinces, one row per release, with
    the 95% interval of the ratio under that release's overdispersion (the verdict's method);
    a bound beyond :data:`RATIO_LIMITS` is an arrow at the edge."""
    t = TEXT[lang]
    pr = h["province"]
    rows = pr["comparisons"]
    lo_lim, hi_lim = RATIO_LIMITS
    fig, ax = _new(0.75 * len(rows) + 0.9)
    ax.set_xscale("log")
    labels = []
    for i, r in enumerate(rows):
        low = min(max(r["ratio_low"], lo_lim), hi_lim)
        high = max(min(r["ratio_high"], hi_lim), lo_lim)
        point = min(max(r["ratio_to_rest"], lo_lim), hi_lim)
        ax.plot([low, high], [i, i], color=VERMILLION, lw=1.8, solid_capstyle="butt")
        if r["ratio_low"] < lo_lim:
            ax.plot(lo_lim, i, marker="<", ms=6, color=VERMILLION, ls="")
        if r["ratio_high"] > hi_lim:
            ax.plot(hi_lim, i, marker=">", ms=6, color=VERMILLION, ls="")
        ax.plot(point, i, "o", ms=6, color=VERMILLION)
        left = point < 1  # the count stands on the side away from the line at 1
        ax.annotate(cases(int(r["count"]), lang), (point, i), xytext=(-3 if left else 3, 6),
                    textcoords="offset points", ha="right" if left else "left",
                    va="bottom", fontsize=MIN_FONT_PT, color=INK)
        labels.append(f"{r['election']}\n({fmt_date(str(r['as_of_date'])[:10], lang)})")
    ax.axvline(1, color=GREY, lw=0.9, ls="--")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xlim(lo_lim / 1.6, hi_lim * 1.6)
    ax.xaxis.set_major_locator(FixedLocator([0.01, 0.1, 1, 10, 100]))
    ax.xaxis.set_minor_locator(FixedLocator([]))
    ax.xaxis.set_major_formatter(_ratio_tick(lang))
    ax.set_xlabel(t["prov_x"], fontsize=MIN_FONT_PT)
    title = t["prov_title"].format(verdict=pr["verdict"].label(lang), province=pr["province"])
    _layout(fig, title, t["prov_source"].format(year=pr["pns_year"]))
    return fig, t["prov_alt"].format(province=pr["province"], title=title), title


def tile_figure(h: dict, lang: str):
    """The province's tile on the province overview map (report 07): every other tile neutral,
    the province's in its category's colour, outlined. (fig, alt, title, caption), or None when
    the province has no tile."""
    from .tile_map import OVERVIEW_CATEGORIES, TILES, legend_handles, plot_tile_map
    from ..findings.overview import tile_category

    name = h["province"]["province"]
    if name not in TILES:
        return None
    t = TEXT[lang]
    rec = h.get("province_record") or {}
    mine = tile_category(h["province"]["verdict"].strength, len(h["province"]["comparisons"]),
                         len(rec.get("activity", ())) + len(rec.get("cases", ()))
                         + len(rec.get("sanctions", ())))
    fill, ink, words = OVERVIEW_CATEGORIES[mine]
    colours = {mine: fill, "other": "#F2F2F2"}
    labels = {mine: words[0 if lang == "id" else 1], "other": t["tile_other"]}
    fig, ax = plot_tile_map({p: (mine if p == name else "other") for p in TILES}, colours,
                            labels, highlight=name, text_colours={mine: ink})
    title = t["tile_title"].format(province=name, category=labels[mine])
    # report 07's map, a little narrower: on a phone the brief's column is narrower than the
    # reports' (PHONE_DISPLAY_PX), and no text may fall below 9 px there
    w, h_in = fig.get_size_inches()
    fig.set_size_inches(TILE_WIDTH_IN, h_in * TILE_WIDTH_IN / w)
    plots.finish(fig, title, t["tile_source"], lang=lang,
                 legend=legend_handles(colours, labels, [mine, "other"]))
    return fig, t["tile_alt"].format(province=name, title=title), title, \
        t["tile_caption"].format(province=name)


def caption(name: str, h: dict, lang: str) -> str:
    """How to read chart ``name`` (``follow_up``, ``equal_lag``, ``province``)."""
    t = TEXT[lang]
    if name == "follow_up":
        return t["follow_caption"]  # the finding beside it says what the rise means
    if name == "equal_lag":
        old = h["equal_lag"][2020]
        return t["lag_caption"].format(lag=fmt_int(h["equal_lag"]["lag"], lang),
                                       lo_days=fmt_int(abs(old["lower_lag"]), lang),
                                       hi_days=fmt_int(abs(old["upper_lag"]), lang))
    return t["prov_caption"].format(province=h["province"]["province"])


CHARTS = {"follow_up": follow_up_chart, "equal_lag": equal_lag_chart,
          "province": province_chart}


__all__ = ["follow_up_chart", "equal_lag_chart", "province_chart", "caption", "cases",
           "days_phrase", "phone_text_px", "CHARTS", "PHONE_DISPLAY_PX", "fmt_num"]
