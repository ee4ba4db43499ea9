"""Over the whole published site (every notebook, the briefs and the landing page, built once
for the session): one value per marked quantity, the reports' marks equal to the briefs'
numbers, a footer with citation, licences and commit on every page, no 'p = 0.000' anywhere and
no negative number written with a hyphen-minus."""
from __future__ import annotations

import html as html_mod
import re

import pytest

from analysis.findings import headlines
from analysis.publish import footer
from analysis.publish.quantities import disagreements, marked

pytestmark = pytest.mark.slow  # the full build (tests/conftest.py: published_site)


def _pages(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html")) if "api" not in p.relative_to(site).parts}


def _visible(page: str, drop_code: bool = False) -> str:
    body = re.sub(r"<(style|script|title)\b.*?</\1>", " ", page, flags=re.S)
    if drop_code:  # the researcher edition's code cells and printed model output
        body = re.sub(r'<div class="jp-InputArea.*?</div>\s*</div>', " ", body, flags=re.S)
        body = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html_mod.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_every_page_lists_each_marked_quantity_with_one_value(published_site):
    pages = _pages(published_site)
    assert disagreements(pages) == []
    keys = {key for page in pages.values() for key, _, _ in marked(page)}
    assert {"equal_lag.share_2024", "equal_lag.share_2024_low", "equal_lag.share_2024_high",
            "equal_lag.range_2020_low", "equal_lag.range_2020_high",
            "province.detectable_ratio", "province.detectable_ratio_poisson"} <= keys
    assert any(k.startswith("province.funnel_position.adjusted.") for k in keys)


def test_a_key_given_two_values_is_found(published_site):
    """The check above can fail: a page that states the 2024 share differently is caught."""
    pages = _pages(published_site)
    page = pages["02_enforcement_across_cycles.html"]
    forged = re.sub(r'(data-q="equal_lag\.share_2024" value=")[^"]+', r"\g<1>0.0175", page,
                    count=1)
    assert forged != page
    assert any(p.startswith("equal_lag.share_2024:") for p in
               disagreements({**pages, "forged.html": forged}))


def test_the_reports_state_the_briefs_numbers_with_the_briefs_methods(published_site):
    """The interval of 19/1.158 is the brief's Wilson interval, the detectable ratio that of
    the brief's release, and the funnel position the brief's (adjusted) one in both reports."""
    h = headlines.compute()
    values = {}
    for stem in ("02_enforcement_across_cycles", "03_violation_rates", "04_province_case_study"):
        page = (published_site / f"{stem}.html").read_text(encoding="utf-8")
        for key, value, _ in marked(page):
            values.setdefault(key, set()).add((stem[:2], value))
    e, p = h["equal_lag"], h["province"]
    expected = {"equal_lag.share_2024": e[2024]["p"], "equal_lag.share_2024_low": e[2024]["low"],
                "equal_lag.share_2024_high": e[2024]["high"],
                "equal_lag.range_2020_low": e[2020]["bound_low"],
                "equal_lag.range_2020_high": e[2020]["bound_high"],
                "province.detectable_ratio": p["comparisons"][-1]["detectable_ratio"],
                "province.detectable_ratio_poisson":
                    p["comparisons"][-1]["detectable_ratio_poisson"]}
    for key, value in expected.items():
        assert values.get(key) and all(v == pytest.approx(value, rel=1e-12)
                                       for _, v in values[key]), key
    adjusted = {k: v for k, v in values.items()
                if k.startswith("province.funnel_position.adjusted.")}
    for key, found in adjusted.items():  # where both reports show a release, they agree
        assert len({v for _, v in found}) == 1, key
    assert any({"03", "04"} <= {stem for stem, _ in found} for found in adjusted.values())


def test_every_page_carries_the_footer_with_citation_licences_and_commit(published_site):
    pages = _pages(published_site)
    assert {"index.html", "ledger.html", "briefs/brief_id.html", "briefs/brief_en.html",
            "02_enforcement_across_cycles.html",
            "researcher/02_enforcement_across_cycles.html"} <= set(pages)
    context = footer.context()
    for name, page in pages.items():
        foot = re.findall(r"<footer\b.*?</footer>", page, flags=re.S)
        assert len(foot) == 1, f"{name}: {len(foot)} footers"
        text = _visible(foot[0])
        assert context["citation"]["title"] in text, name
        assert "MIT" in text and "CC BY 4.0" in text, name
        if context["commit"]:
            # the commit that built the page: HEAD, or for a page a later build carried over
            # unchanged (its inputs the same), the earlier commit that built it
            shown = re.search(r"\bcommit ([0-9a-f]{7,40})\b", text)
            assert shown, name
            assert shown.group(1) == context["commit"] or _is_ancestor(shown.group(1)), name
    if context["commit"]:  # the index is rendered by every build
        assert f"commit {context['commit']}" in _visible(pages["index.html"])


def _is_ancestor(commit: str) -> bool:
    """True when ``commit`` is HEAD or one of its ancestors in this checkout."""
    import subprocess

    from testpaths import ROOT

    return subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=ROOT,
                          capture_output=True).returncode == 0


P_ZERO = re.compile(r"\bp\s*(=|==)\s*0[.,]0+(?![0-9])", re.I)


def test_no_page_prints_p_equals_zero(published_site):
    for name, page in _pages(published_site).items():
        match = P_ZERO.search(_visible(page))
        assert not match, f"{name}: {match.group(0)!r}"


HYPHEN_MINUS = re.compile(r"(?<![\w\-–/.:#])-\d")


@pytest.mark.parametrize("edition", ["reader", "researcher"])
def test_no_number_is_printed_with_a_hyphen_minus(published_site, edition):
    problems = []
    for name, page in _pages(published_site).items():
        if name.startswith("researcher/") != (edition == "researcher"):
            continue
        text = _visible(page, drop_code=edition == "researcher")
        problems += [f"{name}: …{text[max(0, m.start() - 40):m.end() + 10]}…"
                     for m in HYPHEN_MINUS.finditer(text)]
    assert problems == []
