"""Harvest health for managers: the page, the action's auth and the status command."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvest.conftest import make_source, run
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")


@pytest.fixture
def failed_source(harvest_env, partner):
    partner.routes["/catalog.ttl"] = Answer(b"", status=500)
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"))
    run(source)
    return source


def test_health_page_shows_last_run_and_error_to_a_sysadmin(app, harvest_env, failed_source):
    response = app.get(
        "/harvest-health", headers={"Authorization": factories.SysadminWithToken()["token"]}
    )

    assert response.status_code == 200
    assert "Partner" in response.body
    assert "HTTP 500" in response.body


def test_health_is_denied_to_anonymous_and_plain_users(app, failed_source):
    user = factories.UserWithToken()

    assert app.get("/harvest-health").status_code == 403
    assert app.get("/harvest-health", headers={"Authorization": user["token"]}).status_code == 403


def test_organisation_admin_sees_only_their_sources(harvest_env, failed_source):
    admin = factories.User()
    factories.Organization(users=[{"name": admin["name"], "capacity": "admin"}])

    assert (
        call_action("datenraum_harvest_health", {"user": admin["name"], "ignore_auth": False}) == []
    )


def test_status_command_prints_counts_and_messages(cli, failed_source):
    result = cli.invoke(ckan_cli, ["datenraum", "harvest-sources", "status"])

    assert result.exit_code == 0, result.output
    assert "partner: failing" in result.output
    assert "HTTP 500" in result.output


def test_health_page_speaks_german_under_de(app, failed_source):
    response = app.get(
        "/de/harvest-health", headers={"Authorization": factories.SysadminWithToken()["token"]}
    )

    assert "Harvest-Zustand" in response.body
    assert "fehlgeschlagen" in response.body


NO_TITLE = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/d/ohne-titel> a dcat:Dataset ; dct:identifier "ohne-titel" ;
    dct:description "Beschreibung" ; dcat:keyword "Test" ."""


@pytest.mark.ckan_config("ckan.locale_default", "de")
def test_health_messages_are_readable_and_in_the_page_language(app, harvest_env, partner):
    """Issue 11 item 12: stored in English whatever locale the job ran in, shown translated;
    a source whose every record fails is "failing", not "with errors"."""
    partner.routes["/down.ttl"] = Answer(b"", status=500)
    partner.routes["/catalog.ttl"] = Answer(NO_TITLE, content_type="text/turtle")
    run(make_source(harvest_env, "datenraum_dcat", partner.url("/down.ttl"), name="kaputt"))
    run(make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"), name="leer"))
    headers = {"Authorization": factories.SysadminWithToken()["token"]}

    english = app.get("/en/harvest-health", headers=headers).body
    german = app.get("/harvest-health", headers=headers).body

    assert "answered HTTP 500 (no dataset was changed)" in english
    assert "title: Missing value" in english
    assert "Fehlender Wert" not in english and "kein Datensatz" not in english
    assert "antwortete mit HTTP 500 (kein Datensatz wurde geändert)" in german
    assert "title: Fehlender Wert" in german and "no dataset was changed" not in german
    assert "{&#39;" not in english and "[&#39;" not in english  # no Python reprs
    states = {h["name"]: h["state"] for h in call_action("datenraum_harvest_health", {})}
    assert states == {"kaputt": "failing", "leer": "failing"}
