"""German-first search through the real Solr with our schema (solr/conf/schema.xml)."""

from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup
from ckan.lib.search import check_solr_schema_version
from ckan.tests import factories
from ckan.tests.helpers import call_action

from . import dcatapde_factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _dataset(title: str, notes: str = "", tags: tuple[str, ...] = ("Stadtverwaltung",)) -> dict:
    """A DCAT-AP.de dataset whose searchable text is only the given title, notes and tags."""
    sysadmin = factories.Sysadmin()
    organization = call_action("organization_list") or [dcatapde_factories.organization()["name"]]
    return dcatapde_factories.create_dataset(
        sysadmin["name"],
        organization[0],
        name=f"dataset-{uuid.uuid4().hex[:12]}",
        title=title,
        notes=notes or title,
        tag_string=",".join(tags),
        resources=[{"url": "https://example.org/data.csv"}],
    )


def _found(q: str) -> list[str]:
    return [result["title"] for result in call_action("package_search", q=q)["results"]]


def test_solr_schema_passes_ckans_version_check():
    assert check_solr_schema_version()


@pytest.mark.parametrize("query", ["Bevoelkerung", "Bevolkerung", "BEVÖLKERUNG"])
def test_umlauts_fold_so_spellings_without_umlauts_match(query):
    _dataset("Bevölkerung nach Stadtteilen")
    _dataset("Wahlergebnisse der Stadtratswahl")

    assert _found(query) == ["Bevölkerung nach Stadtteilen"]


def test_sharp_s_and_ss_match():
    _dataset("Straßenverzeichnis")

    assert _found("Strassenverzeichnis") == ["Straßenverzeichnis"]


@pytest.mark.parametrize("query", ["Haltestelle", "Haltestellen"])
def test_light_stemming_matches_singular_and_plural(query):
    _dataset("Haltestellen des Nahverkehrs")
    _dataset("Parkhäuser in der Innenstadt")

    assert _found(query) == ["Haltestellen des Nahverkehrs"]


@pytest.mark.parametrize("query", ["Bäume", "Baum", "Kataster"])
def test_compound_words_are_found_by_their_parts(query):
    _dataset("Baumkataster Jena", notes="Standorte und Kronendurchmesser")
    _dataset("Spielplätze in Jena")

    assert _found(query) == ["Baumkataster Jena"]


def test_compound_parts_inside_longer_compounds_are_found():
    _dataset("Bushaltestellen im Stadtgebiet")

    assert _found("Haltestellen") == ["Bushaltestellen im Stadtgebiet"]


def test_compound_queries_find_datasets_naming_the_parts_separately():
    _dataset("Bundestagswahl Ergebnisse nach Wahlbezirken")
    _dataset("Haltestellen des Nahverkehrs")

    assert _found("Wahlergebnisse") == ["Bundestagswahl Ergebnisse nach Wahlbezirken"]


def test_whole_word_matches_rank_above_compound_part_matches():
    _dataset("Baustellen und Sperrungen")
    _dataset("Haltestellen des Nahverkehrs")

    assert _found("Baustellen")[0] == "Baustellen und Sperrungen"


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("ÖPNV", "Fahrplandaten Nahverkehr"),
        ("Nahverkehr", "ÖPNV-Linien"),
        ("Kita", "Kindertagesstätten in Jena"),
        ("Kitas", "Kindertagesstätten in Jena"),
        ("Müll", "Abfallentsorgung Termine"),
    ],
)
def test_municipal_synonyms_find_the_other_word(query, title):
    _dataset(title)
    _dataset("Wetterdaten der Messstation")

    assert _found(query) == [title]


def test_keywords_are_analysed_as_german_text():
    _dataset("Pflanzliste", tags=("Straßenbäume",))
    _dataset("Baumkataster")

    assert _found("keywords_de:Straßenbaum") == ["Pflanzliste"]


def test_english_text_keeps_english_stemming():
    _dataset("Tree register", notes="Locations of all trees maintained by the city")

    assert _found("tree locations") == ["Tree register"]


def test_unrelated_words_still_find_nothing():
    _dataset("Baumkataster Jena")

    assert _found("Hundesteuer") == []


def test_fielded_queries_keep_working():
    dataset = _dataset("Baumkataster Jena")

    assert _found(f"name:{dataset['name']}") == ["Baumkataster Jena"]


def test_german_search_page_finds_tree_register_for_baeume(app):
    _dataset("Baumkataster Jena", notes="Alle Stadtbäume mit Standort")
    _dataset("Haltestellen des ÖPNV in Jena")

    response = app.get("/de/dataset/", query_string={"q": "Bäume"})

    assert response.status_code == 200
    assert "Baumkataster Jena" in response.body
    assert "Haltestellen des ÖPNV" not in response.body


@pytest.mark.parametrize(
    "typed", ['"Baumkataster', 'Baumkataster"', "Baumkataster AND", "OR Baumkataster"]
)
def test_typing_slips_still_find_the_dataset(app, typed):
    _dataset("Baumkataster Jena")
    _dataset("Haltestellen des ÖPNV in Jena")

    response = app.get("/de/dataset/", query_string={"q": typed})

    assert "Beim Suchen trat ein Fehler auf." not in response.body
    assert "Baumkataster Jena" in response.body
    assert "Haltestellen des ÖPNV" not in response.body


def test_a_lone_operator_lists_everything():
    _dataset("Baumkataster Jena")
    _dataset("Haltestellen des ÖPNV in Jena")

    assert call_action("package_search", q="-")["count"] == 2


def test_failed_search_is_explained_in_german_and_keeps_the_popular_sort(app):
    response = app.get("/de/dataset/", query_string={"q": "a:b:c"})  # not a Solr query

    heading = BeautifulSoup(response.body, "html.parser").find("h1")
    assert " ".join(heading.get_text().split()) == "Fehler"
    assert "Beim Suchen trat ein Fehler auf." in response.body
    assert "Beliebt" in response.body  # the usage plugin's sort, from the same template
