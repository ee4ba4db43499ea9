"""Report 04 for readers: the chosen province's calendar and incumbents, every figure about it
(in few enough columns to read at 1280 px), its comparisons with the nation, what its sparse
counts cannot tell, its counts that are not ASN-only, and the data it should collect next."""
from __future__ import annotations

import pandas as pd

from ...findings.province_record import ACTIVITY_WORDS
from ..formatting import fmt_date, fmt_days, fmt_int, fmt_num
from ..reader_tables import Col, en, reader_table, word
from ..safe_text import md

RACES = {"pilbup": "bupati / regent", "pilwalkot": "wali kota / mayor",
         "pilwako": "wali kota / mayor", "pilgub": "gubernur / governor", "all": "semua / all"}
INCUMBENT = {1: "ya / yes", 0: "tidak / no"}
UNKNOWN = "tidak diketahui / unknown"
QUALITY = {"primary": "utama / primary", "secondary": "sekunder / secondary",
           "weak": "lemah / weak"}


def _incumbent(value) -> str:
    return UNKNOWN if pd.isna(value) else INCUMBENT.get(value, UNKNOWN)


def calendar_table(calendar: pd.DataFrame):
    """Every race of the province: office, voting day, whether an incumbent ran, first source."""
    return reader_table(
        calendar.assign(
            race_text=calendar["race"].map(lambda r: RACES.get(r, r)),
            incumbent_text=calendar["incumbent_running"].map(_incumbent),
            first_source=calendar["sources"].fillna("").str.split(" | ", regex=False).str[0]),
        [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("race_text", "Jabatan dipilih", "Office", "pair"),
         Col("voting_day", "Hari pemungutan suara", "Voting day", "date"),
         Col("incumbent_text", "Petahana maju", "Incumbent ran", "pair"),
         Col("first_source", "Sumber", "Source", "url")],
        "Kalender pemilihan dan petahana", "Election calendar and incumbents")


def _stage(metric: str, category: str) -> str:
    """'dilaporkan (laporan) / reported (laporan)': the stage in words, its category in words
    where the house has them ('langkah pengawasan: surat imbauan / supervision measure:
    appeal letter'), else as given."""
    if not category:
        return f"{word(metric, 'id')} / {word(metric, 'en')}"
    if category in ACTIVITY_WORDS:
        said_id, said_en = ACTIVITY_WORDS[category]
        return f"{word(metric, 'id')}: {said_id} / {word(metric, 'en')}: {said_en}"
    return f"{word(metric, 'id')} ({category}) / {word(metric, 'en')} ({category})"


def _value(value: float, unit: str) -> str:
    """'1.234 kasus / cases': the value (Indonesian locale, as every number of a reader table)
    with its unit in words in both languages."""
    digits = 0 if float(value).is_integer() else 1
    return f"{fmt_num(value, 'id', digits)} {word(unit, 'id')} / {word(unit, 'en')}"


def _when(as_of: str, published: str) -> str:
    """The date a figure held: its as-of date, else 'terbit …' / 'published …'."""
    if as_of:
        return fmt_date(as_of)
    if published:
        return f"terbit {fmt_date(published)} / published {fmt_date(published, 'en')}"
    return "tanpa tanggal / undated"


def figures_table(own: pd.DataFrame, province: str):
    """Every figure about the province in eight columns: its id linked to its source, election,
    region, agency, stage (with category), value with its unit, the date it held, and the
    source's quality. ``province`` is data and is escaped."""
    from html import escape

    shown = own.assign(
        stage_text=[_stage(m, c) for m, c in zip(own["metric"], own["category"])],
        value_text=[_value(v, u) for v, u in zip(own["value"], own["unit"])],
        when_text=[_when(a, p) for a, p in zip(own["as_of_date"], own["published_date"])],
        quality=own["source_quality"].map(lambda q: QUALITY.get(q, q)))
    name = escape(province)
    return reader_table(
        shown,
        [Col("source_url", "Kode (sumber)", "Id (source)", "url", label="id"),
         Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("agency", "Lembaga", "Agency"), Col("stage_text", "Tahap", "Stage", "pair"),
         Col("value_text", "Nilai", "Value", "pair"),
         Col("when_text", "Tanggal", "Date", "pair"),
         Col("quality", "Mutu sumber", "Source quality", "pair")],
        f"Angka tentang {name}", f"Figures about {name}")


def comparisons_table(done: pd.DataFrame, province: str, csv: str | None = None):
    """Each release naming the province against the national rate: snapshot, lag, count, rates
    per 10,000 PNS, the ratio to the rest of the country and its interval; ``csv``: the saved
    table of every release."""
    from html import escape

    name = escape(province)
    return reader_table(
        done.assign(ratio_interval=[f"{fmt_num(lo, 'id', 2)} – {fmt_num(hi, 'id', 1)}"
                                    for lo, hi in zip(done["ratio_low"], done["ratio_high"])]),
        [Col("election", "Pemilihan", "Election"), Col("agency", "Lembaga", "Agency"),
         Col("as_of_date", "Tanggal potret", "Snapshot date", "date"),
         Col("days_since_vote", "Hari dari pemungutan suara", "Days from the vote", "days"),
         Col("count", "Kasus", "Cases", "int"),
         Col("rate", "Per 10.000 PNS", "Per 10,000 PNS", "num", 2),
         Col("national_rate", "Nasional per 10.000 PNS", "National per 10,000 PNS", "num", 2),
         Col("ratio_to_rest", "Rasio terhadap provinsi lain", "Ratio to the rest", "num", 2),
         Col("ratio_interval", "Interval rasio", "Ratio interval")],
        f"{name} dibanding nasional (potret, bukan total siklus)",
        f"{name} against the national rate (snapshots, not cycle totals)", csv=csv)


def comparison_lines(done: pd.DataFrame) -> str:
    """The researcher's line per compared release: the snapshot, rates, the quasi-Poisson ratio
    with the province's phi (from the funnel's variance form), the adjusted funnel position and
    the FDR flag (Markdown)."""
    lines = []
    for r in done.itertuples():
        phi = (f">= {fmt_num(r.phi_used, 'en', 1)}" if r.phi_kind == "lower bound" else
               fmt_num(r.phi_used, 'en', 1))
        lines.append(
            f"- **{md(r.election)}** ({md(r.agency)}): {fmt_int(r.count)} kasus / cases in a "
            f"**snapshot** of {md(r.as_of_date)} ("
            f"{fmt_days(r.days_since_vote, 'en', r.days_since_vote_min, r.days_since_vote_max)} "
            "days from the vote; not a cycle total); "
            f"{fmt_num(r.rate, 'id', 2)} per 10.000 PNS vs nasional / national "
            f"{fmt_num(r.national_rate, 'id', 2)}; rasio terhadap provinsi lain / ratio to the "
            f"rest {fmt_num(r.ratio_to_rest, 'id', 2)}, quasi-Poisson interval with the "
            f"province's phi {phi} ({md(r.phi_kind)}): {fmt_num(r.ratio_low, 'en', 3)} to "
            f"{fmt_num(r.ratio_high, 'en', 1)}; funnel position (adjusted) {md(r.position_adj)}; "
            f"FDR flag: {md(r.flag) or 'none'}.")
    return "\n".join(lines) or "No comparison can be computed."


def sparse_text(sparse: pd.DataFrame, latest: pd.Series, pns_province, pns_year) -> str:
    """How large a difference the province's counts could show in the latest release comparing
    it (``latest``, a comparison row; the brief quotes the same release, its numbers marked by
    :func:`analysis.publish.report_marks.detectable`), with and without overdispersion, and why
    zero or one case proves nothing (Markdown, both languages)."""
    from ..report_marks import detectable

    lower = ("tingkat yang lebih rendah tidak dapat terdeteksi sama sekali / no lower rate could "
             "be detected at all" if sparse["detectable_lower_ratio"].isna().all() else
             "lihat tabel / see the table")
    election = md(latest["election"])
    return (f"Perhitungan daya (normal, quasi-Poisson dengan phi rilis yang sama, alfa 5%, daya "
            f"80%; `analysis.methods.power`): dengan {fmt_int(pns_province)} PNS ({pns_year}), "
            f"tingkat provinsi harus sekitar {detectable(latest, 'id')} kali tingkat nasional "
            f"agar terdeteksi ({election}, rilis terbaru; tanpa overdispersi "
            f"{detectable(latest, 'id', poisson=True)} kali); {lower}. / " + en(
                f"Power calculation (normal, quasi-Poisson with the release's phi, alpha 5%, "
                f"power 80%): with {fmt_int(pns_province, 'en')} PNS ({pns_year}), the "
                f"provincial rate would have to be about {detectable(latest, 'en')} times the "
                f"national rate to be detected ({election}, the latest release; "
                f"{detectable(latest, 'en', poisson=True)} times without overdispersion). Zero "
                "or one case does not prove compliance: it may also mean weak supervision or "
                "reporting."))


def races_table(races: pd.DataFrame):
    """Each regency race: whether an incumbent ran and the largest case count reported."""
    return reader_table(
        races.assign(incumbent_text=races["incumbent_running"].map(_incumbent)),
        [Col("election", "Pemilihan", "Election"), Col("region", "Wilayah", "Region"),
         Col("incumbent_text", "Petahana maju", "Incumbent ran", "pair"),
         Col("reported", "Kasus dilaporkan (terbesar)", "Cases reported (largest)", "int")],
        "Petahana dan hitungan kasus per kabupaten/kota",
        "Incumbents and case counts per regency")


def not_asn_only_table(rows: pd.DataFrame, province: str):
    """The province's counts per regency that are not ASN-only, with their unit in words in the
    caption; never a rate."""
    from html import escape

    units = sorted(set(rows["unit"]))
    unit_id = "; ".join(word(u, "id") for u in units)
    unit_en = "; ".join(word(u, "en") for u in units)
    name = escape(province)
    return reader_table(
        rows.assign(when_text=[_when(a, p) for a, p in zip(rows["as_of_date"],
                                                            rows["published_date"])]),
        [Col("election", "Pemilihan", "Election"), Col("region", "Kabupaten/kota", "Regency/city"),
         Col("agency", "Lembaga", "Agency"), Col("value", "Jumlah", "Count", "int"),
         Col("when_text", "Tanggal", "Date", "pair"),
         Col("source_url", "Sumber", "Source", "url", label="id")],
        f"{name}: hitungan per kabupaten/kota yang bukan hanya ASN — satuan: {escape(unit_id)} "
        "(tidak dibandingkan dengan ASN)",
        f"{name}: counts per regency that are not ASN only — unit: {escape(unit_en)} (never set "
        "against ASN)")


def gaps_text(gaps: list[dict]) -> str:
    """The data the province should collect next, numbered (Markdown, both languages; ``gaps``
    from :func:`analysis.findings.casestudy.data_gaps`)."""
    E = '<span lang="en">'
    out = []
    for gap in gaps:
        kind = gap["kind"]
        if kind == "pns":
            out.append(f"jumlah PNS provinsi / {E}PNS headcount for the province</span>")
        elif kind == "case_counts":
            names = md(", ".join(gap["elections"]))
            out.append(f"hitungan kasus netralitas ASN untuk {names} / {E}ASN-neutrality case "
                       f"counts for {names}</span>")
        elif kind == "incumbent":
            races = md(", ".join(gap["races"]))
            out.append(f"status petahana di {races} / {E}whether an incumbent ran in "
                       f"{races}</span>")
        elif kind == "regency_counts":
            out.append(f"hitungan kasus per kabupaten/kota untuk {fmt_int(gap['n'])} pemilihan / "
                       f"{E}case counts per regency for {fmt_int(gap['n'], 'en')} races</span>")
        elif kind == "sanctions":
            out.append(f"hasil dan tanggal sanksi (baru {fmt_int(gap['n'])} angka sanksi "
                       f"dijalankan yang dipublikasikan) / {E}sanction outcomes with dates (only "
                       f"{fmt_int(gap['n'], 'en')} executed-sanction figures published)</span>")
        elif kind == "register":
            out.append("register kasus (tanggal dilaporkan, direkomendasikan, dijalankan atau "
                       "ditutup, jabatan, sumber deteksi) agar waktu sampai sanksi dapat "
                       "dianalisis dengan kasus terbuka sebagai data tersensor / "
                       f"{E}a case register (date reported, date recommended, date executed or "
                       "closed, position level, detection source) so that time to sanction can "
                       "be analysed with open cases treated as censored</span>")
    return "\n".join(f"{i}. {g}" for i, g in enumerate(out, start=1))

