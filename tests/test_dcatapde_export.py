"""Every dataset the schema accepts exports to DCAT-AP.de with 0 SHACL violations.

All datasets of a test go into one graph that is validated once: pyshacl is the slow part.
"""

from __future__ import annotations

import json

import pytest
import rdflib
import yaml
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFSerializer
from rdflib.namespace import DCAT, DCTERMS, XSD

from ckanext.datenraum.dcatapde import validation

from .conftest import REPO_ROOT
from .dcatapde_factories import (
    EU,
    WMS,
    choices,
    create_dataset,
    every_choice_fields,
    maximal_fields,
    minimal_dataset_fields,
    organization,
)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")


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


def test_every_choice_of_every_vocabulary_exports_without_violations():
    sysadmin = factories.Sysadmin()
    organizations = [organization(dcat_type=value) for value in choices("publisher-type")]
    datasets = [
        create_dataset(sysadmin["name"], organizations[index % len(organizations)]["id"], **fields)
        for index, fields in enumerate(every_choice_fields())
    ]

    assert_no_violations(export(*datasets))


FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
LOCN = rdflib.Namespace("http://www.w3.org/ns/locn#")
GEOJSON = rdflib.URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")


def test_dates_a_dataset_does_not_have_are_not_invented():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])

    graph = export(dataset)

    # CKAN's metadata_created/metadata_modified and resource timestamps are not the data's dates
    assert list(graph.subject_objects(DCTERMS.issued)) == []
    dated = {s for s, _ in graph.subject_objects(DCTERMS.modified)}
    assert dated == set(graph.subjects(rdflib.RDF.type, DCAT.Catalog))  # the catalogue's own


def test_dcat_ap_de_2_0_terms_go_beside_their_3_0_replacements():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], **maximal_fields())

    graph = export(dataset)

    assert_no_violations(graph)  # the 2.0 terms are deprecated: warnings, no violations
    ref = rdflib.URIRef(dataset["uri"])
    geodcatap = rdflib.Namespace("http://data.europa.eu/930/")
    for old, new, name, email in (
        (DCATDE.originator, geodcatap.originator, "Vermessungsamt", "vermessung@example.org"),
        (DCATDE.maintainer, geodcatap.custodian, "Kommunalservice Jena", "ksj@example.org"),
    ):
        agent = graph.value(ref, old)
        assert agent is not None and agent == graph.value(ref, new)
        assert (agent, rdflib.RDF.type, FOAF.Agent) in graph
        assert str(graph.value(agent, FOAF.name)) == name
        assert graph.value(agent, FOAF.mbox) == rdflib.URIRef(f"mailto:{email}")
    regional_key = rdflib.URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
    )
    assert (ref, DCATDE.politicalGeocodingURI, regional_key) in graph
    assert (ref, DCTERMS.spatial, regional_key) in graph
    assert str(graph.value(ref, OWL.versionInfo)) == str(graph.value(ref, DCAT.version)) == "2.1"


def test_licences_carry_the_title_by_which_govdata_finds_them():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], license_id="dl-by-de/2.0")

    graph = export(dataset)

    licence = rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    # GovData's licence list (ckanext-dcatde examples/dcat_licenses.json): id = this URI,
    # title = "Datenlizenz Deutschland Namensnennung 2.0"; ckanext-dcat matches url or title.
    assert str(graph.value(licence, DCTERMS.title)) == "Datenlizenz Deutschland Namensnennung 2.0"


def test_alternate_identifiers_that_are_uris_are_their_identifier_nodes():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(
        sysadmin["name"],
        organization()["id"],
        alternate_identifier=["https://doi.org/10.1234/baeume", "TH-4711"],
    )

    graph = export(dataset)

    assert_no_violations(graph)
    nodes = set(graph.objects(None, ADMS.identifier))
    assert {str(graph.value(node, SKOS.notation)) for node in nodes} == {
        "https://doi.org/10.1234/baeume",
        "TH-4711",
    }
    # a DCAT-AP 2 reader (GovData, plain ckanext-dcat) takes the node's IRI as the value
    assert rdflib.URIRef("https://doi.org/10.1234/baeume") in nodes


def test_datasets_sharing_an_identifier_stay_distinct_for_govdata():
    sysadmin = factories.Sysadmin()
    org = organization()
    first = create_dataset(sysadmin["name"], org["id"], identifier="jena-strassen")
    second = create_dataset(sysadmin["name"], org["id"], identifier="jena-strassen")
    alone = create_dataset(sysadmin["name"], org["id"], identifier="jena-baeume")

    graph = export(first, second, alone)

    identifiers = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    # GovData folds datasets with one dct:identifier into one: each of the two gets its URI
    assert identifiers >= {
        f"http://test.ckan.net/dataset/{first['id']}",
        f"http://test.ckan.net/dataset/{second['id']}",
        "jena-baeume",
    }
    assert "jena-strassen" not in identifiers
    notations = {str(o) for o in graph.objects(None, SKOS.notation)}
    assert "jena-strassen" in notations  # kept as an alternate identifier


def test_a_version_outside_the_catalogue_exports_without_violations():
    """GovData's DCAT-AP.de record links a version on govdata.de: dcat:hasVersion needs a
    dcat:Dataset, so only dct:hasVersion carries that link (decision 0218)."""
    sysadmin = factories.Sysadmin()
    org = organization()
    own = create_dataset(sysadmin["name"], org["id"])
    own_uri = f"http://test.ckan.net/dataset/{own['id']}"
    external = "https://www.govdata.de/web/guest/suchen/-/details/naturraume-geest-und-marsch4"
    versions = [own_uri, external, "Ausgabe 2019"]
    dataset = create_dataset(
        sysadmin["name"],
        org["id"],
        extras=[{"key": "has_version", "value": json.dumps(versions)}],
    )

    graph = export(own, dataset)

    ref = rdflib.URIRef(f"http://test.ckan.net/dataset/{dataset['id']}")
    assert set(graph.objects(ref, DCAT.hasVersion)) == {rdflib.URIRef(own_uri)}
    assert rdflib.URIRef(external) in set(graph.objects(ref, DCTERMS.hasVersion))
    assert_no_violations(graph)


def test_access_service_standards_also_go_on_their_distribution():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], **maximal_fields())

    graph = export(dataset)

    service = rdflib.URIRef("https://geo.jena.de/dienste/baumkataster")
    distribution = graph.value(predicate=DCAT.accessService, object=service)
    wms = rdflib.URIRef("http://www.opengis.net/def/serviceType/ogc/wms")
    assert (distribution, DCTERMS.conformsTo, wms) in graph


POLYGON = (
    '{"type": "Polygon", "coordinates": [[[11.5, 50.9], [11.7, 50.8], [11.6, 51.0], [11.5, 50.9]]]}'
)


# The maximal dataset's URI is in the city's namespace: the feed delivers it (decision 0110).
@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.own_uri_prefixes", "https://daten.jena.de/"
)
def test_geometry_is_a_literal_in_the_govdata_feed_and_centroid_or_box_elsewhere(app):
    sysadmin = factories.Sysadmin()
    org = organization()
    create_dataset(sysadmin["name"], org["id"], **maximal_fields())  # a point
    create_dataset(
        sysadmin["name"], org["id"], title="Fläche", spatial_coverage=[{"geom": POLYGON}]
    )
    point = '{"type": "Point", "coordinates": [11.5864, 50.9272]}'

    catalogue = rdflib.Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    feed = rdflib.Graph().parse(data=app.get("/catalog/govdata.ttl").body, format="turtle")

    assert list(catalogue.objects(None, LOCN.geometry)) == []  # a node stops ckanext-dcat
    assert [str(o) for o in catalogue.objects(None, DCAT.centroid)] == [point]
    (box,) = catalogue.objects(None, DCAT.bbox)  # the polygon's bounding box
    assert box.datatype == GEOJSON
    assert json.loads(box)["coordinates"] == [
        [[11.5, 50.8], [11.7, 50.8], [11.7, 51.0], [11.5, 51.0], [11.5, 50.8]]
    ]
    assert_no_violations(catalogue)
    geometries = list(feed.objects(None, LOCN.geometry))
    assert {str(o) for o in geometries} == {point, POLYGON}
    assert {o.datatype for o in geometries} == {GEOJSON}


@pytest.mark.parametrize("path", ["/catalog.ttl", "/catalog/govdata.ttl"])
def test_a_page_describes_every_node_it_refers_to(app, path):
    sysadmin = factories.Sysadmin()
    create_dataset(sysadmin["name"], organization()["id"], **maximal_fields())
    create_dataset(sysadmin["name"], organization(title="Ohne URI")["id"])

    graph = rdflib.Graph().parse(data=app.get(path).body, format="turtle")

    described = set(graph.subjects())
    referred = {o for o in graph.objects() if isinstance(o, rdflib.BNode)}
    assert referred <= described
    for predicate in (DCTERMS.publisher, DCAT.contactPoint, DCAT.accessService):
        for node in graph.objects(None, predicate):
            assert (node, rdflib.RDF.type, None) in graph, (predicate, node)
