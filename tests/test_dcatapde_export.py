"""Every dataset the schema accepts exports to DCAT-AP.de with 0 SHACL violations.

All datasets of a test go into one graph that is validated once: pyshacl is the slow part.
"""

from __future__ import annotations

import itertools

import pytest
import rdflib
import yaml
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFSerializer
from rdflib.namespace import DCAT, DCTERMS, XSD

from ckanext.datenraum.dcatapde import validation, vocabularies

from .conftest import REPO_ROOT
from .dcatapde_factories import EU, create_dataset, minimal_dataset_fields, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
ALL_CHOICES = {
    name: [c["value"] for c in vocabularies.get(name).choices()] for name in vocabularies.names()
}


def export(*datasets) -> rdflib.Graph:
    serializer = RDFSerializer(profiles=["dcatap_de"])
    catalog_ref = serializer.graph_from_catalog({})
    for dataset in datasets:
        dataset_ref = serializer.graph_from_dataset(call_action("package_show", id=dataset["id"]))
        serializer.g.add((catalog_ref, DCAT.dataset, dataset_ref))
    return serializer.g


def assert_no_violations(graph):
    report = validation.validate_graph(graph)
    assert [result.line() for result in report.violations] == []


WMS = "https://geo.jena.de/wms/baumkataster"


def maximal_fields() -> dict:
    return {
        "theme": [f"{EU}data-theme/ENVI", f"{EU}data-theme/REGI"],
        "hvd_category": ["http://data.europa.eu/bna/c_ac64a52d"],
        "language": [f"{EU}language/DEU", f"{EU}language/ENG"],
        "contributor_id": "http://dcat-ap.de/def/contributors/govData",
        "publisher": [
            {
                "name": "Grünflächenamt Jena",
                "uri": "https://www.jena.de/gruen",
                "type": "http://purl.org/adms/publishertype/LocalAuthority",
                "email": "gruen@example.org",
                "url": "https://www.jena.de",
            }
        ],
        "contact": [
            {"name": "Team Stadtgrün", "email": "stadtgruen@example.org"},
            {"url": "https://www.jena.de/kontakt", "phone": "+49 3641 49-0"},
        ],
        "originator": [
            {
                "name": "Vermessungsamt",
                "uri": "https://www.jena.de/vermessung",
                "email": "vermessung@example.org",
                "url": "https://www.jena.de/vermessung/kontakt",
            }
        ],
        "custodian": [
            {
                "name": "Kommunalservice Jena",
                "uri": "https://www.ksj.de",
                "email": "ksj@example.org",
                "url": "https://www.ksj.de/kontakt",
            }
        ],
        "political_geocoding_level_uri": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
        "political_geocoding_uri": [
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
        ],
        "spatial_coverage": [
            {
                "uri": "https://sws.geonames.org/2895044/",
                "text": "Jena",
                "geom": '{"type": "Point", "coordinates": [11.5864, 50.9272]}',
            }
        ],
        "temporal_start": "2020-01-01",
        "temporal_end": "2024-12-31",
        "issued": "2021-03-01",
        "modified": "2025-01-15T10:30:00",
        "frequency": f"{EU}frequency/ANNUAL",
        "version": "2.1",
        "access_rights": f"{EU}access-right/PUBLIC",
        "availability": f"{EU}planned-availability/STABLE",
        "applicable_legislation": ["http://data.europa.eu/eli/reg_impl/2023/138/oj"],
        "conforms_to": ["https://www.opengis.net/def/crs/EPSG/0/25832"],
        "identifier": "jena-baumkataster",
        "alternate_identifier": ["https://doi.org/10.1234/baeume"],
        "url": "https://www.jena.de/baumkataster",
        "uri": "https://daten.jena.de/dataset/baumkataster",
        "documentation": ["https://www.jena.de/baumkataster/doku.pdf"],
        "resources": [
            {
                "url": "https://example.org/baeume.csv",
                "uri": "https://daten.jena.de/dataset/baumkataster/csv",
                "name": "Baumkataster (CSV)",
                "description": "Alle Bäume als Tabelle",
                "format": "CSV",
                "mimetype": "text/csv",
                "access_url": "https://www.jena.de/baumkataster",
                "download_url": "https://example.org/baeume.csv",
                "license": "cc-by/4.0",
                "license_attribution_by_text": "© Stadt Jena",
                "size": 123456,
                "hash": "9f86d081884c7d659a2feaa0c55ad015",
                "hash_algorithm": "http://spdx.org/rdf/terms#checksumAlgorithm_md5",
                "status": f"{EU}distribution-status/COMPLETED",
                "availability": f"{EU}planned-availability/AVAILABLE",
                "issued": "2021-03-01",
                "modified": "2025-01-15",
                "language": [f"{EU}language/DEU"],
                "conforms_to": ["https://example.org/schema/baeume.json"],
            },
            {
                "url": WMS,
                "name": "Baumkataster (WMS)",
                "format": "WMS_SRVC",
                "access_url": WMS,
                "access_services": [
                    {
                        "title": "WMS Baumkataster Jena",
                        "description": "Kartendienst mit allen Bäumen",
                        "endpoint_url": [WMS],
                        "endpoint_description": f"{WMS}?SERVICE=WMS&REQUEST=GetCapabilities",
                        "conforms_to": ["http://www.opengis.net/def/serviceType/ogc/wms"],
                        "access_rights": f"{EU}access-right/PUBLIC",
                        "uri": "https://geo.jena.de/dienste/baumkataster",
                    }
                ],
            },
        ],
    }


def test_maximal_dataset_fills_every_field_of_the_schema():
    """The export, round-trip and direct-writer tests all use the maximal dataset: a schema field
    it leaves empty would go untested (and could be dropped by the direct writer unnoticed)."""
    schema = yaml.safe_load((REPO_ROOT / "schemas" / "dataset.yaml").read_text(encoding="utf-8"))
    dataset = minimal_dataset_fields("org", **maximal_fields())

    assert _empty_fields(schema["dataset_fields"], [dataset]) == []
    assert _empty_fields(schema["resource_fields"], dataset["resources"]) == []


def _empty_fields(fields: list[dict], values: list[dict]) -> list[str]:
    empty = []
    for field in fields:
        name = field["field_name"]
        filled = [value[name] for value in values if value.get(name) not in (None, "", [])]
        if not filled:
            empty.append(name)
        for subfield in field.get("repeating_subfields", []):
            if not any(item.get(subfield["field_name"]) for group in filled for item in group):
                empty.append(f"{name}.{subfield['field_name']}")
    return empty


def test_minimal_dataset_exports_without_violations():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])

    assert_no_violations(export(dataset))


def test_maximal_dataset_exports_uris_typed_literals_and_no_violations():
    sysadmin = factories.Sysadmin()
    org = organization(
        dcat_type="http://purl.org/adms/publishertype/LocalAuthority",
        uri="https://www.jena.de",
        email="opendata@example.org",
        url="https://www.jena.de",
    )
    dataset = create_dataset(sysadmin["name"], org["id"], **maximal_fields())

    graph = export(dataset)

    assert_no_violations(graph)
    dataset_ref = rdflib.URIRef(dataset["uri"])  # the dataset's own RDF URI wins over the CKAN one
    distribution = graph.value(
        predicate=DCAT.downloadURL, object=rdflib.URIRef("https://example.org/baeume.csv")
    )
    assert graph.value(distribution, DCTERMS.license) == rdflib.URIRef(
        "http://dcat-ap.de/def/licenses/cc-by/4.0"
    )
    assert graph.value(distribution, DCTERMS["format"]) == rdflib.URIRef(f"{EU}file-type/CSV")
    assert graph.value(distribution, DCAT.byteSize).datatype == XSD.nonNegativeInteger
    assert set(graph.objects(dataset_ref, DCTERMS.language)) == {
        rdflib.URIRef(f"{EU}language/DEU"),
        rdflib.URIRef(f"{EU}language/ENG"),
    }
    assert graph.value(dataset_ref, DCTERMS.issued).datatype == XSD.date
    emails = {
        str(o)
        for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
    }
    assert "mailto:stadtgruen@example.org" in emails
    assert graph.value(dataset_ref, DCATDE.contributorID) == rdflib.URIRef(
        "http://dcat-ap.de/def/contributors/govData"
    )


def test_access_service_exports_as_a_data_service_published_by_the_dataset_publisher():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], **maximal_fields())

    graph = export(dataset)

    service = rdflib.URIRef("https://geo.jena.de/dienste/baumkataster")
    distribution = graph.value(predicate=DCAT.accessService, object=service)
    assert graph.value(distribution, DCAT.accessURL) == rdflib.URIRef(WMS)
    assert graph.value(distribution, DCTERMS["format"]) == rdflib.URIRef(f"{EU}file-type/WMS_SRVC")
    assert (service, rdflib.RDF.type, DCAT.DataService) in graph
    assert str(graph.value(service, DCTERMS.title)) == "WMS Baumkataster Jena"
    assert graph.value(service, DCAT.endpointURL) == rdflib.URIRef(WMS)
    assert graph.value(service, DCAT.endpointDescription) == rdflib.URIRef(
        f"{WMS}?SERVICE=WMS&REQUEST=GetCapabilities"
    )
    standard = rdflib.URIRef("http://www.opengis.net/def/serviceType/ogc/wms")
    assert graph.value(service, DCTERMS.conformsTo) == standard
    assert (standard, rdflib.RDF.type, DCTERMS.Standard) in graph
    dataset_ref = graph.value(predicate=DCAT.distribution, object=distribution)
    assert graph.value(service, DCTERMS.publisher) == graph.value(dataset_ref, DCTERMS.publisher)


def test_access_service_without_title_or_endpoint_takes_them_from_its_distribution():
    sysadmin = factories.Sysadmin()
    resource = {"url": WMS, "name": "Baumkataster (WMS)", "format": "WMS_SRVC"}
    resource["access_services"] = [{"description": "Kartendienst"}]
    dataset = create_dataset(sysadmin["name"], organization()["id"], resources=[resource])

    graph = export(dataset)

    assert_no_violations(graph)
    service = graph.value(predicate=rdflib.RDF.type, object=DCAT.DataService)
    assert str(graph.value(service, DCTERMS.title)) == "Baumkataster (WMS)"
    assert graph.value(service, DCAT.endpointURL) == rdflib.URIRef(WMS)


def test_dataset_without_own_contributor_exports_the_organisation_default():
    sysadmin = factories.Sysadmin()
    org = organization(contributor_id="http://dcat-ap.de/def/contributors/openDataBund")
    dataset = create_dataset(sysadmin["name"], org["id"])

    graph = export(dataset)

    assert set(graph.objects(None, DCATDE.contributorID)) == {
        rdflib.URIRef("http://dcat-ap.de/def/contributors/openDataBund")
    }


def _cycle(name, count):
    return list(itertools.islice(itertools.cycle(ALL_CHOICES[name]), count))


def test_every_choice_of_every_vocabulary_exports_without_violations():
    sysadmin = factories.Sysadmin()
    publisher_types = ALL_CHOICES["publisher-type"]
    organizations = [organization(dcat_type=value) for value in publisher_types]
    count = max(len(ALL_CHOICES["contributors"]), len(ALL_CHOICES["file-type"]) // 2 + 1)
    resource_values = {
        "format": _cycle("file-type", 2 * count),
        "mimetype": _cycle("media-type", 2 * count),
        "license": _cycle("licenses", 2 * count),
        "status": _cycle("distribution-status", 2 * count),
        "availability": _cycle("planned-availability", 2 * count),
        "hash_algorithm": _cycle("checksum-algorithm", 2 * count),
    }
    dataset_values = {
        "contributor_id": _cycle("contributors", count),
        "frequency": _cycle("frequency", count),
        "access_rights": _cycle("access-right", count),
        "availability": _cycle("planned-availability", count),
        "political_geocoding_level_uri": _cycle("political-geocoding-level", count),
        "license_id": _cycle("licenses", count),
    }
    datasets = []
    for index in range(count):
        fields = {key: values[index] for key, values in dataset_values.items()}
        if index == 0:  # the multi-valued fields take every choice at once
            fields.update(
                theme=ALL_CHOICES["data-theme"],
                language=ALL_CHOICES["language"],
                hvd_category=ALL_CHOICES["hvd-category"],
            )
        fields["resources"] = [
            dict(
                {key: values[2 * index + offset] for key, values in resource_values.items()},
                url=f"https://example.org/{index}-{offset}",
                hash="abcdef",
            )
            for offset in (0, 1)
        ]
        org = organizations[index % len(organizations)]
        datasets.append(create_dataset(sysadmin["name"], org["id"], **fields))

    assert_no_violations(export(*datasets))
