"""Publishing a build: the staged reports, and the staged data build with them, swapped in at
once.

A library build publishes its staging folder as the reports folder in one swap
(:func:`publish_reports`). The command line publishes its staged ``data/processed`` and the
reports together through the journal of :mod:`analysis.data.journal` (:func:`publish_together`),
so a build killed between the two swaps is completed by the next ``build`` or ``report``.
"""
from __future__ import annotations

from pathlib import Path

from ...data import journal
from ...data.atomic import swap_in
from .manifest import MANIFEST


def publish_reports(staging: Path, reports_dir: Path) -> None:
    """Make the complete ``staging`` folder the reports folder in one step."""
    swap_in(staging, reports_dir, MANIFEST)


def publish_together(data_stage: Path | None, processed: Path, reports_stage: Path | None,
                     reports_dir: Path) -> None:
    """Publish a staged data build (None: none) as ``processed`` and the staged reports (None:
    nothing changed) as ``reports_dir``, both or neither."""
    swaps = []
    if data_stage is not None:
        from ...data import build  # pandas: loaded already by the data build that staged it

        build.carry_over_into_stage(data_stage, processed)
        swaps.append((data_stage, processed))
    if reports_stage is not None:
        swaps.append((reports_stage, reports_dir))
    if swaps:
        journal.publish_journaled(swaps, journal.journal_path(processed), last=MANIFEST)
