"""Publish layer: everything a reader sees.

What belongs here: the report build (notebooks to HTML), the landing page (one language at a
time, the scorecard first), the policy briefs, the data request, charts, number and date
formatting, marked quantities (one value per quantity on every page), what each report shows on
one topic (:mod:`.views`: its figures, reader tables and sentences with numbers), figure and
table outputs (and the disclosure gate over the register tables a build staged), the explorable
ledger page and tables, the report pages' language switch, the footer every page carries, and
the Jinja2/nbconvert templates. It is the only layer that knows about HTML, and the only one
that imports matplotlib, jinja2 or nbconvert.
"""
__all__ = ["brief", "brief_context", "browser", "build", "charts", "data_request", "decisions",
           "disclosure_gate", "explore", "finding_text", "footer", "formatting", "frontpage",
           "funnel_chart", "glossary", "hover_svg", "language_switch", "outputs", "parameters",
           "phrases", "plots", "quantities", "reader_page", "reader_tables", "report_marks",
           "safe_text", "scorecard", "site_assets", "site_links", "staging", "templating",
           "tile_map", "views"]
