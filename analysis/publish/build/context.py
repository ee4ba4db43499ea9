"""One report build's facts, gathered once and passed to every step: :class:`BuildContext`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .closure import CodeIndex
from .progress import Progress
from .request import BuildRequest


@dataclass(frozen=True)
class BuildContext:
    """The request, the staging folder being filled, the previous manifest and the inputs every
    step's key is computed from."""

    request: BuildRequest
    staging: Path
    previous: dict      # the manifest of the published set ({} if none)
    git: dict           # commit, dirty, date
    versions: dict      # the analysis tools' versions
    data: dict          # {data/raw/... and data/processed/...: sha256}
    register: dict      # {data/private/registers/NAME: sha256} of the -p register, if any
    code: CodeIndex
    progress: Progress

    @property
    def reports_dir(self) -> Path:
        return self.request.reports_dir

    def previous_entry(self, section: str) -> dict | None:
        """The previous manifest's ``landing``, ``api`` or ``site`` entry."""
        return (self.previous or {}).get(section) or None

    @property
    def previous_notebooks(self) -> dict:
        return (self.previous or {}).get("notebooks") or {}
