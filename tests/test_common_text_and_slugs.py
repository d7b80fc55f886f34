"""Pure logic of ``ckanext.datenraum.common``: forbidden characters and URL names."""

from __future__ import annotations

import pytest

from ckanext.datenraum.common import slugs, text


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Straßenbäume Jena", "strassenbaeume-jena"),
        ("ÖPNV-Haltestellen Übersicht", "oepnv-haltestellen-uebersicht"),
        ("Москва улицы", "moskva-ulitsy"),
        ("Bevölkerung_2024 (Stand: 31.12.)", "bevoelkerung_2024-stand-31-12"),
    ],
)
def test_names_are_transliterated_the_german_way(title, name):
    assert slugs.name_from_title(title) == name


def test_a_long_title_is_cut_between_words():
    name = slugs.name_from_title("Baumkataster " * 20)
    assert len(name) <= slugs.MAX_NAME_LENGTH
    assert name.endswith("baumkataster")


@pytest.mark.parametrize("title", ["", "!!", "—", "a"])
def test_nothing_spellable_gives_the_fallback(title):
    assert slugs.name_from_title(title, fallback="datensatz") == "datensatz"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"])
def test_forbidden_characters_are_found_and_cleaned(char):
    value = f"Bäume{char}kataster"
    assert text.find_forbidden(value) == f"U+{ord(char):04X}"
    assert text.clean(value) == "Bäumekataster"


def test_tabs_and_line_breaks_are_text():
    value = "Zeile 1\r\nZeile\t2\n"
    assert text.find_forbidden(value) is None
    assert text.clean(value) == value
