"""Publishing several staged folders as one, and finishing what a killed build left.

A report build publishes ``data/processed`` and ``reports/`` together: the list of swaps is
written to a journal beside ``data/processed`` first (:data:`JOURNAL_NAME`), then each staged
folder replaces its target by two renames (never an exchange, so a staged folder that still
exists is one not yet swapped), then the journal is removed. A build killed in between leaves the
journal; the next ``build`` or ``report`` rolls the publication forward (:func:`recover`) before
it reads anything, so the processed tables and the reports are published together or not at all.

Call :func:`recover` and :func:`publish_journaled` with the data lock held
(:func:`data_lock`), so no live build owns what they touch.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .atomic import FolderLock, atomic_write_text, new_sibling, restore_interrupted_swap, swap_in

JOURNAL_NAME = ".netralitas-publish.json"  # beside data/processed while a publication runs
STAGE_KIND = "processed"  # staged data builds: .netralitas-processed-<name>-<id> (new_sibling)


def journal_path(processed: Path) -> Path:
    """The journal of publications that include ``processed`` (``data/processed``)."""
    return Path(processed).parent / JOURNAL_NAME


def new_stage(processed: Path) -> Path:
    """A fresh folder beside ``processed`` for a data build swapped in later (removed by
    :func:`recover` if the build is killed first)."""
    return new_sibling(Path(processed), STAGE_KIND)


def data_lock(processed: Path) -> FolderLock:
    """The lock on ``processed``, held by a build from its start to its publication."""
    return FolderLock(Path(processed), advice="wait for it to finish")


def publish_journaled(swaps: list[tuple[Path, Path]], journal: Path,
                      last: str = "manifest.json") -> None:
    """Swap every staged folder in as one publication: ``swaps`` is ``[(staged, target)]``;
    ``last`` is the file a target's manifest is (written last where files are moved one by
    one)."""
    atomic_write_text(journal, json.dumps(
        {"swaps": [[str(stage), str(target)] for stage, target in swaps], "last": last},
        indent=1) + "\n")
    complete_pending(journal)


def complete_pending(journal: Path) -> bool:
    """Finish the publication recorded in ``journal``; True if there was one."""
    journal = Path(journal)
    if not journal.is_file():
        return False
    record = json.loads(journal.read_text(encoding="utf-8"))
    for stage, target in record["swaps"]:
        stage, target = Path(stage), Path(target)
        restore_interrupted_swap(target)  # killed between the two renames of this swap
        if stage.is_dir():
            swap_in(stage, target, record.get("last", "manifest.json"), exchange=False)
    journal.unlink()
    return True


def recover(processed: Path) -> bool:
    """What a killed build left beside ``processed``: finish its publication (True if there
    was one), put back a folder killed between the renames of its swap, and remove its staged
    data builds."""
    processed = Path(processed)
    completed = complete_pending(journal_path(processed))
    restore_interrupted_swap(processed)
    for stale in processed.parent.glob(f".netralitas-{STAGE_KIND}-{processed.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return completed
