"""nbconvert's HTML exporter without its re-parse of the finished page.

nbconvert 7's ``HTMLExporter.from_notebook_node`` renders the template, then parses the whole
page with BeautifulSoup and writes it out again, only to (1) give an ``<img>`` without ``alt``
a placeholder text and (2) make input and output areas focusable (``tabindex="0"`` on
``div.jp-Cell-inputWrapper`` and ``div.jp-OutputArea-output``). On a report page (about
1.4 MB, mostly inline charts) that pass costs a quarter of a second, twice per notebook.
:class:`PageExporter` does the same two things with one pass over the start tags and leaves
the rest of the page as the template wrote it.

Its setup is nbconvert 7.17's own (the lexer of the notebook's language, the widget-state
filter, the page resources). tests/publish/test_page_exporter.py shows, on real notebooks, that
BeautifulSoup reading our page writes out exactly nbconvert's page.
"""
from __future__ import annotations

import re

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

NO_ALT = "No description has been provided for this image"  # nbconvert's own placeholder
FOCUSABLE = ("jp-Cell-inputWrapper", "jp-OutputArea-output")
_DIV = re.compile(r"<div\b([^>]*)>")
_IMG = re.compile(r"<img\b([^>]*?)(/?)>")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TABINDEX = re.compile(r"\stabindex\s*=", re.I)
_ALT = re.compile(r"\salt\s*=", re.I)


class PageExporter(HTMLExporter):
    """An ``HTMLExporter`` whose pages are not parsed and written again (module docstring)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return finish_page(page), resources


def finish_page(page: str) -> str:
    """``page`` with ``tabindex="0"`` on every input wrapper and output area ``<div>`` and
    nbconvert's placeholder ``alt`` on every ``<img>`` without one."""
    body_at = page.find("<body")
    head, body = (page[:body_at], page[body_at:]) if body_at >= 0 else ("", page)

    def focusable(match: re.Match) -> str:
        attrs = match.group(1)
        found = _CLASS.search(attrs)
        classes = (found.group(1) or found.group(2) or "").split() if found else []
        if any(c in FOCUSABLE for c in classes) and not _TABINDEX.search(attrs):
            return f'<div{attrs} tabindex="0">'
        return match.group(0)

    def described(match: re.Match) -> str:
        attrs, close = match.group(1), match.group(2)
        if _ALT.search(attrs):
            return match.group(0)
        return f'<img{attrs} alt="{NO_ALT}"{close}>'

    return head + _IMG.sub(described, _DIV.sub(focusable, body))
