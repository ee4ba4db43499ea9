"""Data layer: the raw files, their schemas and vocabularies, validation, the region resolver,
the evidence ledger's loaders and selection rule, the processed-table build and the Frictionless
data package.

What belongs here: reading, checking and reshaping data files, and writing them atomically. It
may use :mod:`analysis.methods` (for example an interval in a processed table) but nothing above
it: no findings, no HTML, no charts.
"""
__all__ = ["atomic", "build", "build_state", "cell_rules", "csv_table", "datapackage",
           "duplicate_headers", "journal", "ledger", "ledger_add", "pii", "problem", "regions",
           "registers", "schemas", "spreadsheet_safety", "stable_xlsx", "table_rules", "validate",
           "vocabulary"]
