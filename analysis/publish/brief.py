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

from . import charts as brief_charts
from ..findings import headlines
from ..data import ledger
from .. import paths
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


def chromium() -> str | None:
    """Path of a Chromium-family browser (see :mod:`analysis.publish.browser`), or None."""
    from .browser import find_browser
    return find_browser()


def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update({
        "int": lambda v: fmt_int(v, lang),
        "num": lambda v, digits=1: fmt_num(v, lang, digits),
        "pct": lambda v, digits=1: fmt_pct(v, lang, digits),
        "date": lambda v: fmt_date(str(v), lang),
        "stated": lambda v: fmt_num(v, lang, 0 if float(v).is_integer() else 1),
        "sci": lambda v: _sci(v, lang),
    })
    env.globals["v"] = lambda verdict: _verdict_html(verdict, lang)
    return env


def _verdict_html(verdict, lang: str) -> markupsafe.Markup:
    """The verdict badge and its reason, escaped: '<em class="verdict">Penilaian: ...</em>'."""
    head = "Penilaian" if lang == "id" else "Verdict"
    return markupsafe.Markup('<em class="verdict verdict-{}">{}: <strong>{}</strong>. {}.</em>').format(
        verdict.strength.replace(" ", "-"), head, verdict.label(lang), verdict.reason(lang))


def verdict_list(h: dict) -> list[tuple[str, object]]:
    """(tag, verdict) for every headline present, in brief order."""
    out = [("F1", h["follow_up"]["verdict"])]
    if h["equal_lag"]:
        out.append(("F2", h["equal_lag"]["verdict"]))
    out += [("F3", h["claims"]["verdict"]), ("F4", h["decree"]["verdict"]),
            ("F5", h["rates"].attrs["verdict"]), ("F6", h["province"]["verdict"])]
    if h["detection"]:
        out.append(("F7", h["detection"]["verdict"]))
    return out


def _sci(value: float, lang: str) -> str:
    """A p-value: '0,00014' / '0.00014'; below 1e-4 as '< 0,0001'."""
    if value < 1e-4:
        return ("< " + fmt_num(1e-4, lang, 4))
    digits = max(2, 1 - math.floor(math.log10(value)) + 1)
    return fmt_num(value, lang, digits)


def _embed(fig, alt: str, caption: str) -> dict:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return {"src": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
            "alt": alt, "caption": caption, "png": buffer.getvalue()}


def charts(h: dict, lang: str) -> list[dict]:
    out = [_embed(*brief_charts.follow_up_chart(h, lang))]
    if h["equal_lag"]:
        out.append(_embed(*brief_charts.equal_lag_chart(h, lang)))
    if h["province"]["comparisons"]:
        out.append(_embed(*brief_charts.province_chart(h, lang)))
    return out


def render(h: dict, lang: str, commit: str = "unknown") -> tuple[str, list[dict]]:
    """The brief's HTML in ``lang`` and its figures."""
    other = "en" if lang == "id" else "id"
    figures = charts(h, lang)
    bounds = h["claims"]["bounds"]
    html = _environment(lang).get_template(f"brief_{lang}.html.j2").render(
        lang=lang, h=h, title=TITLES[lang], figures=figures, commit=commit,
        sources=h["sources"].to_dict("records"), verdict_list=verdict_list(h),
        bound=bounds["stated_percent"].max() if len(bounds) else float("nan"),
        rule_id=ledger.RULE_TEXT_ID, rule_en=ledger.RULE_TEXT,
        other_lang=other, other_href=f"brief_{other}.html",
        other_label="English edition" if lang == "id" else "Edisi Bahasa Indonesia",
        home_label="Semua laporan / All reports",
        sources_heading="Sumber" if lang == "id" else "Sources",
    )
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
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if result.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            tmp.unlink(missing_ok=True)
            return f"PDF skipped: Chromium failed ({result.stderr.strip()[-300:]})"
        tmp.replace(pdf_path)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return None


def build_briefs(out_dir: Path, province: str = headlines.DEFAULT_PROVINCE,
                 commit: str = "unknown", pdf: bool = True) -> dict:
    """Write ``out_dir/briefs/brief_{id,en}.html`` (and ``.pdf``); return what was written, the
    headlines and any note on a skipped PDF."""
    h = headlines.compute(province)
    folder = Path(out_dir) / BRIEFS
    written, notes = {}, []
    for lang in LANGS:
        html, _ = render(h, lang, commit)
        html_path = atomic_write_text(folder / f"brief_{lang}.html", html)
        written[f"{lang}_html"] = html_path
        if pdf:
            note = print_pdf(html_path, folder / f"brief_{lang}.pdf")
            if note:
                notes.append(note)
            else:
                written[f"{lang}_pdf"] = folder / f"brief_{lang}.pdf"
    return {"written": written, "headlines": h, "pdf_note": notes[0] if notes else ""}


def key_findings(h: dict) -> dict[str, list[str]]:
    """One sentence per headline and language for the landing page, each ending with the
    headline's verdict (the same ``verdicts`` the brief prints)."""
    out = {}
    f, e, d, p = h["follow_up"], h["equal_lag"], h["decree"], h["province"]
    for lang in LANGS:
        items = []
        pct = lambda v: fmt_pct(v, lang)  # noqa: E731
        if lang == "id":
            items.append((f"Tindak lanjut sanksi Pilkada 2020 (kumulatif) naik dari {pct(f['first']['p'])}"
                          f" (hari {f['first']['day']}) menjadi {pct(f['at_vote']['p'])} (hari "
                          f"{f['at_vote']['day']}) dan {pct(f['last']['p'])} (hari {f['last']['day']}).",
                          f["verdict"]))
            if e:
                items.append((f"Hari ke-{e['lag']}: {pct(e[2024]['p'])} ASN dilaporkan sudah disanksi "
                              f"pada Pilkada 2024 ({e[2024]['agency']}); Pilkada 2020 "
                              f"({e[2020]['agency']}) antara {pct(e[2020]['bound_low'])} dan "
                              f"{pct(e[2020]['bound_high'])} (diinterpolasi {pct(e[2020]['p'])}).",
                              e["verdict"]))
            items.append((f"Efek SKB {fmt_date(h['decree_date'], lang)}: perubahan level bergeser antara "
                          f"{fmt_num(100 * d['loo_low'], lang)} dan {fmt_num(100 * d['loo_high'], lang)} "
                          "poin bila satu potret dihapus.", d["verdict"]))
            items.append(("Tren pelanggaran per ASN antarsiklus.", h["rates"].attrs["verdict"]))
            items.append((f"{p['province']} dibanding provinsi lain (potret awal, dengan overdispersi).",
                          p["verdict"]))
        else:
            items.append((f"Pilkada 2020 sanction follow-up (cumulative) rose from {pct(f['first']['p'])}"
                          f" (day {f['first']['day']}) to {pct(f['at_vote']['p'])} (day "
                          f"{f['at_vote']['day']}) and {pct(f['last']['p'])} (day {f['last']['day']}).",
                          f["verdict"]))
            if e:
                items.append((f"Day {e['lag']}: {pct(e[2024]['p'])} of reported ASN sanctioned in "
                              f"Pilkada 2024 ({e[2024]['agency']}); Pilkada 2020 "
                              f"({e[2020]['agency']}) between {pct(e[2020]['bound_low'])} and "
                              f"{pct(e[2020]['bound_high'])} (interpolated {pct(e[2020]['p'])}).",
                              e["verdict"]))
            items.append((f"Effect of the {fmt_date(h['decree_date'], lang)} joint decree: the level "
                          f"change moves between {fmt_num(100 * d['loo_low'], lang)} and "
                          f"{fmt_num(100 * d['loo_high'], lang)} points when one snapshot is left out.",
                          d["verdict"]))
            items.append(("A trend in violations per civil servant across cycles.",
                          h["rates"].attrs["verdict"]))
            items.append((f"{p['province']} against the other provinces (early snapshots, with "
                          "overdispersion).", p["verdict"]))
        out[lang] = [f"{text} {verdict.text(lang)}" for text, verdict in items]
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis brief")
    parser.add_argument("--reports-dir", type=Path, default=paths.REPORTS)
    parser.add_argument("--province", default=headlines.DEFAULT_PROVINCE)
    args = parser.parse_args(argv)
    result = build_briefs(args.reports_dir, args.province)
    for path in result["written"].values():
        print(f"wrote {path}")
    if result["pdf_note"]:
        print(result["pdf_note"])
    return 0




if __name__ == "__main__":
    import sys

    sys.exit(main())
