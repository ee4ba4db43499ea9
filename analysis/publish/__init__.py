"""Publish layer: everything a reader sees.

What belongs here: the report build (notebooks to HTML), the policy briefs, charts, number and
date formatting, marked quantities (one value per quantity on every page), figure and table
outputs (and the disclosure gate over the register tables a build staged), the explorable ledger
page and tables, the footer every page carries, and the Jinja2/nbconvert templates. It is the
only layer that knows about HTML, and the only one that imports matplotlib, jinja2 or nbconvert.
"""
__all__ = ["brief", "browser", "charts", "disclosure_gate", "explore", "footer", "formatting",
           "funnel_chart", "glossary", "hover_svg", "outputs", "parameters", "plots",
           "quantities", "reader_tables", "report", "report_marks", "safe_text", "site_links",
           "staging", "tile_map"]
