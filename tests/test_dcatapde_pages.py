"""Catalogue pages in DCAT-AP.de: no query per dataset, cached datasets that are never stale,
and writers that say exactly what rdflib says."""

from __future__ import annotations

import contextlib

import pytest
import rdflib
import sqlalchemy
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFSerializer
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ckanext.datenraum.dcatapde import pages, rdf_cache

from .dcatapde_factories import create_dataset, maximal_fields, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "no_cached_rdf")

FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture
def no_cached_rdf(reset_redis):
    reset_redis(rdf_cache._key("*"))


@contextlib.contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = model.Session.get_bind()
    sqlalchemy.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", count)


def _page(app, url="/catalog.ttl") -> rdflib.Graph:
    response = app.get(url)
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.body, format="turtle")


def _datasets_in_own_organisations(user: str, count: int) -> list[dict]:
    return [create_dataset(user, organization()["id"]) for _ in range(count)]


@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.cache.ttl", "0")
def test_page_queries_do_not_grow_with_its_datasets_and_organisations(app):
    sysadmin = factories.Sysadmin()
    _datasets_in_own_organisations(sysadmin["name"], 2)
    with counted_queries() as few:
        assert len(set(_page(app).subjects(rdflib.RDF.type, DCAT.Dataset))) == 2
    with counted_queries() as upstream_few:
        _page(app, "/catalog.ttl?profiles=euro_dcat_ap_3")

    _datasets_in_own_organisations(sysadmin["name"], 4)
    with counted_queries() as many:
        assert len(set(_page(app).subjects(rdflib.RDF.type, DCAT.Dataset))) == 6
    with counted_queries() as upstream_many:
        _page(app, "/catalog.ttl?profiles=euro_dcat_ap_3")

    assert len(many) == len(few)
    # The same page with plain ckanext-dcat looks each new organisation up: the count is real.
    assert len(upstream_many) > len(upstream_few)


def test_cached_page_equals_a_freshly_built_one(app):
    sysadmin = factories.Sysadmin()
    create_dataset(sysadmin["name"], organization()["id"], **maximal_fields())
    create_dataset(sysadmin["name"], organization()["id"])

    first = _page(app)
    keys = connect_to_redis().keys(rdf_cache._key("*"))
    second = _page(app)

    assert len(keys) == 2
    assert isomorphic(first, second)


def test_changed_dataset_is_never_served_stale(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], title="Alter Titel")
    assert "Alter Titel" in {str(t) for t in _page(app).objects(None, DCTERMS.title)}

    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"], title="Neu")

    titles = {str(t) for t in _page(app).objects(None, DCTERMS.title)}
    assert "Neu" in titles
    assert "Alter Titel" not in titles


def test_update_and_delete_drop_the_cached_dataset(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])
    redis = connect_to_redis()
    _page(app)
    assert redis.exists(rdf_cache._key(dataset["id"]))

    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["name"], version="2")
    assert not redis.exists(rdf_cache._key(dataset["id"]))

    _page(app)
    call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["name"])
    assert not redis.exists(rdf_cache._key(dataset["id"]))
    assert not set(_page(app).subjects(rdflib.RDF.type, DCAT.Dataset))


def test_renamed_organisation_is_the_new_publisher_without_a_dataset_change(app):
    sysadmin = factories.Sysadmin()
    org = organization(title="Umweltamt")
    create_dataset(sysadmin["name"], org["id"])
    assert "Umweltamt" in {str(n) for n in _page(app).objects(None, FOAF.name)}

    call_action("organization_patch", {"user": sysadmin["name"]}, id=org["id"], title="Grünamt")

    names = {str(n) for n in _page(app).objects(None, FOAF.name)}
    assert "Grünamt" in names
    assert "Umweltamt" not in names


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writers_express_the_same_graph_as_rdflib(fmt):
    sysadmin = factories.Sysadmin()
    datasets = [
        call_action("package_show", id=create_dataset(sysadmin["name"], org["id"], **fields)["id"])
        for org, fields in ((organization(), maximal_fields()), (organization(), {}))
    ]
    upstream = RDFSerializer(profiles=["dcatap_de"]).serialize_catalog(
        {}, datasets, _format=FORMATS[fmt]
    )

    ours = pages.catalog_document(datasets, fmt)

    assert isomorphic(
        rdflib.Graph().parse(data=ours, format=FORMATS[fmt]),
        rdflib.Graph().parse(data=upstream, format=FORMATS[fmt]),
    )


def test_dataset_endpoint_is_served_from_the_cache_and_current(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], name="baeume")
    first = _page(app, "/dataset/baeume.ttl")
    assert connect_to_redis().exists(rdf_cache._key(dataset["id"]))

    assert isomorphic(first, _page(app, "/dataset/baeume.ttl"))
    dataset_ref = rdflib.URIRef(f"http://test.ckan.net/dataset/{dataset['id']}")
    assert (dataset_ref, rdflib.RDF.type, DCAT.Dataset) in first
    assert first.value(dataset_ref, DCAT.distribution) is not None
