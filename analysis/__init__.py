"""Netralitas: evaluating the supervision of civil-servant (ASN) neutrality in Indonesian
regional-head elections (Pilkada), nationally and for Kepulauan Bangka Belitung.

The package is layered; a layer imports only the layers below it (checked by import-linter, see
``pyproject.toml``):

* :mod:`analysis.cli` (``python -m analysis``): the command line;
* :mod:`analysis.publish`: reports, briefs, charts, formatting (the only layer with HTML);
* :mod:`analysis.findings`: the field's questions answered on our data, with verdicts;
* :mod:`analysis.data`: raw files, schemas, validation, the ledger, the processed build;
* :mod:`analysis.methods`: general statistics (DataFrame + column names in, tidy result out).

:mod:`analysis.paths` holds every path and imports nothing from the package.
"""
__all__ = ["data", "findings", "methods", "paths", "publish"]
