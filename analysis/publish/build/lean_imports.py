"""Start-up time the build does not need to pay.

nbformat (and so papermill, jupytext and nbconvert) imports jsonschema, whose format checkers
import ``rfc3987_syntax`` when it is installed (the ``jupyter`` package pulls it in through
jupyter-events). That module builds about 35 Earley parsers at import: 1 s per process, in the
command and in each notebook worker (python-jsonschema/jsonschema#1428). It serves only the
``iri`` and ``iri-reference`` formats, which no notebook or Jupyter schema uses, so the build
marks it as absent, exactly as if it were not installed; jsonschema then skips those two checks.
"""
from __future__ import annotations

import sys

__all__ = ["skip_unused_iri_checker"]

IRI_CHECKER = "rfc3987_syntax"


def skip_unused_iri_checker() -> bool:
    """Mark ``rfc3987_syntax`` as not importable, before jsonschema is first imported.

    Returns True when it did; False (and changes nothing) once jsonschema or the checker is
    already loaded in this process, where it would save nothing."""
    if "jsonschema" in sys.modules or IRI_CHECKER in sys.modules:
        return False
    sys.modules[IRI_CHECKER] = None  # the import system's own "not importable" mark
    return True
