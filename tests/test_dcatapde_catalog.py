"""Catalogue endpoints: DCAT-AP.de with the configured description, and the GovData feed."""

from __future__ import annotations

import pytest
import rdflib
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckanext.harvest.model import HarvestObject, HarvestSource
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ckanext.datenraum.dcatapde import validation

from .dcatapde_factories import EU, create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _graph(response) -> rdflib.Graph:
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.body, format="turtle")


def _titles(graph) -> set[str]:
    return {
        str(graph.value(ref, DCTERMS.title))
        for ref in graph.subjects(rdflib.RDF.type, DCAT.Dataset)
    }


@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.catalog.title",
    "Offene Daten Jena",
)
@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.catalog.description", "Daten der Stadt Jena")
@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.catalog.publisher_name", "Stadt Jena")
@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.catalog.publisher_type",
    "http://purl.org/adms/publishertype/LocalAuthority",
)
@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.catalog.license", "dl-by-de/2.0")
def test_catalog_ttl_describes_the_catalogue_from_config_without_violations(app):
    sysadmin = factories.Sysadmin()
    create_dataset(sysadmin["name"], organization()["id"])

    graph = _graph(app.get("/catalog.ttl"))

    catalog = graph.value(None, rdflib.RDF.type, DCAT.Catalog)
    assert str(graph.value(catalog, DCTERMS.title)) == "Offene Daten Jena"
    assert str(graph.value(catalog, DCTERMS.description)) == "Daten der Stadt Jena"
    assert str(graph.value(graph.value(catalog, DCTERMS.publisher), FOAF.name)) == "Stadt Jena"
    assert graph.value(catalog, DCTERMS.language) == rdflib.URIRef(f"{EU}language/DEU")
    assert graph.value(catalog, DCTERMS.license) == rdflib.URIRef(
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    )
    assert graph.value(catalog, DCAT.themeTaxonomy) == rdflib.URIRef(f"{EU}data-theme")
    assert [r.line() for r in validation.validate_graph(graph).violations] == []


def test_dataset_endpoint_serves_dcat_ap_de(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], name="baeume")

    graph = _graph(app.get("/dataset/baeume.ttl"))

    dataset_ref = rdflib.URIRef(f"http://test.ckan.net/dataset/{dataset['id']}")
    assert (dataset_ref, rdflib.URIRef("http://dcat-ap.de/def/dcatde/contributorID"), None) in graph


def _harvested(dataset_id: str, source_name: str) -> None:
    """Record the dataset as harvested from a source (harvesters are another capability)."""
    source_package = model.Package(name=source_name, type="harvest")
    model.Session.add(source_package)
    model.Session.flush()
    source = HarvestSource(
        id=source_package.id, url=f"https://{source_name}.example.org/", type="dcat_rdf"
    )
    model.Session.add(source)
    model.Session.add(
        HarvestObject(guid=dataset_id, package_id=dataset_id, current=True, source=source)
    )
    model.Session.commit()
    search.rebuild(dataset_id)


@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.exclude_harvest_sources", "destatis-dcat"
)
def test_govdata_feed_leaves_out_private_empty_and_partner_datasets(app):
    sysadmin = factories.Sysadmin()
    org = organization()
    create_dataset(sysadmin["name"], org["id"], title="Öffentlich")
    create_dataset(sysadmin["name"], org["id"], title="Privat", private=True)
    create_dataset(sysadmin["name"], org["id"], title="Ohne Distribution", resources=[])
    partner = create_dataset(sysadmin["name"], org["id"], title="Von Destatis")
    _harvested(partner["id"], "destatis-dcat")

    full = _titles(_graph(app.get("/catalog.ttl")))
    feed = _titles(_graph(app.get("/catalog/govdata.ttl")))

    assert {"Öffentlich", "Ohne Distribution", "Von Destatis"} <= full
    assert feed == {"Öffentlich"}
