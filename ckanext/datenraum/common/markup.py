"""Plain text from partner descriptions that carry HTML, sometimes entity-escaped twice."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

from ckanext.datenraum.common.text import clean

_TAG_LIKE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);")
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


def plain_text(text: str | None) -> str:
    """Readable text: HTML (also delivered as ``&lt;p&gt;`` or ``&amp;lt;p&amp;gt;``) becomes
    paragraphs of plain text and forbidden characters are removed; text without markup keeps
    its line breaks."""
    if not text:
        return ""
    value = text
    for _round in range(3):
        if not _ENTITY.search(value):
            break
        value = html.unescape(value)
    if _TAG_LIKE.search(value):
        value = _html_to_text(value)
    return clean(value).strip()


def _html_to_text(markup: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _TAG_LIKE.sub(" ", markup)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
