"""Controlled vocabularies of the DCAT-AP.de schema: loading, choices, look-ups and updates.

Each vocabulary is one RDF file listed in ``vocabularies/vocabularies.yaml`` with its source and
version. A newer release installed by ``ckan datenraum vocabularies update`` lives in the
operator's vocabulary directory and takes precedence over the shipped file, so updates survive
reinstalls and the installed package is never written to.
"""

from __future__ import annotations

import dataclasses
import functools
import pathlib
import time

import ckan.plugins.toolkit as tk
import rdflib
import yaml
from rdflib.namespace import OWL, RDF, SKOS

SHIPPED_DIRECTORY = pathlib.Path(__file__).with_name("vocabularies")
MANIFEST = SHIPPED_DIRECTORY / "vocabularies.yaml"
# GovData marks the open licences of the dcat-ap.de list with this flag.
OPEN_LICENCE_FLAG = rdflib.URIRef("http://govdata.de/mqa/#isOpenLicense")
AUTHORITY_DEPRECATED = rdflib.URIRef("http://publications.europa.eu/ontology/authority/deprecated")
LANGUAGES = ("de", "en")


@dataclasses.dataclass(frozen=True)
class Concept:
    uri: str
    code: str
    labels: dict  # {"de": ..., "en": ...}
    deprecated: bool = False


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    name: str
    scheme: str
    base: str
    value_kind: str  # "uri" or "code": what the CKAN field stores
    version: str
    source: str
    path: pathlib.Path
    concepts: dict  # uri -> Concept
    # of the file when it was read: caches keyed by it always match the concepts they used
    mtime_ns: int = 0

    def value_of(self, concept: Concept) -> str:
        return concept.code if self.value_kind == "code" else concept.uri

    def uri_for(self, value: str) -> str | None:
        """The concept URI of a stored field value, or None if the value is not in the list."""
        uri = self.base + value if self.value_kind == "code" else value
        return uri if uri in self.concepts else None

    def concept_for_value(self, value: str) -> Concept | None:
        uri = self.uri_for(value)
        return self.concepts.get(uri) if uri else None

    def choices(self) -> list[dict]:
        current = [concept for concept in self.concepts.values() if not concept.deprecated]
        return [
            {"value": self.value_of(concept), "label": dict(concept.labels)}
            for concept in sorted(current, key=lambda c: c.labels.get("de", c.code).casefold())
        ]


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used (unparseable, unknown scheme, no concepts)."""


@functools.cache
def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def override_directory() -> pathlib.Path:
    configured = tk.config.get("ckanext.datenraum.dcatapde.vocabulary_directory")
    if configured:
        return pathlib.Path(configured)
    return pathlib.Path(tk.config.get("ckan.storage_path") or "var") / "datenraum" / "vocabularies"


def _file_for(name: str) -> pathlib.Path:
    entry = manifest()[name]
    override = override_directory() / entry["file"]
    return override if override.exists() else SHIPPED_DIRECTORY / entry["file"]


def parse_rdf_file(path: pathlib.Path) -> rdflib.Graph:
    rdf_format = "xml" if path.suffix in {".rdf", ".xml", ".owl"} else None
    return rdflib.Graph().parse(str(path), format=rdf_format)


def _labels(graph: rdflib.Graph, concept: rdflib.URIRef, code: str, english: dict) -> dict:
    found = {}
    for label in graph.objects(concept, SKOS.prefLabel):
        language = getattr(label, "language", None) or ""
        if language in LANGUAGES and language not in found:
            found[language] = str(label)
        found.setdefault("", str(label))
    if code in english:
        found.setdefault("en", english[code])
    fallback = found.pop("", code)
    return {language: found.get(language, fallback) for language in LANGUAGES}


@functools.cache
def english_labels(name: str) -> dict:
    """The project's English labels for a vocabulary published without them (code → label)."""
    supplement = manifest()[name].get("english_labels")
    if not supplement:
        return {}
    return yaml.safe_load((SHIPPED_DIRECTORY / supplement).read_text(encoding="utf-8"))


def _read(name: str, path: pathlib.Path, version: str) -> Vocabulary:
    entry = manifest()[name]
    graph = parse_rdf_file(path)
    scheme = rdflib.URIRef(entry["scheme"])
    concepts = {}
    for concept in set(graph.subjects(SKOS.inScheme, scheme)):
        if not isinstance(concept, rdflib.URIRef):
            continue
        uri = str(concept)
        code = uri[len(entry["base"]) :] if uri.startswith(entry["base"]) else uri
        deprecated = str(graph.value(concept, AUTHORITY_DEPRECATED) or "false") == "true"
        labels = _labels(graph, concept, code, english_labels(name))
        concepts[uri] = Concept(uri, code, labels, deprecated)
    return Vocabulary(
        name=name,
        scheme=entry["scheme"],
        base=entry["base"],
        value_kind=entry["value"],
        version=str(graph.value(scheme, OWL.versionInfo) or version),
        source=entry["source"],
        path=path,
        concepts=concepts,
    )


@functools.lru_cache(maxsize=64)
def _cached(name: str, path: str, mtime_ns: int) -> Vocabulary:
    vocabulary = _read(name, pathlib.Path(path), str(manifest()[name]["version"]))
    return dataclasses.replace(vocabulary, mtime_ns=mtime_ns)


# A harvest or import calls ``get`` tens of thousands of times; looking at the file system on
# every call cost more than the look-up itself. An update is noticed within this many seconds.
RECHECK_SECONDS = 2.0
_checked: dict[tuple[str, str], tuple[float, Vocabulary]] = {}


def get(name: str) -> Vocabulary:
    """The vocabulary ``name`` of the manifest, re-read only when its file changes."""
    now = time.monotonic()
    key = (name, str(override_directory()))
    checked = _checked.get(key)
    if checked and now - checked[0] < RECHECK_SECONDS:
        return checked[1]
    path = _file_for(name)
    vocabulary = _cached(name, str(path), path.stat().st_mtime_ns)
    _checked[key] = (now, vocabulary)
    return vocabulary


def forget_checks() -> None:
    """Look at the files again on the next ``get`` (after an update in this process)."""
    _checked.clear()


def names() -> list[str]:
    return list(manifest())


def concept_triples(uris) -> rdflib.Graph:
    """Type and scheme triples of the given concept URIs, for offline SHACL validation.

    The shapes check ``?value skos:inScheme <scheme>``; published validators load the whole
    vocabularies via ``owl:imports``. Merging only the concepts a graph uses keeps every
    validation run small.
    """
    wanted = {str(uri) for uri in uris}
    graph = rdflib.Graph()
    for name in names():
        vocabulary = get(name)
        scheme = rdflib.URIRef(vocabulary.scheme)
        for uri in wanted.intersection(vocabulary.concepts):
            ref = rdflib.URIRef(uri)
            graph.add((ref, RDF.type, SKOS.Concept))
            graph.add((ref, SKOS.inScheme, scheme))
    return graph


def open_licence_triples(uris) -> rdflib.Graph:
    """GovData's open-licence flags (``govdata:isOpenLicense``) for the given licence URIs."""
    licence_file = get("licenses").path
    source = _licence_flags(str(licence_file), licence_file.stat().st_mtime)
    graph = rdflib.Graph()
    for uri in uris:
        for triple in source.triples((rdflib.URIRef(str(uri)), None, None)):
            graph.add(triple)
    return graph


@functools.lru_cache(maxsize=4)
def _licence_flags(path: str, mtime: float) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in parse_rdf_file(pathlib.Path(path)).triples((None, OPEN_LICENCE_FLAG, None)):
        graph.add(triple)
    return graph


def install(source: pathlib.Path, target_directory: pathlib.Path | None = None) -> Vocabulary:
    """Install a newer release of a known vocabulary from ``source`` (a local RDF file).

    The file must parse and declare the concepts of exactly one scheme of the manifest; the
    vocabulary it replaces stays untouched otherwise.
    """
    try:
        graph = parse_rdf_file(source)
    except Exception as error:  # rdflib raises many parser-specific exceptions
        raise VocabularyError(f"{source.name}: not readable as RDF ({error})") from error
    schemes = {str(scheme) for scheme in graph.objects(None, SKOS.inScheme)}
    matching = [name for name, entry in manifest().items() if entry["scheme"] in schemes]
    if len(matching) != 1:
        raise VocabularyError(
            f"{source.name}: declares concepts of {sorted(schemes) or 'no scheme'}, "
            f"expected exactly one of {sorted(e['scheme'] for e in manifest().values())}"
        )
    name = matching[0]
    target_directory = target_directory or override_directory()
    target_directory.mkdir(parents=True, exist_ok=True)
    target = target_directory / manifest()[name]["file"]
    candidate = _read(name, source, "unknown")
    if not candidate.concepts:
        raise VocabularyError(f"{source.name}: no concepts in scheme {candidate.scheme}")
    temporary = target.with_suffix(target.suffix + ".tmp")
    graph.serialize(
        destination=str(temporary), format="xml" if target.suffix == ".rdf" else "turtle"
    )
    temporary.replace(target)
    forget_checks()
    return get(name)
