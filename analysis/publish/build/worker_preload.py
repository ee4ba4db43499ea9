"""What every notebook worker needs, imported once by the workers' fork server.

The workers are forked from one server process that imported this module
(``multiprocessing`` "forkserver" with :func:`multiprocessing.set_forkserver_preload`), so the
imports (papermill, jupytext, nbformat, nbconvert, bleach) and the compiled report templates
are paid for once per build, not once per worker: about a second of CPU each. Importing it
never fails: anything that goes wrong here is left for the worker to meet and report.
"""
from __future__ import annotations

try:
    from .lean_imports import skip_unused_iri_checker

    skip_unused_iri_checker()
    import bleach  # noqa: F401
    import jupytext  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    from nbclient import NotebookClient  # noqa: F401

    from .. import reader_page  # noqa: F401
    from . import editions, execute  # noqa: F401

    for _reader in (True, False):
        editions._exporter(_reader).template  # compiles the report template and its parents
except Exception:  # noqa: BLE001 - a worker meets the same problem and reports it properly
    pass
