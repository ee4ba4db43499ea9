"""What the brief's template needs beyond the headlines, in one language: marked quantities
(``q``, ``ledger_q``), the verdict line of each finding, the "what would decide it" sentences,
the recommendations built from the same decisions, and the words of the province's record.

Every number the brief shows in its first part goes through :func:`quantities.mark` with the
same key as on the landing page and in the scorecard (:func:`finding_text.scorecard_quantities`
supplies the ledger rows of a key the scorecard already holds).
"""
from __future__ import annotations

import markupsafe

from . import decisions, glossary, phrases
from .finding_text import lines, scorecard_quantities
from .quantities import mark
from ..findings.scorecard import Quantity, election_label

ROOT = "../"  # from briefs/ to the reports folder
WORDS = {
    "id": {"findings": "Temuan utama", "charts": "Grafik utama", "recs": "Rekomendasi",
           "glossary": "Daftar istilah", "chart": "Grafik", "verdict": "Penilaian",
           "blocked": "terhalang", "settles": "memastikan",
           "rec_own": "perlu menyerahkan data yang disebut pada {tag}: {detect}.",
           "rec_new": "disarankan menyediakan {datum}, untuk menjawab “{q}”: {detect}.",
           "dprd": "disarankan meminta data yang disebut pada [{tags}] dalam rapat kerja, pada "
                   "hari ke-{day} setelah setiap pemungutan suara.",
           "basis": {"reported_by": "sudah berjalan per {d}", "count_as_of": "sudah berjalan "
                     "per {d}", "planned": "direncanakan", "unknown": "tanpa tanggal",
                     "start": "{d}"}},
    "en": {"findings": "Key findings", "charts": "Key charts", "recs": "Recommendations",
           "glossary": "Glossary", "chart": "Chart", "verdict": "Verdict",
           "blocked": "blocked by", "settles": "settles",
           "rec_own": "should provide the data named in {tag}: {detect}.",
           "rec_new": "is advised to provide {datum}, to answer “{q}”: {detect}.",
           "dprd": "is advised to ask for the data named in [{tags}] in its working meetings, "
                   "on day {day} after every vote.",
           "basis": {"reported_by": "in place by {d}", "count_as_of": "in place by {d}",
                     "planned": "planned", "unknown": "undated", "start": "{d}"}},
}


class BriefContext:
    """Helpers bound to one brief (headlines ``h``, language, finding tags)."""

    def __init__(self, h: dict, lang: str, tags: dict[str, str], verdict_of):
        self.h, self.lang, self.tags, self.verdict_of = h, lang, tags, verdict_of
        self.words = WORDS[lang]
        self.known = scorecard_quantities(h["scorecard"]) if h.get("scorecard") else {}
        self.by_key = decisions.by_key(h)
        self.missing: list[str] = []  # numbers of the decide sentences not found (tests)

    def q(self, key: str, value, kind: str) -> markupsafe.Markup:
        """A marked quantity; the ledger rows of the scorecard's quantity of the same key."""
        known = self.known.get(key)
        quantity = Quantity(key, float(value), kind, known.ids if known else ())
        return mark(key, quantity.value, phrases.fmt_quantity(quantity, self.lang),
                    phrases.ledger_ids(quantity.ids), ROOT)

    def ledger_q(self, row) -> markupsafe.Markup:
        """A ledger figure shown as itself: key ``ledger.<id>``, linked to its row."""
        return self.q_with_ids(f"ledger.{row.id}", row.value, "int", (row.id,))

    def q_with_ids(self, key, value, kind, ids) -> markupsafe.Markup:
        quantity = Quantity(key, float(value), kind, tuple(ids))
        return mark(key, quantity.value, phrases.fmt_quantity(quantity, self.lang),
                    phrases.ledger_ids(quantity.ids), ROOT)

    def phrase(self, p) -> markupsafe.Markup:
        return phrases.render(p, self.lang, ROOT)

    def verdict(self, key: str) -> markupsafe.Markup:
        """'Penilaian: <strong>label</strong> — terhalang: <blockers>.' for an open question;
        the verdict's reason in plain words for a supported one."""
        v = self.verdict_of(self.h, key)
        d = self.by_key.get(key)
        why = (f"{self.words['blocked']}: {decisions.blocked(d, self.lang)}" if d is not None
               else glossary.plain(v.reason(self.lang), self.lang))
        return markupsafe.Markup('<em class="verdict verdict-{}">{}: <strong>{}</strong> \u2014 '
                                 '{}.</em>').format(v.strength.replace(" ", "-"),
                                                    self.words["verdict"], v.label(self.lang), why)

    def decided(self) -> dict[str, markupsafe.Markup]:
        """{finding key: what would decide it} for every finding with an open decision."""
        out = {}
        for key in self.tags:
            d = self.by_key.get(key)
            if d is not None:
                out[key], _ = decisions.sentence(d, self.lang, ROOT, detect=False)
        return out

    def recommendations(self) -> list[markupsafe.Markup]:
        """One per decision: its holder, the data (named in the finding it settles, or here when
        no finding names it), and the tags of the findings it would settle; then the DPRD's."""
        w, out, provincial = self.words, [], []
        name = self.h["province"]["province"]
        for r in decisions.recommendations(self.h, self.tags, self.lang):
            d = self.by_key[r["key"]]
            tags = "[" + ", ".join(r["tags"]) + "]" if r["tags"] else ""
            detect, missing = decisions.could_show(d, self.lang, ROOT)
            self.missing += missing
            if r["key"] in self.tags:
                text = markupsafe.Markup(w["rec_own"]).format(tag=f"[{self.tags[r['key']]}]",
                                                              detect=detect)
            else:
                text = markupsafe.Markup(w["rec_new"]).format(
                    datum=glossary.plain(d.datum(self.lang), self.lang), q=r["question"],
                    detect=detect)
            if name in d.holder:
                provincial += r["tags"]
            out.append(markupsafe.Markup('<strong>{}</strong> {} <span class="tag">{}</span>')
                       .format(r["holder"], text, tags))
        if provincial:
            tags = ", ".join(sorted(set(provincial), key=lambda t: int(t[1:])))
            out.append(markupsafe.Markup("<strong>DPRD {}</strong> {}").format(
                name, w["dprd"].format(tags=tags, day=self.h["reporting_lags"][1])))
        return out

    def start(self, m) -> str:
        """When a measure started, with how the date is known."""
        from .formatting import fmt_date
        basis = self.words["basis"].get(m.date_basis, "{d}")
        return basis.format(d=fmt_date(m.start_date, self.lang) if m.start_date else "")

    def globals(self) -> dict:
        return {"q": self.q, "ledger_q": self.ledger_q, "phrase": self.phrase,
                "v": self.verdict, "lines": lines(self.h), "decided": self.decided(),
                "recs": self.recommendations(), "start": self.start, "words": self.words,
                "slug": lambda text: "_".join(str(text).lower().split())}


def election(cycle, election_type, lang: str) -> str:
    return election_label(int(cycle), election_type, lang)
