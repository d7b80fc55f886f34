"""The SHACL loader finds real violations, including those the published shapes miss."""

from __future__ import annotations

import rdflib

from ckanext.datenraum.dcatapde import validation

from .conftest import REPO_ROOT

EXAMPLES = REPO_ROOT.parent / "shared" / "dcat-ap-de" / "examples" / "v3.0"
DATASET = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
<https://example.org/d> a dcat:Dataset ;
    dct:title "Bäume" ; dct:description "Alle Bäume" ; dcat:keyword "Bäume" ;
    dcatde:contributorID <http://dcat-ap.de/def/contributors/govData> ;
    dct:publisher <https://example.org/p> ;
    dcat:distribution <https://example.org/d/1> {extra} .
<https://example.org/p> a foaf:Agent ; foaf:name "Stadt Jena" .
<https://example.org/d/1> a dcat:Distribution ;
    dcat:accessURL <https://example.org/d.csv> ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
"""


def _violations(extra: str = "") -> list[str]:
    graph = rdflib.Graph().parse(data=DATASET.replace("{extra}", extra), format="turtle")
    return [f"{r.path} {r.message}" for r in validation.validate_graph(graph).violations]


def test_a_complete_dataset_conforms():
    assert _violations() == []


def test_availability_checks_fire_although_the_shapes_declare_the_wrong_namespace():
    twice = (
        "; dcatap:availability <http://publications.europa.eu/resource/authority/"
        "planned-availability/STABLE>, <http://publications.europa.eu/resource/authority/"
        "planned-availability/TEMPORARY>"
    )

    assert any("availability" in line for line in _violations(twice))


def test_literal_language_is_a_violation():
    assert any("language" in line for line in _violations('; dct:language "de"'))


def test_missing_keyword_and_contributor_are_govdata_violations():
    graph = rdflib.Graph().parse(data=DATASET.replace("{extra}", ""), format="turtle")
    for predicate in (
        "http://www.w3.org/ns/dcat#keyword",
        "http://dcat-ap.de/def/dcatde/contributorID",
    ):
        graph.remove((None, rdflib.URIRef(predicate), None))

    paths = {r.path for r in validation.validate_graph(graph).violations}

    assert {
        "http://www.w3.org/ns/dcat#keyword",
        "http://dcat-ap.de/def/dcatde/contributorID",
    } <= paths


def test_counting_rules_of_the_dashboard_are_deactivated():
    results = validation.validate_graph(
        rdflib.Graph().parse(data=DATASET.replace("{extra}", ""), format="turtle")
    ).results

    assert not [r for r in results if "failnow" in r.path]


def test_official_example_reports_its_known_defects():
    graph = rdflib.Graph().parse(EXAMPLES / "Dataset-und-Distribution.ttl")

    report = validation.validate_graph(graph)

    paths = {r.path for r in report.violations}
    assert "http://www.w3.org/ns/locn#geometry" in paths
