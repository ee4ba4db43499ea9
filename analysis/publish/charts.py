"""The key charts of the policy brief, drawn in the brief's language from the headlines.

Each function returns (figure, alt text); titles state the finding with numbers formatted for
the language (Indonesian: 72,8%).
"""
from __future__ import annotations

import matplotlib.pyplot as plt

from .formatting import fmt_date, fmt_num, fmt_pct
from .plots import HIGHLIGHT, NEUTRAL, PALETTE, finish

TEXT = {
    "id": {
        "days": "hari sejak pemungutan suara",
        "follow_up": "sanksi dijalankan / direkomendasikan (%)",
        "vote": "hari pemungutan suara",
        "follow_title": "Tindak lanjut Pilkada 2020 naik dari {first} (hari {d1}) menjadi {last} "
                        "(hari {d2})",
        "follow_alt": "Grafik titik tindak lanjut sanksi KASN menurut hari sejak pemungutan suara "
                      "Pilkada 2020, dengan interval 95%. {title}.",
        "follow_source": "KASN, potret {first} s.d. {last}; interval Wilson 95%",
        "lag_x": "% ASN dilaporkan yang sudah disanksi pada hari ke-{lag}",
        "lag_title": "Hari ke-{lag} setelah pemungutan suara: {p2020} ASN dilaporkan sudah "
                     "disanksi pada Pilkada 2020, {p2024} pada Pilkada 2024",
        "lag_alt": "Dua titik dengan interval 95%. {title}.",
        "lag_source": "KASN (2020, diinterpolasi antara dua potret) dan BKN (2024); "
                      "interval Wilson 95%",
        "prov_x": "kasus per 10.000 PNS",
        "prov_alt": "Tingkat kasus per 10.000 PNS untuk {province} dan nasional, dengan interval "
                    "eksak 95%. {title}.",
        "prov_source": "Bawaslu (daftar provinsi dan total nasional); PNS per provinsi {year} (BPS)",
        "national": "nasional",
        "lower": "{election} lebih rendah dari provinsi lain (rasio {ratio})",
        "higher": "{election} lebih tinggi dari provinsi lain (rasio {ratio})",
        "same": "{election} tidak berbeda jelas (rasio {ratio})",
    },
    "en": {
        "days": "days since voting day",
        "follow_up": "sanctions executed / recommended (%)",
        "vote": "voting day",
        "follow_title": "Pilkada 2020 follow-up rose from {first} (day {d1}) to {last} (day {d2})",
        "follow_alt": "Dot chart of KASN sanction follow-up by days since the Pilkada 2020 vote, "
                      "with 95% intervals. {title}.",
        "follow_source": "KASN, snapshots {first} to {last}; Wilson 95% intervals",
        "lag_x": "% of reported ASN sanctioned by day {lag}",
        "lag_title": "Day {lag} after the vote: {p2020} of reported ASN sanctioned in Pilkada "
                     "2020, {p2024} in Pilkada 2024",
        "lag_alt": "Two points with 95% intervals. {title}.",
        "lag_source": "KASN (2020, interpolated between two snapshots) and BKN (2024); Wilson 95% "
                      "intervals",
        "prov_x": "cases per 10,000 PNS",
        "prov_alt": "Case rates per 10,000 PNS for {province} and the country, with exact 95% "
                    "intervals. {title}.",
        "prov_source": "Bawaslu (province lists and national totals); PNS by province {year} (BPS)",
        "national": "national",
        "lower": "{election} below the other provinces (ratio {ratio})",
        "higher": "{election} above the other provinces (ratio {ratio})",
        "same": "{election} not clearly different (ratio {ratio})",
    },
}


def follow_up_chart(h: dict, lang: str):
    t = TEXT[lang]
    f = h["follow_up"]
    fig, ax = plt.subplots(figsize=(7.5, 3.3))
    pts = f["points"]
    ax.errorbar([p["day"] for p in pts], [100 * p["p"] for p in pts],
                yerr=[[100 * (p["p"] - p["low"]) for p in pts], [100 * (p["high"] - p["p"]) for p in pts]],
                fmt="o-", color=PALETTE[0], capsize=2)
    ax.axvline(0, color="black", lw=0.8)
    ax.text(3, 5, t["vote"], fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t["days"])
    ax.set_ylabel(t["follow_up"])
    title = t["follow_title"].format(first=fmt_pct(f["first"]["p"], lang, 0), d1=f["first"]["day"],
                                     last=fmt_pct(f["last"]["p"], lang, 0), d2=f["last"]["day"])
    finish(fig, title, t["follow_source"].format(first=fmt_date(f["first"]["as_of"], lang),
                                                  last=fmt_date(f["last"]["as_of"], lang)))
    return fig, t["follow_alt"].format(title=title), title


def equal_lag_chart(h: dict, lang: str):
    t = TEXT[lang]
    e = h["equal_lag"]
    fig, ax = plt.subplots(figsize=(7.5, 2.3))
    for i, cycle in enumerate((2020, 2024)):
        r = e[cycle]
        ax.errorbar(100 * r["p"], i, xerr=[[100 * (r["p"] - r["low"])], [100 * (r["high"] - r["p"])]],
                    fmt="o", capsize=4, color=PALETTE[i])
        ax.text(100 * r["high"] + 1.5, i, fmt_pct(r["p"], lang), va="center", fontsize=9)
    ax.set_yticks([0, 1], ["Pilkada 2020", "Pilkada 2024"])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlabel(t["lag_x"].format(lag=e["lag"]))
    title = t["lag_title"].format(lag=e["lag"], p2020=fmt_pct(e[2020]["p"], lang),
                                  p2024=fmt_pct(e[2024]["p"], lang))
    finish(fig, title, t["lag_source"])
    return fig, t["lag_alt"].format(title=title), title


def province_chart(h: dict, lang: str):
    t = TEXT[lang]
    pr = h["province"]
    rows = pr["comparisons"]
    fig, ax = plt.subplots(figsize=(7.5, 0.8 * len(rows) + 1.6))
    labels = []
    for i, r in enumerate(rows):
        for offset, (rate, low, high, colour) in zip(
                (0.15, -0.15), ((r["rate"], r["rate_low"], r["rate_high"], HIGHLIGHT),
                                (r["national_rate"], r["national_low"], r["national_high"], NEUTRAL))):
            ax.errorbar(rate, i + offset, xerr=[[rate - low], [high - rate]], fmt="o",
                        capsize=3, color=colour)
        labels.append(r["election"])
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel(t["prov_x"])
    ax.plot([], [], "o", color=HIGHLIGHT, label=pr["province"])
    ax.plot([], [], "o", color=NEUTRAL, label=t["national"])
    ax.legend(fontsize=8, loc="lower right")
    ax.set_xlim(left=0)
    verdicts = []
    for r in rows:
        key = ("lower" if r["ratio_high"] < 1 else "higher" if r["ratio_low"] > 1 else "same")
        verdicts.append(t[key].format(election=r["election"], ratio=fmt_num(r["ratio_to_rest"], lang, 2)))
    title = f"{pr['province']}: " + "; ".join(verdicts)
    finish(fig, title, t["prov_source"].format(year=pr["pns_year"]))
    return fig, t["prov_alt"].format(province=pr["province"], title=title), title


__all__ = ["follow_up_chart", "equal_lag_chart", "province_chart", "fmt_num"]
