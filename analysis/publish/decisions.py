"""What would decide each open question, for readers: one plain sentence per
:class:`~analysis.findings.decide.Decision` (the datum, who holds it, what it could show), its
numbers marked as quantities; the blockers in plain words; and the recommendations, one per
decision, each naming the finding it would settle.

The findings layer words these for analysts; :func:`glossary.plain` rewords them, and the
numbers listed in :data:`NUMBERS` are marked where they appear (a test checks every one is
found, so a rewording cannot silently drop a mark).
"""
from __future__ import annotations

from markupsafe import Markup

from . import glossary
from .formatting import fmt_num
from .phrases import mark_numbers

# decision key -> the numbers of its "what it could detect" text, in the order they appear:
# (quantity key, field of Decision.numbers, scale, digits)
NUMBERS = {
    "equal_lag": (("equal_lag.detectable_hazard_ratio", "hazard_ratio", 1, 2),),
    "province": (("province.detectable_now", "detectable_now", 1, 1),
                 ("province.releases_for_2", "releases_for_2", 1, 0)),
    "rates": (("rates.detectable_ratio_poisson", "ratio_poisson", 1, 2),
              ("rates.detectable_ratio", "ratio_phi", 1, 2)),
    "detection": (("detection.detectable_share_low", "share_low", 100, 1),),
    "decree": (("decree.detectable_points_now", "effect_now", 100, 1),
               ("decree.detectable_points_monthly", "effect_monthly", 100, 1)),
    "measure": (("measure.p_floor_one", "floor_one_treated", 1, 3),
                ("measure.treated_needed", "treated_needed", 1, 0),
                ("measure.detectable_sd", "effect_sd", 1, 1)),
    "province_sanctions": (("province.detectable_hazard_ratio", "hazard_ratio", 1, 2),),
    "nowcast": (("nowcast.curves_needed", "k_width", 1, 0),),
}
# findings a decision without a headline of its own would settle (besides its own question)
SETTLES = {"measure": ("decree", "province"), "province_sanctions": ("province", "equal_lag"),
           "nowcast": ("equal_lag", "follow_up")}


def numbers(d, lang: str) -> list[tuple]:
    """(key, value, shown, ids) for each marked number of ``d``, as its text shows it."""
    out = []
    for key, name, scale, digits in NUMBERS.get(d.key, ()):
        value = d.numbers.get(name)
        if value is None:
            continue
        out.append((key, float(value), fmt_num(scale * float(value), lang, digits), ()))
    return out


def holder(d, lang: str) -> str:
    """Who holds the datum, with abbreviations of the house glossary spelled out once."""
    return glossary.expand_holders(d.holder, lang)


def sentence(d, lang: str, root: str = "", detect: bool = True) -> tuple[Markup, list[str]]:
    """'What would decide it: <datum> (held by <holder>); <what it could detect>.' in plain
    words (without the last part when not ``detect``), its numbers marked; and the keys of
    numbers not found in the text."""
    head = "Yang dapat memastikan" if lang == "id" else "What would decide it"
    held = "dipegang" if lang == "id" else "held by"
    text = f"{head}: {glossary.plain(d.datum(lang), lang)} ({held} {holder(d, lang)})"
    if not detect:
        return Markup("{}.").format(text), []
    return mark_numbers(f"{text}; {glossary.plain(d.detect(lang), lang)}.", numbers(d, lang),
                        lang, root)


def could_show(d, lang: str, root: str = "") -> tuple[Markup, list[str]]:
    """What the datum could then detect, in plain words, its numbers marked."""
    return mark_numbers(glossary.plain(d.detect(lang), lang), numbers(d, lang), lang, root)


def blocked(d, lang: str) -> str:
    """What blocks the answer, in plain words."""
    return d.blocked(lang)


def by_key(h: dict) -> dict:
    return {d.key: d for d in h.get("decisions", ())}


def settles(d, tags: dict[str, str]) -> list[str]:
    """The tags of the findings the datum of ``d`` would settle (its own first)."""
    return [tags[k] for k in (d.key, *SETTLES.get(d.key, ())) if k in tags]


def recommendations(h: dict, tags: dict[str, str], lang: str) -> list[dict]:
    """One recommendation per open question, in the decisions' order: who should provide the
    data, the findings it would settle (their tags, e.g. ['F1']) and the question in words."""
    return [{"key": d.key, "holder": holder(d, lang), "tags": settles(d, tags),
             "question": d.question_id if lang == "id" else d.question_en}
            for d in h.get("decisions", ())]
