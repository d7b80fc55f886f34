"""XML from partners, parsed without external entities, DTD loading or network access.

lxml with ``resolve_entities=False`` and ``no_network=True`` already never fetches anything;
documents that declare entities at all are refused outright (the defusedxml stance), because
a partner catalogue never needs them and entity tricks are how XXE and "billion laughs" start.
"""

from __future__ import annotations

from lxml import etree


class UnsafeXML(ValueError):
    """The document declares entities or is not well-formed XML."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(content: bytes) -> etree._Element:
    """The root element of ``content``; :class:`UnsafeXML` for entity tricks or bad XML."""
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXML(f"not well-formed XML: {error}") from error
    if root is None:
        raise UnsafeXML("empty XML document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or dtd.system_url):
        raise UnsafeXML("XML documents with entity declarations or external DTDs are refused")
    return root


def check_xml(content: bytes) -> None:
    """Refuse unsafe XML before another parser (rdflib's RDF/XML) sees it."""
    parse_xml(content)
