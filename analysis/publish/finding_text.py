"""One headline and one sentence per finding, in both languages, shared by the brief's findings
list and the landing page: the headline names no number; the sentence holds the finding's
number in one form (a value, or a range for the 2020 share between two snapshots), each a
marked quantity with the same key the scorecard uses.
"""
from __future__ import annotations

from ..findings.scorecard import Phrase, Quantity
from ..findings.verdicts import CANNOT_TELL


def _q(key: str, value, kind: str, ids=()) -> Quantity:
    return Quantity(key, float(value), kind, tuple(i for i in ids if i))


def scorecard_quantities(sc) -> dict[str, Quantity]:
    """Every quantity of the scorecard by key, so a finding reuses its value and ledger rows."""
    out = {}
    phrases = [sc.summary] + [p for r in sc.rows for c in r.cells
                              for p in (c.number, c.label, c.sentence)]
    for p in phrases:
        out.update({v.key: v for v in p.values.values() if isinstance(v, Quantity)})
    return out


def _slug(text: str) -> str:
    return "_".join(str(text).lower().split())


def lines(h: dict) -> dict[str, tuple[Phrase, Phrase]]:
    """{finding key: (headline, sentence)} for every headline present."""
    known = scorecard_quantities(h["scorecard"]) if h.get("scorecard") else {}
    cited = h.get("cited", {})

    def q(key, value, kind, ids=()):
        return known.get(key) or _q(key, value, kind, ids)

    out = {}
    e = h.get("equal_lag")
    if e:
        old, new = e[2020], e[2024]
        below = new["high"] < old["bound_low"] and e["verdict"].strength != CANNOT_TELL
        head = (Phrase("Dihitung dari hari pemungutan suara, jauh lebih sedikit ASN yang "
                       "dilaporkan sudah disanksi pada Pilkada 2024 dibanding Pilkada 2020.",
                       "Counted from voting day, far fewer reported ASN had been sanctioned in "
                       "Pilkada 2024 than in Pilkada 2020.") if below else
                Phrase("Porsi ASN yang sudah disanksi pada jeda yang sama, Pilkada 2020 dan 2024.",
                       "The share of ASN sanctioned at the same lag, Pilkada 2020 and 2024."))
        out["equal_lag"] = (head, Phrase(
            f"{new['agency']} mencatat baru {{share}} ASN yang dilaporkan sudah disanksi pada "
            f"Pilkada 2024; pada jeda yang sama di Pilkada 2020 ({old['agency']}) porsinya "
            "{low}–{high}.",
            f"{new['agency']} recorded only {{share}} of reported ASN as sanctioned in Pilkada "
            f"2024; at the same lag in Pilkada 2020 ({old['agency']}) the share was "
            "{low}–{high}.",
            {"share": q("equal_lag.share_2024", new["p"], "pct"),
             "low": q("equal_lag.range_2020_low", old["bound_low"], "pct"),
             "high": q("equal_lag.range_2020_high", old["bound_high"], "pct")}))
    f = h["follow_up"]
    ids = cited.get("follow_up", ())
    rising = f["verdict"].strength != CANNOT_TELL
    out["follow_up"] = (
        Phrase("Sanksi terus bertambah sebelum dan sesudah pemungutan suara.",
               "Sanctions keep accumulating before and after the vote.") if rising else
        Phrase(f"Porsi rekomendasi sanksi yang dijalankan, Pilkada {f['cycle']}.",
               f"The share of sanction recommendations executed, Pilkada {f['cycle']}."),
        Phrase(f"Pada Pilkada {f['cycle']}, porsi rekomendasi sanksi {f['agency']} yang sudah "
               "dijalankan PPK naik dari {first} menjadi {last}; karena itu angka penegakan hanya "
               "dapat dibandingkan pada jumlah hari yang sama setelah pemungutan suara.",
               f"In Pilkada {f['cycle']}, the share of {f['agency']} sanction recommendations "
               "executed by the PPK rose from {first} to {last}; enforcement can therefore only be "
               "compared at the same number of days after the vote." if rising else
               f"In Pilkada {f['cycle']}, {{first}} in the first snapshot and {{last}} in the "
               "last.",
               {"first": q("follow_up.share_first", f["first"]["p"], "pct", ids[:1]),
                "last": q("follow_up.share_last", f["last"]["p"], "pct", ids[-1:])}))
    p = h["province"]
    name = p["province"]
    if p["comparisons"]:
        last = p["comparisons"][-1]
        slug = _slug(last["election"])
        lower = last.get("phi_kind") == "lower bound"
        out["province"] = (
            Phrase(f"{name}: jumlah kasus terlalu kecil untuk menilai kinerja pengawasan.",
                   f"{name}: case counts too small to judge supervision.")
            if p["verdict"].strength == CANNOT_TELL else
            Phrase(f"{name} dibanding tingkat nasional.", f"{name} against the national rate."),
            Phrase("Rilis Bawaslu terakhir yang menyebut provinsi ini mencatat {count} kasus "
                   "(angka per tanggal, bukan total pemilihan); tingkatnya harus "
                   + ("sedikitnya " if lower else "") + "{ratio} kali nasional agar selisihnya "
                   "terlihat.",
                   "The latest Bawaslu release naming the province records {count} "
                   + ("case" if last["count"] == 1 else "cases") + " (a snapshot, not an election "
                   "total); its rate would have to be " + ("at least " if lower else "")
                   + "{ratio} times the national rate for a gap to show.",
                   {"count": q(f"province.count.{slug}", last["count"], "int"),
                    "ratio": q("province.detectable_now", last["detectable_ratio"], "ratio")}))
    else:
        out["province"] = (Phrase(f"{name} tidak disebut dalam daftar provinsi yang "
                                  "dipublikasikan.", f"{name} is not named in any published "
                                  "province list."), Phrase("", ""))
    c = h["claims"]
    out["claims"] = (
        Phrase("Sebagian klaim resmi tentang tindak lanjut sanksi tidak dapat diperiksa.",
               "Some official claims about sanction follow-up cannot be checked."),
        Phrase("Hanya {ok} dari {n} klaim persentase yang cocok dengan hitungan yang diumumkan "
               "bersamanya; sisanya tanpa hitungan, tanpa tanggal data, atau tidak cocok.",
               "Only {ok} of {n} percentage claims match the counts published with them; the "
               "rest come without counts, without an as-of date, or do not match.",
               {"ok": q("claims.reproduced", c["reproduced"], "int"),
                "n": q("claims.n", c["n"], "int")}))
    d = h.get("detection")
    if d:
        rows = d["rows"]
        values = {f"s{i}": q(f"detection.share.{_slug(r['election'])}", r["share"], "pct")
                  for i, r in enumerate(rows)}
        out["detection"] = (
            Phrase("Pergeseran sumber deteksi belum dapat disimpulkan."
                   if d["verdict"].strength == CANNOT_TELL else "Sumber deteksi antarpemilihan.",
                   "A shift in the source of detection cannot be inferred."
                   if d["verdict"].strength == CANNOT_TELL else
                   "The source of detection across elections."),
            Phrase("Porsi temuan Bawaslu sendiri (bukan laporan masyarakat): "
                   + " dan ".join(f"{{s{i}}} pada {r['election']}" for i, r in enumerate(rows))
                   + ", tetapi keduanya berbeda jenis pemilihan dan waktu pengukurannya.",
                   "Share of Bawaslu's own findings (not public reports): "
                   + " and ".join(f"{{s{i}}} in {r['election']}" for i, r in enumerate(rows))
                   + ", but the two differ in the kind of election and in when they were "
                   "measured.", values))
    rates_open = h["rates"].attrs["verdict"].strength == CANNOT_TELL
    out["rates"] = (
        Phrase("Tren pelanggaran per ASN antarsiklus belum dapat disimpulkan." if rates_open else
               "Tingkat ASN yang dilaporkan antarsiklus.",
               "No trend in violations per civil servant can be inferred." if rates_open else
               "Reported ASN per civil servant across cycles."),
        Phrase("Jumlah ASN yang dilaporkan ke KASN/BKN tiap pemilihan diambil pada waktu yang "
               "sangat berbeda setelah pemungutan suara, dan penyebutnya seluruh pegawai "
               "nasional, bukan pegawai di daerah yang memilih.",
               "The numbers of ASN reported to KASN/BKN per election were taken at very "
               "different times after the vote, and divided by all civil servants nationally, "
               "not those in the regions voting."))
    dc = h["decree"]
    decree_open = dc["verdict"].strength == CANNOT_TELL
    out["decree"] = (
        Phrase("Efek SKB {date} belum dapat dinilai." if decree_open else "Efek SKB {date}.",
               "The effect of the {date} joint decree (SKB) cannot be judged." if decree_open
               else "The effect of the {date} joint decree (SKB).", {"date": h["decree_date"]}),
        Phrase("Menghapus satu angka per tanggal saja menggeser perkiraan efeknya antara {low} "
               "dan {high} poin persentase.",
               "Leaving out a single snapshot moves the estimated effect between {low} and "
               "{high} percentage points.",
               {"low": q("decree.loo_low", dc["loo_low"], "points"),
                "high": q("decree.loo_high", dc["loo_high"], "points")}))
    return out
