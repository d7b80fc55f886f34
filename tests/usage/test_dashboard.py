"""Dashboards and exports: who sees what, suppression of small public figures, export formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests import dcatapde_factories
from tests.usage.conftest import CHROME_UA, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")


@pytest.fixture
def people(sysadmin, tree_dataset):
    """Users in every role that matters, each with an API token header."""
    organization_id = tree_dataset["owner_org"]
    editor, org_admin, other_admin = factories.User(), factories.User(), factories.User()
    factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    for user, capacity in ((editor, "editor"), (org_admin, "admin")):
        call_action(
            "organization_member_create",
            {"user": sysadmin["name"]},
            id=organization_id,
            username=user["name"],
            role=capacity,
        )

    def token_for(user):
        return {"Authorization": factories.APIToken(user=user["id"])["token"]}

    return {
        "anonymous": {},
        "editor": token_for(editor),
        "other_org_admin": token_for(other_admin),
        "org_admin": token_for(org_admin),
        "sysadmin": token_for(sysadmin),
    }


PAGES = {
    "/usage": {"anonymous", "editor", "other_org_admin", "org_admin", "sysadmin"},
    "/usage/public.csv": {"anonymous", "editor", "other_org_admin", "org_admin", "sysadmin"},
    "/usage/public.json": {"anonymous", "editor", "other_org_admin", "org_admin", "sysadmin"},
    "/usage/site": {"sysadmin"},
    "/usage/site.csv": {"sysadmin"},
    "/usage/site.json": {"sysadmin"},
    "/usage/organization/stadt-jena": {"org_admin", "sysadmin"},
    "/usage/organization/stadt-jena.csv": {"org_admin", "sysadmin"},
    "/usage/organization/stadt-jena.json": {"org_admin", "sysadmin"},
    "/api/3/action/datenraum_usage_site_report": {"sysadmin"},
    "/api/3/action/datenraum_usage_organization_report?id=stadt-jena": {"org_admin", "sysadmin"},
}


ROLES = ("anonymous", "editor", "other_org_admin", "org_admin", "sysadmin")


@pytest.mark.parametrize("role", ROLES)
def test_each_page_and_export_is_visible_only_to_its_audience(app, people, role):
    statuses = {path: app.get(path, headers=people[role]).status_code for path in PAGES}

    assert statuses == {path: 200 if role in PAGES[path] else 403 for path in PAGES}


def _visits(app, dataset, people_count: int, crawler_count: int = 0):
    for index in range(people_count):
        visitor = Visitor(ip=f"198.51.{index}.10", user_agent=CHROME_UA)
        app.get(f"/dataset/{dataset['name']}", **visitor.kwargs())
    for _ in range(crawler_count):
        app.get(f"/dataset/{dataset['name']}", **Visitor(user_agent="curl/8.5.0").kwargs())


def test_public_figures_below_k_are_suppressed(app, tree_dataset, aggregate):
    _visits(app, tree_dataset, 3)
    app.get("/dataset/?q=Kronendurchmesser", **Visitor().kwargs())
    aggregate()

    public = app.get("/usage/public.json").json
    site = app.get("/api/3/action/datenraum_usage_site_report", headers=_sysadmin_token()).json

    assert public["k_anonymity"] == 5
    assert public["totals"]["views"] is None  # 3 < 5
    assert public["top_datasets"] == []
    assert public["top_search_terms"] == []
    assert site["result"]["totals"]["views"] == 3
    assert site["result"]["top_search_terms"] == [
        {"term": "kronendurchmesser", "searches": 1, "visitors": 1}
    ]


def test_public_figures_at_or_above_k_are_published(app, tree_dataset, aggregate):
    _visits(app, tree_dataset, 6, crawler_count=2)
    aggregate()

    public = app.get("/usage/public.json").json

    assert public["totals"]["views"] == 8
    assert public["totals"]["human"] == 6
    assert public["totals"]["machine"] is None  # 2 crawler requests < 5
    assert [row["name"] for row in public["top_datasets"]] == ["baumkataster-jena"]


def test_private_datasets_never_appear_in_the_public_report(app, tree_dataset, sysadmin, aggregate):
    secret = dcatapde_factories.create_dataset(
        sysadmin["name"], tree_dataset["owner_org"], name="interne-liste", private=True
    )
    token = _sysadmin_token(sysadmin)
    for index in range(6):
        app.get(
            "/dataset/interne-liste",
            headers={**token, "User-Agent": CHROME_UA},
            environ_base={"REMOTE_ADDR": f"198.51.{index}.1"},
        )
    aggregate()

    public = app.get("/usage/public.json").json
    organization = app.get("/usage/organization/stadt-jena.json", headers=token).json

    assert public["top_datasets"] == []
    assert [row["id"] for row in organization["top_datasets"]] == [secret["id"]]


def test_csv_export_has_one_figure_per_row(app, tree_dataset, aggregate):
    _visits(app, tree_dataset, 5)
    aggregate()

    response = app.get("/usage/public.csv")
    rows = list(csv.DictReader(io.StringIO(response.body)))

    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert {
        "section": "top_datasets",
        "subject": tree_dataset["id"],
        "label": "Baumkataster Jena",
        "metric": "views",
        "value": "5",
        "suppressed": "False",
    } in rows
    totals = {row["metric"]: row for row in rows if row["section"] == "totals"}
    assert totals["views"]["value"] == "5"
    assert totals["machine"]["suppressed"] == "False"  # 0 is published


def test_dashboard_page_shows_chart_with_data_table(app, tree_dataset, aggregate):
    _visits(app, tree_dataset, 5)
    aggregate()

    body = app.get("/usage").body

    assert 'data-module="datenraum-usage-chart"' in body
    assert "<canvas" in body and "<table" in body
    assert "Baumkataster Jena" in body
    assert "usage-charts" in body  # the vendored chart asset is included


def test_german_dashboard(app):
    body = app.get("/de/usage").body

    assert "Wie der Katalog genutzt wird" in body


def test_report_rejects_bad_period(app):
    response = app.get("/api/3/action/datenraum_usage_public_report?days=5000")

    assert response.status_code == 409
    assert "days" in response.json["error"]


def test_unknown_export_format_is_404(app):
    assert app.get("/usage/public.xml").status_code == 404


def _sysadmin_token(user=None) -> dict:
    user = user or factories.Sysadmin()
    return {"Authorization": factories.APIToken(user=user["id"])["token"]}


def test_organization_report_of_unknown_organization_is_404_for_sysadmins(app):
    response = app.get("/usage/organization/gibt-es-nicht", headers=_sysadmin_token())

    assert response.status_code == 404


def test_json_export_is_the_report(app, tree_dataset, aggregate):
    _visits(app, tree_dataset, 1)
    aggregate()

    exported = json.loads(app.get("/usage/site.json", headers=_sysadmin_token()).body)

    assert exported["scope"] == "site"
    assert exported["totals"]["views"] == 1
    assert exported["series"][-1]["visitors"] == 1
