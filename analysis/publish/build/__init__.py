"""The report build: notebooks into the published reports, each step run only when its inputs
changed, everything published at once.

What belongs here, one job per module: :mod:`.command` (``python -m analysis report``, which
validates once), :mod:`.request` (what to build, checked), :mod:`.pipeline` (the steps in
order), :mod:`.plan` (which steps run and why) with :mod:`.keys` and :mod:`.closure` (what each
step depends on), :mod:`.execute` (running notebooks) and :mod:`.children` (which end with the
build), :mod:`.editions` (reader and researcher pages), :mod:`.landing` (briefs, API reference,
index), :mod:`.manifest`, :mod:`.privacy_gate` (nothing personal is published) and
:mod:`.publication` (the swap, with the data build through a journal).

The package imports nothing here, so a notebook's key (which includes the code that runs it)
does not depend on the command line.
"""
__all__ = ["children", "closure", "command", "context", "editions", "errors", "execute", "keys",
           "landing", "lean_imports", "manifest", "pipeline", "plan", "privacy_gate", "progress",
           "publication", "request"]
