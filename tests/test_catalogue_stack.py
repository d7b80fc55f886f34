"""The foundation works end to end: action API -> PostgreSQL -> real Solr -> DCAT endpoint -> UI."""

from __future__ import annotations

import pathlib
import re

import ckan
import pytest
import rdflib
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action
from rdflib.namespace import DCAT, DCTERMS

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _create_tree_register() -> dict:
    sysadmin = factories.Sysadmin()
    organization = factories.Organization(
        name="stadt-jena", contributor_id="http://dcat-ap.de/def/contributors/govData"
    )
    return call_action(
        "package_create",
        {"user": sysadmin["name"]},
        name="baumkataster-jena",
        title="Baumkataster Jena",
        notes="Standorte und Kronendurchmesser aller Stadtbäume.",
        owner_org=organization["id"],
        tags=[{"name": "Bäume"}],
        license_id="dl-by-de/2.0",
        resources=[{"url": "https://example.org/baeume.csv", "format": "CSV"}],
    )


def test_package_search_finds_dataset_by_a_word_of_its_description():
    dataset = _create_tree_register()

    found = call_action("package_search", q="Kronendurchmesser")
    missing = call_action("package_search", q="Hundesteuer")

    assert [result["id"] for result in found["results"]] == [dataset["id"]]
    assert missing["count"] == 0


def test_catalog_ttl_lists_the_dataset(app):
    dataset = _create_tree_register()

    response = app.get("/catalog.ttl")

    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.body, format="turtle")
    titles = {
        str(title)
        for dataset_ref in graph.objects(None, DCAT.dataset)
        for title in graph.objects(dataset_ref, DCTERMS.title)
    }
    assert dataset["title"] in titles


def test_german_ui_renders_german_strings(app):
    response = app.get("/de/dataset")

    assert response.status_code == 200
    assert "Datensätze" in response.body  # CKAN core's German catalogue
    assert "Urbaner Datenraum: offene Daten für das Gemeinwohl" in response.body  # ours
    assert "Urban data space: open data for the common good" not in response.body


def _elements_the_footer_colours() -> set[str]:
    """Tags ``X`` of CKAN's ``.site-footer X { color: … }`` rules (light on the dark footer)."""
    css = (pathlib.Path(ckan.__file__).parent / "public/base/css/main.css").read_text()
    tags = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if re.search(r"(^|[;\s])color:", body):
            for selector in selectors.split(","):
                match = re.fullmatch(r"\s*\.site-footer ([a-z]+)\s*", selector)
                if match:
                    tags.add(match.group(1))
    return tags


def test_footer_claim_is_readable_on_the_dark_footer(app):
    soup = BeautifulSoup(app.get("/de/dataset").body, "html.parser")
    claim = soup.find(string=lambda text: text and "offene Daten für das Gemeinwohl" in text)

    assert claim.find_parent("footer") is not None
    assert claim.parent.name in _elements_the_footer_colours()


def test_english_ui_renders_english_strings(app):
    response = app.get("/en/dataset")

    assert response.status_code == 200
    assert "Urban data space: open data for the common good" in response.body
    assert "Urbaner Datenraum: offene Daten" not in response.body
