"""One verdict per question (METHODS.md 22): "supported", "suggestive" or "cannot tell", with the
reason in Bahasa Indonesia and English. The briefs, the landing page, the chart titles and the
notebooks print the verdict returned here and never state more.

Rules, in short:

- **supported**: the same agency, unit, definition and lag on both sides (or one series over
  time), and the difference holds with intervals that fit the data's variation.
- **suggestive**: the difference is large and holds under every reading of the snapshots, but
  something that cannot be checked could produce it (series declared equivalent across
  agencies, a procedure that changed, no model for overdispersion).
- **cannot tell**: different lags, units or elections; an interval from a model known to be
  wrong; too few points; placebos or leave-one-out fits as large as the effect.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

SUPPORTED, SUGGESTIVE, CANNOT_TELL = "supported", "suggestive", "cannot tell"
STRENGTHS = (SUPPORTED, SUGGESTIVE, CANNOT_TELL)
LABELS = {
    "id": {SUPPORTED: "didukung", SUGGESTIVE: "indikatif", CANNOT_TELL: "belum dapat disimpulkan"},
    "en": {SUPPORTED: "supported", SUGGESTIVE: "suggestive", CANNOT_TELL: "cannot tell"},
}


@dataclass(frozen=True)
class Verdict:
    strength: str
    reason_id: str
    reason_en: str

    def __post_init__(self):
        if self.strength not in STRENGTHS:
            raise ValueError(f"strength must be one of {STRENGTHS}, got {self.strength!r}")

    def label(self, lang: str) -> str:
        return LABELS[lang][self.strength]

    def reason(self, lang: str) -> str:
        return self.reason_id if lang == "id" else self.reason_en

    def text(self, lang: str) -> str:
        """'Verdict: supported — reason' in the language."""
        head = "Penilaian" if lang == "id" else "Verdict"
        reason = self.reason(lang)
        return f"{head}: {self.label(lang)} ({reason})."

    def as_dict(self) -> dict:
        return {"strength": self.strength, "reason_id": self.reason_id,
                "reason_en": self.reason_en}


def _pct(p: float, lang: str = "en") -> str:
    text = f"{100 * p:.1f}%"
    return text.replace(".", ",") if lang == "id" else text


def follow_up(first: dict, last: dict, agency: str) -> Verdict:
    """F1: follow-up of one agency's series rises with time after the vote."""
    if first["high"] < last["low"]:
        return Verdict(SUPPORTED,
                       f"satu lembaga ({agency}) dan satu satuan (ASN) sepanjang waktu; interval "
                       f"Wilson awal dan akhir tidak tumpang tindih",
                       f"one agency ({agency}) and one unit (ASN) throughout; the first and last "
                       "Wilson intervals do not overlap")
    return Verdict(CANNOT_TELL, "interval awal dan akhir tumpang tindih",
                   "the first and last intervals overlap")


def equal_lag(e: dict | None) -> Verdict:
    """F2: executed of reported at one lag, Pilkada 2020 against Pilkada 2024."""
    if not e:
        return Verdict(CANNOT_TELL, "tidak ada potret 2020 pada jeda yang sama tanpa ekstrapolasi",
                       "no 2020 reading at the same lag without extrapolation")
    old, new = e[2020], e[2024]
    apart = old["bound_low"] > new["high"] or new["low"] > old["bound_high"]
    if not apart:
        return Verdict(CANNOT_TELL,
                       "rentang 2020 (antara dua potret) tumpang tindih dengan interval 2024",
                       "the 2020 range (between two snapshots) overlaps the 2024 interval")
    if e.get("equivalence"):
        return Verdict(SUGGESTIVE,
                       f"selisihnya bertahan berapa pun pertumbuhan di antara dua potret 2020 "
                       f"(paling rendah {_pct(old['bound_low'], 'id')} vs paling tinggi "
                       f"{_pct(new['high'], 'id')}), tetapi 2020 dihitung KASN dan 2024 oleh BKN "
                       "(dinyatakan setara sebagai penerus) dengan tahap verifikasi baru: "
                       "penegakan yang lebih lambat tidak dapat dipisahkan dari perubahan "
                       "prosedur",
                       f"the gap holds whatever the counts did between the two 2020 snapshots "
                       f"(at least {_pct(old['bound_low'])} against at most {_pct(new['high'])}), "
                       "but 2020 is counted by KASN and 2024 by BKN (declared equivalent as its "
                       "successor) with a new verification step: slower enforcement cannot be "
                       "told apart from the changed procedure")
    return Verdict(SUPPORTED, "satu lembaga dan satu satuan, selisih melampaui semua interval",
                   "one agency and one unit; the gap exceeds every interval")


def claims(n_claims: int, n_reproduced: int, n_unchecked: int) -> Verdict:
    """F3: what the official follow-up percentages can support."""
    if n_reproduced == 0:
        return Verdict(CANNOT_TELL, "tidak ada klaim yang dapat diperiksa dengan hitungan",
                       "no claim can be checked against counts")
    return Verdict(SUPPORTED,
                   f"{n_reproduced} klaim diperiksa dengan hitungan yang dipublikasikan bersamanya "
                   f"(setiap angka dihitung sekali); {n_unchecked} klaim sebelum 2020 tanpa "
                   "hitungan dan tanggal tidak dapat dibandingkan",
                   f"{n_reproduced} claims are checked against the counts published with them "
                   f"(each figure counted once); {n_unchecked} pre-2020 claims without counts or "
                   "dates cannot be compared")


def decree(n_pre: int, df_resid: float, loo_low: float, loo_high: float,
           n_placebos_fitted: int, n_placebos_as_large: int) -> Verdict:
    """F4: the decree ITS is a sensitivity exercise; it supports no effect."""
    reasons_id, reasons_en = [], []
    if n_pre < 4:
        reasons_id.append(f"hanya {n_pre} potret sebelum SKB")
        reasons_en.append(f"only {n_pre} snapshots before the decree")
    if df_resid <= 5:
        reasons_id.append(f"{df_resid:g} derajat bebas sisa")
        reasons_en.append(f"{df_resid:g} residual degrees of freedom")
    if not (loo_low > 0 or loo_high < 0) or (math.isfinite(loo_low) and math.isfinite(loo_high)
                                             and abs(loo_high - loo_low) > 0.1):
        reasons_id.append(f"menghapus satu titik menggeser perubahan level dari "
                          f"{100 * loo_low:.1f} ke {100 * loo_high:.1f} poin".replace(".", ","))
        reasons_en.append(f"leaving one point out moves the level change between "
                          f"{100 * loo_low:.1f} and {100 * loo_high:.1f} points")
    if n_placebos_as_large:
        reasons_id.append(f"{n_placebos_as_large} dari {n_placebos_fitted} plasebo yang dapat "
                          "diestimasi sama besar")
        reasons_en.append(f"{n_placebos_as_large} of {n_placebos_fitted} placebos that could be "
                          "fitted are as large")
    reasons_id.append("rasio kumulatif terencerkan secara mekanis saat rekomendasi melonjak")
    reasons_en.append("the cumulative ratio dilutes mechanically when recommendations surge")
    return Verdict(CANNOT_TELL, "; ".join(reasons_id), "; ".join(reasons_en))


def rates(rows: list[dict]) -> Verdict:
    """F5: ASN reported per 10,000 across Pilkada cycles."""
    if len(rows) < 2:
        return Verdict(CANNOT_TELL, "kurang dari dua siklus dalam satu satuan",
                       "fewer than two cycles in one unit")
    lags = [r["days_since_vote"] for r in rows]
    published = [r for r in rows if str(r["lag_basis"]).startswith("published")]
    spread = max(lags) - min(lags) if all(l is not None and l == l for l in lags) else math.inf
    if spread > 30 or published:
        return Verdict(CANNOT_TELL,
                       f"angka diambil pada jeda yang berbeda {spread:g} hari"
                       + (" (sebagian hanya bertanggal publikasi)" if published else "")
                       + "; penyebut nasional, bukan daerah yang memilih; hitungan overdispersi "
                       "tanpa model untuk intervalnya",
                       f"figures taken {spread:g} days apart in lag"
                       + (" (some dated only by publication)" if published else "")
                       + "; national exposure, not the regions voting; overdispersed counts "
                       "with no model for an interval")
    return Verdict(SUGGESTIVE, "jeda setara, tetapi tanpa model overdispersi",
                   "comparable lags, but no model of overdispersion")


def province(rows: list[dict], province_name: str) -> Verdict:
    """F6: is the province's rate different from the rest of the country?"""
    if not rows:
        return Verdict(CANNOT_TELL, "provinsi tidak ada dalam daftar yang dipublikasikan",
                       "the province is not in any published list")
    flagged = [r for r in rows if r["flag"]]
    excl = [r for r in rows if r["ratio_low"] > 1 or r["ratio_high"] < 1]
    directions = {r["ratio_to_rest"] > 1 for r in rows}
    if flagged and len(directions) == 1 and len(flagged) == len(rows):
        return Verdict(SUPPORTED, "ditandai setelah kendali FDR atas semua provinsi",
                       "flagged after FDR control over all provinces")
    if excl and len(directions) == 1:
        return Verdict(SUGGESTIVE,
                       "interval rasio dengan overdispersi tidak memuat 1, tetapi tidak ditandai "
                       "setelah FDR", "the overdispersion-aware ratio interval excludes 1, but "
                       "it is not flagged after FDR")
    return Verdict(CANNOT_TELL,
                   f"dengan overdispersi rilis yang sama, {province_name} berada di dalam batas "
                   "yang disesuaikan pada setiap rilis dan interval rasionya memuat 1; angkanya "
                   "potret awal, bukan total siklus",
                   f"with the overdispersion of the same release, {province_name} lies inside "
                   "the adjusted limits in every release and its ratio interval includes 1; the "
                   "counts are early snapshots, not cycle totals")


def detection(rows: list[dict]) -> Verdict:
    """F7: did the share of Bawaslu's own findings shift between elections?"""
    types = {r["election_type"] for r in rows}
    lags = [r["days_since_vote"] for r in rows]
    if len(types) > 1 or any(l is None or l != l for l in lags) or max(lags) - min(lags) > 30:
        return Verdict(CANNOT_TELL,
                       "membandingkan Pemilu dengan Pilkada pada jeda berbeda; kasus tidak "
                       "independen (satu unggahan viral memunculkan banyak laporan), jadi uji "
                       "khi-kuadrat tidak berlaku",
                       "compares a general election with a regional one at different lags; "
                       "cases are not independent (one viral post brings many reports), so a "
                       "chi-square test does not apply")
    return Verdict(SUGGESTIVE, "pemilihan dan jeda setara, tetapi kasus berkelompok",
                   "same kind of election and lag, but cases are clustered")
