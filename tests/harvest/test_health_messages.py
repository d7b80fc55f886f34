"""Harvest messages on the health page: stored in English, shown in the page's language."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvest.conftest import make_source, run
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")

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
