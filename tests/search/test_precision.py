"""Compound words match their parts only where those mean something (issue 15, decision 0410)."""

from __future__ import annotations

import pytest

from .conftest import found

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_shared_compound_heads_do_not_match(dataset):
    """ "Haltestellen" shares only "-stellen" with Baustellen, Poststellen, Beratungsstellen."""
    dataset("Haltestellen des Nahverkehrs")
    dataset("Bushaltestellen mit Ausstattung")
    dataset("Baustellen und Sperrungen")
    dataset("Poststellen und Briefkästen")
    dataset("Schuldnerberatungsstellen")
    dataset("Parkhäuser und Tiefgaragen")
    dataset("Ärztehäuser und Sanitätshäuser")
    dataset("Kindertagesstätten in Jena")
    dataset("Gaststätten mit Außengastronomie")

    assert sorted(found("Haltestellen")) == [
        "Bushaltestellen mit Ausstattung",
        "Haltestellen des Nahverkehrs",
    ]
    assert found("Parkhäuser") == ["Parkhäuser und Tiefgaragen"]
    assert found("Kindertagesstätte") == ["Kindertagesstätten in Jena"]
    assert found("Baum") == []


def test_whole_words_rank_above_compound_parts(dataset):
    dataset("Baumkataster Jena", notes="Standorte und Kronendurchmesser")
    dataset("Bäume im Stadtgebiet", notes="Standorte und Kronendurchmesser")
    dataset("Straßenbaumpflanzungen", notes="Standorte und Kronendurchmesser")

    assert found("Bäume")[0] == "Bäume im Stadtgebiet"
    assert sorted(found("Bäume")[1:]) == ["Baumkataster Jena", "Straßenbaumpflanzungen"]


def test_a_query_compound_finds_its_parts_near_each_other(dataset):
    dataset("Ergebnisse der Stadtratswahl 2024")
    dataset("Bundestagswahl Ergebnisse nach Wahlbezirken")
    dataset("Wahlbeteiligung nach Stadtteilen", notes="Ergebnisse der Befragung zur Mobilität")

    assert sorted(found("Wahlergebnisse")) == [
        "Bundestagswahl Ergebnisse nach Wahlbezirken",
        "Ergebnisse der Stadtratswahl 2024",
    ]


def test_lexicalised_compounds_are_not_found_by_their_head(dataset):
    """A Wahlkreis is no Kreis of the administration, a Kindergarten no garden, a Hochschule
    not one of the schools (decision 0419): their heads find only the compounds that are kinds
    of them, and the kept-whole word still finds the compounds that end in it."""
    dataset("Kreisfreie Städte und Landkreise")
    dataset("Ergebnisse nach Wahlkreisen der Bundestagswahl")
    dataset("Bundestagswahlkreise Geodaten")
    dataset("Kleingärten und Gartenvereine")
    dataset("Kindergärten in Jena")
    dataset("Grundschulen und Oberschulen")
    dataset("Hochschulen und Studierende")
    dataset("Wochenmärkte in Jena")
    dataset("Arbeitsmarkt und Beschäftigung")

    assert found("Kreise") == ["Kreisfreie Städte und Landkreise"]
    assert sorted(found("Wahlkreise")) == [
        "Bundestagswahlkreise Geodaten",
        "Ergebnisse nach Wahlkreisen der Bundestagswahl",
    ]
    assert found("Gärten") == ["Kleingärten und Gartenvereine"]
    assert found("Schulen") == ["Grundschulen und Oberschulen"]
    assert found("Hochschulen") == ["Hochschulen und Studierende"]
    assert found("Märkte") == ["Wochenmärkte in Jena"]


@pytest.mark.parametrize(
    ("query", "title"),
    [("Museum", "Museen der Stadt"), ("Zentren", "Jugendzentrum Ost"), ("Themen", "Thema Wohnen")],
)
def test_latin_and_greek_plurals_match_their_singular(dataset, query, title):
    dataset(title)
    dataset("Haltestellen des Nahverkehrs")

    assert found(query) == [title]


@pytest.mark.parametrize(
    ("query", "both", "one"),
    [
        # dismax: plain words
        ("Bäume Pflege", "Pflege der Bäume", "Bäume im Stadtgebiet"),
        # edismax: a compound and a plain word
        ("Straßenbahn Linien", "Linienverlauf der Straßenbahn", "Fahrgastzahlen je Linie"),
    ],
)
def test_one_word_of_two_may_be_missing_and_all_words_rank_first(dataset, query, both, one):
    """Minimum should match (decision 0416): CKAN requires both words of a two-word query, so
    "Straßenbahn Linien" missed "Fahrgastzahlen je Linie"; a dataset with neither word stays out."""
    dataset(one)
    dataset(both)
    dataset("Baustellen und Sperrungen")

    assert found(query) == [both, one]
