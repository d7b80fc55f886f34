"""A Solr restart loses no indexed dataset: the core keeps its index in the Solr home.

Runs a second, private Solr through the project's own scripts/solr.sh on a free port, so the
shared services of the test run are never stopped.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .conftest import REPO_ROOT

SOLR_SCRIPT = REPO_ROOT / "scripts" / "solr.sh"


@pytest.fixture
def private_solr(tmp_path, free_port):
    env = dict(
        os.environ,
        SOLR_PORT=str(free_port),
        SOLR_HOME=str(tmp_path / "solr-home"),
        SOLR_CORES="ckan_restart",
        DATENRAUM_VAR=str(tmp_path / "var"),
        SOLR_HEAP="256m",
    )

    def solr(command: str) -> None:
        subprocess.run(
            [str(SOLR_SCRIPT), command], env=env, check=True, capture_output=True, timeout=180
        )

    solr("start")
    yield solr, f"http://127.0.0.1:{free_port}/solr/ckan_restart"
    solr("stop")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_solr_restart_keeps_indexed_datasets(private_solr, ckan_config, monkeypatch):
    solr, url = private_solr
    monkeypatch.setitem(ckan_config, "solr_url", url)
    organization = factories.Organization(
        contributor_id="http://dcat-ap.de/def/contributors/govData"
    )
    dataset = factories.Dataset(
        owner_org=organization["id"],
        notes="Luftmessstationen im Stadtgebiet",
        tags=[{"name": "Luft"}],
        license_id="dl-by-de/2.0",
    )

    solr("stop")
    solr("start")

    found = call_action("package_search", q="Luftmessstationen")
    assert [result["id"] for result in found["results"]] == [dataset["id"]]
