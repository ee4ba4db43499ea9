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


def num_text(x: float, lang: str = "en", digits: int = 1) -> str:
    """A number for a reason: thousands and decimal separators of the language (1.588,5 /
    1,588.5) and a negative sign that is the minus sign U+2212, never a hyphen."""
    text = f"{abs(x):,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return "\u2212" + text if x < 0 and text.strip("0,.") else text


def _pct(p: float, lang: str = "en") -> str:
    return num_text(100 * p, lang) + "%"


def _ratio(x: float, lang: str = "en") -> str:
    """A rate ratio for a reason: two significant digits, '< 0.001' and '> 1,000' at the ends
    (an interval bound of 1e-6 or 2e4 says only that the interval is uninformative)."""
    if not math.isfinite(x) or x > 1000:
        text = "> 1,000"
    elif x < 0.001:
        text = "< 0.001"
    else:
        text = f"{x:.2g}" if x < 10 else f"{x:,.0f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def p_text(p: float, lang: str = "en", digits: int = 3) -> str:
    """A p-value as read: 'p = 0.012', and 'p < 0.001' below the last digit shown, never
    'p = 0.000' (Indonesian with the decimal comma: 'p < 0,001'); ``digits`` decimals."""
    floor = 10.0 ** -digits
    text = f"p < {floor:.{digits}f}" if p < floor else f"p = {p:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _int(n: float, lang: str) -> str:
    """A whole number with the thousands separator of the language (1.588 / 1,588)."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "id" else text


def _days(d: float, lang: str) -> str:
    """'166 days before the vote' / '166 hari sebelum pemungutan suara'."""
    n = abs(int(d))
    if lang == "id":
        return f"{n} hari {'sebelum' if d < 0 else 'setelah'} pemungutan suara"
    return f"{n} days {'before' if d < 0 else 'after'} the vote"


# an interval of a rate ratio whose bounds are this many times apart tells nothing
UNINFORMATIVE_RATIO_SPAN = 100


def follow_up(first: dict, last: dict, agency: str) -> Verdict:
    """F1: the cumulative follow-up share of one agency's series rises as its caseload grows.

    ``first``/``last``: the first and last snapshots (``x``, ``n``, ``low``, ``high``, ``day``:
    days from the vote, negative before it). The claim judged is only that the share depends on
    when it is read: a cumulative share of a growing caseload is no evidence that supervision
    worked."""
    span_id = f"{_days(first['day'], 'id')} hingga {_days(last['day'], 'id')}"
    span_en = f"{_days(first['day'], 'en')} to {_days(last['day'], 'en')}"
    growth_id = (f"bagian kumulatif dari kasus yang terus bertambah ({_int(first['n'], 'id')} lalu "
                 f"{_int(last['n'], 'id')} rekomendasi): angkanya bergantung pada kapan dibaca, "
                 "bukan bukti pengawasan berhasil")
    growth_en = (f"a cumulative share of a growing caseload ({_int(first['n'], 'en')}, then "
                 f"{_int(last['n'], 'en')} recommendations): it depends on when it is read and is "
                 "not evidence that supervision worked")
    if first["high"] < last["low"]:
        return Verdict(SUPPORTED,
                       f"satu lembaga ({agency}) dan satu satuan (ASN) {span_id}; interval "
                       f"Wilson awal dan akhir tidak tumpang tindih; "
                       f"{growth_id}",
                       f"one agency ({agency}) and one unit (ASN) {span_en}; the first and last "
                       f"Wilson intervals do not overlap; {growth_en}")
    return Verdict(CANNOT_TELL, f"interval awal dan akhir tumpang tindih; "
                   f"{growth_id}",
                   f"the first and last intervals overlap; {growth_en}")


def equal_lag(e: dict | None) -> Verdict:
    """F2: the share of reported ASN sanctioned by one lag after the vote, Pilkada 2020 against
    Pilkada 2024.

    What the figures hold is a share at equal days *from the vote*. They do not show that each
    case is handled more slowly, for reasons the published figures cannot check: the lag runs
    from the vote, not from each report, so where one cycle's cases were reported earlier they
    were older on the same day (``e["oldest_lag"]``: the earliest snapshot with reported ASN in
    each cycle's series); a change of agency or procedure (``e["equivalence"]``); and whether
    the two cycles' "sanctioned" count the same step (both coded as sanctions executed in the
    ledger, from different kinds of statement). At most suggestive, therefore."""
    if not e:
        return Verdict(CANNOT_TELL, "tidak ada potret 2020 pada jeda yang sama tanpa ekstrapolasi",
                       "no 2020 reading at the same lag without extrapolation")
    old, new = e[2020], e[2024]
    apart = old["bound_low"] > new["high"] or new["low"] > old["bound_high"]
    if not apart:
        return Verdict(CANNOT_TELL,
                       "rentang 2020 (antara dua potret) tumpang tindih dengan interval 2024",
                       "the 2020 range (between two snapshots) overlaps the 2024 interval")
    lower_id, lower_en = (("lebih kecil", "smaller") if new["high"] < old["bound_low"]
                          else ("lebih besar", "larger"))
    held_id = (f"bagian yang sudah disanksi pada hari ke-{e['lag']} {lower_id} pada 2024, "
               f"berapa pun pertumbuhan di antara dua potret 2020")
    held_en = (f"the share sanctioned by day {e['lag']} was {lower_en} in 2024 whatever the "
               f"counts did between the two 2020 snapshots")
    why_id, why_en = [], []
    oldest = e.get("oldest_lag") or {}
    if 2020 in oldest and 2024 in oldest and oldest[2020] < oldest[2024]:
        why_id.append(f"jeda dihitung dari pemungutan suara, bukan dari laporan (seri 2020 sudah "
                      f"menghitung laporan {_days(oldest[2020], 'id')}; tanggal laporan 2024 "
                      "tidak dipublikasikan)")
        why_en.append(f"the lag runs from the vote, not from each report (the 2020 series counts "
                      f"reports from {_days(oldest[2020], 'en')}; no 2024 report dates were "
                      "published)")
    if e.get("equivalence"):
        why_id.append(f"{old['agency']} pada 2020, {new['agency']} dengan tahap verifikasi baru "
                      "pada 2024")
        why_en.append(f"{old['agency']} in 2020, {new['agency']} with a new verification step "
                      "in 2024")
    why_id.append("\"disanksi\" belum tentu tahap yang sama pada keduanya")
    why_en.append("\"sanctioned\" may not be the same step in both")
    strength = SUGGESTIVE
    return Verdict(strength,
                   f"{held_id}; ini belum menunjukkan penanganan tiap kasus lebih lambat: "
                   f"{'; '.join(why_id)}",
                   f"{held_en}; this does not show slower handling of each case: "
                   f"{'; '.join(why_en)}")


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
                          f"{num_text(100 * loo_low, 'id')} ke "
                          f"{num_text(100 * loo_high, 'id')} poin")
        reasons_en.append(f"leaving one point out moves the level change between "
                          f"{num_text(100 * loo_low)} and {num_text(100 * loo_high)} points")
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
    spread = (max(lags) - min(lags) if all(lag is not None and lag == lag for lag in lags)
              else math.inf)
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
    """F6: is the province's rate different from the rest of the country?

    ``rows``: one comparison per release (``casestudy.compare_with_nation``). A ratio interval
    whose bounds are :data:`UNINFORMATIVE_RATIO_SPAN` or more times apart, or computed with an
    overdispersion that is only a lower bound (a release listing some provinces), says nothing
    either way: the verdict says so instead of "no different from the country"."""
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
                       "selang kepercayaan rasio dengan overdispersi tidak memuat 1, tetapi tidak "
                       "ditandai setelah FDR", "the overdispersion-aware ratio interval excludes "
                       "1, but it is not flagged after FDR")
    parts_id, parts_en = [], []
    for r in rows:
        span_id = f"{_ratio(r['ratio_low'], 'id')} hingga {_ratio(r['ratio_high'], 'id')}"
        span_en = f"{_ratio(r['ratio_low'])} to {_ratio(r['ratio_high'])}"
        lower_bound = r.get("phi_kind") == "lower bound"
        wide = (r["ratio_low"] <= 0 or not math.isfinite(r["ratio_high"])
                or r["ratio_high"] / r["ratio_low"] >= UNINFORMATIVE_RATIO_SPAN)
        if lower_bound:
            parts_id.append(f"{r['election']}: rilis hanya mencantumkan {int(r['n_listed'])} "
                            "provinsi, jadi variasi antarprovinsi hanya diketahui batas "
                            f"bawahnya dan selang rasio ({span_id}) tidak informatif")
            parts_en.append(f"{r['election']}: the release lists only {int(r['n_listed'])} "
                            "provinces, so the variation between provinces is known only as a "
                            f"lower bound and the ratio interval ({span_en}) is uninformative")
        elif wide:
            parts_id.append(f"{r['election']}: selang rasio ({span_id}) terlalu lebar untuk "
                            "menyimpulkan apa pun")
            parts_en.append(f"{r['election']}: the ratio interval ({span_en}) is too wide to "
                            "say anything")
        else:
            parts_id.append(f"{r['election']}: di dalam batas yang disesuaikan dan selang rasio "
                            f"({span_id}) memuat 1")
            parts_en.append(f"{r['election']}: inside the adjusted limits and the ratio "
                            f"interval ({span_en}) includes 1")
    parts_id.append("angkanya potret awal, bukan total siklus")
    parts_en.append("the counts are early snapshots, not cycle totals")
    return Verdict(CANNOT_TELL, "; ".join(parts_id), "; ".join(parts_en))


def detection(rows: list[dict]) -> Verdict:
    """F7: did the share of Bawaslu's own findings shift between elections?"""
    types = {r["election_type"] for r in rows}
    lags = [r["days_since_vote"] for r in rows]
    if (len(types) > 1 or any(lag is None or lag != lag for lag in lags)
            or max(lags) - min(lags) > 30):
        return Verdict(CANNOT_TELL,
                       "membandingkan Pemilu dengan Pilkada pada jeda berbeda; kasus tidak "
                       "independen (satu unggahan viral memunculkan banyak laporan), jadi uji "
                       "khi-kuadrat tidak berlaku",
                       "compares a general election with a regional one at different lags; "
                       "cases are not independent (one viral post brings many reports), so a "
                       "chi-square test does not apply")
    return Verdict(SUGGESTIVE, "pemilihan dan jeda setara, tetapi kasus berkelompok",
                   "same kind of election and lag, but cases are clustered")


def measures_recorded(qualities: list[str], region: str) -> Verdict:
    """What the record shows of the supervision measures taken in ``region`` (one source
    quality per measure): only that they were taken, never that they worked. Supported when
    every measure has a primary or secondary source; suggestive when some rest on weak sources
    (mirrors, blogs) only."""
    n = len(qualities)
    if not n:
        return Verdict(CANNOT_TELL, f"tidak ada langkah pengawasan tercatat untuk {region}",
                       f"no supervision measure is recorded for {region}")
    weak = sum(q == "weak" for q in qualities)
    if weak:
        return Verdict(SUGGESTIVE,
                       f"{weak} dari {n} langkah hanya bersumber dari situs cermin atau blog; "
                       "catatan ini tidak menilai efeknya",
                       f"{weak} of {n} measures rest on mirror sites or blogs only; the record "
                       "does not judge their effect")
    return Verdict(SUPPORTED, "setiap langkah tercatat dengan sumber yang dipublikasikan; catatan "
                   "ini tidak menilai efeknya",
                   "every measure is recorded with a published source; the record does not "
                   "judge their effect")


def province_enforcement(n_sanction_figures: int, region: str) -> Verdict:
    """Are sanctions executed in ``region``, and how fast? Published province figures name single
    sanctions, never the share of its reported ASN sanctioned by a given day: cannot tell."""
    return Verdict(CANNOT_TELL,
                   f"tidak ada angka berapa bagian ASN yang dilaporkan di {region} yang sudah "
                   f"disanksi; {n_sanction_figures} angka sanksi yang dipublikasikan hanya "
                   "menyebut kasus satu per satu",
                   f"no figure gives the share of reported ASN in {region} that were sanctioned; "
                   f"the {n_sanction_figures} sanction figures published name single cases")
