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
    checks: dict | None = None  # plots.figure_checks at save time (kept in the notebook's output)
    hover: bool = False  # the SVG's points carry <title>s (plots.hover): the report shows it

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = self.png.read_bytes()
        width_px = struct.unpack(">I", data[16:20])[0]  # PNG IHDR width
        alt = self.alt_text.read_text(encoding="utf-8").strip()
        bundle = {
            "image/png": base64.b64encode(data).decode("ascii"),
            "text/plain": f"<figure {self.png.name}: {alt}>",
        }
        width = round(width_px * INLINE_DPI / FIGURE_DPI)
        meta = {"alt": alt, "width": width}
        if self.checks is not None:
            meta["netralitas_checks"] = self.checks
        metadata = {"image/png": meta}
        if self.hover:  # HTML prefers the SVG; the PNG stays for other readers and the checks
            bundle["image/svg+xml"] = self.svg.read_text(encoding="utf-8")
            metadata["image/svg+xml"] = {"alt": alt, "stem": self.png.stem}
        return bundle, metadata


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
    The figure's layout checks (:func:`analysis.publish.plots.figure_checks`: overlapping text,
    smallest text on a phone, marker contrast) travel with the displayed image's metadata into
    the executed notebook, where the tests read them.
    Output is deterministic: no creation date or software stamp, fixed SVG id salt.
    """
    import matplotlib

    from .hover_svg import add_point_titles, has_titles
    from .plots import figure_checks, hover_entries, laid_out

    _check_stem(stem, "Figure")
    if not alt_text or not alt_text.strip():
        raise ValueError(f"Figure {stem!r}: alt_text is empty; describe what the figure shows")
    folder = _output_folder(reports_dir, FIGURES)

    checks = figure_checks(laid_out(fig))
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    svg_bytes = add_point_titles(svg.getvalue(), hover_entries(fig))

    saved = SavedFigure(
        png=atomic_write_bytes(folder / f"{stem}.png", png.getvalue()),
        svg=atomic_write_bytes(folder / f"{stem}.svg", svg_bytes),
        alt_text=atomic_write_text(folder / f"{stem}.alt.txt", alt_text.strip() + "\n"),
        checks=checks, hover=has_titles(svg_bytes),
    )
    return saved


EMPTY_REASON = ("tidak ada baris yang memenuhi syarat tabel ini",
                "no row meets this table's conditions")


def save_table(df, stem: str, reports_dir: Path | str, *, columns=None,
               empty_reason: str | tuple[str, str] | None = None) -> Path:
    """Save a DataFrame as ``reports_dir/tables/<stem>.csv`` (UTF-8, no index, ``\\n`` lines).

    Rows are written in the order given: sort the frame first so the file is the same on every
    run. Returns the path written.

    An empty table keeps its header: a frame without rows is written as its header line, and
    a frame without columns (``pd.DataFrame([])``) is written with ``columns``, the header it
    has when it has rows (without them, a ValueError says so). Its page says why it is empty:
    a note naming the table and ``empty_reason`` (text, or ``(Indonesian, English)``) is shown
    where it is saved.
    """
    import pandas as pd

    from ..data.spreadsheet_safety import to_safe_csv

    _check_stem(stem, "Table")
    if len(df.columns) == 0:
        if not columns:
            raise ValueError(
                f"Table {stem!r} has no columns, so its CSV would have no header; build the "
                "frame with its columns (pd.DataFrame(rows, columns=[...])) or pass "
                "columns=[...], the header it has when it has rows")
        df = pd.DataFrame(columns=list(columns))
    text = to_safe_csv(df)  # text cells that a spreadsheet would run as a formula get a '
    path = atomic_write_text(_output_folder(reports_dir, TABLES) / f"{stem}.csv", text)
    _LAST_SAVED.update(stem=stem, rows=len(df), columns={str(c) for c in df.columns})
    if len(df) == 0:
        _show_markdown(empty_table_note(stem, empty_reason))
    return path


def empty_table_note(stem: str, reason: str | tuple[str, str] | None = None) -> str:
    """The note an empty table's page shows (Markdown, Indonesian first): which table, and why
    it has no rows."""
    from .safe_text import md

    reason_id, reason_en = (reason, reason) if isinstance(reason, str) else (reason or EMPTY_REASON)
    return (f"**Tabel `{stem}` kosong** (hanya judul kolom): {md(reason_id)}. "
            f'<span lang="en">/ *Table `{stem}` is empty* (header only): {md(reason_en)}.</span>')


def _show_markdown(text: str) -> None:
    """Display ``text`` in the notebook being run (nothing outside a kernel)."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        return
    if get_ipython() is not None:
        display(Markdown(text))


def is_header_only(csv_path: Path) -> bool:
    """True for a table saved without rows (its header line only)."""
    with Path(csv_path).open("rb") as handle:
        handle.readline()
        return not handle.read(1)


_LAST_SAVED: dict = {}  # the table this kernel saved last: the CSV a table shown next links to


def last_saved_table(n_rows: int, columns=None) -> str | None:
    """The stem of the table saved last by :func:`save_table` when it has ``n_rows`` rows (and,
    given ``columns``, all of them): the CSV behind a table shown right after it."""
    if not _LAST_SAVED or _LAST_SAVED["rows"] != n_rows:
        return None
    if columns is not None and not {str(c) for c in columns} <= _LAST_SAVED["columns"]:
        return None
    return _LAST_SAVED["stem"]


def _plain_number(value, digits: int) -> str:
    """A float as researchers read it: never scientific notation; ``digits`` significant
    digits below 1000, whole numbers with no decimals above; a negative with the minus sign
    U+2212 (the CSV keeps the raw value)."""
    if value < 0:
        text = _plain_number(-value, digits)
        return "\u2212" + text if text.strip("0.") else text
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    text = f"{value:.{digits}g}"
    if "e" in text:  # tiny values: fixed point with enough decimals
        text = f"{value:.{digits + 6}f}".rstrip("0")
    return text


_TABLES_SHOWN = 0  # numbers the tables of one notebook run (unique, deterministic labels)


def show_table(df, index: bool = False, float_digits: int = 3):
    """Display a table as plain HTML (no index by default, no random ids, so pages are
    byte-identical across builds), wrapped in a region that scrolls sideways by keyboard.
    Numbers never in scientific notation, missing values as a dash, no empty header cell
    (a column without a name is headed by its position). For the researcher edition: readers
    get :func:`analysis.publish.reader_tables.reader_table`. Returns an IPython HTML object."""
    import html as html_mod
    import re

    import pandas as pd
    from IPython.display import HTML

    shown = df.reset_index() if index else df.copy()
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = [" · ".join(str(p) for p in c if str(p)) for c in shown.columns]
    shown.columns = [str(c) if str(c).strip() else f"column {i + 1}"
                     for i, c in enumerate(shown.columns)]
    shown.columns.name = None
    table = shown.to_html(index=False, border=0, na_rep="–", classes="dataframe",
                          float_format=lambda v: _plain_number(v, float_digits))
    table = re.sub(r"(<td>)-(?=\d)", "\\1\u2212", table)  # negative integers: the minus sign
    global _TABLES_SHOWN
    _TABLES_SHOWN += 1
    label = html_mod.escape(f"Tabel {_TABLES_SHOWN} / Table {_TABLES_SHOWN}: "
                            + ", ".join(shown.columns[:4]), quote=True)
    stem = last_saved_table(len(df), shown.columns)
    link = (f'<p class="table-csv"><a href="{TABLES}/{html_mod.escape(stem, quote=True)}.csv">'
            f"CSV</a> (<code>{html_mod.escape(stem)}.csv</code>)</p>" if stem else "")
    return HTML(f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
                f"{table}</div>{link}")


@dataclass(frozen=True)
class SavedFigures:
    """One figure drawn in each language (``{"id": SavedFigure, "en": SavedFigure}``). As the
    last expression of a cell it displays the Indonesian figure, then the English one, each
    image with its alt text and ``lang``."""

    figures: dict

    def __getitem__(self, lang: str) -> SavedFigure:
        return self.figures[lang]

    def _ipython_display_(self):
        from IPython.display import display

        for lang, saved in self.figures.items():
            bundle, meta = saved._repr_mimebundle_()
            for kind in meta.values():
                kind["lang"] = lang
            display(bundle, metadata=meta, raw=True)


def save_figures(draw, stem: str, reports_dir: Path | str, langs=("id", "en")) -> SavedFigures:
    """Draw a figure in each language and save it: ``draw(lang)`` returns ``(fig, alt_text)``;
    the Indonesian figure is ``<stem>.png`` (and ``.svg``, ``.alt.txt``), the others
    ``<stem>_<lang>.png``. Each figure is closed after saving."""
    import matplotlib.pyplot as plt

    saved = {}
    for lang in langs:
        fig, alt = draw(lang)
        try:
            saved[lang] = save_figure(fig, stem if lang == langs[0] else f"{stem}_{lang}",
                                      reports_dir, alt_text=alt)
        finally:
            plt.close(fig)
    return SavedFigures(saved)
