"""The citizen's and the editor's path in a real browser (the suite's harness: ``ckan run`` and
Debian's Chromium through Selenium), with the follower mails through a real SMTP server."""

from __future__ import annotations

import time

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.datenraum.participation.model import DataRequest
from tests import dcatapde_factories
from tests.participation.conftest import smtp_server

pytestmark = pytest.mark.usefixtures("with_plugins", "participation_clean")

PASSWORD = "Buergerin-Passwort-2026"


@pytest.fixture(scope="module")
def mail_server():
    with smtp_server() as server:
        yield server


@pytest.fixture
def city(browser_user):
    # The factories' default pictures live on other servers: these accounts have none.
    editor = browser_user(name="erika-editor", email="erika@example.org", image_url="")
    sysadmin = browser_user(sysadmin=True, name="root", image_url="")
    organization = dcatapde_factories.organization(
        name="stadt-jena",
        title="Stadt Jena",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    # The factory gives the organisation a picture on another server (an empty value does not
    # override it): remove it, so the pages have nothing third-party to load.
    model.Group.get(organization["id"]).image_url = ""
    model.Session.commit()
    dataset = dcatapde_factories.create_dataset(
        sysadmin["name"], organization["id"], name="radzaehlstellen-jena", title="Radzählstellen"
    )
    return {"editor": editor, "organization": organization, "dataset": dataset}


def test_the_citizens_path(browser, city):
    # A visitor searches in vain and requests the data without an account.
    browser.open("/de/dataset/?q=Lärmkarte")
    browser.click_text("Diese Daten wünschen", navigates=True)
    assert browser.value("title") == "Lärmkarte"
    browser.fill("description", "Um ruhige Schulwege zu finden.")
    browser.fill("organization", "stadt-jena")
    time.sleep(3.2)  # a person takes longer than the time trap's three seconds
    browser.submit(name="save")
    assert "Vielen Dank für Ihren Datenwunsch" in browser.text("[role=main]")
    assert model.Session.query(DataRequest).one().moderation == "pending"

    # She registers (self-registration is on) and proposes, votes and follows directly.
    existing = call_action(
        "datenraum_request_create",
        {"user": "erika-editor"},
        title="Radwege mit Oberfläche",
        description="Für die Routenplanung",
        organization="stadt-jena",
    )
    browser.open("/de/user/register")
    browser.fill_form(
        {
            "username": "clara-citizen",
            "fullname": "Clara",
            "email": "clara@example.org",
            "password": PASSWORD,
            "confirm-password": PASSWORD,
        }
    )
    browser.screenshot("participation-register-de")
    browser.submit(name="save")
    browser.open("/de/datarequest")
    assert "Radwege mit Oberfläche" in browser.text("[role=main]")
    assert "Lärmkarte" not in browser.text("[role=main]")  # still in the queue
    browser.click_text("Radwege mit Oberfläche", navigates=True)
    browser.click_text("Für diesen Wunsch stimmen", navigates=True)
    assert "2 Stimmen" in browser.text("aside") or "1 Stimme" in browser.text("aside")
    browser.fill(f"comment-{existing['id']}", "Bitte mit Winterdienst <3")
    browser.click_text("Kommentar veröffentlichen", navigates=True)
    assert "Bitte mit Winterdienst <3" in browser.text(".datenraum-comments")
    voted = call_action("datenraum_request_show", {"user": "clara-citizen"}, id=existing["id"])
    assert voted["voted"] and voted["following"]
    browser.screenshot("participation-request-de")

    # The same pages in English, and the use cases.
    browser.open(f"/en/datarequest/{existing['id']}")
    assert "Withdraw my vote" in browser.text("aside")
    call_action(
        "datenraum_usecase_create",
        {"user": "erika-editor"},
        title="Radkarte",
        description="Zählstellen auf der Karte",
        kind="visualisation",
        datasets=["radzaehlstellen-jena"],
    )
    browser.open("/de/showcase")
    browser.click_text("Radkarte", navigates=True)
    assert "Radzählstellen" in browser.text("aside")
    browser.open("/de/dataset/radzaehlstellen-jena")
    assert "Radkarte" in browser.text(".datenraum-dataset-usecases")
    assert browser.third_party_requests() == []
    assert browser.console_errors() == []


def test_the_editors_path(browser, city, ckan_server_with, mail_server):
    port, inbox = mail_server
    base_url = ckan_server_with(
        {"smtp.server": f"127.0.0.1:{port}", "smtp.mail_from": "datenraum@example.org"}
    )
    page = browser.on(base_url)
    citizen = dcatapde_factories.factories.User(
        name="clara-citizen", email="clara@example.org", image_url=""
    )
    wish = call_action(
        "datenraum_request_create",
        {"user": citizen["name"]},
        title="Radzählstellen stündlich",
        description="Für eine Auswertung",
        organization="stadt-jena",
    )
    visitor = call_action(
        "datenraum_request_create",
        {"user": None},
        title="Freie Kita-Plätze",
        description="Für Eltern",
        organization="stadt-jena",
    )
    usecase = call_action(
        "datenraum_usecase_create",
        {"user": citizen["name"]},
        title="Radverkehr-Dashboard",
        description="Zählstellen im Zeitverlauf",
        kind="application",
        datasets=["radzaehlstellen-jena"],
    )

    page.login(city["editor"])
    page.open("/de/participation/moderation")
    assert "Freie Kita-Plätze" in page.text(".datenraum-queue-requests")
    page.click(".datenraum-queue-requests button[value=approve]", navigates=True)
    assert (
        call_action("datenraum_request_show", {"user": None}, id=visitor["id"])["moderation"]
        == "approved"
    )
    page.click_text("Radverkehr-Dashboard", navigates=True)
    page.fill("review-note", "Danke!")
    page.submit(value="approve")
    assert (
        call_action("datenraum_usecase_show", {"user": None}, id=usecase["id"])["moderation"]
        == "approved"
    )

    # Declining without a reason is refused with a field error; then publishing works.
    page.open(f"/de/datarequest/{wish['id']}")
    page.fill("status", "declined")
    page.click(".datenraum-editor button[type=submit]", navigates=True)
    assert "Nennen Sie den Grund der Ablehnung" in page.text(".datenraum-editor")
    page.fill("status", "published")
    page.fill("dataset", "radzaehlstellen-jena")
    page.fill("note", "Stündliche Werte sind jetzt im Datensatz.")
    page.click(".datenraum-editor button[type=submit]", navigates=True)
    assert "Veröffentlicht" in page.text(".datenraum-status")
    assert "Radzählstellen" in page.text(".datenraum-answer")
    assert "Status geändert von „Neu“ zu „Veröffentlicht“" in page.text(".datenraum-activity")
    page.screenshot("participation-editor-de")

    deadline = time.monotonic() + 10
    while not inbox.to("clara@example.org") and time.monotonic() < deadline:
        time.sleep(0.2)
    [mail] = inbox.to("clara@example.org")
    assert "Veröffentlicht" in mail["Subject"] and "Published" in mail["Subject"]
    assert "/dataset/radzaehlstellen-jena" in mail.get_content()
    assert page.third_party_requests() == []
