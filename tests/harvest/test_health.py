"""Harvest health for managers: the page, the action's auth and the status command, all on one
failed source (harvested once for the module)."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.harvest.conftest import make_source, run
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_module_env")


@pytest.fixture(scope="module")
def failed_source(harvest_module_env, _partner_server):
    """One source whose partner answered 500, run once: every test here only reads it."""
    _partner_server.routes["/health/catalog.ttl"] = Answer(b"", status=500)
    source = make_source(
        harvest_module_env, "datenraum_dcat", _partner_server.url("/health/catalog.ttl")
    )
    run(source)
    return source


def test_health_page_shows_last_run_and_error_to_a_sysadmin(app, failed_source):
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


def test_organisation_admin_sees_only_their_sources(failed_source):
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
