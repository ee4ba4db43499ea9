"""One language at a time on the report pages: which English spans are translations (hidden
until the switch asks for them) and which are not (kept in view)."""
from __future__ import annotations

import re

from analysis.publish.language_switch import CSS, SWITCH_ID, mark_translations, switch_html


def test_a_translation_after_a_slash_and_its_slash_are_marked():
    page = '<p>23 pemilihan tercatat. / <span lang="en">23 races recorded.</span></p>'
    assert mark_translations(page) == (
        '<p>23 pemilihan tercatat.<span class="lang-sep"> / </span>'
        '<span data-translation lang="en">23 races recorded.</span></p>')


def test_a_slash_at_the_end_of_a_markdown_line_is_a_separator_too():
    page = 'angka berapa pun. /\n<span lang="en">Counts below 5 are hidden.</span>'
    assert mark_translations(page) == ('angka berapa pun.<span class="lang-sep"> /\n</span>'
                                       '<span data-translation lang="en">Counts below 5 are '
                                       'hidden.</span>')
    assert mark_translations('a/<span lang="en">b</span>') == 'a/<span lang="en">b</span>'


def test_a_header_line_break_and_a_bold_translation_are_marked():
    header = '<th scope="col">Pemilihan<br/><span class="en" lang="en">Election</span></th>'
    assert mark_translations(header) == ('<th scope="col">Pemilihan<br class="lang-sep"/>'
                                         '<span data-translation class="en" lang="en">Election'
                                         '</span></th>')
    verdict = ('<strong>Vonis: indikatif.</strong> / <strong><span lang="en">Verdict: '
               'suggestive.</span></strong>')
    marked = mark_translations(verdict)
    assert '<span class="lang-sep"> / </span><strong><span data-translation lang="en">' in marked


def test_english_that_translates_nothing_stays_in_view():
    """A source's note kept in English, a citation's authors, code shown as escaped text and
    an English link are not translations: nothing of them is marked."""
    for page in ['<td><span lang="en">KASN chair Agus Pramusinto, press release</span></td>',
                 '(<code>CITATION.cff</code>): <span lang="en">Netralitas team</span>',
                 '<span class="s2">&quot; / &lt;span lang=&quot;en&quot;&gt;Home&quot;</span>',
                 '<a href="brief_en.html" lang="en">Policy brief</a>',
                 'kabupaten/kota dan <span lang="id">kota</span>']:
        assert mark_translations(page) == page


def test_every_pair_on_a_line_is_marked_and_nothing_else_changes():
    page = ('<td>bupati / <span lang="en">regent</span></td><td>ya / <span lang="en">yes'
            '</span></td><td>sumber / <span lang="en">source</span></td>')
    marked = mark_translations(page)
    assert marked.count("data-translation") == marked.count('class="lang-sep"') == 3
    plain = re.sub(r"<[^>]+>", "", marked)
    assert plain == re.sub(r"<[^>]+>", "", page)  # the text itself is untouched
    assert mark_translations(marked) == marked  # marking twice changes nothing


def test_the_switch_is_a_labelled_checkbox_and_the_css_hides_only_marked_text():
    switch = switch_html()
    assert f'<input type="checkbox" id="{SWITCH_ID}">' in switch
    assert f'<label for="{SWITCH_ID}">' in switch and 'lang="en"' in switch
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S))
    hidden = [sel for sel, body in rules if "display: none" in body]
    assert len(hidden) == 1
    selectors = [s.strip() for s in hidden[0].split(",")]
    assert selectors == [f"html:not(:has(#{SWITCH_ID}:checked)) [data-translation]",
                         f"html:not(:has(#{SWITCH_ID}:checked)) .lang-sep",
                         f"html:not(:has(#{SWITCH_ID}:checked)) details.figure-en"]


def test_a_verdict_is_one_paragraph_whose_english_is_marked_as_its_translation():
    from nbconvert.filters.markdown import markdown2html

    from analysis.findings.verdicts import Verdict
    from analysis.publish.reader_tables import verdict_md

    v = Verdict("cannot tell", "hanya 3 potret <b>", "only 3 snapshots <b>")
    page = mark_translations(markdown2html(verdict_md(v)))  # as nbconvert renders it
    assert page.count("<p>") == 1
    assert ('<strong>Penilaian: belum dapat disimpulkan (hanya 3 potret &lt;b&gt;).</strong>'
            '<span class="lang-sep"> / </span><strong><span data-translation lang="en">Verdict: '
            'cannot tell (only 3 snapshots &lt;b&gt;).</span></strong>') in page
