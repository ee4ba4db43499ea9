"""The funnel plot of one release's province counts, as reports 03 and 04 draw it: the title
states what the release shows for the chosen province, the source names the release's snapshot
and the PNS year."""
from __future__ import annotations

import pandas as pd

from .. import funnel_chart, plots
from ..formatting import fmt_date, fmt_int, fmt_num
from ..tile_map import short_name

WHERE = {"inside": ("di dalam batas 95%", "inside the 95% limits"),
         "above_95": ("di atas batas 95%", "above the 95% limit"),
         "above_998": ("di atas batas 99,8%", "above the 99.8% limit"),
         "below_95": ("di bawah batas 95%", "below the 95% limit"),
         "below_998": ("di bawah batas 99,8%", "below the 99.8% limit")}


def snapshot_date(text, lang: str = "id") -> str:
    """A snapshot's date for readers ('4 Oktober 2020'); 'published 2019' as 'terbit 2019'."""
    text, prefix = str(text), ""
    if text.startswith("published "):
        prefix, text = ("terbit " if lang == "id" else "published "), text[len("published "):]
    try:
        return prefix + fmt_date(text, lang)
    except ValueError:
        return prefix + text


def draw_release(label: str, release: dict, province: str, pns_year, per: float, lang: str):
    """Report 03: every listed province of one release against the national rate, how many are
    flagged after FDR control, and where the chosen ``province`` stands (or that it is not
    listed)."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    table, info = release["table"], release["info"]
    flagged = table[table["flag"] != ""]
    in_list = province in set(table["term"])
    short = short_name(province)
    if in_list:
        rate = table.set_index("term").loc[province, "estimate"]
        where = t(f"; {short} {fmt_num(rate, 'id', 2)} per 10.000 PNS",
                  f"; {short} {fmt_num(rate, 'en', 2)} per 10,000 PNS")
    else:
        where = t(f"; {short} tidak ada dalam daftar", f"; {short} not listed")
    snap = snapshot_date(info["snapshot"], lang)
    title = t(f"{label} (potret {snap}): {fmt_int(len(flagged))} dari "
              f"{fmt_int(table.attrs['n_provinces'])} provinsi ditandai setelah kendali FDR "
              f"({fmt_int(table.attrs['n_listed'])} tercantum){where}",
              f"{label} (snapshot {snap}): {fmt_int(len(flagged), 'en')} of "
              f"{fmt_int(table.attrs['n_provinces'], 'en')} provinces flagged after FDR control "
              f"({fmt_int(table.attrs['n_listed'], 'en')} listed){where}")
    source = t(f"hitungan provinsi {release['agency']} ({snap}, "
               f"{fmt_int(info['n_provinces'])} provinsi tercantum); PNS per provinsi "
               f"{pns_year} (BPS); {funnel_chart.limits_source(table, 'id')}",
               f"{release['agency']} province counts ({snap}, "
               f"{fmt_int(info['n_provinces'], 'en')} provinces listed); PNS by province "
               f"{pns_year} (BPS); {funnel_chart.limits_source(table, 'en')}")
    fig = funnel_chart.plot_funnel(table, per=per, highlight=province if in_list else None,
                                   lang=lang, title=title, source=source)
    alt = t("Plot corong pelanggaran per 10.000 PNS terhadap jumlah PNS per provinsi dengan "
            f"batas kendali eksak. {title}.",
            "Funnel plot of violations per 10,000 PNS against PNS by province with exact "
            f"control limits. {title}.")
    return fig, alt


def draw_case(label: str, table: pd.DataFrame, info: dict, province: str, verdict, pns_year,
              per: float, lang: str):
    """Report 04: one release's funnel with the chosen ``province`` (listed) highlighted; the
    title gives the verdict, its rate and where it stands (adjusted for overdispersion where
    the table is) and whether it is flagged."""
    t = lambda i, e: plots.pick(lang, i, e)  # noqa: E731
    row = table.set_index("term").loc[province]
    adjusted = "position_adj" in row
    position = row["position_adj"] if adjusted else row["position"]
    adjusted_text = t(" (disesuaikan overdispersi)", " (overdispersion-adjusted)") \
        if adjusted else ""
    flag = (t(f"; ditandai {row['flag']}", f"; flagged {row['flag']}") if row["flag"]
            else t("; tidak ditandai setelah FDR", "; not flagged after FDR"))
    where = WHERE[position][0 if lang == "id" else 1]
    short = short_name(province)
    snap = snapshot_date(info["snapshot"], lang)
    title = t(f"[{verdict.label('id')}] {label}, potret {snap}: {short} "
              f"{fmt_num(row['estimate'], 'id', 2)} per 10.000 PNS, {where}{adjusted_text}{flag}",
              f"[{verdict.label('en')}] {label}, snapshot {snap}: {short} at "
              f"{fmt_num(row['estimate'], 'en', 2)} per 10,000 PNS is {where}{adjusted_text}"
              f"{flag}")
    source = t(f"hitungan provinsi {info['agency']} ({snap}, potret, bukan total siklus); PNS "
               f"per provinsi {pns_year} (BPS); {funnel_chart.limits_source(table, 'id')} di "
               "sekitar angka nasional",
               f"{info['agency']} province counts ({snap}, a snapshot, not a cycle total); PNS by "
               f"province {pns_year} (BPS); {funnel_chart.limits_source(table, 'en')} around the "
               "national rate")
    fig = funnel_chart.plot_funnel(table, highlight=province, per=per, lang=lang, title=title,
                                   source=source)
    alt = t(f"Plot corong dengan {province} disorot. {title}.",
            f"Funnel plot with {province} highlighted. {title}.")
    return fig, alt
