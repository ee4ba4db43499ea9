"""Publish layer: everything a reader sees.

What belongs here: the report build (notebooks to HTML), the policy briefs, charts, number and
date formatting, figure and table outputs, and the Jinja2/nbconvert templates. It is the only
layer that knows about HTML, and the only one that imports matplotlib, jinja2 or nbconvert.
"""
__all__ = ["brief", "browser", "build", "charts", "formatting", "funnel_chart", "glossary",
           "outputs", "parameters", "plots", "reader_tables", "safe_text", "staging", "tile_map"]
