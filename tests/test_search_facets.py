"""Facets on DCAT-AP.de fields through the real Solr, labelled from the vocabularies."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum import demo

from . import dcatapde_factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

EU = dcatapde_factories.EU
JENA = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
WEIMAR = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160550000000"
FACET_FIELDS = [
    "datenraum_theme",
    "res_format",
    "license_id",
    "datenraum_publisher",
    "datenraum_geocoding_level",
    "datenraum_municipality",
    "datenraum_access_rights",
    "datenraum_hvd_category",
]


@pytest.fixture
def catalogue():
    sysadmin = factories.Sysadmin()["name"]
    organization = dcatapde_factories.organization(title="Stadt Weimar")["name"]
    trees = dcatapde_factories.create_dataset(
        sysadmin,
        organization,
        title="Baumkataster Jena",
        theme=[f"{EU}data-theme/ENVI"],
        hvd_category=["http://data.europa.eu/bna/c_ac64a52d"],
        access_rights=f"{EU}access-right/PUBLIC",
        publisher=[{"name": "Grünflächenamt Jena"}],
        political_geocoding_level_uri="http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
        political_geocoding_uri=[JENA],
        spatial_coverage=[{"uri": JENA, "text": "Jena"}],
        resources=[{"url": "https://example.org/baeume.csv", "format": "CSV"}],
    )
    stops = dcatapde_factories.create_dataset(
        sysadmin,
        organization,
        title="Haltestellen Weimar",
        license_id="dl-zero-de/2.0",
        theme=[f"{EU}data-theme/TRAN"],
        political_geocoding_uri=[WEIMAR],
        resources=[{"url": "https://example.org/stops.geojson", "format": "GeoJSON"}],
    )
    return trees, stops


def _facets(**params) -> dict[str, dict[str, tuple[str, int]]]:
    result = call_action("package_search", **{"facet.field": json.dumps(FACET_FIELDS)}, **params)
    return {
        field: {item["name"]: (item["display_name"], item["count"]) for item in facet["items"]}
        for field, facet in result["search_facets"].items()
    }


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("datenraum_theme", f"{EU}data-theme/ENVI", "Environment"),
        ("datenraum_theme", f"{EU}data-theme/TRAN", "Transport"),
        ("res_format", "GeoJSON", "GeoJSON"),
        ("license_id", "dl-zero-de/2.0", "Data licence Germany – Zero – version 2.0"),
        ("datenraum_publisher", "Grünflächenamt Jena", "Grünflächenamt Jena"),
        ("datenraum_publisher", "Stadt Weimar", "Stadt Weimar"),
        (
            "datenraum_geocoding_level",
            "http://dcat-ap.de/def/politicalGeocoding/Level/municipality",
            "Municipality",
        ),
        ("datenraum_municipality", "Jena", "Jena"),
        ("datenraum_municipality", "160550000000", "160550000000"),
        ("datenraum_access_rights", f"{EU}access-right/PUBLIC", "Public"),
        ("datenraum_hvd_category", "http://data.europa.eu/bna/c_ac64a52d", "Geospatial"),
    ],
)
def test_facet_counts_each_value_once_with_its_vocabulary_label(catalogue, field, value, label):
    assert _facets()[field][value] == (label, 1)


@pytest.mark.parametrize(
    ("field", "value", "title"),
    [
        ("datenraum_theme", f"{EU}data-theme/ENVI", "Baumkataster Jena"),
        ("datenraum_municipality", "160550000000", "Haltestellen Weimar"),
        ("datenraum_hvd_category", "http://data.europa.eu/bna/c_ac64a52d", "Baumkataster Jena"),
    ],
)
def test_facet_value_filters_the_search(catalogue, field, value, title):
    found = call_action("package_search", fq=f'{field}:"{value}"')

    assert [dataset["title"] for dataset in found["results"]] == [title]


def test_german_search_page_offers_facets_with_german_labels(app, catalogue):
    response = app.get("/de/dataset/")

    assert response.status_code == 200
    for text in ("Themen", "Umwelt", "Verkehr", "Kommune", "Gemeinde", "Öffentlich", "Georaum"):
        assert text in response.body, text


def test_municipality_filter_on_the_search_page(app, catalogue):
    response = app.get("/de/dataset/", query_string={"datenraum_municipality": "Jena"})

    assert "Baumkataster Jena" in response.body
    assert "Haltestellen Weimar" not in response.body


def test_licence_facet_shows_whole_labels_that_tell_the_licences_apart(app, catalogue):
    response = app.get("/de/dataset/")

    labels = [
        " ".join(label.get_text().split())
        for label in BeautifulSoup(response.body, "html.parser").select(".item-label")
    ]
    assert "Datenlizenz Deutschland Namensnennung 2.0" in labels
    assert "Datenlizenz Deutschland – Zero – Version 2.0" in labels


def test_demo_catalogue_names_its_municipality_in_the_facet(app):
    demo.ensure_content()

    response = app.get("/de/dataset/")

    labels = [
        " ".join(label.get_text().split())
        for label in BeautifulSoup(response.body, "html.parser").select(".item-label")
    ]
    assert "Jena" in labels
    assert "160530000000" not in labels
