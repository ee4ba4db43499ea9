"""The landing page, one language at a time: ``index.html`` in Bahasa Indonesia (the default) and
``index_en.html`` in English, each linking the other. Its first screen is the scorecard; then the
key findings, each with its verdict and, when open, what would decide it and who holds that data;
then the brief, the data request, the reports and the downloads.

:func:`context` renders the language-dependent fragments once per build (stored with the
landing step, so a rebuild that reuses the briefs reuses them); :func:`index_globals` gives
``templates/index.html.j2`` its words and :func:`pick` the one-language title of each report.
"""
from __future__ import annotations

import re

from markupsafe import Markup


LANGS = ("id", "en")
PAGES = {"id": "index.html", "en": "index_en.html"}
SYNTHETIC = {"id": "SINTETIS", "en": "SYNTHETIC"}
_SYNTHETIC_SUFFIX = re.compile(r"\s*·\s*SINTETIS / SYNTHETIC\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!):])\s/\s")

TEXT = {
    "id": {"lead": "Apakah pengawasan netralitas Aparatur Sipil Negara (ASN) dalam Pilkada "
                   "berjalan, secara nasional dan di {province}? Semua angka dihitung dari angka "
                   "resmi yang dipublikasikan, dengan sumbernya.",
           "other": "English", "findings": "Temuan utama", "brief": "Ringkasan kebijakan",
           "brief_html": "Ringkasan kebijakan (HTML)", "request": "Permintaan data",
           "request_lead": "Data apa, untuk siklus dan tanggal mana, dari lembaga mana, yang "
                           "dapat memastikan setiap pertanyaan terbuka: halaman yang dapat "
                           "dikirim ke BKN atau Bawaslu, dengan templat CSV dan XLSX.",
           "reports": "Laporan", "reader": "Edisi pembaca", "researcher": "Edisi peneliti, "
           "dengan kode", "figures": "Gambar", "tables": "Tabel", "empty": "kosong",
           "downloads": "Unduh data",
           "downloads_lead": "Tabel olahan beserta paket datanya (Frictionless, dengan sidik "
                             "jari masukan):",
           "researchers": "Untuk peneliti", "api": "Referensi API paket analysis: setiap "
           "fungsi, satuan dan asumsinya.", "about": "Tentang build ini",
           "dirty": "dengan perubahan yang belum di-commit", "raw": "data mentah",
           "manifest": "Versi kode, versi paket, sidik jari data (SHA-256), parameter tiap "
                       "notebook dan waktu build tercatat di", "rebuild": "Bangun ulang dengan",
           "no_reports": "Belum ada laporan.", "no_landing": "Ringkasan kebijakan tidak "
           "dibangun pada build ini (--no-landing).", "glossary": "Daftar istilah",
           "title": "Netralitas: pengawasan netralitas ASN dalam Pilkada",
           "brand": "pengawasan netralitas ASN dalam Pilkada"},
    "en": {"lead": "Every number is computed from official figures published by Bawaslu, KASN, "
                   "BKN and other agencies, and links its source. Case-study province: "
                   "{province}.",
           "other": "Bahasa Indonesia", "findings": "Key findings", "brief": "Policy brief",
           "brief_html": "Policy brief (HTML)", "request": "Data request",
           "request_lead": "Which data, for which cycles and dates, from which agency, would "
                           "settle each open question: a page to send to BKN or Bawaslu, with "
                           "CSV and XLSX templates.",
           "reports": "Reports", "reader": "Reader edition", "researcher": "Researcher edition, "
           "with code", "figures": "Figures", "tables": "Tables", "empty": "empty",
           "downloads": "Download the data",
           "downloads_lead": "Processed tables with their data package (Frictionless, with "
                             "input checksums):",
           "researchers": "For researchers", "api": "API reference of the analysis package: "
           "every function, its units and assumptions.", "about": "About this build",
           "dirty": "with uncommitted changes", "raw": "raw data",
           "manifest": "Code version, package versions, data checksums (SHA-256), each "
                       "notebook's parameters and the build time are in",
           "rebuild": "Rebuild with", "no_reports": "No reports yet.",
           "no_landing": "The policy briefs were not built in this build (--no-landing).",
           "glossary": "Glossary",
           "title": "Netralitas: supervising civil-servant neutrality in regional elections",
           "brand": "supervising civil-servant neutrality in regional elections"},
}


def pick(text: str, lang: str) -> str:
    """A bilingual 'Indonesian / English' title or summary of a report in one language (the
    SYNTHETIC mark is shown apart); a text in one language as it is."""
    text = _SYNTHETIC_SUFFIX.sub("", str(text))
    number = re.match(r"\d+ · ", text)  # a report's number stands before both languages
    prefix, text = (number.group(0), text[number.end():]) if number else ("", text)
    parts = _SENTENCE_SPLIT.split(text)
    if len(parts) != 2:
        parts = text.split(" / ") if text.count(" / ") == 1 else [text]
    return prefix + (parts[0] if lang == "id" or len(parts) == 1 else parts[1]).strip()


def index_globals(lang: str) -> dict:
    """The landing template's words and helpers in ``lang``."""
    return {"lang": lang, "t": TEXT[lang], "pick": lambda text: pick(text, lang),
            "synthetic_label": SYNTHETIC[lang], "other_lang": "en" if lang == "id" else "id",
            "other_page": PAGES["en" if lang == "id" else "id"], "pages": PAGES}


def _environment(lang: str, root: str = ""):
    from . import scorecard as scorecard_view
    from . import templating

    env = templating.environment()
    env.globals.update(scorecard_view.template_globals(lang, root))
    return env


def finding_item(h: dict, key: str, verdict, lang: str, root: str = "") -> Markup:
    """One finding as the landing page lists it: headline, its number sentence, the verdict in
    words, what blocks it (or, when supported, why), and what would decide it."""
    from . import decisions, glossary, phrases
    from . import scorecard as scorecard_view
    from .finding_text import lines

    head, sentence = lines(h)[key]
    d = decisions.by_key(h).get(key)
    why = (decisions.blocked(d, lang) if d is not None
           else glossary.plain(verdict.reason(lang), lang))
    blocked = {"id": "terhalang", "en": "blocked by"}[lang] if d is not None else ""
    parts = [Markup("<strong>{}</strong> {} {} ").format(
        phrases.render(head, lang, root), phrases.render(sentence, lang, root),
        scorecard_view.chip(verdict, lang)),
        Markup('<span class="why">{}{}.</span>').format(f"{blocked}: " if blocked else "", why)]
    if d is not None:
        parts.append(Markup(' <span class="decide">{}</span>').format(
            decisions.sentence(d, lang, root)[0]))
    return Markup("").join(parts)


def context(h: dict, keys: list[str], verdict_of) -> dict:
    """{"province": name, lang: {"scorecard": html, "findings": [html, ...], "glossary":
    [[term, expansion, definition], ...]}}: plain strings, JSON-serialisable (the landing step
    stores them in the manifest)."""
    from . import glossary

    out = {"province": h["province"]["province"]}
    for lang in LANGS:
        sc = _environment(lang).get_template("scorecard.html.j2").render(
            sc=h["scorecard"], lang=lang, level=1)
        out[lang] = {"scorecard": sc,
                     "findings": [str(finding_item(h, k, verdict_of(h, k), lang)) for k in keys],
                     "glossary": [list(t) for t in glossary.TERMS[lang]]}
    return out
