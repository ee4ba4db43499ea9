"""Charts whose points say their values: SVG ``<title>`` per point, inlined in the reports.

At save time (:func:`add_point_titles`) each point of an artist marked with
:func:`analysis.publish.plots.hover` gets a ``<title>`` and ``role="img"``: a browser shows the
title as a tooltip when the pointer rests on the point, and a screen reader reads it, with no
JavaScript. At page time (:func:`inline_svg`) the SVG is checked against a short list of the
elements and attributes matplotlib writes (anything else, an event handler, an outside
reference or a ``url()`` that is not a fragment, and the PNG is shown instead), its ids are
prefixed so that two charts on one page never share one, and it is returned as markup with the
chart's alt text as its label. Text in titles is escaped by the XML writer.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
_S = f"{{{SVG_NS}}}"
HREF = f"{{{XLINK_NS}}}href"

ALLOWED = {"svg", "g", "path", "use", "defs", "clipPath", "title", "desc", "rect", "style"}
DROPPED = {f"{_S}metadata"}  # matplotlib's RDF block: nothing a reader needs
ATTRIBUTES = {"id", "d", "x", "y", "width", "height", "viewBox", "version", "style",
              "clip-path", "transform", "class", "role", "aria-label", "href", HREF,
              "preserveAspectRatio", "type"}
_URL = re.compile(r"url\(\s*(?!#)", re.I)
_STYLE_TEXT = re.compile(r"^[\s*{}a-z0-9:;,.#%\-]*$", re.I)


def add_point_titles(svg: bytes, entries: list[tuple[str, list[str]]]) -> bytes:
    """``svg`` with a ``<title>`` per point of each ``(id, texts)`` group; a group whose marker
    count differs from its texts (points not drawn) is left without titles."""
    if not entries:
        return svg
    root = ET.fromstring(svg)
    for gid, texts in entries:
        group = root.find(f".//{_S}g[@id='{gid}']")
        if group is None:
            continue
        holders = [(parent, use) for parent in group.iter() for use in list(parent)
                   if use.tag == f"{_S}use"]
        if len(holders) != len(texts):
            continue
        for (parent, use), text in zip(holders, texts):
            point = ET.Element(f"{_S}g", {"class": "point", "role": "img"})
            ET.SubElement(point, f"{_S}title").text = text
            index = list(parent).index(use)
            parent.remove(use)
            point.append(use)
            parent.insert(index, point)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def has_titles(svg: str | bytes) -> bool:
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    return 'class="point"' in text


def _safe(element) -> bool:
    for node in element.iter():
        name = node.tag.split("}", 1)[-1]
        if name not in ALLOWED or not str(node.tag).startswith(_S):
            return False
        for attr, value in node.attrib.items():
            if attr not in ATTRIBUTES or attr.lower().startswith("on"):
                return False
            if attr in ("href", HREF) and not value.startswith("#"):
                return False
            if _URL.search(value):
                return False
        if name == "style" and not _STYLE_TEXT.match(node.text or ""):
            return False
    return True


def inline_svg(svg: str, label: str, prefix: str) -> str | None:
    """``svg`` as markup to place in a page, labelled ``label``, its ids prefixed with
    ``prefix``; None when it holds anything outside the allowed elements and attributes."""
    try:
        root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    except ET.ParseError:
        return None
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in DROPPED:
                parent.remove(child)
            elif child.tag == f"{_S}style":  # a <style> in a page applies to the whole page:
                parent.remove(child)  # matplotlib's (stroke joins) is inherited from the root
                root.set("style", "stroke-linejoin: round; stroke-linecap: butt")
    if root.tag != f"{_S}svg" or not _safe(root):
        return None
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    for node in root.iter():
        for attr, value in list(node.attrib.items()):
            if attr == "id":
                node.set(attr, f"{slug}-{value}")
            elif attr in ("href", HREF):
                node.set(attr, f"#{slug}-{value[1:]}")
            elif "url(#" in value:
                node.set(attr, value.replace("url(#", f"url(#{slug}-"))
    root.set("role", "group")
    root.set("aria-label", label)
    for attr in ("height",):
        root.attrib.pop(attr, None)
    return ET.tostring(root, encoding="unicode")
