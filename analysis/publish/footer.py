"""The footer of every published page: how to cite the work, its licences and the commit built.

One partial, ``templates/footer.html.j2``, renders it; every page includes it inside its own
``<footer>`` element (one ``contentinfo`` landmark per page): the landing page and the briefs
with ``{% include "footer.html.j2" %}`` and ``footer=context()`` in their context, the report
editions through :class:`analysis.publish.reader_page.ReaderPagePreprocessor` (:func:`render`),
the ledger page through :mod:`analysis.publish.explore`.

The citation comes from ``CITATION.cff`` (authors, year of release, title, version); the commit
and whether the tree had uncommitted changes from the same check as the manifest's.
"""
from __future__ import annotations

import functools

from markupsafe import Markup

from .. import paths

LICENCES = {"code": ("MIT", "https://opensource.org/license/mit", "LICENSE"),
            "data": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/",
                     "LICENSE-DATA.md")}
TEMPLATE = "footer.html.j2"
SHORT_COMMIT = 12


@functools.lru_cache(maxsize=None)
def citation() -> dict:
    """``{"authors", "year", "title", "version"}`` from ``CITATION.cff`` (text as written there;
    the template escapes it)."""
    import yaml

    meta = yaml.safe_load(paths.CITATION.read_text(encoding="utf-8")) \
        if paths.CITATION.is_file() else {}
    authors = ", ".join(a.get("name") or " ".join(filter(None, (a.get("given-names"),
                                                                 a.get("family-names"))))
                        for a in meta.get("authors") or [])
    return {"authors": authors or "The Netralitas contributors",
            "year": str(meta.get("date-released", ""))[:4] or None,
            "title": meta.get("title") or "Netralitas",
            "version": str(meta["version"]) if meta.get("version") else None}


@functools.lru_cache(maxsize=None)
def _git(root) -> dict:
    from .build.manifest import git_state

    return git_state(root)


def context() -> dict:
    """What ``footer.html.j2`` needs: ``citation``, ``licences``, ``commit`` (short, or None
    outside a repository) and ``dirty``."""
    git = _git(paths.ROOT)
    commit = git.get("commit")
    return {"citation": citation(), "licences": LICENCES,
            "commit": commit[:SHORT_COMMIT] if commit else None, "dirty": bool(git.get("dirty"))}


def environment():
    """A Jinja environment over ``templates/`` (autoescaped, strict) for the site's own pages."""
    from . import templating

    return templating.environment(keep_trailing_newline=True)


def render() -> Markup:
    """The footer's markup (for pages not rendered from this package's templates folder)."""
    return Markup(environment().get_template(TEMPLATE).render(footer=context()))
