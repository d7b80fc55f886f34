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

    # three words, two of them needed (decision 0416): only "Luftmessnetz" matches
    page = _page(app, "Luftmessnetz Hundesteuer Wahlplakate")

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


def test_indexing_does_not_rebuild_the_dictionaries_the_next_autocomplete_does(dataset):
    """A commit per dataset must not rebuild three dictionaries of the whole core (harvests
    of n datasets cost n full builds); the next autocomplete request rebuilds them once."""
    from ckanext.datenraum.search import suggest, suggest_freshness

    suggest.build_dictionaries()  # from the empty index of this test
    dataset("Baumkataster Jena")

    def titles_in_solr():
        response = suggest._select("suggest", "baum", {"suggest.q": "baum"})
        return response["suggest"]["titles"]["baum"]["numFound"]

    assert titles_in_solr() == 0  # the commit of the new dataset built nothing
    assert call_action("datenraum_search_autocomplete", q="baum")["titles"]
    assert titles_in_solr() == 1
    assert suggest_freshness.rebuild_if_stale(suggest.build_dictionaries) is False


def test_autocomplete_is_open_to_anonymous_visitors(app, dataset):
    dataset("Baumkataster Jena")

    response = app.get("/api/3/action/datenraum_search_autocomplete", query_string={"q": "baum"})

    assert response.json["result"]["titles"][0]["label"] == "Baumkataster Jena"


def test_the_search_box_loads_the_autocomplete_module(app):
    page = _page(app, "")

    box = page.select_one('[data-module="datenraum-autocomplete"]')
    assert "datenraum_search_autocomplete" in box["data-module-url"]
    assert box.select_one("datalist")["id"]
