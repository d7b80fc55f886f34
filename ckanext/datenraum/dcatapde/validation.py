"""Offline SHACL validation against the DCAT-AP.de 3.0 shapes and GovData's delivery shapes.

The shapes in ``shapes/`` are copied unchanged from their publishers (see ``shapes/SOURCES.md``).
Their known defects are repaired here, when loading, so the files stay comparable with upstream
(decision note docs/decisions/0100-dcat-ap-de-shacl-loader.md):

1. Several files declare ``dcatap: <http://data.europa.eu/r5r#>``; the specification uses
   ``http://data.europa.eu/r5r/``. We rewrite the shape IRIs, or the availability checks never fire.
2. GovData's dashboard shapes contain two counting rules that fire for every distribution by
   design (``govdata:failnow``); we deactivate them.
3. The dashboard uses its own severities (``govdata:no_license`` …). They count as violations,
   except ``govdata:no_open_license_from_list`` ("sollte"), which is a warning.
4. The published validators pull vocabularies in with remote ``owl:imports``; offline we merge the
   class hierarchy of the mirrored ontologies and the vocabulary concepts the data uses.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import pathlib
from collections.abc import Iterable, Iterator

import ckan.plugins.toolkit as tk
import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, RDFS, SH

from ckanext.datenraum.dcatapde import export, vocabularies

SHAPES_DIRECTORY = pathlib.Path(__file__).with_name("shapes")
SHAPE_FILES = (
    "dcat-ap-SHACL.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-deprecated.ttl",
    "db-shapes.ttl",
)
ONTOLOGY_FILES = ("foaf_0_1.rdf", "vcard.ttl", "org.ttl")
GOVDATA = Namespace("http://govdata.de/mqa/#")
WRONG_DCATAP = "http://data.europa.eu/r5r#"
RIGHT_DCATAP = "http://data.europa.eu/r5r/"
COUNTING_RULES = (GOVDATA.Distribution_count, GOVDATA.Distribution_Licenses_count)
WARNING_SEVERITIES = {SH.Warning, SH.Info, GOVDATA.no_open_license_from_list}
# Where a violation's focus node hangs below its dataset, to attribute it (at most this deep).
MAX_DEPTH = 4


@dataclasses.dataclass(frozen=True)
class Result:
    dataset: str | None  # URI of the dataset the focus node belongs to
    focus: str
    path: str
    severity: str
    message: str
    value: str
    component: str = ""

    @property
    def is_violation(self) -> bool:
        return URIRef(self.severity) not in WARNING_SEVERITIES

    @property
    def key(self) -> tuple:
        """What makes two results the same finding, whichever dataset reached the node."""
        return (self.focus, self.path, self.severity, self.message, self.value, self.component)

    def line(self) -> str:
        return f"{self.dataset or self.focus}\t{_short(self.path)}\t{self.message}"


@dataclasses.dataclass
class Report:
    results: list[Result]

    @property
    def violations(self) -> list[Result]:
        return [result for result in self.results if result.is_violation]

    @property
    def warnings(self) -> list[Result]:
        return [result for result in self.results if not result.is_violation]


def _fix_dcatap(term):
    if isinstance(term, URIRef) and str(term).startswith(WRONG_DCATAP):
        return URIRef(RIGHT_DCATAP + str(term)[len(WRONG_DCATAP) :])
    return term


@functools.cache
def shapes_graph() -> Graph:
    """All shapes, parsed once per process, with the known defects repaired."""
    graph = Graph()
    for name in SHAPE_FILES:
        for subject, predicate, obj in Graph().parse(SHAPES_DIRECTORY / name):
            graph.add((_fix_dcatap(subject), _fix_dcatap(predicate), _fix_dcatap(obj)))
    for rule in COUNTING_RULES:
        graph.set((rule, SH.deactivated, Literal(True)))
    return graph


@functools.cache
def ontology_graph() -> Graph:
    """The class and property hierarchy of the mirrored ontologies (foaf, vcard, org)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        source = vocabularies.parse_rdf_file(SHAPES_DIRECTORY / name)
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf):
            for triple in source.triples((None, predicate, None)):
                if not isinstance(triple[2], BNode):
                    graph.add(triple)
    return graph


def prepared_data_graph(graph: Graph) -> Graph:
    """``graph`` plus what the remote ``owl:imports`` would have provided."""
    data = Graph()
    for prefix, namespace in graph.namespaces():
        data.bind(prefix, namespace, override=False)
    data += graph
    uris = {obj for obj in graph.objects() if isinstance(obj, URIRef)}
    data += vocabularies.concept_triples(uris)
    data += vocabularies.open_licence_triples(uris)
    data += ontology_graph()
    return data


def validate_graph(graph: Graph) -> Report:
    """Validate an RDF graph (one dataset or a whole catalogue) in one pyshacl run."""
    data = prepared_data_graph(graph)
    _conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    owners = _dataset_owners(graph)
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        path = results_graph.value(node, SH.resultPath)
        messages = list(results_graph.objects(node, SH.resultMessage))
        results.append(
            Result(
                dataset=owners.get(focus),
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else "",
                severity=str(results_graph.value(node, SH.resultSeverity)),
                message=_best_message(messages),
                value=str(results_graph.value(node, SH.value) or ""),
                component=str(results_graph.value(node, SH.sourceConstraintComponent) or ""),
            )
        )
    results.sort(key=lambda r: (r.dataset or "", r.path, r.message))
    return Report(results)


@dataclasses.dataclass
class Chunk:
    datasets: int
    report: Report


def validate_catalogue(dataset_dicts: Iterable[dict], chunk_size: int | None = None):
    """Validate a whole catalogue (package dicts) ``chunk_size`` datasets per pyshacl run.

    pyshacl's time and memory grow faster than the graph: 10,000 datasets in one run took 19
    minutes and 1.4 GB. Yields one ``Chunk`` per run, so callers can print as they go; the first
    chunk carries the catalogue description. A result on a node that several chunks describe (a
    shared publisher or licence) is reported in the first chunk only, as one run would.
    """
    chunk_size = chunk_size or tk.config.get("ckanext.datenraum.dcatapde.validate.chunk_size")
    seen: set = set()
    for number, chunk in enumerate(_chunks(dataset_dicts, max(1, int(chunk_size)))):
        report = validate_graph(export.datasets_graph(chunk, with_catalog=number == 0))
        fresh = [result for result in report.results if result.key not in seen]
        seen.update(result.key for result in fresh)
        yield Chunk(len(chunk), Report(fresh))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items; the first even when there is none (it carries the catalogue
    description, which an empty catalogue has too)."""
    iterator = iter(items)
    chunk = list(itertools.islice(iterator, size))
    yield chunk
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _best_message(messages) -> str:
    for language in ("de", "en", None):
        for message in messages:
            if getattr(message, "language", None) == language:
                return str(message)
    return str(messages[0]) if messages else ""


def _dataset_owners(graph: Graph) -> dict:
    """Every node reachable from a dataset (within MAX_DEPTH hops) mapped to that dataset's URI."""
    owners = {}
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        frontier = [dataset]
        owners[dataset] = str(dataset)
        for _ in range(MAX_DEPTH):
            following = []
            for node in frontier:
                for obj in graph.objects(node, None):
                    if isinstance(obj, URIRef | BNode) and obj not in owners:
                        if (obj, RDF.type, DCAT.Dataset) in graph:
                            continue
                        owners[obj] = str(dataset)
                        following.append(obj)
            frontier = following
    return owners


def _short(uri: str) -> str:
    for prefix, namespace in (
        ("dcat:", str(DCAT)),
        ("dct:", "http://purl.org/dc/terms/"),
        ("dcatde:", "http://dcat-ap.de/def/dcatde/"),
        ("dcatap:", RIGHT_DCATAP),
        ("foaf:", "http://xmlns.com/foaf/0.1/"),
        ("vcard:", "http://www.w3.org/2006/vcard/ns#"),
    ):
        if uri.startswith(namespace):
            return prefix + uri[len(namespace) :]
    return uri or "-"
