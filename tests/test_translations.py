"""Every user-facing string of the suite has a German translation.

Extracts the gettext messages of our templates (ckanext/datenraum/**/templates, with CKAN's
Jinja extractor) and of our Python code (``_``, ``N_``, ``ngettext``…), and fails for each one
that neither our German catalogue nor CKAN core's German catalogue translates.
"""

from __future__ import annotations

import pathlib

import ckan
import pytest
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po
from ckan.tests import factories

from .conftest import REPO_ROOT
from .dcatapde_factories import create_dataset, organization

PACKAGE = REPO_ROOT / "ckanext" / "datenraum"
OUR_GERMAN = REPO_ROOT / "i18n" / "de" / "LC_MESSAGES" / "ckanext-datenraum.po"
CORE_GERMAN = pathlib.Path(ckan.__file__).parent / "i18n" / "de" / "LC_MESSAGES" / "ckan.po"
METHODS = [
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**.py", "python"),
]


def _translated(po_file: pathlib.Path) -> set[str]:
    with po_file.open("rb") as handle:
        catalogue = read_po(handle)
    translated = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings):
            translated.add(message.id if isinstance(message.id, str) else message.id[0])
    return translated


def _used_messages() -> dict[str, str]:
    """msgid -> the first file:line that uses it."""
    used = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, strip_comment_tags=True
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            used.setdefault(msgid, f"ckanext/datenraum/{filename}:{lineno}")
    return used


@pytest.fixture(scope="module")
def used_messages() -> dict[str, str]:
    return _used_messages()


def test_templates_and_code_use_translatable_strings(used_messages):
    assert any(".html:" in where for where in used_messages.values())
    assert "Themes" in used_messages  # a facet title marked with N_ in Python


def test_every_string_has_a_german_translation(used_messages):
    translated = _translated(OUR_GERMAN) | _translated(CORE_GERMAN)

    missing = {msgid: where for msgid, where in used_messages.items() if msgid not in translated}

    assert missing == {}, "add German translations to " + str(OUR_GERMAN.relative_to(REPO_ROOT))


def test_german_catalogue_has_no_untranslated_entries():
    with OUR_GERMAN.open("rb") as handle:
        catalogue = read_po(handle)

    empty = [message.id for message in catalogue if message.id and not message.string]

    assert empty == []


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_harvest_pages_are_german_where_ckanext_harvest_ships_no_german(app):
    response = app.get("/de/harvest/")

    assert response.status_code == 200
    assert "Harvesting-Quellen" in response.body
    assert "Harvest Sources" not in response.body


# Validators of the pinned extensions whose messages reach our forms and API errors; neither
# extension ships a German catalogue.
UPSTREAM_VALIDATORS = ("ckanext/scheming/validation.py", "ckanext/dcat/validators.py")


def _upstream_validator_messages() -> set[str]:
    site_packages = pathlib.Path(ckan.__file__).parent.parent
    messages = set()
    for relative in UPSTREAM_VALIDATORS:
        source = site_packages / relative
        for _lineno, _function, message, _comments in extract_python(
            source.open("rb"), ["_"], [], {}
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_validation_messages_of_scheming_and_dcat_have_german_translations():
    messages = _upstream_validator_messages()
    assert 'unexpected choice "%s"' in messages

    missing = messages - (_translated(OUR_GERMAN) | _translated(CORE_GERMAN))

    assert missing == set()


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_unknown_choice_is_reported_in_german(app):
    """What an editor sees next to the field at /de/dataset/edit (and the API at /de/api)."""
    user = factories.Sysadmin()
    org = organization()
    dataset = create_dataset(user["name"], org["id"], name="kita-plaetze")

    response = app.post(
        "/de/api/3/action/package_patch",
        json={"id": dataset["id"], "frequency": "WEEKLYX"},
        headers={"Authorization": factories.APIToken(user=user["name"])["token"]},
        status=409,
    )

    assert response.json["error"]["frequency"] == ["Unzulässige Auswahl „WEEKLYX“"]
