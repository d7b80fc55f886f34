"""CKAN action-API harvest end to end against a second real CKAN (our own app, see peer_ckan.py).

Each test (or class of tests sharing one first run) gets its own organisation at the peer and a
source limited to it, so tests never see each other's datasets although the peer lives for the
whole session.
"""

from __future__ import annotations

import uuid

import pytest
from ckan.tests.helpers import call_action

from tests.harvest.conftest import (
    CONTRIBUTOR,
    PEER_CONTRIBUTOR,
    harvested,
    make_peer_org,
    make_source,
    peer_dataset,
    run,
    snapshot,
)


def _ckan_source(env, peer_ckan, peer_org) -> dict:
    source = make_source(
        env,
        "datenraum_ckan",
        peer_ckan.base_url,
        mapping={"organizations": [peer_org["org"]["name"]]},
    )
    run(source)
    return source


@pytest.fixture
def ckan_source(harvest_env, peer_ckan, peer_org):
    return _ckan_source(harvest_env, peer_ckan, peer_org)


@pytest.fixture(scope="class")
def first_run(harvest_class_env, peer_ckan):
    """One harvest of a peer organisation, for the tests that change nothing at the peer's
    organisation: the peer organisation and the source after their first run."""
    peer_org = make_peer_org(peer_ckan)
    return peer_org, _ckan_source(harvest_class_env, peer_ckan, peer_org)


@pytest.mark.usefixtures("harvest_class_env")
class TestAFirstRun:
    def test_peer_datasets_are_mapped_into_our_schema(self, first_run, peer_ckan):
        peer_org, ckan_source = first_run
        datasets = harvested(ckan_source)

        assert set(datasets) == {d["identifier"] for d in peer_org["datasets"]}
        dataset = datasets["https://opendata.weimar.example/parken/2"]
        peer_name = peer_org["datasets"][2]["name"]
        assert dataset["title"] == "Parkplätze Weimar 2"
        assert dataset["contributor_id"] == CONTRIBUTOR  # ours, not the peer's
        assert dataset["license_id"] == "dl-by-de/2.0"
        assert dataset["url"] == f"{peer_ckan.base_url}/dataset/{peer_name}"
        assert {tag["name"] for tag in dataset["tags"]} == {"Verkehr", "Parken"}
        assert dataset["temporal_start"].startswith("2024-01-01")
        assert dataset["temporal_end"].startswith("2024-12-31")
        assert dataset["publisher"][0]["name"] == "Stadt Weimar"
        assert dataset["contact"][0]["email"] == "mobilitaet@weimar.example"
        (resource,) = dataset["resources"]
        assert resource["format"] == "CSV"
        assert resource["url"] == "https://opendata.weimar.example/parken/2.csv"

    def test_datasets_of_other_peer_organisations_are_not_harvested(self, first_run, peer_ckan):
        _peer_org, ckan_source = first_run
        other = peer_ckan.action(
            "organization_create",
            name=f"erfurt-{uuid.uuid4().hex[:8]}",
            title="Stadt Erfurt",
            contributor_id=PEER_CONTRIBUTOR,
        )
        peer_ckan.action("package_create", **peer_dataset(other, 9))

        job = run(ckan_source)

        assert job["stats"]["added"] == 0
        assert len(harvested(ckan_source)) == 4

    def test_unchanged_peer_rerun_changes_nothing(self, first_run):
        _peer_org, ckan_source = first_run
        before = snapshot()

        job = run(ckan_source)

        assert snapshot() == before
        assert job["stats"]["added"] == job["stats"]["updated"] == job["stats"]["deleted"] == 0


def test_dataset_changed_at_the_peer_updates_exactly_that_dataset(ckan_source, peer_ckan, peer_org):
    before = snapshot()
    changed = peer_org["datasets"][1]
    peer_ckan.action("package_patch", id=changed["id"], title="Parkhäuser Weimar")

    job = run(ckan_source)

    after = snapshot()
    assert [name for name in after if after[name] != before.get(name)] == [
        harvested(ckan_source)[changed["identifier"]]["name"]
    ]
    assert harvested(ckan_source)[changed["identifier"]]["title"] == "Parkhäuser Weimar"
    assert job["stats"]["updated"] == 1


def test_dataset_deleted_at_the_peer_is_withdrawn(ckan_source, peer_ckan, peer_org):
    gone = peer_org["datasets"][0]
    local_name = harvested(ckan_source)[gone["identifier"]]["name"]
    peer_ckan.action("package_delete", id=gone["id"])

    job = run(ckan_source)

    assert job["stats"]["deleted"] == 1
    assert gone["identifier"] not in harvested(ckan_source)
    assert call_action("package_show", id=local_name)["state"] == "deleted"


def test_mass_deletion_at_the_peer_trips_the_guard(ckan_source, peer_ckan, peer_org):
    before = snapshot()
    for dataset in peer_org["datasets"][:3]:  # 3 of 4: above the source's 50 %
        peer_ckan.action("package_delete", id=dataset["id"])

    run(ckan_source)

    assert snapshot() == before
    status = call_action("datenraum_harvest_health", {"ignore_auth": True})
    messages = status[0]["last_job"]["messages"]
    assert any("Mass-withdrawal guard: 3 of 4" in message for message in messages)
