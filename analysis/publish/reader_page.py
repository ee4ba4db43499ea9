"""The nbconvert preprocessor of the reader and researcher editions (registered by
:mod:`analysis.publish.build.editions`). Kept apart from :mod:`.reader_tables` because importing
nbconvert takes over a second: the views (imported by every notebook's kernel) and the build's
no-op path need the tables, not nbconvert."""
from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from .reader_tables import clean_fragment, report_pages


class ReaderPagePreprocessor(Preprocessor):
    """Gives the report template what every page needs: ``resources["netralitas"]`` holds the
    navigation (the reports from the notebook's folder, the current one marked), ``clean``
    (:func:`clean_fragment`, then ledger ids linked to the ledger page and site links made
    relative to the edition's folder: ``clean(fragment, up)``), the footer
    (:mod:`analysis.publish.footer`), the scripts the page links
    (:mod:`analysis.publish.site_assets`), the language switch and its CSS
    (:mod:`analysis.publish.language_switch`) and ``svg``, which inlines a chart whose points carry
    their values (:func:`analysis.publish.hover_svg.inline_svg`)."""

    def preprocess(self, nb, resources):
        from .. import paths
        from . import footer, hover_svg, language_switch, site_assets, site_links

        meta = resources.setdefault("metadata", {})
        folder = Path(meta.get("path") or ".")
        title = str(nb.metadata.get("title") or meta.get("name") or "")
        pages = report_pages(folder)
        for page in pages:
            page["current"] = title.startswith(page["number"] + " ")
        ids = site_links.ledger_ids(paths.LEDGER)

        def clean(fragment, up: str = "") -> str:
            linked = site_links.link_ledger_ids(clean_fragment(fragment), ids, up)
            return site_links.from_subfolder(linked, up)

        resources["netralitas"] = {"pages": pages, "clean": clean, "footer": footer.render(),
                                   "assets": site_assets.page_assets(), "svg": hover_svg.inline_svg,
                                   "language_css": language_switch.CSS,
                                   "language_switch": language_switch.switch_html()}
        return nb, resources
