"""Writing report outputs: figures, tables and any file that must never be seen half-written.

Notebooks call :func:`save_figure` and :func:`save_table` with the ``reports_dir`` parameter the
report build injects; the data build reuses :func:`atomic_write_text` and
:func:`atomic_write_bytes`.

Every write goes to a temporary file in the destination folder and is then moved into place
with :func:`os.replace`, so a reader sees either the old file or the new one, never a partial
one. Figures and tables are byte-identical when the inputs are: PNG and SVG carry no
timestamps or software stamps, SVG element ids come from a fixed salt, CSV rows are written as
given (sort before saving).
"""
from __future__ import annotations

import base64
import io
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from ..data.atomic import atomic_write_bytes, atomic_write_text

FIGURES = "figures"
TABLES = "tables"
FIGURE_DPI = 150
INLINE_DPI = 100  # matplotlib's default figure.dpi, used by the inline backend
SVG_HASH_SALT = "netralitas"


@dataclass(frozen=True)
class SavedFigure:
    """Where :func:`save_figure` put a figure.

    As the last expression of a notebook cell it displays the saved PNG with its alt text (the
    report's HTML puts it in ``<img alt=...>``), at the size matplotlib's inline backend would
    use. Close the figure first (``plt.close(fig)``) so it is not shown twice.
    """

    png: Path
    svg: Path
    alt_text: Path

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = self.png.read_bytes()
        width_px = struct.unpack(">I", data[16:20])[0]  # PNG IHDR width
        alt = self.alt_text.read_text(encoding="utf-8").strip()
        bundle = {
            "image/png": base64.b64encode(data).decode("ascii"),
            "text/plain": f"<figure {self.png.name}: {alt}>",
        }
        width = round(width_px * INLINE_DPI / FIGURE_DPI)
        return bundle, {"image/png": {"alt": alt, "width": width}}


def _output_folder(reports_dir: Path | str, sub: str) -> Path:
    """``reports_dir/sub``, refusing the published reports folder itself: only the report build
    publishes (it writes into a staging folder and swaps it in), so a notebook run by hand in
    Jupyter or papermill cannot overwrite what readers see."""
    from .. import paths

    folder = Path(reports_dir).resolve()
    if folder == paths.REPORTS.resolve():
        raise ValueError(
            f"{folder} is the published reports folder; a notebook run by hand writes to a "
            "scratch folder (the parameters cell's default, ../scratch). Publish with "
            "`python -m analysis report`.")
    return folder / sub


def _check_stem(stem: str, what: str) -> None:
    if not stem or stem != Path(stem).name or stem in {".", ".."}:
        raise ValueError(
            f"{what} stem {stem!r} must be a plain file name without folders or extension, "
            "starting with the notebook's number, e.g. '01_reports_per_year'"
        )


def save_figure(fig, stem: str, reports_dir: Path | str, alt_text: str) -> SavedFigure:
    """Save a matplotlib figure as ``reports_dir/figures/<stem>.png`` (150 dpi) and ``.svg``.

    ``alt_text`` describes the finding for readers who cannot see the image (one or two
    sentences, in the report's language); it is kept in ``<stem>.alt.txt`` beside the images.
    Output is deterministic: no creation date or software stamp, fixed SVG id salt.
    """
    import matplotlib

    _check_stem(stem, "Figure")
    if not alt_text or not alt_text.strip():
        raise ValueError(f"Figure {stem!r}: alt_text is empty; describe what the figure shows")
    folder = _output_folder(reports_dir, FIGURES)

    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})

    saved = SavedFigure(
        png=atomic_write_bytes(folder / f"{stem}.png", png.getvalue()),
        svg=atomic_write_bytes(folder / f"{stem}.svg", svg.getvalue()),
        alt_text=atomic_write_text(folder / f"{stem}.alt.txt", alt_text.strip() + "\n"),
    )
    return saved


def save_table(df, stem: str, reports_dir: Path | str) -> Path:
    """Save a DataFrame as ``reports_dir/tables/<stem>.csv`` (UTF-8, no index, ``\\n`` lines).

    Rows are written in the order given: sort the frame first so the file is the same on every
    run. Returns the path written.
    """
    from ..data.spreadsheet_safety import to_safe_csv

    _check_stem(stem, "Table")
    text = to_safe_csv(df)  # text cells that a spreadsheet would run as a formula get a '  
    return atomic_write_text(_output_folder(reports_dir, TABLES) / f"{stem}.csv", text)


def show_table(df, index: bool = False, float_digits: int = 3):
    """Display a table as plain HTML (no index by default, no random ids, so pages are
    byte-identical across builds). Returns an IPython HTML object for the cell's output."""
    from IPython.display import HTML

    html = df.to_html(index=index, border=0, na_rep="–", classes="dataframe",
                      float_format=lambda v: f"{v:.{float_digits}g}")
    return HTML(html)
