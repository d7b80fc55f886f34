"""A real CSV goes through ckanext-xloader into the DataStore and is read with datastore_search."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from .. import dcatapde_factories
from .conftest import run_queued_jobs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_a_csv_is_loaded_into_the_datastore_and_searchable(file_server, xloader_token):
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(xloader_token["name"], organization["name"])
    # xloader reacts to resource_create (package_create with resources does not queue a job)
    resource_id = call_action(
        "resource_create",
        {"user": xloader_token["name"]},
        package_id=dataset["id"],
        url=f"{file_server}/vvs-stops.csv",
        format="CSV",
        name="Haltestellen",
    )["id"]

    run_queued_jobs()

    found = call_action("datastore_search", resource_id=resource_id, q="Talstraße")
    assert found["total"] == 1
    assert found["records"][0]["stop_id"] == "de:08115:3250:0:3"
    assert call_action("datastore_search", resource_id=resource_id)["total"] == 17
    assert call_action("resource_show", id=resource_id)["datastore_active"] is True


def test_the_read_only_url_cannot_write(file_server, xloader_token):
    from ckan.plugins.toolkit import config
    from sqlalchemy import create_engine, exc, text

    engine = create_engine(config["ckan.datastore.read_url"])
    with engine.connect() as connection, pytest.raises(exc.ProgrammingError):
        connection.execute(text("CREATE TABLE datenraum_write_probe (id int)"))


def test_a_linked_resource_on_a_private_address_is_not_loaded(
    file_server, xloader_token, monkeypatch
):
    import ckan.plugins.toolkit as tk

    monkeypatch.setitem(tk.config, "ckanext.datenraum.preview.allow_private_targets", False)
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(xloader_token["name"], organization["name"])
    resource_id = call_action(
        "resource_create",
        {"user": xloader_token["name"]},
        package_id=dataset["id"],
        url=f"{file_server}/vvs-stops.csv",
        format="CSV",
    )["id"]

    assert call_action("xloader_submit", resource_id=resource_id) is False
    run_queued_jobs()
    assert not call_action("resource_show", id=resource_id).get("datastore_active")
