"""Plain words for the policy brief: the glossary box, the rewording of statistical jargon in
texts that come from the findings layer (verdict reasons), and two small helpers for sources
(the outlet of a URL, the language of a title).

The findings layer words its verdicts for analysts ("interval Wilson", "uji khi-kuadrat",
"potret"); readers of the brief get the same verdict in plain words (``plain``). The meaning
is kept: only the words change, and ``tests/publish/test_brief_layout.py`` checks that no jargon from
:data:`FORBIDDEN` reaches a brief.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# (term, other-language expansion or None, definition), in the brief's language
TERMS = {
    "id": [
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
        ("Rentang kepercayaan 95%", None,
         "rentang nilai yang, dengan jumlah kasus yang tercatat, masih sesuai dengan data. "
         "Rentang yang lebar berarti angkanya belum pasti."),
        ("Angka per tanggal", "snapshot",
         "angka yang diumumkan untuk satu tanggal, bukan total akhir satu pemilihan. Angka "
         "sanksi terus bertambah selama berbulan-bulan setelah pemungutan suara."),
    ],
    "en": [
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
    return f"pada waktu yang berselisih {fmt_int(int(m.group(1)), 'id')} hari setelah pemungutan suara"


def _days_en(m) -> str:
    from .formatting import fmt_int
    return f"taken {fmt_int(int(m.group(1)), 'en')} days apart after the vote"


# jargon of the findings layer -> plain words (regular expressions, applied in order)
PLAIN = {
    "id": [
        (r"interval Wilson (awal dan akhir)", r"rentang kepercayaan 95% \1"),
        (r"interval Wilson", "rentang kepercayaan 95%"),
        (r"dengan interval 2024", "dengan rentang kepercayaan 95% tahun 2024"),
        (r"jadi uji khi-kuadrat tidak berlaku",
         "jadi uji statistik biasa untuk membandingkan dua porsi tidak berlaku"),
        (r"uji khi-kuadrat", "uji statistik biasa"),
        (r"angkanya potret awal", "angkanya hanya angka per tanggal awal"),
        (r"\bpotret awal\b", "angka per tanggal awal"),
        (r"\bdua potret\b", "dua angka per tanggal"),
        (r"\bpotret\b", "angka per tanggal"),
        (r"(\d+) derajat bebas sisa", r"terlalu sedikit data untuk model ini (sisa \1 derajat bebas)"),
        (r"plasebo yang dapat diestimasi sama besar",
         "tanggal pembanding palsu (plasebo) menghasilkan efek sama besar"),
        (r"interval rasionya memuat 1",
         "rentang kepercayaan rasionya mencakup 1"),
        (r"dengan overdispersi rilis yang sama",
         "dengan memperhitungkan variasi besar antarprovinsi pada rilis yang sama"),
        (r"batas yang disesuaikan", "batas kewajaran"),
        (r"hitungan overdispersi tanpa model untuk intervalnya",
         "jumlahnya bervariasi lebih besar dari yang dapat dimodelkan, jadi tanpa rentang "
         "kepercayaan"),
        (r"pada jeda yang berbeda (\d+) hari", _days_id),
    ],
    "en": [
        (r"first and last Wilson intervals", "first and last 95% confidence ranges"),
        (r"Wilson intervals?", "95% confidence ranges"),
        (r"overlaps the 2024 interval", "overlaps the 2024 95% confidence range"),
        (r"so a chi-square test does not apply",
         "so a standard test comparing two shares does not apply"),
        (r"chi-square test", "standard statistical test"),
        (r"(\d+) residual degrees of freedom", r"too few data for the model (\1 degrees of freedom left)"),
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
    ],
}

# words a brief must never print (STYLE, issue 9): test statistics and jargon
FORBIDDEN = {
    "id": [r"\bIK 95%", r"\bpotret\b", r"interval Wilson", r"khi-kuadrat", r"\bhari -\d",
           r"hari ke--", r"\bWilson\b", r"\bp-value\b"],
    "en": [r"\bCI\b", r"Wilson", r"chi-square", r"\bday -\d", r"case\(s\)", r"warning\(s\)",
           r"\bp-value\b"],
}


def plain(text: str, lang: str) -> str:
    """``text`` (a verdict reason or other findings-layer wording) in plain words."""
    for pattern, repl in PLAIN[lang]:
        text = re.sub(pattern, repl, text)
    return text


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
