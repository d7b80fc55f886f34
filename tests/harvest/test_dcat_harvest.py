"""DCAT-AP.de harvest end to end, and the lifecycle every harvester shares (base class)."""

from __future__ import annotations

import pytest
import rdflib
from ckan.tests.helpers import call_action
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.harvest.conftest import CATALOGS, CONTRIBUTOR, harvested, make_source, run, snapshot
from tests.harvest.partner_server import Answer

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


@pytest.fixture(scope="class")
def first_run(harvest_class_env, _partner_server):
    """The source after its first run, for tests that change nothing at the partner."""
    _partner_server.routes["/first/catalog.ttl"] = turtle(catalogue(4))
    source = make_source(
        harvest_class_env, "datenraum_dcat", _partner_server.url("/first/catalog.ttl")
    )
    run(source)
    return source


@pytest.mark.usefixtures("harvest_class_env")
class TestAFirstRun:
    def test_first_run_imports_every_dataset_into_our_schema(self, first_run):
        datasets = harvested(first_run)

        assert len(datasets) == 4
        assert {dataset["contributor_id"] for dataset in datasets.values()} == {CONTRIBUTOR}
        assert all(dataset["license_id"] for dataset in datasets.values())

    def test_unchanged_rerun_changes_nothing(self, first_run, partner):
        partner.routes["/first/catalog.ttl"] = turtle(catalogue(4))
        before = snapshot()

        job = run(first_run)

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


def _with_uris(body: bytes, rename) -> bytes:
    """The catalogue with each dataset's URI replaced by ``rename(uri)`` (identifiers kept)."""
    graph = rdflib.Graph().parse(data=body, format="turtle")
    for dataset in list(graph.subjects(RDF.type, DCAT.Dataset)):
        new = rdflib.URIRef(rename(str(dataset)))
        if graph.value(dataset, DCTERMS.identifier) is None:  # the identifier stays the same
            graph.add((dataset, DCTERMS.identifier, rdflib.Literal(str(dataset))))
        for predicate, value in list(graph.predicate_objects(dataset)):
            graph.remove((dataset, predicate, value))
            graph.add((new, predicate, value))
        for subject, predicate in list(graph.subject_predicates(dataset)):
            if predicate == DCTERMS.identifier:
                continue
            graph.remove((subject, predicate, dataset))
            graph.add((subject, predicate, new))
    return graph.serialize(format="turtle").encode("utf-8")


def _active_count() -> int:
    return call_action("package_search", q="*:*", rows=0, include_private=True)["count"]


def test_a_partner_that_changes_its_dataset_uris_keeps_one_dataset_per_identifier(
    dcat_source, partner
):
    """Issue 12 item 7: new URIs, same dct:identifier: the datasets follow (updated, same ids),
    no duplicate, and the withdrawal guard does not trip, now or later."""
    before = {d["identifier"]: d["id"] for d in harvested(dcat_source).values()}
    assert len(before) == 4
    partner.routes["/catalog.ttl"] = turtle(_with_uris(catalogue(4), lambda uri: uri + "/neu"))

    moved = run(dcat_source)
    again = run(dcat_source)

    after = harvested(dcat_source)
    assert _active_count() == 4
    assert {d["identifier"]: d["id"] for d in after.values()} == before
    assert all(d["uri"].endswith("/neu") for d in after.values())
    assert moved["stats"]["added"] == 0 and moved["stats"]["updated"] == 4
    assert again["stats"]["added"] == again["stats"]["updated"] == 0
    health = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]
    assert health["last_job"]["messages"] == [] and health["state"] == "ok"


def test_two_records_with_one_identifier_give_one_dataset(harvest_env, partner):
    body = catalogue(1)
    (uri,) = rdflib.Graph().parse(data=body, format="turtle").subjects(RDF.type, DCAT.Dataset)
    both = body + _with_uris(body, lambda old: old + "/zweitausgabe")
    partner.routes["/catalog.ttl"] = turtle(both)
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"))

    run(source)
    run(source)

    assert _active_count() == 1
    (dataset,) = harvested(source).values()
    assert dataset["uri"] == str(uri)


def test_the_run_test_command_works_after_a_finished_job(cli, dcat_source, partner):
    """Issue 11 item 11: ``ckan harvester run-test`` (what operators use to try a source) after
    the source's first job: harvest_source_show must still name the source type and config."""
    from ckan.cli.cli import ckan as ckan_cli
    from ckanext.harvest.model import HarvestJob

    partner.routes["/catalog.ttl"] = turtle(catalogue(5))

    result = cli.invoke(ckan_cli, ["harvester", "run-test", dcat_source["name"]])

    assert result.exit_code == 0, (result.output, result.exception)
    assert len(harvested(dcat_source)) == 5
    jobs = HarvestJob.filter(source_id=dcat_source["id"]).all()
    assert [job.status for job in jobs] == ["Finished", "Finished"]
