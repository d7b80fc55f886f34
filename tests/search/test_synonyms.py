"""Synonyms from OpenThesaurus and the hand-curated list, English words from ding (issue 15)."""

from __future__ import annotations

import pathlib

import pytest

from ckanext.datenraum.search import synonym_files

from .conftest import EU_THEME, found

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_the_debian_dictionaries_are_installed():
    assert synonym_files.OPENTHESAURUS.is_file()
    assert synonym_files.DING.is_file()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Mülleimer", "Abfallbehälter im Stadtgebiet"),  # OpenThesaurus
        ("Straßenlaterne", "Leuchten der Straßenbeleuchtung"),  # hand-curated list
        ("Pflegeheim", "Pflegeeinrichtungen nach Trägern"),  # hand-curated list
        ("tree", "Baumkataster Jena"),  # ding, into a compound part
        ("playground", "Spielplätze im Stadtgebiet"),  # ding
    ],
)
def test_other_words_for_the_same_thing_find_the_dataset(dataset, query, title):
    dataset(title)
    dataset("Wetterdaten der Messstation")

    assert found(query) == [title]


def test_english_theme_labels_find_german_datasets(dataset):
    dataset("Luftmessnetz", theme=[f"{EU_THEME}ENVI"])
    dataset("Haushaltsplan 2025", theme=[f"{EU_THEME}GOVE"])

    assert found("environment") == ["Luftmessnetz"]
    assert found("Umwelt") == ["Luftmessnetz"]


def test_false_friends_stay_german(tmp_path: pathlib.Path):
    ding = [
        "Kind {n} | Kinder {pl} :: child | children",
        "Art {f}; Sorte {f} :: kind; sort",
        "Baum {m} [bot.] | Bäume {pl} :: tree | trees",
        "Park {m} | Parks {pl} :: park | parks",
        "Register {n} (Orgel) [mus.] :: stop",
    ]
    municipal = frozenset({"art", "baum", "bäume", "park", "register", "kind"})

    translations = synonym_files.english_german(ding, municipal)

    assert "kind" not in translations  # German "Kind" is a child
    assert translations["tree"] == ["baum"]
    assert translations["trees"] == ["bäume"]
    assert "park" not in translations  # the same word in both languages needs no entry
    assert "stop" not in translations  # an organ stop, not a bus stop


def test_thesaurus_sets_keep_only_unambiguous_municipal_nouns():
    lines = [
        "Abfallbehälter;Mülleimer;Abfalltonne (ugs.);Mistkübel (österr.)",
        "Bank;Sitzbank",
        "Bank;Geldinstitut;Kreditinstitut",
        "Gesangsstück;Lied;Weise",
        "Volltrottel (derb);Dummkopf;Idiot (derb)",
    ]
    municipal = frozenset({"abfallbehälter", "bank", "sitzbank", "geldinstitut", "dummkopf"})

    sets = synonym_files.openthesaurus_sets(lines, municipal)

    assert ["abfallbehälter", "mülleimer", "abfalltonne", "mistkübel"] in sets
    assert ["geldinstitut", "kreditinstitut"] in sets  # without the ambiguous "Bank"
    assert not any("lied" in terms or "dummkopf" in terms for terms in sets)
