"""A harvest job ends with its datasets in the search index exactly once (decision 0507).

The single-node Solr of the test setup plays the two ways a SolrCloud failover leaves the index
behind the database: a write refused while a shard has no leader (here: Solr unreachable for
the first index writes of a harvest), and documents the database does not have or lacks
(a commit that reached only some replicas, an add whose transaction rolled back).
"""

from __future__ import annotations

import json
import uuid

import ckan.model as model
import pytest
from ckan.lib.search import index_for
from ckan.lib.search.common import make_connection
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from ckanext.datenraum.harvest.runner import run_source_now

from .solr_faults import RefusingSolr

CATALOGUE = "brandenburg-three.ttl"  # three datasets of the Brandenburg catalogue


@pytest.fixture
def source(with_plugins, clean_db, clean_index, data_server):
    queue.purge_queues()
    organization = factories.Organization(name="stadt-jena")
    yield call_action(
        "harvest_source_create",
        {"user": factories.Sysadmin()["name"]},
        name="brandenburg-drei",
        title="Brandenburg (drei)",
        url=f"{data_server}/{CATALOGUE}",
        source_type="datenraum_dcat",
        frequency="MANUAL",
        owner_org=organization["id"],
        config=json.dumps(
            {
                "allow_private_targets": True,
                "contributor_id": "http://dcat-ap.de/def/contributors/openDataBund",
                "mapping": {"rdf_format": "turtle"},
            }
        ),
    )
    queue.purge_queues()


def _in_database() -> list[str]:
    model.Session.remove()
    return sorted(row.id for row in model.Session.query(model.Package.id).filter_by(state="active"))


def _in_index() -> list[str]:
    connection = make_connection(decode_dates=False)
    connection.commit(waitSearcher=True)
    answer = connection.search("*:*", fl="id", rows=1000)
    return sorted(doc["id"] for doc in answer.docs)


def test_index_writes_refused_for_a_moment_are_tried_again(source, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.datenraum.harvest.index_retry_seconds", 10)
    refusing = RefusingSolr(ckan_config, refusals=3)
    monkeypatch.setitem(ckan_config, "solr_url", refusing.url)

    finished = run_source_now(source["id"])

    assert refusing.refused == 3
    assert finished["status"] == "Finished"
    assert finished["stats"]["errored"] == 0, finished["stats"]
    assert finished["stats"]["added"] == 3
    assert _in_index() == _in_database()


def test_a_job_repairs_what_the_index_lacks_or_has_in_excess(source):
    run_source_now(source["id"])
    datasets = [dataset for dataset in _in_database() if dataset != source["id"]]
    assert len(datasets) == 3
    connection = make_connection()
    lost = datasets[0]
    connection.delete(q=f'id:"{lost}"', commit=True)  # a commit that never reached its replica
    stray = dict(call_action("package_show", id=datasets[1]), id=str(uuid.uuid4()))
    stray["name"] = "zurueckgerollt"  # an add Solr took for a transaction that rolled back
    stray["extras"] = [{"key": "harvest_source_id", "value": source["id"]}]
    index_for("Package").index_package(dict(stray, with_custom_schema=stray))
    connection.commit(waitSearcher=True)
    assert lost not in _in_index() and stray["id"] in _in_index()

    finished = run_source_now(source["id"])  # nothing changed at the partner

    assert finished["status"] == "Finished"
    assert finished["stats"]["added"] == 0
    assert _in_index() == _in_database()
