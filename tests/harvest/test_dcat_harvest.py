"""DCAT-AP.de harvest end to end, and the lifecycle every harvester shares (base class)."""

from __future__ import annotations

import pytest
import rdflib
from ckan.tests.helpers import call_action
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.harvest.conftest import CATALOGS, CONTRIBUTOR, harvested, make_source, run, snapshot
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")

BRANDENBURG = rdflib.Graph().parse(CATALOGS / "brandenburg-catalog.ttl", format="turtle")


def catalogue(count: int, skip: int = 0, changed_title: str | None = None) -> bytes:
    """The first ``count`` datasets of the recorded Brandenburg catalogue (with what they use)."""
    datasets = sorted(BRANDENBURG.subjects(RDF.type, DCAT.Dataset))[skip : skip + count]
    graph = rdflib.Graph()
    for prefix, namespace in BRANDENBURG.namespaces():
        graph.bind(prefix, namespace)
    for catalog in BRANDENBURG.subjects(RDF.type, DCAT.Catalog):
        for predicate, value in BRANDENBURG.predicate_objects(catalog):
            if predicate != DCAT.dataset:
                graph.add((catalog, predicate, value))
        for dataset in datasets:
            graph.add((catalog, DCAT.dataset, dataset))
    for dataset in datasets:
        _copy_tree(dataset, graph, set())
    if changed_title:
        graph.set((datasets[0], DCTERMS.title, rdflib.Literal(changed_title, lang="de")))
    return graph.serialize(format="turtle").encode("utf-8")


def _copy_tree(node, graph, seen):
    if node in seen:
        return
    seen.add(node)
    for predicate, value in BRANDENBURG.predicate_objects(node):
        graph.add((node, predicate, value))
        if isinstance(value, rdflib.BNode) or predicate == DCAT.distribution:
            _copy_tree(value, graph, seen)


def turtle(body: bytes) -> Answer:
    return Answer(body, content_type="text/turtle")


@pytest.fixture
def dcat_source(harvest_env, partner):
    partner.routes["/catalog.ttl"] = turtle(catalogue(4))
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"))
    run(source)
    return source


def test_first_run_imports_every_dataset_into_our_schema(dcat_source):
    datasets = harvested(dcat_source)

    assert len(datasets) == 4
    assert {dataset["contributor_id"] for dataset in datasets.values()} == {CONTRIBUTOR}
    assert all(dataset["license_id"] for dataset in datasets.values())


def test_unchanged_rerun_changes_nothing(dcat_source):
    before = snapshot()

    job = run(dcat_source)

    assert snapshot() == before
    assert job["stats"]["added"] == job["stats"]["updated"] == job["stats"]["deleted"] == 0


def test_changed_record_updates_exactly_that_dataset(dcat_source, partner):
    before = snapshot()
    partner.routes["/catalog.ttl"] = turtle(catalogue(4, changed_title="Neuer Titel"))

    job = run(dcat_source)

    after = snapshot()
    changed = [name for name in after if after[name] != before.get(name)]
    assert len(changed) == 1
    assert call_action("package_show", id=changed[0])["title"] == "Neuer Titel"
    assert job["stats"]["updated"] == 1


def test_record_removed_at_partner_is_withdrawn(dcat_source, partner):
    partner.routes["/catalog.ttl"] = turtle(catalogue(3))

    job = run(dcat_source)

    assert len(harvested(dcat_source)) == 3
    assert job["stats"]["deleted"] == 1


def test_mass_withdrawal_guard_withdraws_nothing_and_says_why(dcat_source, partner):
    before = snapshot()
    partner.routes["/catalog.ttl"] = turtle(catalogue(1))  # 3 of 4 gone: above 50 %

    run(dcat_source)

    assert snapshot() == before
    status = call_action("datenraum_harvest_health", {"ignore_auth": True})
    messages = status[0]["last_job"]["messages"]
    assert any("Mass-withdrawal guard: 3 of 4" in message for message in messages)


def test_next_run_after_a_failure_recovers(dcat_source, partner):
    partner.routes["/catalog.ttl"] = Answer(b"", status=500)
    run(dcat_source)
    partner.routes["/catalog.ttl"] = turtle(catalogue(4, changed_title="Wieder da"))

    job = run(dcat_source)

    assert job["stats"]["updated"] == 1
    assert len(harvested(dcat_source)) == 4
