"""A catalogue manager's whole path through the web form, in German and English.

Chromium drives a real ``ckan run`` server (tests/browser/harness.py); after each step the
stored result is read back through the API. Each test names the defect of issue 13 it guards.
"""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.dcatapde_factories import CONTRIBUTOR, create_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

LANGUAGES = ("de", "en")
CSV = b"baum_id;art;pflanzjahr\n1;Linde;1998\n2;Ahorn;2004\n"


@pytest.fixture
def manager(browser, browser_user):
    """An editor of the organisation "Stadt Jena", logged in."""
    user = browser_user(fullname="Erika Musterfrau")
    organization = factories.Organization(
        name="stadt-jena",
        title="Stadt Jena",
        contributor_id=CONTRIBUTOR,
        image_url="",
        users=[{"name": user["name"], "capacity": "editor"}],
    )
    browser.login(user)
    return {"user": user, "organization": organization}


def _show(name: str) -> dict:
    """The dataset as stored now: the test's own session may still hold rows it read before."""
    model.Session.remove()
    return call_action("package_show", id=name)


def _fill_essentials(browser, title: str, **extra) -> None:
    browser.fill("title", title)
    browser.fill("notes", "Standorte, Baumarten und Pflanzjahre aller Straßenbäume.")
    browser.fill("tag_string", "Bäume,Umwelt")
    browser.fill("license_id", "dl-by-de/2.0")
    browser.fill_form(extra)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_create_with_mandatory_fields_then_link_and_upload_distributions(
    browser, manager, tmp_path, lang
):
    """Defect 1: a link distribution gave HTTP 500 (the form sends size="")."""
    browser.open(f"/{lang}/dataset/new")
    _fill_essentials(browser, "Straßenbäume in Jena")
    # The URL name comes from the server (python-slugify, German spelling), issue 11 item 6.
    _wait_for_value(browser, "name", "strassenbaeume-in-jena")
    browser.submit(name="save")

    assert browser.path == f"/{lang}/dataset/strassenbaeume-in-jena/resource/new"
    draft = _show("strassenbaeume-in-jena")
    assert draft["state"] == "draft"
    assert draft["owner_org"] == manager["organization"]["id"]
    assert draft["license_id"] == "dl-by-de/2.0"
    assert draft["private"] is False

    browser.click("#resource-link-button")
    browser.fill("resource-url", "https://opendata.jena.de/baeume.csv")
    browser.fill("name", "Baumkataster als Link")
    browser.fill("format", "CSV")
    browser.submit(name="save", value="again")

    assert "Internal server error" not in browser.text("body")
    linked = _show("strassenbaeume-in-jena")["resources"]
    assert [(r["url"], r["format"], r.get("size")) for r in linked] == [
        ("https://opendata.jena.de/baeume.csv", "CSV", None)
    ]

    upload = tmp_path / "baeume.csv"
    upload.write_bytes(CSV)
    browser.js("document.getElementById('resource-url-upload').checked = true;")
    browser.fill("upload", upload)
    browser.fill("format", "CSV")
    browser.submit(name="save", value="go-metadata")

    published = _show("strassenbaeume-in-jena")
    assert published["state"] == "active"
    assert [r["url_type"] or "link" for r in published["resources"]] == ["link", "upload"]
    assert browser.path == f"/{lang}/dataset/strassenbaeume-in-jena"


def _wait_for_value(browser, name: str, expected: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 10).until(lambda _d: browser.value(name) == expected)


def test_publishing_without_a_distribution_is_refused(browser, manager):
    """Defect 4: "Publish" on the empty resource step published a dataset without data."""
    browser.open("/en/dataset/new")
    _fill_essentials(browser, "Leere Hülle", name="leere-huelle")
    browser.submit(name="save")
    browser.submit(name="save", value="go-metadata")

    assert _show("leere-huelle")["state"] == "draft"
    assert "at least one distribution" in browser.text("body")


def test_drafts_left_after_step_one_are_listed_on_the_dashboard(browser, manager):
    """Defect 4: leaving after step 1 left drafts nobody could find."""
    browser.open("/de/dataset/new")
    _fill_essentials(browser, "Halb angelegt", name="halb-angelegt")
    browser.submit(name="save")

    browser.open("/de/dashboard/datasets")

    drafts = browser.text("#datenraum-drafts")
    assert "Halb angelegt" in drafts
    assert "Entwürfe" in drafts


def _full_dataset(manager) -> dict:
    return create_dataset(
        manager["user"]["name"],
        manager["organization"]["id"],
        name="baumkataster-jena",
        title="Baumkataster Jena",
        temporal_start="2024",
        temporal_end="2024-03",
        issued="2003-04-29T15:57:01Z",
        modified="2024-05-01",
        theme=["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        language=["http://publications.europa.eu/resource/authority/language/DEU"],
        political_geocoding_uri=[
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
        ],
        publisher=[{"name": "Grünflächenamt Jena", "email": "gruen@jena.de"}],
        contact=[{"name": "Baumkontrolle", "email": "baeume@jena.de"}],
        documentation=["https://www.jena.de/baeume"],
    )


# What a save may change without the user changing anything.
VOLATILE = {"metadata_modified", "revision_id", "num_resources", "num_tags"}


def _stable(dataset: dict) -> dict:
    return {key: value for key, value in dataset.items() if key not in VOLATILE}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_saving_the_edit_form_unchanged_keeps_every_value(browser, manager, lang):
    """Defects 2 and 3: Enter saved through "Unpublish"; dates of any precision were emptied."""
    before = _show(_full_dataset(manager)["name"])

    browser.open(f"/{lang}/dataset/edit/baumkataster-jena")
    assert browser.value("temporal_start") == "2024"
    assert browser.value("issued") == "2003-04-29T15:57:01Z"
    from selenium.webdriver.common.keys import Keys

    # Enter in a text field submits through the form's first submit button.
    browser.field("title").send_keys(Keys.ENTER)
    browser._wait_for_document()
    browser.wait_for("body")

    after = _show("baumkataster-jena")
    assert after["state"] == "active"
    assert _stable(after) == _stable(before)


def test_edit_with_changes_keeps_partial_dates_and_shows_them_in_their_precision(browser, manager):
    """Defect 3: "2023" and "2023-11" must stay what they are."""
    _full_dataset(manager)

    browser.open("/de/dataset/edit/baumkataster-jena")
    browser.fill("temporal_start", "2023")
    browser.fill("temporal_end", "2023-11")
    browser.fill("version", "2023-2")
    browser.submit(name="save")

    saved = _show("baumkataster-jena")
    assert (saved["temporal_start"], saved["temporal_end"], saved["version"]) == (
        "2023",
        "2023-11",
        "2023-2",
    )
    page = browser.text("body")
    assert "November 2023" in page
    assert "Jena, Stadt" in page  # political coverage by name, not its URI (defect 9)


def test_a_removed_publisher_can_be_added_again(browser, manager):
    """Defect 5: after "Remove" the publisher block could not come back."""
    _full_dataset(manager)

    browser.open("/en/dataset/edit/baumkataster-jena")
    browser.click("#field-publisher a[name='repeating-remove']")
    browser.wait_for("#field-publisher a.datenraum-repeating-once-add")
    browser.click("#field-publisher a.datenraum-repeating-once-add")
    browser.wait_for("#field-publisher-1-name")
    browser.fill("publisher-1-name", "Umweltamt Jena")
    browser.submit(name="save")

    assert [p["name"] for p in _show("baumkataster-jena")["publisher"]] == ["Umweltamt Jena"]


def test_bad_input_is_reported_on_the_field_typed_into_and_nothing_is_saved(browser, manager):
    """Defects 8 and 9: errors belong to their field; a huge title is a title error."""
    before = _show(_full_dataset(manager)["name"])

    browser.open("/de/dataset/edit/baumkataster-jena")
    browser.fill("title", "Bäume " * 2000)
    browser.fill("url", "www.jena.de")
    browser.fill("temporal_start", "2024-13-45")
    browser.fill("contact-0-email", "keine-adresse")
    browser.fill("contact-0-phone", "bitte anrufen")
    browser.fill("documentation", "jena.de/doku")
    browser.submit(name="save")

    errors = browser.field_errors()
    assert set(errors) >= {
        "title",
        "url",
        "temporal_start",
        "contact-0-email",
        "contact-0-phone",
        "documentation",
    }, errors
    assert "500" in errors["title"]
    assert "name" not in errors
    assert len(browser.error_summary()) < 2000
    assert _stable(_show("baumkataster-jena")) == _stable(before)


def test_licence_and_organisation_are_not_preselected(browser, manager):
    """Defect 4: a forgotten licence or organisation must be caught, not defaulted."""
    factories.Organization(
        name="kommunale-statistik",
        title="Kommunale Statistik",
        contributor_id=CONTRIBUTOR,
        image_url="",
        users=[{"name": manager["user"]["name"], "capacity": "editor"}],
    )
    browser.open("/de/dataset/new")

    assert browser.value("license_id") == ""
    assert browser.value("owner_org") == ""

    browser.fill("title", "Ohne Lizenz")
    browser.fill("notes", "Test")
    browser.fill("tag_string", "Test")
    browser.submit(name="save")

    assert {"license_id", "owner_org"} <= set(browser.field_errors())
    assert call_action("package_search", include_drafts=True)["count"] == 0


def test_visibility_stays_as_chosen_when_the_organisation_changes(browser, manager):
    """Defect 4: changing the organisation silently made the dataset private."""
    other = factories.Organization(
        name="kommunale-statistik",
        title="Kommunale Statistik",
        contributor_id=CONTRIBUTOR,
        image_url="",
        users=[{"name": manager["user"]["name"], "capacity": "editor"}],
    )
    browser.open("/de/dataset/new")
    browser.click("#field-private-false")
    browser.fill("owner_org", manager["organization"]["id"])
    browser.fill("owner_org", other["id"])

    assert browser.find("#field-private-false").is_selected()


def test_withdrawing_asks_first_and_deleting_removes_the_dataset(browser, manager):
    """Defect 2: withdrawing to draft happened silently; delete must still work."""
    _full_dataset(manager)
    browser.open("/de/dataset/edit/baumkataster-jena")
    buttons = [
        b.get_attribute("value") for b in browser.find_all("#dataset-edit .form-actions button")
    ]
    assert buttons[0] != "go-metadata-unpublish"

    browser.js("window.confirm = () => false;")
    browser.click("button[value='go-metadata-unpublish']")
    assert _show("baumkataster-jena")["state"] == "active"

    browser.js("window.confirm = () => true;")
    browser.click("button[value='go-metadata-unpublish']", navigates=True)
    assert _show("baumkataster-jena")["state"] == "draft"

    browser.open("/de/dataset/edit/baumkataster-jena")
    browser.click_text("Löschen")
    browser.wait_for(".modal.show .btn-primary").click()
    browser.wait_for("body")
    browser._wait_for_document()
    _wait_for_state(browser, "baumkataster-jena", "deleted")


def _wait_for_state(browser, name: str, state: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser.driver, 10).until(lambda _d: _show(name)["state"] == state)


def test_municipality_picker_finds_a_town_by_name(browser, manager):
    """Defect 8: political coverage had to be typed as a full URI."""
    _full_dataset(manager)
    browser.open("/en/dataset/edit/baumkataster-jena")
    browser.pick("political_geocoding_uri", "Weimar", "Weimar, Stadt (municipality")
    browser.submit(name="save")

    assert _show("baumkataster-jena")["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000",
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160550000000",
    ]


def test_every_label_points_to_an_input_and_help_has_no_bare_rdf_terms(browser, manager):
    """Defect 8: ten labels pointed to inputs that did not exist; help ended in RDF terms."""
    _full_dataset(manager)
    orphans = {}
    for path in ("/de/dataset/new", "/de/dataset/edit/baumkataster-jena"):
        browser.open(path)
        orphans[path] = browser.js(
            "return Array.from(document.querySelectorAll('label[for]'))"
            ".filter(l => !document.getElementById(l.htmlFor)).map(l => l.htmlFor);"
        )
        help_texts = browser.js(
            "return Array.from(document.querySelectorAll('.info-block')).map(b => {"
            "  const copy = b.cloneNode(true);"
            "  copy.querySelectorAll('.datenraum-rdf-term').forEach(t => t.remove());"
            "  return copy.textContent; });"
        )
        assert not [t for t in help_texts if "dcatde:" in t or "dct:" in t], path

    assert orphans == {"/de/dataset/new": [], "/de/dataset/edit/baumkataster-jena": []}


def test_an_existing_link_distribution_can_be_edited_and_saved(browser, manager):
    """Defect 1: editing a link distribution and saving gave HTTP 500."""
    dataset = _full_dataset(manager)
    resource = _show(dataset["name"])["resources"][0]

    browser.open(f"/en/dataset/baumkataster-jena/resource/{resource['id']}/edit")
    browser.fill("name", "Baumkataster (CSV)")
    browser.submit(name="save")

    assert "Internal server error" not in browser.text("body")
    assert _show("baumkataster-jena")["resources"][0]["name"] == "Baumkataster (CSV)"
