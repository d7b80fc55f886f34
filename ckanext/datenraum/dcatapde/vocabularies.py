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
import re
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


# Look-ups from what partners write to the vocabularies' values: one place for the harvesters,
# the import, the web form's validators and the export.

LICENCE_ALIASES = SHIPPED_DIRECTORY / "licence-aliases.yaml"
_DCAT_AP_DE_LICENCE = re.compile(
    r"^https?://(?:www\.)?dcat-ap\.de/def/licenses/(?P<code>.+?)/?$", re.I
)
_URL_SUFFIXES = re.compile(r"/(?:legalcode(?:\.[a-z-]+)?|deed\.[a-z-]+)$", re.I)
# Alternative spellings of EU file types that CKAN users and partner catalogues write.
FORMAT_ALIASES = {
    "GEOJSON": "GEOJSON",
    "JSON-LD": "JSON_LD",
    "JSONLD": "JSON_LD",
    "TURTLE": "RDF_TURTLE",
    "TTL": "RDF_TURTLE",
    "RDF/XML": "RDF_XML",
    "N-TRIPLES": "RDF_N_TRIPLES",
    "SHAPEFILE": "SHP",
    "ESRI SHAPEFILE": "SHP",
    "ESRI SHAPEFILE (SHP)": "SHP",
    "JPG": "JPEG",
    "TIF": "TIFF",
    "TIF/TIFF": "TIFF",
    "GEOTIFF": "TIFF",
    "GZ": "GZIP",
    "TEXT": "TXT",
    "XLS(X)": "XLSX",
    "WMS": "WMS_SRVC",
    "WFS": "WFS_SRVC",
    "WCS": "WCS_SRVC",
    "WMTS": "WMTS_SRVC",
}


def file_type_code(value) -> str:
    """The EU file-type code for a file-type URI or a common spelling ("csv", "GeoJSON"); the
    upper-cased text when it is neither (the caller checks it against the list)."""
    text = str(value).strip()
    file_types = get("file-type")
    for base in (file_types.base, file_types.base.replace("http://", "https://")):
        if text.startswith(base):
            return text[len(base) :]
    upper = text.upper()
    return FORMAT_ALIASES.get(upper, upper)


def _bare_url(text: str) -> str:
    bare = re.sub(r"^https?://", "", text.strip(), flags=re.I).removeprefix("www.")
    return _URL_SUFFIXES.sub("", bare.rstrip("/")).rstrip("/").lower()


def _bare_name(text: str) -> str:
    return re.sub(r"[\s_()]+", "", text.strip().lower())


@functools.lru_cache(maxsize=8)
def _licence_tables(path: str, mtime_ns: int) -> tuple[dict, dict, dict, dict]:
    vocabulary = get("licenses")
    aliases = yaml.safe_load(LICENCE_ALIASES.read_text(encoding="utf-8"))
    codes = {concept.code.lower(): concept.code for concept in vocabulary.concepts.values()}
    graph = parse_rdf_file(pathlib.Path(path))
    urls = {}
    for concept in vocabulary.concepts.values():
        homepage = graph.value(rdflib.URIRef(concept.uri), rdflib.namespace.FOAF.homepage)
        if homepage:
            urls.setdefault(_bare_url(str(homepage)), concept.code)
    urls.update({_bare_url(url): code for url, code in aliases["urls"].items()})
    legacy = {key.lower(): code for key, code in aliases["legacy"].items()}
    names = {_bare_name(key): code for key, code in aliases["names"].items()}
    known = set(codes.values())
    for table in (urls, legacy, names):
        unknown = {code for code in table.values() if code not in known}
        if unknown:
            raise VocabularyError(f"licence-aliases.yaml names codes not in the list: {unknown}")
    return codes, legacy, urls, names


def licence_code(text) -> str | None:
    """The dcat-ap.de licence code for a licence URI, legacy URI, licence URL, SPDX/CKAN id or
    title (see ``vocabularies/licence-aliases.yaml``); None when there is no counterpart."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    licences = get("licenses")
    codes, legacy, urls, names = _licence_tables(str(licences.path), licences.mtime_ns)
    match = _DCAT_AP_DE_LICENCE.match(value)
    if match:
        code = match["code"].lower()
        return codes.get(code) or legacy.get(code) or codes.get(code.replace("_", "."))
    if value.lower() in codes:
        return codes[value.lower()]
    if value.lower() in legacy:
        return legacy[value.lower()]
    if re.match(r"^https?://", value, re.I):
        return urls.get(_bare_url(value))
    return names.get(_bare_name(value))
