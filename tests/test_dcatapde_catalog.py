"""Catalogue endpoints: DCAT-AP.de with the configured description, and the GovData feed."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import ckan.plugins.toolkit as tk
import pytest
import rdflib
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestObject, HarvestSource
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ckanext.datenraum.common.text import find_forbidden
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


def _feed_rule_datasets(sysadmin: str) -> dict:
    """One dataset for each step of the feed rule (decision 0110)."""
    city, partners = organization(name="stadt"), organization(name="partner")
    created = {
        "own": create_dataset(sysadmin, city["id"], title="Eigener"),
        "own_uri": create_dataset(
            sysadmin, city["id"], title="Eigene URI", uri="https://daten.jena.example/d/1"
        ),
        "imported": create_dataset(
            sysadmin, city["id"], title="Importiert", uri="https://www.destatis.de/d/1"
        ),
        "harvested": create_dataset(sysadmin, city["id"], title="Geerntet"),
        "via_city": create_dataset(sysadmin, city["id"], title="Über die Stadt"),
        "partner_org": create_dataset(
            sysadmin, partners["id"], title="Partnerorg", uri="https://partner.example/d/1"
        ),
        "private": create_dataset(sysadmin, city["id"], title="Privat", private=True),
        "empty": create_dataset(sysadmin, city["id"], title="Leer", resources=[]),
    }
    _harvested(created["harvested"]["id"], "landesportal")
    _harvested(created["via_city"]["id"], "stadtwerke-gtfs")
    return created


@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.own_uri_prefixes", "https://daten.jena.example/"
)
@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.include_harvest_sources", "stadtwerke-gtfs"
)
@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.govdata.include_organizations", "partner")
def test_govdata_feed_leaves_partners_datasets_to_the_partners_however_they_came_in(app):
    sysadmin = factories.Sysadmin()
    _feed_rule_datasets(sysadmin["name"])

    feed = _titles(_graph(app.get("/catalog/govdata.ttl")))

    # imported under a partner's URI and harvested stay out; the include lists let partners in
    assert feed == {"Eigener", "Eigene URI", "Über die Stadt", "Partnerorg"}


@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.govdata.include_organizations", "stadt")
@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.exclude_harvest_sources", "landesportal"
)
def test_govdata_exclude_list_wins_over_the_include_list(app):
    sysadmin = factories.Sysadmin()
    _feed_rule_datasets(sysadmin["name"])

    feed = _titles(_graph(app.get("/catalog/govdata.ttl")))

    assert "Geerntet" not in feed  # its source is excluded although its organisation is included
    assert {"Importiert", "Über die Stadt", "Eigener"} <= feed


@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.govdata.exclude_organizations", "stadt")
def test_govdata_feed_leaves_out_an_excluded_organisation(app):
    sysadmin = factories.Sysadmin()
    _feed_rule_datasets(sysadmin["name"])

    feed = _titles(_graph(app.get("/catalog/govdata.ttl")))

    assert feed == set()  # the partner organisation's dataset has a partner URI


@pytest.mark.ckan_config(
    "ckanext.datenraum.dcatapde.govdata.own_uri_prefixes", "https://daten.jena.example/"
)
def test_govdata_feed_report_counts_every_reason_in_the_order_of_the_rule():
    sysadmin = factories.Sysadmin()
    created = _feed_rule_datasets(sysadmin["name"])

    report = call_action("datenraum_govdata_feed_report", {"user": sysadmin["name"]})

    reasons = {item["reason"]: item for item in report["left_out"]}
    assert report["datasets"] == len(created)
    assert report["delivered"] == 2  # own, own_uri
    assert {key: item["count"] for key, item in reasons.items()} == {
        "private": 1,
        "no_distribution": 1,
        "harvested": 2,
        "partner_uri": 2,
    }
    assert reasons["partner_uri"]["examples"] == sorted(
        [created["imported"]["name"], created["partner_org"]["name"]]
    )


def test_govdata_feed_report_is_for_sysadmins_only():
    org_admin = factories.User()
    organization(users=[{"name": org_admin["name"], "capacity": "admin"}])

    for user in (org_admin["name"], ""):
        with pytest.raises(tk.NotAuthorized):
            call_action("datenraum_govdata_feed_report", {"user": user, "ignore_auth": False})


def _store_text(dataset_id: str, **fields) -> None:
    """Write text straight into the database, past the validators (text stored before input was
    checked), and index the dataset again."""
    package = model.Package.get(dataset_id)
    for key, value in fields.items():
        setattr(package, key, value)
    model.Session.commit()
    search.rebuild(dataset_id)


CONTROL_TITLE = "Bä\x07ume\x1b in Jena\x7f\x85\ufffe"


@pytest.mark.parametrize("fmt", ["rdf", "xml", "ttl", "nt", "jsonld"])
def test_stored_control_characters_never_reach_a_catalogue_page(app, fmt):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])
    _store_text(dataset["id"], title=CONTROL_TITLE, notes="Zeile\x01eins")

    for url in (f"/catalog.{fmt}", f"/catalog/govdata.{fmt}", f"/dataset/{dataset['name']}.{fmt}"):
        response = app.get(url)
        assert response.status_code == 200, url
        assert find_forbidden(response.get_data(as_text=True)) is None, url
        graph = rdflib.Graph().parse(data=response.body, format=RDFLIB_FORMATS[fmt])
        assert "Bäume in Jena" in {str(t) for t in graph.objects(None, DCTERMS.title)}, url


def test_atom_feed_of_a_dataset_with_control_characters_is_valid_xml(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], tag_string="Bäume")
    _store_text(dataset["id"], title=CONTROL_TITLE, author="Amt\x07")

    response = app.get("/feeds/dataset.atom")

    assert response.status_code == 200
    feed = ElementTree.fromstring(response.body)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Bäume in Jena" in titles


RDFLIB_FORMATS = {
    "rdf": "xml",
    "xml": "xml",
    "ttl": "turtle",
    "n3": "n3",
    "nt": "nt",
    "jsonld": "json-ld",
}


def _without_paging(graph: rdflib.Graph) -> rdflib.Graph:
    """The page without its hydra paging (its subject is the page's own URL)."""
    pages = set(graph.subjects(rdflib.RDF.type, HYDRA.PagedCollection))
    return rdflib.Graph().__iadd__([t for t in graph if t[0] not in pages])


HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")


def test_every_format_answers_with_its_media_type_in_utf_8(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], title="Bäume")
    pages = {}
    for fmt in RDFLIB_FORMATS:
        for url in (
            f"/catalog.{fmt}",
            f"/catalog/govdata.{fmt}",
            f"/dataset/{dataset['id']}.{fmt}",
        ):
            response = app.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Type"].endswith("; charset=utf-8"), url
            pages[url] = rdflib.Graph().parse(data=response.body, format=RDFLIB_FORMATS[fmt])
    negotiated = app.get(f"/dataset/{dataset['id']}", headers={"Accept": "text/turtle"})

    assert negotiated.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert isomorphic(_without_paging(pages["/catalog.nt"]), _without_paging(pages["/catalog.ttl"]))
    assert "Bäume" in {str(t) for t in pages["/catalog.nt"].objects(None, DCTERMS.title)}


@pytest.mark.parametrize("path", ["/catalog.ttl", "/catalog/govdata.ttl", "/catalog.rdf"])
def test_a_page_far_past_the_end_is_refused_with_a_400(app, path):
    response = app.get(f"{path}?page=100000000")

    assert response.status_code == 400
    assert "page" in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("parameter", ["q", "fq"])
def test_solr_local_parameters_in_a_catalogue_query_are_refused_with_a_400(app, parameter):
    sysadmin = factories.Sysadmin()
    create_dataset(sysadmin["name"], organization()["id"], title="Geheim", private=True)

    response = app.get(f"/catalog.ttl?{parameter}={{!lucene}}title:Geheim")

    assert response.status_code == 400
    assert "local parameters" in response.get_data(as_text=True)


def _page_text(response, name: str) -> str:
    """The page without the requested name and the per-request CSRF token."""
    text = response.get_data(as_text=True).replace(name, "?")
    return re.sub(r'content="[A-Za-z0-9._-]{32,}"', "", text)


def test_a_private_dataset_answers_exactly_like_an_unknown_one(app):
    sysadmin = factories.Sysadmin()
    create_dataset(sysadmin["name"], organization()["id"], name="geheim", private=True)

    for fmt in ("ttl", "rdf", "jsonld"):
        private = app.get(f"/dataset/geheim.{fmt}")
        unknown = app.get(f"/dataset/gibtsnicht.{fmt}")
        assert private.status_code == unknown.status_code == 404
        assert _page_text(private, "geheim") == _page_text(unknown, "gibtsnicht")
    negotiated = app.get("/dataset/geheim", headers={"Accept": "text/turtle"})
    assert negotiated.status_code == 404
