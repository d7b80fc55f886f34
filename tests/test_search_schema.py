"""Our Solr schema is CKAN's schema plus German analysis: nothing CKAN relies on is missing."""

from __future__ import annotations

import pathlib
from xml.etree import ElementTree

import ckan
import pytest

from ckanext.datenraum.search import compounds, query

from .conftest import REPO_ROOT

OUR_SCHEMA = REPO_ROOT / "solr" / "conf" / "schema.xml"
CKAN_SCHEMA = pathlib.Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
LANG_DIR = REPO_ROOT / "solr" / "conf" / "lang"


def _parse(path: pathlib.Path) -> ElementTree.Element:
    return ElementTree.parse(path).getroot()


def _fields(root: ElementTree.Element, tag: str) -> dict[str, dict]:
    return {node.get("name"): dict(node.attrib) for node in root.iter(tag)}


def _words(name: str) -> list[str]:
    lines = (LANG_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_schema_keeps_ckans_version_name():
    assert _parse(OUR_SCHEMA).get("name") == _parse(CKAN_SCHEMA).get("name")


def test_every_ckan_field_is_kept_with_its_flags():
    ours = _fields(_parse(OUR_SCHEMA), "field") | _fields(_parse(OUR_SCHEMA), "dynamicField")
    for tag in ("field", "dynamicField"):
        for name, attributes in _fields(_parse(CKAN_SCHEMA), tag).items():
            assert name in ours, name
            flags = ("indexed", "stored", "multiValued", "required")
            assert {k: ours[name].get(k) for k in flags} == {k: attributes.get(k) for k in flags}


def test_every_ckan_copy_field_and_the_unique_key_are_kept():
    def copies(root):
        return {(node.get("source"), node.get("dest")) for node in root.iter("copyField")}

    assert copies(_parse(CKAN_SCHEMA)) <= copies(_parse(OUR_SCHEMA))
    assert _parse(OUR_SCHEMA).findtext("uniqueKey") == _parse(CKAN_SCHEMA).findtext("uniqueKey")


def test_compound_dictionary_is_lower_case_without_duplicates_or_short_parts():
    lines = compounds.LEXICON_FILE.read_text(encoding="utf-8").splitlines()
    words = [line.strip() for line in lines if line.strip() and not line.startswith("#")]

    assert len(words) > 300
    assert len(set(words)) == len(words)
    assert all(word == word.lower() and len(word) >= 3 for word in words)


def test_synonym_groups_are_single_lower_case_words():
    for line in _words("synonyms_de.txt"):
        terms = [term.strip() for term in line.replace("=>", ",").split(",")]
        assert len(terms) >= 2, line
        # a space only in hyphenated short forms ("e auto"), which the word delimiter splits
        assert all(term == term.lower() for term in terms), line
        assert all(" " not in term or term.startswith("e ") for term in terms), line


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ('"Baum', "Baum"),
        ('"Baum Kataster" "Jena', '"Baum Kataster" Jena'),
        ('"Baum Kataster"', '"Baum Kataster"'),
        ("Baum AND", "Baum"),
        ("OR Baum", "Baum"),
        ("NOT Baum", "NOT Baum"),
        ("-", ""),
        ("Baum -Kataster", "Baum -Kataster"),
        ("Baum AND OR Wald", "Baum OR Wald"),
        ("Baum AND NOT Wald", "Baum AND NOT Wald"),
    ],
)
def test_free_text_is_repaired_only_where_solr_would_fail(typed, sent):
    assert query.repaired_free_text(typed) == sent
