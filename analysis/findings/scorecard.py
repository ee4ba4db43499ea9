"""The answer in 30 seconds: one row per question a supervisor asks (are violations per ASN
falling? are sanctions executed, and how fast? did a measure work? what does the province do?),
for the chosen province and for the country.

Each cell holds the question's verdict, one number in one form, what that number is, one plain
sentence, and the :class:`~analysis.findings.decide.Decision` that says which data would settle
it and who holds them. Numbers are :class:`Quantity` (a key named for the quantity, the value
before formatting, its kind and the ledger rows behind it); texts are :class:`Phrase` (both
languages, with ``{name}`` placeholders for quantities and ISO dates), so the publish layer
formats and marks every number the same way on every page. Nothing here is HTML.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import evidence
from .decide import Decision
from .verdicts import CANNOT_TELL, Verdict

KINDS = ("pct", "int", "num", "rate", "points", "ratio")  # how publish formats a Quantity
EVALUATIVE = ("trend", "sanctions", "measure")  # rows that judge what supervision achieves


@dataclass(frozen=True)
class Quantity:
    """A number as published: ``key`` names the quantity (``equal_lag.share_2024``); ``value``
    is unformatted (a share 0-1; ``points`` a difference of shares, shown x100 with its sign);
    ``ids`` are the ledger rows behind it."""

    key: str
    value: float
    kind: str
    ids: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"quantity {self.key}: kind must be one of {KINDS}, got {self.kind!r}")


@dataclass(frozen=True)
class Phrase:
    """Plain text in both languages; ``{name}`` stands for ``values[name]``: a Quantity, or an
    ISO date (text) shown in the reader's format."""

    id: str
    en: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


@dataclass(frozen=True)
class Cell:
    scope: str  # "province" or "country"
    verdict: Verdict
    number: Phrase  # the one number: "{x}" or a range "{low}–{high}"
    label: Phrase  # what the number is
    sentence: Phrase
    decision: Decision | None = None


@dataclass(frozen=True)
class Row:
    key: str
    question_id: str
    question_en: str
    province: Cell
    country: Cell

    def question(self, lang: str) -> str:
        return self.question_id if lang == "id" else self.question_en

    @property
    def cells(self) -> tuple[Cell, Cell]:
        return self.province, self.country


@dataclass(frozen=True)
class Scorecard:
    province: str
    rows: tuple[Row, ...]
    summary: Phrase  # the answer: can it be judged, and how many questions are open
    first_action: Decision | None  # the first open province question a Bawaslu office holds


def _q(key: str, value, kind: str, ids=()) -> Quantity:
    return Quantity(key, float(value), kind, tuple(i for i in ids if i))


def _slug(text: str) -> str:
    return "_".join(str(text).lower().split())


ELECTION_WORDS = {"id": {"pilkada_rerun": "Pilkada ulang", "calendar_year": "Tahun"},
                  "en": {"pilkada_rerun": "Pilkada re-run", "calendar_year": "Year"}}


def election_label(cycle: int, election_type: str, lang: str) -> str:
    """'Pilkada 2020', 'Pilkada ulang 2025' / 'Pilkada re-run 2025', 'Tahun 2025' / 'Year 2025':
    in one language (``evidence.cycle_label`` names some in both)."""
    word = ELECTION_WORDS[lang].get(election_type)
    return f"{word} {cycle}" if word else evidence.cycle_label(cycle, election_type)


def _ids(value) -> tuple[str, ...]:
    return tuple(i for i in str(value or "").split("|") if i)


def _snapshot(snapshots: pd.DataFrame, cycle: int, agency: str, day=None) -> pd.DataFrame:
    s = snapshots[(snapshots["scope"] == "national") & (snapshots["region"] == "Indonesia")
                  & (snapshots["cycle"] == cycle) & (snapshots["election_type"] == "pilkada")
                  & (snapshots["agency"] == agency) & snapshots["executed"].notna()
                  & snapshots["reported"].notna()]
    return s if day is None else s[s["days_since_vote"] == day]


# --------------------------------------------------------------------------- rows
def _trend(h: dict, decisions: dict) -> Row:
    p, rates = h["province"], h["rates"]
    name = p["province"]
    if p["comparisons"]:
        last = p["comparisons"][-1]
        slug = _slug(last["election"])
        lower = last.get("phi_kind") == "lower bound"
        at_least = ("sedikitnya ", "at least ") if lower else ("", "")
        province = Cell(
            "province", p["verdict"],
            Phrase("{rate}", "{rate}", {"rate": _q(f"province.rate.{slug}", last["rate"], "rate",
                                                   (last["id"], last["national_id"]))}),
            Phrase(f"kasus per 10.000 PNS, {last['election']}, angka per {{date}}",
                   f"cases per 10,000 PNS, {last['election']}, as of {{date}}",
                   {"date": str(last["as_of_date"])[:10]}),
            Phrase(f"Nasional {{national}}. Dengan {{count}} kasus, tingkat provinsi harus "
                   f"{at_least[0]}{{ratio}} kali nasional agar selisihnya terlihat.",
                   f"National {{national}}. With {{count}} "
                   f"{'case' if last['count'] == 1 else 'cases'}"
                   f", the province's rate would have "
                   f"to be {at_least[1]}{{ratio}} times the national rate for a gap to show.",
                   {"national": _q(f"province.national_rate.{slug}", last["national_rate"], "rate",
                                   (last["national_id"],)),
                    "count": _q(f"province.count.{slug}", last["count"], "int", (last["id"],)),
                    "ratio": _q("province.detectable_now", last["detectable_ratio"], "ratio")}),
            decisions.get("province"))
    else:
        province = Cell("province", p["verdict"], Phrase("\u2013", "\u2013"),
                        Phrase(f"{name} tidak ada dalam daftar provinsi yang dipublikasikan",
                               f"{name} is in no published province list"),
                        Phrase("Belum ada angka untuk dibandingkan.", "No figure to compare yet."),
                        decisions.get("province"))
    latest = rates.sort_values("cycle").iloc[-1]
    lags = pd.to_numeric(rates["days_since_vote"], errors="coerce")
    country = Cell(
        "country", rates.attrs["verdict"],
        Phrase("{rate}", "{rate}", {"rate": _q(f"rates.rate_{int(latest['cycle'])}",
                                               latest["rate"], "rate", (latest["id"],))}),
        Phrase(f"ASN dilaporkan per 10.000 {latest['denominator_type']}, "
               f"Pilkada {int(latest['cycle'])}",
               f"ASN reported per 10,000 {latest['denominator_type']}, "
               f"Pilkada {int(latest['cycle'])}"),
        Phrase("Angka tiap Pilkada diambil pada hari berbeda setelah pemungutan suara (selisih "
               "hingga {spread} hari) dan dibagi seluruh pegawai nasional.",
               "Each Pilkada's figure was taken on a different day after the vote (up to "
               "{spread} days apart) and divided by all civil servants nationally.",
               {"spread": _q("rates.lag_spread_days", lags.max() - lags.min(), "int")}),
        decisions.get("rates"))
    return Row("trend", "Apakah pelanggaran per ASN menurun?", "Are violations per ASN falling?",
               province, country)


def _sanctions(h: dict, snapshots: pd.DataFrame, decisions: dict) -> Row:
    rec = h["province_record"]
    sanctions = rec["sanctions"]
    if len(sanctions):
        last = sanctions.iloc[-1]
        unit_id = {"ASN": "ASN", "persons": "orang"}.get(last["unit"], last["unit"])
        unit_en = {"persons": "persons"}.get(last["unit"], last["unit"])
        tail = Phrase(
            f" Yang terakhir: {{last}} {unit_id} disanksi, "
            f"{election_label(int(last['cycle']), last['election_type'], 'id')}, {last['region']}, "
            "per {date}.",
            f" The latest: {{last}} {unit_en} sanctioned, "
            f"{election_label(int(last['cycle']), last['election_type'], 'en')}, {last['region']}, "
            "as of {date}.",
            {"last": _q(f"ledger.{last['id']}", last["value"], "int", (last["id"],)),
             "date": last["when"]})
    else:
        tail = Phrase("", "")
    province = Cell(
        "province", rec["enforcement_verdict"],
        Phrase("{n}", "{n}", {"n": _q("province.sanction_figures", len(sanctions), "int",
                                      tuple(sanctions["id"]))}),
        Phrase("angka sanksi dijalankan yang dipublikasikan",
               "executed-sanction figures published"),
        Phrase("Tidak ada angka berapa bagian ASN yang dilaporkan yang sudah disanksi." + tail.id,
               "No figure gives the share of reported ASN already sanctioned." + tail.en,
               dict(tail.values)),
        decisions.get("province_sanctions"))
    e = h["equal_lag"]
    if e:
        old_cycle, new_cycle = sorted(k for k in e if isinstance(k, int))
        old, new = e[old_cycle], e[new_cycle]
        at_lag = _snapshot(snapshots, new_cycle, new["agency"], e["lag"])
        old_rows = _snapshot(snapshots, old_cycle, old["agency"])
        old_ids = [i for d in (old["lower_lag"], old["upper_lag"])
                   for i in _ids(old_rows.loc[old_rows["days_since_vote"] == d,
                                              "source_ids"].head(1).str.cat())]
        later = _snapshot(snapshots, new_cycle, new["agency"])
        x, n = (float(v) for v in new["counts"].split("/"))
        later = later[(later["days_since_vote"] > e["lag"])  # a repeated release is not newer
                      & ((later["executed"] != x) | (later["reported"] != n))]
        as_of = at_lag["as_of_date"].iloc[0] if len(at_lag) else ""
        newer = (Phrase(f" Angka {new_cycle} ini per {{as_of}}; belum ada yang lebih baru hingga "
                        "{cutoff}.", f" This {new_cycle} figure is as of {{as_of}}; none "
                        "newer was published up to {cutoff}.")
                 if later.empty else
                 Phrase(f" Angka {new_cycle} ini per {{as_of}}; ada angka yang lebih baru, pada "
                        "jeda lain.", f" This {new_cycle} figure is as of {{as_of}}; newer ones "
                        "exist, at other lags."))
        share = _q(f"equal_lag.share_{new_cycle}", new["p"], "pct",
                   _ids(at_lag["source_ids"].head(1).str.cat()) if len(at_lag) else ())
        country = Cell(
            "country", e["verdict"], Phrase("{share}", "{share}", {"share": share}),
            Phrase(f"ASN yang dilaporkan dan sudah disanksi {{lag}} hari setelah pemungutan suara,"
                   f" Pilkada {new_cycle} ({new['agency']})",
                   f"reported ASN already sanctioned {{lag}} days after the vote, Pilkada "
                   f"{new_cycle} ({new['agency']})",
                   {"lag": _q("equal_lag.lag_days", e["lag"], "int")}),
            Phrase(f"Hari yang sama, Pilkada {old_cycle} ({old['agency']}): antara {{low}} dan "
                   "{high} (tak ada angka tepat pada hari itu)." + newer.id,
                   f"Same day, Pilkada {old_cycle} ({old['agency']}): between {{low}} and {{high}} "
                   "(no figure falls on that day)." + newer.en,
                   {"low": _q(f"equal_lag.range_{old_cycle}_low", old["bound_low"], "pct",
                              old_ids),
                    "high": _q(f"equal_lag.range_{old_cycle}_high", old["bound_high"], "pct",
                               old_ids),
                    "as_of": as_of, "cutoff": h["dates"]["cutoff"]}),
            decisions.get("equal_lag"))
    else:
        country = Cell("country", Verdict(CANNOT_TELL, "tidak ada angka pada jeda yang sama",
                                          "no figures at the same lag"),
                       Phrase("\u2013", "\u2013"), Phrase("", ""),
                       Phrase("Belum ada angka yang dapat dibandingkan pada jeda yang sama.",
                              "No figures can yet be compared at the same lag."),
                       decisions.get("nowcast"))
    return Row("sanctions", "Apakah sanksi dijalankan, dan seberapa cepat?",
               "Are sanctions executed, and how fast?", province, country)


def _measure(h: dict, decisions: dict) -> Row:
    rec, d = h["province_record"], h["decree"]
    m = decisions.get("measure")
    single = rec["measures"][rec["measures"]["scope"] == "regency"]
    if m is not None:
        province = Cell(
            "province", m.verdict,
            Phrase("{k} dari {n}", "{k} of {n}",
                   {"k": _q("measure.treated_needed", m.numbers["treated_needed"] or 0, "int"),
                    "n": _q("province.n_regencies", m.numbers["n_regencies"], "int")}),
            Phrase("kabupaten/kota yang perlu menerapkan satu langkah bersama agar efeknya dapat "
                   "diuji", "regencies/cities that must apply one measure together for its "
                   "effect to be tested"),
            Phrase("{single} langkah diterapkan di satu kabupaten/kota saja, tanpa "
                   "angka kasus sebelum dan sesudahnya; dengan satu daerah, hasil apa pun masih "
                   "bisa kebetulan.",
                   "{single} " + ("measure" if len(single) == 1 else "measures")
                   + " applied in one regency/city only, "
                   "without case counts before and after; with one region, any result could be "
                   "chance.",
                   {"single": _q("province.measures_one_regency", len(single), "int")}),
            m)
    else:
        province = Cell("province", Verdict(CANNOT_TELL, "tidak ada kabupaten/kota",
                                            "no regencies"),
                        Phrase("\u2013", "\u2013"), Phrase("", ""), Phrase("", ""), None)
    country = Cell(
        "country", d["verdict"],
        Phrase("{low} hingga {high}", "{low} to {high}",
               {"low": _q("decree.loo_low", d["loo_low"], "points"),
                "high": _q("decree.loo_high", d["loo_high"], "points")}),
        Phrase("poin perubahan porsi sanksi yang dijalankan setelah SKB {date}, bila satu angka "
               "per tanggal dihapus", "points of change in the share of sanctions executed after "
               "the joint decree of {date}, when one snapshot is left out",
               {"date": h["decree_date"]}),
        Phrase("Hanya {n_pre} angka per tanggal sebelum SKB, jadi perkiraannya berubah-ubah dan "
               "efeknya belum dapat dinilai.", "Only {n_pre} snapshots before the decree, so the "
               "estimate swings and its effect cannot be judged.",
               {"n_pre": _q("decree.n_pre", d["n_pre"], "int")}),
        decisions.get("decree"))
    return Row("measure", "Apakah sebuah langkah pengawasan berhasil?",
               "Did a supervision measure work?", province, country)


def _kinds(table: pd.DataFrame, lang: str, most: int = 4) -> str:
    words = list(dict.fromkeys(table["words_id" if lang == "id" else "words_en"]))[:most]
    return ", ".join(words)


def _record_row(h: dict) -> Row:
    rec = h["province_record"]
    cells = []
    for scope, table, verdict, where_id, where_en in (
            ("province", rec["measures"], rec["measures_verdict"], "", ""),
            ("country", rec["national_measures"], rec["national_measures_verdict"],
             " secara nasional", " nationally")):
        years = sorted(d[:4] for d in table["start_date"] if d)
        since_id = f" sejak {years[0]}" if years else ""
        since_en = f" since {years[0]}" if years else ""
        values = {"n": _q(f"{scope}.measures_recorded", len(table), "int")}
        extra_id = extra_en = ""
        if scope == "province":
            acts = rec["activity"][rec["activity"]["unit"] == "items"]
            if len(acts):
                top = acts.sort_values(["value", "when"]).iloc[-1]
                values |= {"acts": _q(f"ledger.{top['id']}", top["value"], "int", (top["id"],)),
                           "acts_date": top["when"]}
                extra_id = (f" {top['agency']} mencatat {{acts}} {top['words_id']} "
                            "(per {acts_date}).")
                extra_en = (f" {top['agency']} recorded {{acts}} {top['words_en']} "
                            "(as of {acts_date}).")
            flags = rec["activity"][(rec["activity"]["unit"] == "flag")
                                    & (rec["activity"]["value"] == 1)]
            if len(flags):
                extra_id += " Provinsi ini ditetapkan zona merah kerawanan netralitas ASN."
                extra_en += " The province was designated a red zone for ASN-neutrality risk."
        cells.append(Cell(
            scope, verdict, Phrase("{n}", "{n}", values={"n": values["n"]}),
            Phrase(f"langkah pengawasan tercatat{where_id}{since_id}",
                   f"supervision measures recorded{where_en}{since_en}"),
            Phrase(f"Antara lain {_kinds(table, 'id')}.{extra_id}" if len(table) else "",
                   f"Among them: {_kinds(table, 'en')}.{extra_en}" if len(table) else "",
                   {k: v for k, v in values.items() if k != "n"})))
    return Row("record", "Apa yang sudah dilakukan?", "What has been done?", *cells)


def build(h: dict, snapshots: pd.DataFrame) -> Scorecard:
    """The scorecard from the headlines (``headlines.compute``: it needs ``province_record``,
    ``decisions`` and ``dates``) and the enforcement snapshots."""
    decisions = {d.key: d for d in h["decisions"]}
    rows = (_trend(h, decisions), _sanctions(h, snapshots, decisions), _measure(h, decisions),
            _record_row(h))
    name = h["province"]["province"]
    judged = [r for r in rows if r.key in EVALUATIVE]
    open_p = sum(r.province.verdict.strength == CANNOT_TELL for r in judged)
    open_c = sum(r.country.verdict.strength == CANNOT_TELL for r in judged)
    if open_p == len(judged):
        answer = ("Belum dapat dinilai dari angka yang dipublikasikan",
                  "It cannot yet be judged from the published figures")
    elif open_p:
        answer = ("Sebagian belum dapat dinilai dari angka yang dipublikasikan",
                  "Partly: some of it cannot yet be judged from the published figures")
    else:
        answer = ("Dapat dinilai dari angka yang dipublikasikan",
                  "It can be judged from the published figures")
    summary = Phrase(
        f"{answer[0]}: {{open_p}} dari {{n}} pertanyaan tentang hasil pengawasan di provinsi ini "
        "belum dapat disimpulkan (nasional: {open_c} dari {n}).",
        f"{answer[1]}: {{open_p}} of {{n}} questions on what supervision achieves in this "
        "province cannot be answered yet (nationally: {open_c} of {n}).",
        {"open_p": _q("scorecard.cannot_tell_province", open_p, "int"),
         "open_c": _q("scorecard.cannot_tell_country", open_c, "int"),
         "n": _q("scorecard.questions_judged", len(judged), "int")})
    bawaslu = [r.province.decision for r in rows if r.province.decision is not None
               and f"Bawaslu {name}" in r.province.decision.holder]
    return Scorecard(name, rows, summary, bawaslu[0] if bawaslu else None)
