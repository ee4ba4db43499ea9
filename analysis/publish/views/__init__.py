"""What the reports show, one topic per module: figures drawn once per language
(``draw(..., lang) -> (figure, alt text)``, saved by :func:`analysis.publish.outputs.save_figures`),
reader tables (:func:`analysis.publish.reader_tables.reader_table`) and the sentences that carry
numbers, all from the results of :mod:`analysis.findings`. Notebooks call them and display the
result; nothing here computes a finding.
"""
