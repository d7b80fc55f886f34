"""The data requests as a catalogue dataset (``ckan datenraum participation publish``)."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action

from tests.participation.conftest import propose

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.mark.ckan_config("ckanext.datenraum.participation.opendata.organization", "stadt-jena")
def test_publish_writes_csv_and_json_and_replaces_them_on_rerun(people):
    propose(people, title="Radzählstellen", organization="stadt-jena")
    context = {"user": people.sysadmin["name"]}

    first = call_action("datenraum_request_publish", context)
    propose(people, title="Lärmkarte", organization="stadt-jena")
    second = call_action("datenraum_request_publish", context)

    dataset = call_action("package_show", {}, id="datenwuensche-datenraum")
    assert sorted(resource["format"] for resource in dataset["resources"]) == ["CSV", "JSON"]
    assert [resource["id"] for resource in first] == [resource["id"] for resource in second]
    assert second[0]["description"] == "2 Datenwünsche"
    assert dataset["organization"]["name"] == "stadt-jena" and dataset["license_id"] == "cc-zero"


def test_publish_without_organisation_is_refused_clearly(people):
    with pytest.raises(Exception, match="opendata.organization is not set"):
        call_action("datenraum_request_publish", {"user": people.sysadmin["name"]})


def test_cli_offers_the_publish_command(cli):
    result = cli.invoke(ckan, ["datenraum", "participation", "publish", "--help"])

    assert result.exit_code == 0
    assert "no personal data" in result.output
