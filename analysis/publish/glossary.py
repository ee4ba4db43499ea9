"""Plain words for the policy brief: the glossary box, the rewording of statistical jargon in
texts that come from the findings layer (verdict reasons), and two small helpers for sources
(the outlet of a URL, the language of a title).

The findings layer words its verdicts for analysts ("interval Wilson", "uji khi-kuadrat",
"potret"); readers of the brief get the same verdict in plain words (``plain``). The meaning
is kept: only the words change, and ``tests/publish/test_brief_layout.py`` checks that no jargon
from :data:`FORBIDDEN` reaches a brief.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# (term, other-language expansion or None, definition), in the brief's language
TERMS = {
    "id": [
        ("Didukung", None,
         "lembaga, satuan, definisi dan jeda yang sama di kedua sisi, dan selisihnya melampaui "
         "selang kepercayaan."),
        ("Indikatif", None,
         "selisihnya besar dan bertahan, tetapi ada hal yang tidak dapat diperiksa yang bisa "
         "menjelaskannya."),
        ("Belum dapat disimpulkan", None,
         "data yang dipublikasikan tidak cukup untuk menjawab; di sampingnya tertulis data apa "
         "yang dapat memastikan dan siapa yang memegangnya."),
        ("ASN", "Aparatur Sipil Negara",
         "pegawai pemerintah: PNS dan PPPK. Wajib netral dalam pemilihan."),
        ("PNS", "Pegawai Negeri Sipil",
         "ASN dengan status pegawai tetap. Jumlah PNS dipakai sebagai penyebut tingkat "
         "pelanggaran; jumlah ini tidak mencakup PPPK."),
        ("PPPK", "Pegawai Pemerintah dengan Perjanjian Kerja",
         "ASN yang bekerja dengan kontrak."),
        ("PPK", "Pejabat Pembina Kepegawaian",
         "pejabat yang berwenang menjatuhkan sanksi kepada ASN; di daerah biasanya kepala "
         "daerah, yang bisa saja ikut mencalonkan diri."),
        ("Bawaslu", "Badan Pengawas Pemilihan Umum",
         "menemukan pelanggaran atau menerima laporan masyarakat dan meneruskannya."),
        ("KASN", "Komisi Aparatur Sipil Negara",
         "lembaga yang sampai 2024 memeriksa laporan pelanggaran netralitas dan "
         "merekomendasikan sanksi kepada PPK."),
        ("BKN", "Badan Kepegawaian Negara",
         "lembaga yang mengambil alih tugas KASN sejak KASN dibubarkan (UU No. 20 Tahun 2023)."),
        ("SKB", "Surat Keputusan Bersama",
         "keputusan bersama beberapa lembaga; di sini SKB 10 September 2020 tentang "
         "netralitas ASN (antara lain pemblokiran data kepegawaian pelanggar)."),
        ("BKPSDMD", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah",
         "badan kepegawaian pemerintah provinsi atau kabupaten/kota."),
        ("Register kasus", None,
         "daftar setiap kasus dengan tanggal laporan, rekomendasi dan sanksi; lihat halaman "
         "permintaan data."),
        ("Selang kepercayaan 95%", None,
         "rentang nilai yang, dengan jumlah kasus yang tercatat, masih sesuai dengan data. "
         "Selang yang lebar berarti angkanya belum pasti."),
        ("Angka per tanggal", None,
         "angka yang diumumkan untuk satu tanggal, bukan total akhir satu pemilihan. Angka "
         "sanksi terus bertambah selama berbulan-bulan setelah pemungutan suara."),
    ],
    "en": [
        ("Supported", None,
         "the same agency, unit, definition and lag on both sides, and a gap beyond the "
         "confidence ranges."),
        ("Suggestive", None,
         "a large gap that holds, but something that cannot be checked could explain it."),
        ("Cannot tell", None,
         "the published data are not enough to answer; beside it stands which data would decide "
         "it and who holds them."),
        ("ASN", "Aparatur Sipil Negara",
         "civil servants: PNS and PPPK. They must stay neutral in elections."),
        ("PNS", "Pegawai Negeri Sipil",
         "permanent civil servants. PNS headcounts are the denominators of violation rates; "
         "they exclude PPPK."),
        ("PPPK", "Pegawai Pemerintah dengan Perjanjian Kerja",
         "civil servants on contract."),
        ("PPK", "Pejabat Pembina Kepegawaian",
         "the official with staffing authority who executes a sanction; in the regions usually "
         "the regional head, who may be a candidate."),
        ("Bawaslu", "Badan Pengawas Pemilihan Umum",
         "the election supervisory body: it finds violations or receives public reports and "
         "forwards them."),
        ("KASN", "Komisi Aparatur Sipil Negara",
         "the civil-service commission that until 2024 examined neutrality reports and "
         "recommended sanctions to the PPK."),
        ("BKN", "Badan Kepegawaian Negara",
         "the national civil-service agency, which took over KASN's task when KASN was "
         "dissolved (Law No. 20 of 2023)."),
        ("SKB", "Surat Keputusan Bersama",
         "a joint decree of several agencies; here the decree of 10 September 2020 on ASN "
         "neutrality (among other things, blocking violators' personnel records)."),
        ("BKPSDMD", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah",
         "the personnel agency of a provincial or regency/city government."),
        ("Case register", None,
         "a list of every case with its report, recommendation and sanction dates; see the data "
         "request page."),
        ("95% confidence range", None,
         "the range of values still consistent with the data, given the number of cases "
         "recorded. A wide range means the figure is uncertain."),
        ("Snapshot", "angka per tanggal",
         "a figure announced for one date, not the final total of an election. Sanctions keep "
         "rising for months after voting day."),
    ],
}

def _days_id(m) -> str:
    from .formatting import fmt_int
    return (f"pada waktu yang berselisih {fmt_int(int(m.group(1)), 'id')} hari "
            "setelah pemungutan suara")


def _days_en(m) -> str:
    from .formatting import fmt_int
    return f"taken {fmt_int(int(m.group(1)), 'en')} days apart after the vote"


# jargon of the findings layer -> plain words (regular expressions, applied in order)
PLAIN = {
    "id": [
        (r"interval Wilson (awal dan akhir)", r"selang kepercayaan 95% \1"),
        (r"interval Wilson", "selang kepercayaan 95%"),
        (r"dengan interval 2024", "dengan selang kepercayaan 95% tahun 2024"),
        (r"jadi uji khi-kuadrat tidak berlaku",
         "jadi uji statistik biasa untuk membandingkan dua porsi tidak berlaku"),
        (r"uji khi-kuadrat", "uji statistik biasa"),
        (r"angkanya potret awal", "angkanya hanya angka per tanggal awal"),
        (r"\bpotret awal\b", "angka per tanggal awal"),
        (r"\bdua potret\b", "dua angka per tanggal"),
        (r"\bpotret\b", "angka per tanggal"),
        (r"(\d+) derajat bebas sisa",
         r"terlalu sedikit data untuk model ini (sisa \1 derajat bebas)"),
        (r"plasebo yang dapat diestimasi sama besar",
         "tanggal pembanding palsu (plasebo) menghasilkan efek sama besar"),
        (r"interval rasionya memuat 1",
         "selang kepercayaan rasionya mencakup 1"),
        (r"dengan overdispersi rilis yang sama",
         "dengan memperhitungkan variasi besar antarprovinsi pada rilis yang sama"),
        (r"batas yang disesuaikan", "batas kewajaran"),
        (r"hitungan overdispersi tanpa model untuk intervalnya",
         "jumlahnya bervariasi lebih besar dari yang dapat dimodelkan, jadi tanpa selang "
         "kepercayaan"),
        (r"pada jeda yang berbeda (\d+) hari", _days_id),
        # what would decide it (findings.decide)
        (r"\s*\(rasio hazard\)", ""),
        (r"\s*\(Poisson\)", ""),
        (r"\s*\(φ = [\d.,]+\)", ""),
        (r"\s*\(efek desain [\d.,]+\)", ""),
        (r"rasio tingkat ([\d.,]+) akan terdeteksi atau ([\d.,]+)",
         r"perubahan tingkat sebesar \1 kali akan terdeteksi, atau \2 kali"),
        (r"bukan acak", "bukan kebetulan"),
        (r"nilai p tidak pernah di bawah",
         "peluang hasilnya hanya kebetulan tidak pernah di bawah"),
        (r"simpangan baku perubahan antarsiklus", "kali variasi biasa antarsiklus"),
        (r"perubahan level", "perubahan mendadak porsi sanksi"),
        (r"interval prediksi baru ada dengan (\d+) kurva siklus selesai",
         r"perkiraan porsi akhir dengan selang kepercayaan baru dapat dibuat dengan \1 siklus "
         r"yang datanya sudah lengkap"),
        (r"perlu (\d+) kurva", r"perlu \1 siklus lengkap"),
        (r"\bkurva\b", "siklus"),
    ],
    "en": [
        (r"first and last Wilson intervals", "first and last 95% confidence ranges"),
        (r"Wilson intervals?", "95% confidence ranges"),
        (r"overlaps the 2024 interval", "overlaps the 2024 95% confidence range"),
        (r"so a chi-square test does not apply",
         "so a standard test comparing two shares does not apply"),
        (r"chi-square test", "standard statistical test"),
        (r"(\d+) residual degrees of freedom",
         r"too few data for the model (\1 degrees of freedom left)"),
        (r"placebos that could be fitted are as large",
         "false comparison dates (placebos) give an effect as large"),
        (r"its ratio interval includes 1",
         "the confidence range of its ratio includes 1"),
        (r"with the overdispersion of the same release",
         "allowing for the large variation between provinces in the same release"),
        (r"the adjusted limits", "the limits of ordinary variation"),
        (r"overdispersed counts with no model for an interval",
         "the counts vary more than can be modelled, so there is no confidence range"),
        (r"taken (\d+) days apart in lag", _days_en),
        # what would decide it (findings.decide)
        (r"\s*\(hazard ratio\)", ""),
        (r"\s*\(Poisson\)", ""),
        (r"\s*\(φ = [\d.,]+\)", ""),
        (r"clustered like the variation between provinces \(design effect [\d.,]+\)",
         "clustered like the variation between provinces"),
        (r"a rate ratio of ([\d.,]+) would be detected, or ([\d.,]+)",
         r"a change in the rate by \1 times would be detected, or \2 times"),
        (r"not noise", "not chance"),
        (r"the p-value can never fall below",
         "the chance that the result is a fluke can never be shown below"),
        (r"standard deviations of a regency's change", "times the usual change between cycles"),
        (r"a level change", "a jump in the share of sanctions"),
        (r"a prediction interval needs (\d+) completed-cycle curves",
         r"a range for the final share needs \1 cycles with complete data"),
        (r"(\d+) curves give", r"\1 complete cycles give"),
    ],
}

# words a brief must never print (STYLE, issue 9): test statistics and jargon
FORBIDDEN = {
    "id": [r"\bIK 95%", r"\bpotret\b", r"interval Wilson", r"khi-kuadrat", r"\bhari -\d",
           r"hari ke--", r"\bWilson\b", r"\bp-value\b", r"\b[Rr]entang kepercayaan\b",
           r"rasio hazard", r"\bPoisson\b", r"φ", r"efek desain", r"nilai p\b",
           r"simpangan baku", r"\bkurva\b", r"(?<![\w\u2212])-\d", r"\b\d{4}-\d{2}-\d{2}\b"],
    "en": [r"\bCI\b", r"Wilson", r"chi-square", r"\bday -\d", r"case\(s\)", r"warning\(s\)",
           r"\bp-value\b", r"hazard ratio", r"\bPoisson\b", r"φ", r"design effect",
           r"standard deviations?", r"(?<![\w\u2212])-\d", r"\b\d{4}-\d{2}-\d{2}\b"],
}


def _iso_date(lang: str):
    from .formatting import fmt_date
    return lambda m: fmt_date(m.group(0), lang)


def plain(text: str, lang: str) -> str:
    """``text`` (a verdict reason or other findings-layer wording) in plain words, with ISO
    dates in the reader's form and minus signs (U+2212) before negative numbers."""
    for pattern, repl in PLAIN[lang]:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", _iso_date(lang), text)
    return re.sub(r"(?<![\w\u2212-])-(?=\d)", "\u2212", text)


# holders of data as written by the findings layer -> the names an official uses
HOLDERS = {"id": ((r"\bPemprov\b", "Pemerintah Provinsi"),),
           "en": ((r"\bPemprov ([^,]+)", r"the provincial government of \1"),)}


def expand_holders(text: str, lang: str) -> str:
    """Who holds a datum, in the names an official uses ('Pemprov X' -> 'Pemerintah Provinsi
    X')."""
    for pattern, repl in HOLDERS[lang]:
        text = re.sub(pattern, repl, text)
    return text


# common English words that must not appear in an Indonesian passage (outside lang="en")
ENGLISH_WORDS = frozenset({
    "the", "and", "of", "with", "from", "for", "to", "in", "is", "are", "was", "were", "not",
    "by", "snapshot", "snapshots", "verdict", "supported", "suggestive", "cannot", "tell",
    "share", "rate", "rates", "cases", "case", "report", "reports", "sanctioned", "interval",
    "ratio", "range", "data-request", "download", "overdispersion", "placebo", "lag", "lags",
    "release", "releases", "register", "whether", "should"})
ALLOWED_IN_ID = frozenset({"register"})  # Indonesian usage: register kasus, register perkara


def english_words(text: str) -> list[str]:
    """English words found in an Indonesian text (empty when none)."""
    words = re.findall(r"[A-Za-z][A-Za-z-]*", text)
    return [w for w in words if w.lower() in ENGLISH_WORDS - ALLOWED_IN_ID and not w.isupper()]


def jargon(text: str, lang: str) -> list[str]:
    """The forbidden words found in ``text`` (empty when the text reads plainly)."""
    return [m.group(0) for p in FORBIDDEN[lang] for m in re.finditer(p, text)]


SECOND_LEVEL = {"co", "go", "or", "ac", "web", "my", "sch", "net", "com", "org"}


def outlet(url: str) -> str:
    """The outlet of a source URL, from its host: 'nasional.kompas.com' -> 'kompas.com',
    'news.republika.co.id' -> 'republika.co.id'."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


_ID_WORDS = {"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "tak", "tidak", "pada",
             "sanksi", "pelanggaran", "langgar", "netralitas", "catat", "ini", "jadi", "masih",
             "akan", "terjadi", "sudah", "dugaan", "persen", "ada", "daftar", "jumlah", "sebut",
             "bakal", "kena", "terima", "laporan", "dilaporkan", "ratusan", "lewat", "saat",
             "hingga", "sejak", "temukan", "ingatkan", "mayoritas", "terbanyak", "daerah"}
_EN_WORDS = {"the", "of", "in", "for", "to", "and", "on", "around", "reported", "face",
             "finds", "violations", "challenges", "issue", "sanctioned", "election", "from"}


def guess_lang(text: str) -> str:
    """'id' or 'en' for a source title, by its common words (Indonesian when in doubt)."""
    words = re.findall(r"[a-z]+", text.lower())
    en = sum(w in _EN_WORDS for w in words)
    ind = sum(w in _ID_WORDS for w in words)
    return "en" if en > ind else "id"
