"""The portal's pages over HTTP: home, text pages, developers' page, errors, no Gravatar."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum.common import regions

from .dcatapde_factories import CONTRIBUTOR, create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"


def _token(user: dict) -> str:
    return factories.APIToken(user=user["name"])["token"]


@pytest.fixture
def catalogue():
    sysadmin = factories.Sysadmin(image_url="")
    org = organization(name="stadt-jena", title="Stadt Jena", image_url="")
    create_dataset(
        sysadmin["name"], org["id"], name="baumkataster", title="Baumkataster", theme=[ENVI]
    )
    create_dataset(sysadmin["name"], org["id"], name="spielplaetze", title="Spielplätze")
    return sysadmin


@pytest.mark.parametrize(
    ("lang", "expected", "foreign"),
    [
        (
            "de",
            ["Neueste Datensätze", "Themen", "Umwelt", "1 Datensatz", "Meistgewünschte Daten"],
            "Newest datasets",
        ),
        (
            "en",
            ["Newest datasets", "Themes", "Environment", "1 dataset", "Most wanted data"],
            "Neueste Datensätze",
        ),
    ],
)
def test_home_page_is_the_citys_with_themes_newest_datasets_and_links(
    app, catalogue, lang, expected, foreign
):
    body = app.get(f"/{lang}/").body

    assert "Willkommen bei CKAN" not in body and "Welcome to CKAN" not in body
    assert "420 x 220" not in body
    assert "Urbaner Datenraum (Test)" in body
    for text in expected:
        assert text in body
    assert foreign not in body
    assert body.index("Spielplätze") < body.index("Baumkataster")  # newest first
    assert "/usage" in body and "/developers" in body
    # participation: its home section once (the portal's block, not a second override) and
    # its links in the portal's navigation
    assert body.count('class="datenraum-home-participation') == 1
    assert 'href="/datarequest"' in body or f'href="/{lang}/datarequest"' in body
    assert "/showcase" in body


@pytest.mark.parametrize(
    ("path", "de", "en"),
    [
        ("/about", "Über den Datenraum", "About the data space"),
        ("/impressum", "Impressum", "Imprint"),
        ("/datenschutz", "Datenschutzerklärung", "Privacy policy"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit", "Accessibility statement"),
        ("/developers", "API für Entwickler", "API for developers"),
    ],
)
def test_text_pages_answer_in_both_languages(app, path, de, en):
    german = app.get(f"/de{path}").body
    english = app.get(f"/en{path}").body

    assert de in german and en not in german
    assert en in english
    assert "leading open-source data portal" not in german + english


def test_privacy_page_says_what_the_usage_counting_stores_and_does_not(app):
    body = app.get("/de/datenschutz").body

    assert "Nicht gespeichert werden" in body
    assert "IP-Adressen" in body
    assert "Do Not Track" in body
    assert "Gravatar" in body


def test_developers_page_has_examples_for_the_catalogue_and_the_action_api(app, catalogue):
    body = app.get("/en/developers").body

    assert "/catalog.ttl" in body
    assert "/api/3/action/package_search" in body
    assert "/api/3/action/package_show?id=spielplaetze" in body


def test_sysadmins_edit_page_texts_per_language_and_others_may_not(app):
    sysadmin = factories.Sysadmin()
    editor = factories.User()
    option = "ckanext.datenraum.portal.text.imprint.de"

    app.post(
        "/ckan-admin/pages",
        data={option: "# Impressum\n\nStadtverwaltung Jena, Am Anger 15"},
        headers={"Authorization": _token(sysadmin)},
    )
    refused = app.get("/de/ckan-admin/pages", headers={"Authorization": _token(editor)}, status=403)

    assert "Am Anger 15" in app.get("/de/impressum").body
    assert "Am Anger 15" not in app.get("/en/impressum").body
    assert "Zugriff verweigert" in refused.body


@pytest.mark.parametrize(
    ("path", "title", "english"),
    [
        ("/de/no-such-page", "Seite nicht gefunden", "Not Found"),
        ("/de/dataset/no-such-dataset", "Seite nicht gefunden", "Not Found"),
        ("/en/no-such-page", "Page not found", "Seite nicht gefunden"),
    ],
)
def test_error_pages_are_localised(app, path, title, english):
    body = app.get(path, status=404).body

    assert title in body
    assert english not in body
    assert "404" in body


def test_logged_in_pages_load_no_gravatar(app):
    user = factories.User(image_url="", email="erika@example.org")

    body = app.get("/de/dataset/", headers={"Authorization": _token(user)}).body

    assert user["name"] in body or user["display_name"] in body
    assert "gravatar" not in body.lower()
    assert 'alt="Placeholder"' not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Jena", "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"),
        ("16053", "http://dcat-ap.de/def/politicalGeocoding/districtKey/16053"),
        ("Thüringen", "http://dcat-ap.de/def/politicalGeocoding/stateKey/16"),
    ],
)
def test_region_search_finds_municipalities_districts_and_states(app, query, expected):
    result = app.get("/api/3/action/datenraum_region_search", params={"q": query}).json["result"]

    assert expected in [item["id"] for item in result]


def test_every_state_of_germany_is_in_the_directory():
    states = [
        regions.region_for_uri(f"http://dcat-ap.de/def/politicalGeocoding/stateKey/{key:02d}")
        for key in range(1, 17)
    ]

    assert all(state and state.level == "state" for state in states)
    assert regions.region_for_uri("http://dcat-ap.de/def/politicalGeocoding/stateKey/17") is None


def test_url_names_are_transliterated_the_german_way(app):
    result = app.get(
        "/api/3/action/datenraum_name_from_title", params={"title": "Straßenbäume Öffnungszeiten"}
    ).json["result"]

    assert result == {"name": "strassenbaeume-oeffnungszeiten"}


def test_a_form_without_url_name_gets_the_german_name(app):
    sysadmin = factories.Sysadmin()
    org = organization()

    dataset = call_action(
        "package_create",
        {"user": sysadmin["name"]},
        title="Straßenbäume",
        notes="Alle Bäume",
        owner_org=org["id"],
        tag_string="Bäume",
        license_id="dl-by-de/2.0",
        contributor_id=CONTRIBUTOR,
    )

    assert dataset["name"] == "strassenbaeume"
