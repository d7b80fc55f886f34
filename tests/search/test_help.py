"""Help when a search fails: "Meinten Sie …", related themes, autocomplete (issue 15)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action

from .conftest import EU_THEME

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _page(app, q: str) -> BeautifulSoup:
    response = app.get("/de/dataset/", query_string={"q": q})
    assert response.status_code == 200
    return BeautifulSoup(response.body, "html.parser")


def test_a_typo_gets_a_did_you_mean_that_finds_the_dataset(app, dataset):
    dataset("Bevölkerung nach Stadtteilen", theme=[f"{EU_THEME}SOCI"])

    page = _page(app, "Bevölkrung")

    suggestion = page.select_one(".datenraum-did-you-mean")
    assert "Meinten Sie" in suggestion.get_text()
    assert suggestion.a.get_text(strip=True) == "bevölkerung"
    assert "q=bev%C3%B6lkerung" in suggestion.a["href"]


def test_a_search_without_results_offers_themes_of_its_words(app, dataset):
    dataset("Luftmessnetz Jena", theme=[f"{EU_THEME}ENVI"])
    dataset("Haushaltsplan 2025", theme=[f"{EU_THEME}GOVE"])

    page = _page(app, "Luftmessnetz Hundesteuer")

    themes = page.select(".datenraum-related-themes a")
    assert [" ".join(a.get_text().split()) for a in themes] == ["Umwelt 1"]
    assert "datenraum_theme=" in themes[0]["href"]
    assert page.select_one(".datenraum-did-you-mean") is None


def test_results_get_no_help_box(app, dataset):
    dataset("Luftmessnetz Jena", theme=[f"{EU_THEME}ENVI"])

    assert _page(app, "Luftmessnetz").select_one(".datenraum-zero-results") is None


def test_autocomplete_offers_titles_keywords_and_publishers_of_public_datasets(dataset):
    created = dataset("Baumkataster Jena", tags=("Bäume", "Umwelt"))
    dataset("Baustellen geheim", private=True)

    result = call_action("datenraum_search_autocomplete", q="ba")
    publishers = call_action("datenraum_search_autocomplete", q="stadt")["organizations"]

    assert result["titles"] == [{"label": "Baumkataster Jena", "value": created["name"]}]
    assert [entry["label"] for entry in result["tags"]] == ["Bäume"]
    assert publishers == [{"label": "Stadt Jena", "value": created["organization"]["name"]}]


def test_autocomplete_is_open_to_anonymous_visitors(app, dataset):
    dataset("Baumkataster Jena")

    response = app.get("/api/3/action/datenraum_search_autocomplete", query_string={"q": "baum"})

    assert response.json["result"]["titles"][0]["label"] == "Baumkataster Jena"


def test_the_search_box_loads_the_autocomplete_module(app):
    page = _page(app, "")

    box = page.select_one('[data-module="datenraum-autocomplete"]')
    assert "datenraum_search_autocomplete" in box["data-module-url"]
    assert box.select_one("datalist")["id"]
