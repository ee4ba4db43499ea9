"""The scorecard for readers: the answer in 30 seconds, on the landing page's first screen and
the brief's first half page (``templates/scorecard.html.j2``, from
:func:`analysis.findings.scorecard.build`).

Each verdict is a chip that says it in words (colour only repeats the words); each number is a
marked quantity (:mod:`.phrases`); each open question ends with what would decide it and who
holds that data (:mod:`.decisions`). :func:`template_globals` gives a Jinja environment what the
partial needs, in one language.
"""
from __future__ import annotations

from markupsafe import Markup

from . import decisions, glossary, phrases
from ..findings import verdicts

HEADINGS = {
    "id": {"title": "Apakah pengawasan netralitas ASN berjalan di {province}?",
           "question": "Pertanyaan", "country": "Nasional", "decide": "Yang dapat memastikan",
           "data_of": "data yang dipegang", "held": "dipegang",
           "first": "Langkah pertama, data yang perlu dikumpulkan",
           "verdict": "Penilaian"},
    "en": {"title": "Is the supervision of ASN neutrality working in {province}?",
           "question": "Question", "country": "Country", "decide": "What would decide it",
           "data_of": "data held by", "first": "First step, the data to collect", "held": "held by",
           "verdict": "Verdict"},
}


def chip(verdict, lang: str) -> Markup:
    """The verdict in words, styled by its strength: '<span class="chip chip-suggestive">…'."""
    return Markup('<span class="chip chip-{}"><span class="sr-only">{}: </span>{}</span>').format(
        verdict.strength.replace(" ", "-"), HEADINGS[lang]["verdict"], verdict.label(lang))


def action(d, lang: str) -> Markup:
    """'<datum> (held by <holder>)' in plain words: the data that would decide a cell."""
    return Markup("{} ({} {})").format(glossary.plain(d.datum(lang), lang),
                                       HEADINGS[lang]["held"], decisions.holder(d, lang))


def datum(d, lang: str) -> str:
    """The data that would decide a cell, in plain words."""
    return glossary.plain(d.datum(lang), lang)


def template_globals(lang: str, root: str = "") -> dict:
    """What ``scorecard.html.j2`` calls: ``phrase``, ``chip``, ``action``, ``sc_text``."""
    return {"phrase": lambda p: phrases.render(p, lang, root),
            "chip": lambda v: chip(v, lang),
            "action": lambda d: action(d, lang),
            "datum": lambda d: datum(d, lang),
            "holder": lambda d: decisions.holder(d, lang),
            "sc_text": HEADINGS[lang],
            "verdict_labels": verdicts.LABELS[lang]}


def plain_text(sc, lang: str) -> str:
    """The scorecard as plain text, in reading order (for tests and the PDF check)."""
    lines = [phrases.plain_text(sc.summary, lang)]
    for row in sc.rows:
        lines.append(row.question(lang))
        for cell in row.cells:
            lines += [cell.verdict.label(lang), phrases.plain_text(cell.number, lang),
                      phrases.plain_text(cell.label, lang), phrases.plain_text(cell.sentence, lang)]
    return "\n".join(lines)
