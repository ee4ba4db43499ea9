"""The two editions of an executed notebook, reproducible to the byte.

* the **reader edition** ``NN_topic.html``: no code, no prompts, no parameter cells and no
  cells tagged ``researcher_only`` (test statistics, model tables);
* the **researcher edition** ``researcher/NN_topic.html`` with the code, and the executed
  ``researcher/NN_topic.ipynb``.

Cells tagged ``remove_cell`` are dropped from both, outputs of cells tagged ``remove_output``
too. Pages load nothing from the network (no require.js, MathJax, Mermaid or widget CDNs; see
``templates/nbconvert/offline.html.j2``) and are byte-identical when the inputs are: cell ids
are renumbered, execution timestamps and temporary paths stripped; the build time is only in
the manifest.
"""
from __future__ import annotations

import copy
import functools
import html
import re
from pathlib import Path

from ... import paths
from ...data.atomic import atomic_write_text
from ..parameters import PARAMETERS_TAG
from .. import language_switch

INJECTED_TAG = "injected-parameters"  # papermill's tag for the cell it adds
RESEARCHER = "researcher"
NBCONVERT_TEMPLATES = paths.TEMPLATES / "nbconvert"
SYNTHETIC = re.compile(r"\bSYNTHETIC\b")
REMOVE_CELL_TAG = "remove_cell"
RESEARCHER_ONLY_TAG = "researcher_only"  # test statistics, model tables: not in the reader edition
REMOVE_OUTPUT_TAG = "remove_output"


def export(executed, source: Path, folder: Path, title: str) -> list[str]:
    """Write both editions and the executed notebook of ``source`` into ``folder``; return the
    paths written, relative to it."""
    import nbformat

    stem = source.stem
    resources = {"metadata": {"name": title, "path": str(source.parent)}}

    def page(reader: bool) -> str:
        body, _ = _exporter(reader).from_notebook_node(copy.deepcopy(executed),
                                                       copy.deepcopy(resources))
        return language_switch.mark_translations(body)

    written = {
        f"{stem}.html": page(reader=True),
        f"{RESEARCHER}/{stem}.html": page(reader=False),
        f"{RESEARCHER}/{stem}.ipynb": nbformat.writes(executed) + "\n",
    }
    for relative, text in written.items():
        atomic_write_text(folder / relative, text)
    return sorted(written)


@functools.lru_cache(maxsize=2)
def _exporter(reader: bool):
    """The exporter of one edition, made once per process (a new one compiles its templates
    again); :class:`.page_exporter.PageExporter` skips nbconvert's re-parse of each page."""
    from .page_exporter import PageExporter

    return PageExporter(config=exporter_config(reader))


def exporter_config(reader: bool):
    """The nbconvert configuration of the reader (``reader=True``) or researcher edition."""
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.extra_template_paths = [str(NBCONVERT_TEMPLATES)]
    c.HTMLExporter.template_file = "offline.html.j2"
    # embed_images re-parses each inline HTML tag alone in nbconvert 7.17 and empties
    # <span lang="en">…</span>; no notebook shows a Markdown image (figures are outputs)
    c.HTMLExporter.embed_images = False
    c.HTMLExporter.language_code = "id"
    c.HTMLExporter.exclude_input = reader
    c.HTMLExporter.exclude_input_prompt = reader
    c.HTMLExporter.exclude_output_prompt = reader
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = (
        {REMOVE_CELL_TAG, PARAMETERS_TAG, INJECTED_TAG, RESEARCHER_ONLY_TAG} if reader
        else {REMOVE_CELL_TAG})
    # Text from data is untrusted: raw HTML in Markdown cells and in HTML outputs is sanitised
    # (scripts, event handlers and javascript: links removed) in both editions.
    c.HTMLExporter.sanitize_html = True
    # the navigation bar and the sanitiser that keeps headings, tables and `lang`
    # (analysis.publish.reader_tables); the template falls back to nbconvert's clean_html
    c.HTMLExporter.preprocessors = ["analysis.publish.reader_page.ReaderPagePreprocessor"]
    c.TagRemovePreprocessor.remove_all_outputs_tags = {REMOVE_OUTPUT_TAG}
    return c


def make_reproducible(nb, title: str, published_dir: str | None = None) -> None:
    """Strip what changes between identical runs: timestamps, temp paths, random cell ids.

    The staging folder the notebook wrote into (``reports_dir``) is replaced, in the injected
    cell and papermill's record, by ``published_dir``: the reports folder relative to the
    project, so two clones give byte-identical notebooks and no local path is published."""
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {k: pm[k] for k in ("parameters", "default_parameters", "version")
                                if k in pm}
    if published_dir is not None:
        staged = nb.metadata["papermill"].get("parameters", {}).get("reports_dir")
        if "parameters" in nb.metadata["papermill"] and staged is not None:
            nb.metadata["papermill"]["parameters"]["reports_dir"] = published_dir
        for cell in nb.cells:
            if INJECTED_TAG in cell.metadata.get("tags", []) and staged is not None:
                cell.source = cell.source.replace(repr(staged), repr(published_dir)).replace(
                    f'"{staged}"', repr(published_dir))
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = title  # the HTML <title>
    for number, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{number}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def title_and_summary(nb, default_title: str = "") -> tuple[str, str]:
    """The first ``# `` heading and the first paragraph after it (or metadata ``summary``)."""
    title, summary, seen_title = default_title, "", False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        if not seen_title:
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    title, seen_title, lines = line[2:].strip(), True, lines[i + 1:]
                    break
            else:
                continue
        paragraph = _first_paragraph(lines)
        if paragraph:
            summary = paragraph
            break
    meta = nb.metadata.get("summary") or nb.metadata.get("jupytext", {}).get("summary")
    summary = str(meta).strip() if meta else summary
    # headings may mark the other language with <span lang="en">; the index wants plain text
    return _plain(title), _plain(summary)


def _plain(text: str) -> str:
    """Markdown heading or paragraph text without HTML tags and with entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _first_paragraph(lines: list[str]) -> str:
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            if line.lstrip().startswith("#") and not paragraph:
                continue  # a subheading before the first paragraph
            paragraph.append(line.strip())
        elif paragraph:
            break
    return " ".join(paragraph)


def is_synthetic(nb) -> bool:
    """True if any cell output says SYNTHETIC (the data or part of it is made up)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")]
            texts += [v for v in output.get("data", {}).values() if isinstance(v, str)]
            if any(SYNTHETIC.search(t) for t in texts):
                return True
    return False
