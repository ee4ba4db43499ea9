"""One language at a time on the report pages.

The reports write every phrase as Indonesian, a separator and its English translation:
``Pemilihan / <span lang="en">Election</span>`` (or a ``<br/>`` in a table header). A reader
sees Indonesian alone; the switch at the top of the page (a checkbox, so it works without
JavaScript, through CSS ``:has``) shows the translations beside it.

:func:`mark_translations` marks, in a finished page, each English span that follows a
separator as a translation (``data-translation``) and the separator itself
(``class="lang-sep"``), which is what the page's CSS hides. An English span that follows no
separator (a source's note kept in its own language, a citation's authors) is not a
translation and stays visible. Code in the researcher edition is escaped text, so it is never
matched.
"""
from __future__ import annotations

import re

SWITCH_ID = "show-en"

# " / " (a line break may stand for either space) or <br/>, optionally inline tags opening
# between it and the English span
_TRANSLATION = re.compile(
    r'(?P<sep>[ \t\n]/[ \t\n]+|<br/?>)(?P<open>(?:<(?:strong|em|b|i)>)*)'
    r'<span(?P<attrs>(?:\s[^>]*)?\slang="en"[^>]*)>')


def mark_translations(page: str) -> str:
    """``page`` with each translation span marked ``data-translation`` and its separator
    marked ``lang-sep``; nothing else changes."""

    def mark(match: re.Match) -> str:
        sep = match["sep"]
        sep = ('<br class="lang-sep"/>' if sep.startswith("<")
               else f'<span class="lang-sep">{sep}</span>')
        return f'{sep}{match["open"]}<span data-translation{match["attrs"]}>'

    return _TRANSLATION.sub(mark, page)


def switch_html() -> str:
    """The switch: a labelled checkbox; its label is in both languages and never hidden."""
    return (f'<p class="lang-switch"><input type="checkbox" id="{SWITCH_ID}">'
            f'<label for="{SWITCH_ID}">Tampilkan juga terjemahan bahasa Inggris '
            '(<span lang="en">show the English translation too</span>)</label></p>')


CSS = f"""
/* one language at a time (analysis/publish/language_switch.py): Indonesian; the switch
   shows each English translation beside it */
html:not(:has(#{SWITCH_ID}:checked)) [data-translation],
html:not(:has(#{SWITCH_ID}:checked)) .lang-sep,
html:not(:has(#{SWITCH_ID}:checked)) details.figure-en {{ display: none; }}
p.lang-switch {{ max-width: 60rem; margin: 0 auto 0.5rem; padding: 0 8px;
  font: 15px/1.5 system-ui, sans-serif; }}
p.lang-switch input {{ width: 1.1rem; height: 1.1rem; vertical-align: -0.15rem;
  margin: 0 0.4rem 0 0; }}
p.lang-switch label {{ cursor: pointer; }}
"""
