"""The one error a report build raises for a notebook or step that cannot be built."""
from __future__ import annotations


class ReportBuildError(RuntimeError):
    """A notebook or step could not be built; the message names it and, if any, the cell."""

    def __init__(self, notebook: str, message: str):
        self.notebook = notebook
        self.message = message
        super().__init__(notebook, message)

    def __str__(self) -> str:
        return f"{self.notebook}: {self.message}"
