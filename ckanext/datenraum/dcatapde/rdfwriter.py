"""Concatenable RDF writers for catalogue pages: Turtle (also N3), N-Triples, flat RDF/XML and
JSON-LD.

rdflib's serialisers work on a whole graph and take about half of a catalogue page's time. These
writers describe each subject on its own with one fixed prefix table, so the text of one dataset
can be cached and a page assembled by concatenation: ``document(fragment(triples), ...)``.
Shared nodes (a licence, a publisher) may be described in several fragments; RDF merges them.
Blank-node labels are rdflib's random ids, unique across fragments (decision 0102). A subject's
statements keep the order they were written in (per predicate): readers that keep one value of
many, as ckanext-dcat does, then see the values in the order the export chose.

No character that XML cannot carry reaches any output: text is cleaned with
``common.text.clean``, and such characters in an IRI are percent-encoded (decision 0112).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from ckanext.dcat.profiles.base import namespaces as dcat_namespaces
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ckanext.datenraum.common.text import FORBIDDEN, clean

PREFIXES = {
    **{prefix: str(namespace) for prefix, namespace in dcat_namespaces.items()},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "geodcatap": "http://data.europa.eu/930/",
    "hydra": "http://www.w3.org/ns/hydra/core#",
}
_PREFIX_OF = {namespace: prefix for prefix, namespace in PREFIXES.items()}
# Conservative local names: valid in Turtle (PN_LOCAL) and XML (NCName) alike.
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_]+\Z")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
RDF_TYPE = RDF.type


class WriterError(ValueError):
    """A graph this writer cannot express (the caller falls back to rdflib)."""


def _split(iri: str) -> tuple[str, str]:
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return iri[:cut], iri[cut:]


def _qname(iri: str) -> str | None:
    namespace, local = _split(iri)
    prefix = _PREFIX_OF.get(namespace)
    if prefix and _LOCAL_NAME.match(local):
        return f"{prefix}:{local}"
    return None


def _bnode_label(node: BNode) -> str:
    label = str(node)
    if _BNODE_LABEL.match(label):
        return label
    return "b" + hashlib.sha1(label.encode()).hexdigest()[:20]  # noqa: S324 (a label, no secret)


def _by_subject(triples: Iterable) -> dict:
    subjects: dict = {}
    for subject, predicate, obj in triples:
        subjects.setdefault(subject, []).append((predicate, obj))
    for statements in subjects.values():  # a stable sort: objects keep their order
        statements.sort(key=lambda po: (po[0] != RDF_TYPE, str(po[0])))
    return dict(sorted(subjects.items(), key=lambda item: (isinstance(item[0], BNode), item[0])))


def _percent(match) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode(errors="surrogatepass"))


def _iri_text(iri: str) -> str:
    """The IRI with characters no serialisation may carry percent-encoded."""
    return FORBIDDEN.sub(_percent, iri) if FORBIDDEN.search(iri) else iri


def _angle_iri(iri: str) -> str:
    """``<iri>`` for Turtle and N-Triples."""
    return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", _iri_text(iri)) + ">"


def _string(literal: Literal) -> str:
    """The literal's text, cleaned, as a quoted Turtle/N-Triples string."""
    text = (
        clean(str(literal))
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    return f'"{text}"'


class TurtleWriter:
    media_type = "text/turtle"

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"

    def document(self, fragments: Iterable[str]) -> str:
        return self.header() + "".join(fragments)

    def fragment(self, triples: Iterable) -> str:
        blocks = []
        for subject, statements in _by_subject(triples).items():
            lines, previous = [], None
            for predicate, obj in statements:
                if predicate == previous:
                    lines[-1] += f" ,\n        {self.term(obj)}"
                else:
                    verb = "a" if predicate == RDF_TYPE else self.term(predicate)
                    lines.append(f"    {verb} {self.term(obj)}")
                previous = predicate
            blocks.append(f"{self.term(subject)}\n" + " ;\n".join(lines) + " .\n\n")
        return "".join(blocks)

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, BNode):
            return "_:" + _bnode_label(term)
        if isinstance(term, Literal):
            return self.literal(term)
        raise WriterError(f"cannot write {term!r}")

    @staticmethod
    @functools.lru_cache(maxsize=8192)  # predicates, classes and vocabulary URIs repeat a lot
    def iri(iri: str) -> str:
        return _qname(iri) or _angle_iri(iri)

    def literal(self, literal: Literal) -> str:
        if literal.language:
            return f"{_string(literal)}@{literal.language}"
        if literal.datatype:
            return f"{_string(literal)}^^{self.iri(str(literal.datatype))}"
        return _string(literal)


class RdfXmlWriter:
    """Flat RDF/XML: one ``rdf:Description`` per subject, namespaces declared on the root."""

    media_type = "application/rdf+xml"

    def document(self, fragments: Iterable[str]) -> str:
        declarations = "".join(
            f"\n   xmlns:{p}={quoteattr(ns)}" for p, ns in sorted(PREFIXES.items())
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f"<rdf:RDF{declarations}>\n" + "".join(fragments) + "</rdf:RDF>\n"
        )

    def fragment(self, triples: Iterable) -> str:
        parts = []
        for subject, statements in _by_subject(triples).items():
            parts.append(f"  <rdf:Description {self._node_attribute(subject, 'about')}>\n")
            for predicate, obj in statements:
                parts.append(f"    {self._property(predicate, obj)}\n")
            parts.append("  </rdf:Description>\n")
        return "".join(parts)

    @staticmethod
    def _node_attribute(node, about: str) -> str:
        if isinstance(node, BNode):
            return f"rdf:nodeID={quoteattr(_bnode_label(node))}"
        return f"rdf:{about}={quoteattr(_iri_text(str(node)))}"

    def _property(self, predicate, obj) -> str:
        namespace, local = _split(str(predicate))
        if not _LOCAL_NAME.match(local):
            raise WriterError(f"predicate {predicate} has no XML name")
        prefix = _PREFIX_OF.get(namespace)
        declaration = "" if prefix else f" xmlns:ns0={quoteattr(namespace)}"
        name = f"{prefix or 'ns0'}:{local}"
        if not isinstance(obj, Literal):
            return f"<{name}{declaration} {self._node_attribute(obj, 'resource')}/>"
        if obj.language:
            declaration += f" xml:lang={quoteattr(obj.language)}"
        elif obj.datatype:
            declaration += f" rdf:datatype={quoteattr(str(obj.datatype))}"
        return f"<{name}{declaration}>{escape(clean(str(obj)))}</{name}>"


class JsonLdWriter:
    """Expanded, flattened JSON-LD: a top-level array of node objects."""

    media_type = "application/ld+json"

    def document(self, fragments: Iterable[str]) -> str:
        return "[\n" + ",\n".join(f for f in fragments if f) + "\n]\n"

    def fragment(self, triples: Iterable) -> str:
        nodes = []
        for subject, statements in _by_subject(triples).items():
            node: dict = {"@id": self._id(subject)}
            for predicate, obj in statements:
                if predicate == RDF_TYPE and isinstance(obj, URIRef):
                    node.setdefault("@type", []).append(str(obj))
                else:
                    node.setdefault(str(predicate), []).append(self._value(obj))
            nodes.append(json.dumps(node, ensure_ascii=False))
        return ",\n".join(nodes)

    @staticmethod
    def _id(node) -> str:
        return "_:" + _bnode_label(node) if isinstance(node, BNode) else _iri_text(str(node))

    def _value(self, obj) -> dict:
        if not isinstance(obj, Literal):
            return {"@id": self._id(obj)}
        value = {"@value": clean(str(obj))}
        if obj.language:
            value["@language"] = obj.language
        elif obj.datatype:
            value["@type"] = str(obj.datatype)
        return value


class NTriplesWriter(TurtleWriter):
    """N-Triples: Turtle's terms without prefixes, one triple a line, nothing to declare."""

    media_type = "application/n-triples"
    iri = staticmethod(functools.lru_cache(maxsize=8192)(_angle_iri))

    def document(self, fragments: Iterable[str]) -> str:
        return "".join(fragments)

    def fragment(self, triples: Iterable) -> str:
        return "".join(
            f"{self.term(subject)} {self.term(predicate)} {self.term(obj)} .\n"
            for subject, statements in _by_subject(triples).items()
            for predicate, obj in statements
        )


WRITERS = {
    "ttl": TurtleWriter(),
    "n3": TurtleWriter(),
    "nt": NTriplesWriter(),
    "rdf": RdfXmlWriter(),
    "xml": RdfXmlWriter(),
    "jsonld": JsonLdWriter(),
}
