"""The monthly open-data job publishes the public, suppressed figures as a CSV resource."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner

from ckanext.datenraum.usage import config
from ckanext.datenraum.usage.cli import usage as usage_commands
from tests.usage.conftest import CHROME_UA, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")


@pytest.mark.ckan_config("ckanext.datenraum.usage.opendata.organization", "stadt-jena")
def test_publish_writes_the_month_as_csv_and_replaces_it_on_rerun(
    app, tree_dataset, sysadmin, aggregate
):
    for index in range(5):
        app.get(
            "/dataset/baumkataster-jena",
            **Visitor(ip=f"198.51.{index}.7", user_agent=CHROME_UA).kwargs(),
        )
    app.get("/dataset/?q=Einzelsuche", **Visitor().kwargs())  # once: below k
    aggregate()
    month = config.today().strftime("%Y-%m")
    context = {"user": sysadmin["name"]}

    first = call_action("datenraum_usage_publish", context, month=month)
    second = call_action("datenraum_usage_publish", context, month=month)

    dataset = call_action("package_show", id="nutzungsstatistik-datenraum")
    assert [res["name"] for res in dataset["resources"]] == [f"Nutzung {month}"]
    assert first["resource_id"] == second["resource_id"]
    resource = dataset["resources"][0]
    body = app.get(
        f"/dataset/{dataset['id']}/resource/{resource['id']}/download/nutzung-{month}.csv"
    ).body
    rows = list(csv.DictReader(io.StringIO(body)))
    views = [row for row in rows if (row["section"], row["metric"]) == ("totals", "views")]
    assert views[0]["value"] == "5"
    assert "einzelsuche" not in body


def test_publish_without_organization_is_refused_clearly(sysadmin):
    with pytest.raises(ValidationError, match="opendata.organization"):
        call_action("datenraum_usage_publish", {"user": sysadmin["name"]}, month="2025-01")


@pytest.mark.ckan_config("ckanext.datenraum.usage.opendata.organization", "stadt-jena")
def test_publish_rejects_a_malformed_month(sysadmin):
    factories.Organization(name="stadt-jena")

    with pytest.raises(ValidationError) as error:
        call_action("datenraum_usage_publish", {"user": sysadmin["name"]}, month="Januar")

    assert "month" in error.value.error_dict


def test_cli_parses_aggregate_and_publish_options():
    runner = CliRunner()

    assert "--no-reindex" in runner.invoke(usage_commands, ["aggregate", "--help"]).output
    assert "--month" in runner.invoke(usage_commands, ["publish", "--help"]).output
