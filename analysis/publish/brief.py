"""Bilingual policy briefs (Bahasa Indonesia first, English second), HTML and PDF.

Numbers come from :mod:`analysis.headlines` and are placed by Jinja2 templates
(``templates/brief_{id,en}.html.j2``) through language-aware filters built on Babel
(``1.116``; ``72,8%``; ``9 Desember 2020`` in the Indonesian edition). The HTML is self-contained
(images embedded, no external files) with a print stylesheet; the PDF is printed from it by the
system Chromium. Without Chromium the PDF is skipped and the build says why.
"""
from __future__ import annotations

import base64
import io
import math
import shutil
import subprocess
from pathlib import Path

import jinja2
import markupsafe
import matplotlib.pyplot as plt

from . import brief_context, data_request, glossary, plots, templating
from . import charts as brief_charts
from . import footer as site_footer
from . import scorecard as scorecard_view
from ..findings import verdicts as verdicts_mod
from ..findings import headlines
from ..data import ledger
from .formatting import fmt_date, fmt_int, fmt_num, fmt_pct
from .outputs import atomic_write_text

BRIEFS = "briefs"
LANGS = ("id", "en")
TITLES = {
    "id": "Pengawasan netralitas ASN dalam Pilkada: apa yang ditunjukkan data",
    "en": "Supervising civil-servant neutrality in regional elections: what the data show",
}
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-pdf-header-footer")
# Findings in the order a reader must act on them: the most actionable first.
ORDER = ("equal_lag", "follow_up", "province", "claims", "detection", "rates", "decree")
# Findings whose numbers come from another finding's sources (the decree ITS is fitted on the
# same KASN snapshots as the follow-up curve).
SAME_SOURCES = {"decree": "follow_up"}
LICENCE = {"data": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
           "code": ("MIT", "https://opensource.org/license/mit")}
PUBLISHER = "Netralitas"


def chromium() -> str | None:
    """Path of a Chromium-family browser (see :mod:`analysis.publish.browser`), or None."""
    from .browser import find_browser
    return find_browser()


def _environment(lang: str) -> jinja2.Environment:
    env = templating.environment()
    env.filters.update({
        "int": lambda v: fmt_int(v, lang),
        "num": lambda v, digits=1: fmt_num(v, lang, digits),
        "pct": lambda v, digits=1: fmt_pct(v, lang, digits),
        "date": lambda v: fmt_date(str(v), lang),
        "stated": lambda v: fmt_num(v, lang, 0 if float(v).is_integer() else 1),
        "sci": lambda v: _sci(v, lang),
        "days": lambda v: brief_charts.days_phrase(int(v), lang),
        "cases": lambda v: brief_charts.cases(int(v), lang),
        "plain": lambda text: glossary.plain(str(text), lang),
        "outlet": glossary.outlet,
        "election": lambda cycle, election_type: brief_context.election(cycle, election_type,
                                                                        lang),
    })
    env.globals.update(scorecard_view.template_globals(lang, brief_context.ROOT))
    return env


def _verdict_of(h: dict, key: str):
    return h["rates"].attrs["verdict"] if key == "rates" else h[key]["verdict"]


def finding_keys(h: dict) -> list[str]:
    """The headlines present, in the brief's order (most actionable first)."""
    return [k for k in ORDER if k not in ("equal_lag", "detection") or h[k]]


def tags(h: dict) -> dict[str, str]:
    """'F1', 'F2', ... per headline, numbered in the brief's order."""
    return {key: f"F{i}" for i, key in enumerate(finding_keys(h), start=1)}


def verdict_list(h: dict) -> list[tuple[str, object]]:
    """(tag, verdict) for every headline present, in brief order."""
    t = tags(h)
    return [(t[key], _verdict_of(h, key)) for key in finding_keys(h)]


def _sci(value: float, lang: str) -> str:
    """A p-value: '0,00014' / '0.00014'; below 1e-4 as '< 0,0001'."""
    if value < 1e-4:
        return ("< " + fmt_num(1e-4, lang, 4))
    digits = max(2, 1 - math.floor(math.log10(value)) + 1)
    return fmt_num(value, lang, digits)


def _embed(fig, alt: str, title: str, caption: str) -> dict:
    buffer = io.BytesIO()
    plots.laid_out(fig).savefig(buffer, format="png", dpi=brief_charts.DPI,
                                metadata={"Software": None})
    plt.close(fig)
    return {"src": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
            "alt": alt, "title": title, "caption": caption, "png": buffer.getvalue()}


def chart_keys(h: dict) -> list[str]:
    """The findings that need a chart, in the brief's order."""
    need = {"equal_lag": bool(h["equal_lag"]), "follow_up": True,
            "province": bool(h["province"]["comparisons"])}
    return [k for k in finding_keys(h) if need.get(k)]


def charts(h: dict, lang: str) -> list[dict]:
    """One embedded chart per finding that needs one, in the brief's order."""
    t = tags(h)
    out = []
    for key in chart_keys(h):
        fig, alt, title = brief_charts.CHARTS[key](h, lang)
        out.append(_embed(fig, alt, title, brief_charts.caption(key, h, lang)) | {"key": key,
                                                                                  "tag": t[key]})
    return out


# ----------------------------------------------------------------------------- sources

def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    out = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def numbered_sources(h: dict) -> tuple[list[dict], dict[str, list[tuple[int, int]]]]:
    """Every source page cited, numbered in the order of the sources list (publication date),
    then the headcount sources of the denominators; and, per finding, the ranges of the
    numbers it cites."""
    out, by_id = [], {}
    for i, s in enumerate(h["sources"].to_dict("records"), start=1):
        ids = [x.strip() for x in str(s["ids"]).split(",") if x.strip()]
        out.append({"n": i, "outlet": glossary.outlet(s["source_url"]), "agency": s["agency"],
                    "title": s["title"] or "", "title_lang": glossary.guess_lang(s["title"] or ""),
                    "date": s["published"], "url": s["source_url"],
                    "weak": s.get("quality") == "weak", "quality": s.get("quality", ""),
                    "ids": ", ".join(ids), "kind": "figure"})
        for x in ids:
            by_id[x] = i
    denominators = {}
    for d in h.get("denominators", []):
        n = len(out) + 1
        out.append({"n": n, "outlet": glossary.outlet(d["source_url"]),
                    "agency": d["agency_detail"], "title": d["source_title"] or "",
                    "title_lang": glossary.guess_lang(d["source_title"] or ""),
                    "date": d["published_date"], "url": d["source_url"],
                    "weak": d["source_quality"] == "weak", "quality": d["source_quality"],
                    "ids": "", "kind": "denominator", "employee_type": d["employee_type"],
                    "year": d["year"], "value": d["value"], "region": d["region"],
                    "used_for": d["used_for"]})
        used_for = "province" if d["used_for"] == "province" else "rates"
        denominators.setdefault(used_for, []).append(n)
    cited = h.get("cited", {})
    refs = {}
    for key in finding_keys(h):
        ids = cited.get(key) or cited.get(SAME_SOURCES.get(key, ""), [])
        numbers = [by_id[x] for x in ids if x in by_id] + denominators.get(key, [])
        refs[key] = _ranges(numbers)
    return out, refs


def refs_html(ranges: list[tuple[int, int]], lang: str) -> markupsafe.Markup:
    """'Sumber: [3–9], [12]' with each range linking to its first source."""
    if not ranges:
        return markupsafe.Markup("")
    links = [markupsafe.Markup('<a href="#src-{}">[{}]</a>').format(
        a, str(a) if a == b else f"{a}\u2013{b}") for a, b in ranges]
    head = "Sumber" if lang == "id" else "Sources"
    return markupsafe.Markup('<span class="refs">{}: {}</span>').format(
        head, markupsafe.Markup(", ").join(links))


# ----------------------------------------------------------------------------- editions

def _r(x) -> float:
    return round(float(x), 4)


def summary(h: dict, edition_date: str | None = None, commit: str = "unknown",
            edition: int = 1) -> dict:
    """A small JSON-serialisable record of the headline numbers and verdicts, stored in the
    manifest so that the next edition can say what changed. Numbers are [kind, value] with
    kind 'pct' (proportion), 'int' or 'num'."""
    f = h["follow_up"]
    nums: dict[str, dict] = {
        "follow_up": {"first": ["pct", _r(f["first"]["p"])],
                      "at_vote": ["pct", _r(f["at_vote"]["p"])],
                      "last": ["pct", _r(f["last"]["p"])]},
        "claims": {"reproduced": ["int", int(h["claims"]["reproduced"])],
                   "n": ["int", int(h["claims"]["n"])]},
        "decree": {"level": ["num", _r(100 * h["decree"]["level"]["estimate"])]},
        "rates": {f"rate_{int(r.cycle)}": ["num", _r(r.rate)] for r in h["rates"].itertuples()},
        "province": {f"rate_{r['election']}": ["num", _r(r["rate"])]
                     for r in h["province"]["comparisons"]},
    }
    if h["equal_lag"]:
        e = h["equal_lag"]
        nums["equal_lag"] = {"lag": ["int", int(e["lag"])], "p2024": ["pct", _r(e[2024]["p"])],
                             "bound_low_2020": ["pct", _r(e[2020]["bound_low"])]}
    if h["detection"]:
        nums["detection"] = {f"share_{r['election']}": ["pct", _r(r["share"])]
                             for r in h["detection"]["rows"]}
    return {"edition": edition, "edition_date": edition_date, "commit": commit,
            "findings": {key: {"verdict": _verdict_of(h, key).strength,
                               "numbers": nums.get(key, {})} for key in finding_keys(h)}}


def edition_number(previous: dict | None, commit: str) -> int:
    """1 for the first edition; the previous number again for the same commit; else + 1."""
    if not previous:
        return 1
    number = int(previous.get("edition") or 1)
    return number if previous.get("commit") == commit else number + 1


def _fmt_number(kind: str, value, lang: str) -> str:
    return {"pct": lambda x: fmt_pct(x, lang), "int": lambda x: fmt_int(x, lang),
            "num": lambda x: fmt_num(x, lang, 2)}[kind](value)


def changes(current: dict, previous: dict | None, h: dict, lang: str) -> list[str]:
    """'What changed since the previous edition', one sentence per changed finding; 'first
    edition' when there is no previous summary."""
    if not previous:
        return ["Edisi pertama." if lang == "id" else "First edition."]
    t = tags(h)
    old = previous.get("findings", {})
    labels = verdicts_mod.LABELS[lang]
    out = []
    for key, now in current["findings"].items():
        before = old.get(key)
        if before is None:
            out.append((f"{t[key]}: temuan baru." if lang == "id" else f"{t[key]}: new finding."))
            continue
        parts = []
        if before.get("verdict") != now["verdict"]:
            parts.append((f"penilaian berubah dari {labels.get(before.get('verdict'), '–')} "
                          f"menjadi {labels[now['verdict']]}") if lang == "id" else
                         (f"verdict changed from {labels.get(before.get('verdict'), '–')} to "
                          f"{labels[now['verdict']]}"))
        for name, (kind, value) in now["numbers"].items():
            prev = before.get("numbers", {}).get(name)
            if prev is None:
                continue
            was, is_now = _fmt_number(kind, prev[1], lang), _fmt_number(kind, value, lang)
            if was != is_now:
                parts.append(f"{was} → {is_now}")
        if parts:
            out.append(f"{t[key]}: " + "; ".join(parts) + ".")
    for key in old:
        if key not in current["findings"]:
            out.append("Satu temuan dari edisi sebelumnya tidak lagi dapat dihitung."
                       if lang == "id" else
                       "A finding of the previous edition can no longer be computed.")
    if not out:
        out.append("Tidak ada angka utama maupun penilaian yang berubah." if lang == "id"
                   else "No headline number or verdict changed.")
    return out


def render(h: dict, lang: str, commit: str = "unknown", edition_date: str | None = None,
           previous_summary: dict | None = None, online_url: str | None = None
           ) -> tuple[str, list[dict]]:
    """The brief's HTML in ``lang`` and its figures."""
    other = "en" if lang == "id" else "id"
    figures = charts(h, lang)
    bounds = h["claims"]["bounds"]
    sources, refs = numbered_sources(h)
    edition = edition_number(previous_summary, commit)
    current = summary(h, edition_date, commit, edition)
    t = tags(h)
    helpers = brief_context.BriefContext(h, lang, t, _verdict_of)
    tile = brief_charts.tile_figure(h, lang)
    html = _environment(lang).get_template(f"brief_{lang}.html.j2").render(
        lang=lang, h=h, sc=h["scorecard"], title=TITLES[lang], figures=figures, commit=commit,
        figure_of={f["key"]: i for i, f in enumerate(figures, start=1)},
        sources=sources, refs={k: refs_html(r, lang) for k, r in refs.items()}, tag=t,
        order=finding_keys(h), verdict_list=verdict_list(h),
        verdict_of=lambda k: _verdict_of(h, k),
        bound=bounds["stated_percent"].max() if len(bounds) else float("nan"),
        rule_id=ledger.RULE_TEXT_ID, rule_en=ledger.RULE_TEXT,
        other_lang=other, other_href=f"brief_{other}.html",
        other_label="English edition" if lang == "id" else "Edisi Bahasa Indonesia",
        home_label="Semua laporan" if lang == "id" else "All reports",
        home_page="index.html" if lang == "id" else "index_en.html",
        sources_heading="Sumber" if lang == "id" else "Sources",
        edition=edition, edition_date=edition_date, dates=h.get("dates", {}),
        changes=changes(current, previous_summary, h, lang), licence=LICENCE,
        publisher=PUBLISHER, online_url=online_url, terms=glossary.TERMS[lang],
        tile=_embed(*tile) if tile else None, footer=site_footer.context(),
        **helpers.globals())
    return html, figures


def print_pdf(html_path: Path, pdf_path: Path) -> str | None:
    """Print ``html_path`` to ``pdf_path`` with Chromium; return None, or why it was skipped."""
    from .browser import MISSING_REASON
    from .staging import temp_dir

    browser = chromium()
    if browser is None:
        return f"PDF skipped: {MISSING_REASON}"
    profile = temp_dir("chromium-profile")  # removed below, or by the next build after a kill
    try:
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               f"--print-to-pdf={tmp}", html_path.resolve().as_uri()]
        from .build.children import popen_options  # Chromium ends with the build

        result = subprocess.run(cmd, capture_output=True, text=True, timeout=180,
                                **popen_options())
        if result.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            tmp.unlink(missing_ok=True)
            return f"PDF skipped: Chromium failed ({result.stderr.strip()[-300:]})"
        tmp.replace(pdf_path)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return None


def build_briefs(out_dir: Path, province: str = headlines.DEFAULT_PROVINCE,
                 commit: str = "unknown", pdf: bool = True, edition_date: str | None = None,
                 previous_summary: dict | None = None, online_url: str | None = None) -> dict:
    """Write ``out_dir/briefs/brief_{id,en}.html`` (and ``.pdf``); return what was written, the
    headlines, any note on a skipped PDF and ``summary`` (the headline numbers and verdicts of
    this edition, for ``previous_summary`` of the next build).

    ``edition_date`` (ISO date of the commit built) is printed as the publication date;
    ``previous_summary`` is the ``summary`` of the previous build (None: first edition);
    ``online_url`` is the address of the online edition, printed in the footer (else nothing)."""
    h = headlines.compute(province)
    folder = Path(out_dir) / BRIEFS
    written, notes = {}, []
    for lang in LANGS:
        html, _ = render(h, lang, commit, edition_date=edition_date,
                         previous_summary=previous_summary, online_url=online_url)
        html_path = atomic_write_text(folder / f"brief_{lang}.html", html)
        written[f"{lang}_html"] = html_path
        if pdf:
            note = print_pdf(html_path, folder / f"brief_{lang}.pdf")
            if note:
                notes.append(note)
            else:
                written[f"{lang}_pdf"] = folder / f"brief_{lang}.pdf"
    for name, path in data_request.write(folder, h, tags(h)).items():
        written[name] = path
    return {"written": written, "headlines": h, "pdf_note": notes[0] if notes else "",
            "summary": summary(h, edition_date, commit, edition_number(previous_summary, commit))}


def front_context(h: dict) -> dict:
    """The landing page's language-dependent fragments (scorecard, key findings in the brief's
    order, glossary), JSON-serialisable: :func:`frontpage.context`."""
    from . import frontpage

    return frontpage.context(h, finding_keys(h), _verdict_of)
