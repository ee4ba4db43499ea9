"""One open question as the findings report it (:class:`Decision`): what blocks it
(:data:`BLOCKERS`), the datum that would remove the block, who holds it and what it could then
detect; and the small text helpers the questions in :mod:`.decide` share (numbers, dates and the
rows of the data-request template, in Bahasa Indonesia or English)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .verdicts import Verdict, num_text

BLOCKERS = {
    "lag": ("angka diambil pada hari yang berbeda setelah pemungutan suara",
            "figures taken on different days after the vote"),
    "case_age": ("jeda dihitung dari pemungutan suara, bukan dari laporan",
                 "lags counted from the vote, not from each report"),
    "unit": ("penyebut atau satuan tidak sama di kedua sisi",
             "the denominator or unit differs between the two sides"),
    "agency": ("lembaga atau prosedur berubah di antara siklus",
               "the agency or procedure changed between cycles"),
    "overdispersion": ("variasi antarwilayah tidak diketahui atau terlalu besar",
                       "the variation between regions is unknown or too large"),
    "too_few_units": ("terlalu sedikit wilayah yang menerapkan langkah",
                      "too few regions applied the measure"),
    "too_few_cycles": ("terlalu sedikit siklus yang sudah selesai", "too few completed cycles"),
    "too_few_points": ("terlalu sedikit angka per tanggal", "too few dated figures"),
    "definition": ("definisi tidak sama di kedua sisi", "the definition differs between sides"),
}


@dataclass(frozen=True)
class Decision:
    """One open question: its verdict, what blocks it, the datum that would remove the block,
    who holds it, and what that datum could then detect. ``numbers`` holds every computed
    figure the sentences use; ``request`` the rows of the data-request template (field, what,
    cycles, dates, holder)."""

    key: str
    question_id: str
    question_en: str
    verdict: Verdict
    blockers: tuple[str, ...]
    datum_id: str
    datum_en: str
    holder: str
    detectable_id: str
    detectable_en: str
    numbers: dict = field(default_factory=dict)
    request: tuple[dict, ...] = ()

    def blocked(self, lang: str) -> str:
        return "; ".join(BLOCKERS[b][0 if lang == "id" else 1] for b in self.blockers)

    def datum(self, lang: str) -> str:
        return self.datum_id if lang == "id" else self.datum_en

    def detect(self, lang: str) -> str:
        return self.detectable_id if lang == "id" else self.detectable_en

    def sentence(self, lang: str) -> str:
        """One plain sentence: what would decide it, who holds that data, what it could show."""
        if lang == "id":
            return (f"Yang dapat memastikan: {self.datum_id} (dipegang {self.holder}); "
                    f"{self.detectable_id}.")
        return (f"What would decide it: {self.datum_en} (held by {self.holder}); "
                f"{self.detectable_en}.")


# --------------------------------------------------------------------------- formatting
def num(x: float, lang: str, digits: int = 1) -> str:
    return num_text(x, lang, digits)


def whole(x: float, lang: str) -> str:
    return num(x, lang, 0)


def iso_date(iso: str) -> str:
    return pd.Timestamp(iso).date().isoformat()


MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")}


def long_date(iso: str, lang: str) -> str:
    """'10 September 2020' in either language."""
    d = pd.Timestamp(iso)
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def request_row(field_: str, what_id: str, what_en: str, cycles: str, dates: str,
                holder: str) -> dict:
    return {"field": field_, "what_id": what_id, "what_en": what_en, "cycles": cycles,
            "dates": dates, "holder": holder}
