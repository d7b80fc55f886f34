"""The portal on a phone (390 px): nothing wider than the screen, the main button reachable."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.dcatapde_factories import create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PHONE_WIDTH = 390
LONG_URI = "https://geodienste.jena.de/" + "verzeichnis/" * 12 + "baumkataster_gesamtbestand.csv"


@pytest.fixture
def long_values_dataset():
    sysadmin = factories.Sysadmin(image_url="")
    dataset = create_dataset(
        sysadmin["name"],
        organization(name="stadt-jena", title="Stadt Jena", image_url="")["id"],
        name="baumkataster-jena",
        url=LONG_URI,
        documentation=[LONG_URI],
        contact=[
            {"name": "Baumkontrolle", "email": "baumkontrolle.gruenflaechenamt@jena.example.org"}
        ],
        resources=[{"url": LONG_URI, "format": "CSV", "name": "Bäume"}],
    )
    return call_action("package_show", id=dataset["id"])


@pytest.mark.parametrize("page", ["/de/", "/de/dataset/baumkataster-jena", "resource"])
def test_pages_fit_a_phone_screen(browser, long_values_dataset, page):
    resource = long_values_dataset["resources"][0]
    path = (
        f"/de/dataset/baumkataster-jena/resource/{resource['id']}" if page == "resource" else page
    )
    browser.phone()
    try:
        browser.open(path)
        width = browser.page_width()
        name = "phone-" + (page.strip("/").replace("/", "-") or "home")
        browser.screenshot(name)
        if page == "resource":
            button = browser.find(".resource-url-analytics").rect
            assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE_WIDTH
    finally:
        browser.desktop()

    assert width <= PHONE_WIDTH


@pytest.mark.parametrize(
    ("lang", "heading", "nav"),
    [("de", "Meistgewünschte Daten", "Datenwünsche"), ("en", "Most wanted data", "Data requests")],
)
def test_home_page_shows_participation_in_both_languages(browser, lang, heading, nav):
    """The portal's home and navigation carry participation (both plugins override them)."""
    browser.open(f"/{lang}/")
    browser.screenshot(f"home-participation-{lang}")

    section = browser.find(".datenraum-home-participation")
    assert section.is_displayed() and heading in section.text
    assert nav in browser.text(".masthead")
    assert browser.third_party_requests() == []
