"""Fixtures for the harvest tests: partner server, sources, runs through the Redis queue."""

from __future__ import annotations

import json
import pathlib
import uuid

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from ckanext.datenraum.harvest.runner import run_source_now
from tests import loaded_plugins
from tests.conftest import fresh_database
from tests.harvest.partner_server import PartnerServer
from tests.harvest.peer_ckan import PeerCKAN

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
# beside the checkout (CI, /work/main) or beside the worktrees' folder (/work/wt/<name>)
SHARED = next(
    (
        path
        for path in (REPO_ROOT.parent / "shared", REPO_ROOT.parents[1] / "shared")
        if path.is_dir()
    ),
    REPO_ROOT.parent / "shared",
)
PARTNERS = SHARED / "partners"
CATALOGS = SHARED / "dcat-ap-de" / "catalogs"

# Test partners live on 127.0.0.1: the sources must allow it, and fail fast.
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/openDataBund"
FAST_HTTP = {"timeout": 2, "retries": 1, "backoff": 0.01, "max_bytes": 2_000_000}


@pytest.fixture(scope="session")
def _partner_server():
    server = PartnerServer().start()
    yield server
    server.stop()


@pytest.fixture
def partner(_partner_server):
    _partner_server.reset()
    yield _partner_server
    _partner_server.reset()


@pytest.fixture(scope="module")
def _module_plugins():
    """The plugins of the ini, for fixtures of a module or class (``tests/loaded_plugins.py``)."""
    loaded_plugins.load_plugins()


def _catalogue() -> dict:
    queue.purge_queues()
    organization = factories.Organization(name="stadt-jena")
    return {"organization": organization, "sysadmin": factories.Sysadmin()}


@pytest.fixture
def harvest_env(with_plugins, clean_db, clean_index):
    """A clean catalogue with an organisation, and empty harvest queues."""
    yield _catalogue()
    queue.purge_queues()


def _fresh_catalogue(reset_db, migrate_db_for, reset_index) -> dict:
    fresh_database(reset_db, migrate_db_for)
    reset_index()
    return _catalogue()


@pytest.fixture(scope="module")
def harvest_module_env(_module_plugins, reset_db, migrate_db_for, reset_index):
    """``harvest_env`` once for a whole module whose tests share one expensive setup (a harvest
    run) and only read it or add what the others do not look at."""
    yield _fresh_catalogue(reset_db, migrate_db_for, reset_index)
    queue.purge_queues()


@pytest.fixture(scope="class")
def harvest_class_env(_module_plugins, reset_db, migrate_db_for, reset_index):
    """``harvest_module_env`` for the tests of one class, in a module whose other tests each get
    a clean catalogue (``harvest_env``): a class's tests run together, so none of those comes
    between them."""
    yield _fresh_catalogue(reset_db, migrate_db_for, reset_index)
    queue.purge_queues()


def make_source(env, source_type: str, url: str, name: str = "partner", **config) -> dict:
    settings = {
        "allow_private_targets": True,
        "withdrawal_guard": 0.5,
        "http": dict(FAST_HTTP),
        "managed_by": "test",
        "contributor_id": CONTRIBUTOR,
        "defaults": {"tags": [{"name": "Brandenburg"}]},
    }
    settings.update(config)
    return call_action(
        "harvest_source_create",
        {"user": env["sysadmin"]["name"]},
        name=name,
        title=name.title(),
        url=url,
        source_type=source_type,
        owner_org=env["organization"]["id"],
        config=json.dumps(settings),
    )


def run(source: dict) -> dict:
    return run_source_now(source["id"])


def harvested(source: dict) -> dict[str, dict]:
    """identifier → dataset of the active datasets the source currently provides."""
    result = call_action("package_search", fq=f'harvest_source_id:"{source["id"]}"', rows=1000)
    return {dataset.get("identifier") or dataset["name"]: dataset for dataset in result["results"]}


def snapshot() -> dict[str, str]:
    """name → metadata_modified of every dataset, to prove a run changed nothing."""
    result = call_action("package_search", q="*:*", rows=1000, include_private=True)
    return {dataset["name"]: dataset["metadata_modified"] for dataset in result["results"]}


@pytest.fixture(scope="session")
def peer_ckan(request, tmp_path_factory):
    """A second real CKAN (our app, own database and core), started once per session."""
    base_ini = pathlib.Path(request.config.getoption("ckan_ini")).resolve()
    peer = PeerCKAN(tmp_path_factory.mktemp("peer-ckan"), str(base_ini))
    try:
        yield peer.start()
    finally:
        peer.stop()


PEER_CONTRIBUTOR = "http://dcat-ap.de/def/contributors/govData"


def peer_dataset(org: dict, number: int) -> dict:
    return {
        "name": f"{org['name']}-{number}",
        "title": f"Parkplätze Weimar {number}",
        "notes": f"Belegung der Parkplätze, Teil {number}.",
        "owner_org": org["id"],
        "tag_string": "Verkehr,Parken",
        "license_id": "dl-by-de/2.0",
        "identifier": f"https://opendata.weimar.example/parken/{number}",
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "publisher": [{"name": "Stadt Weimar"}],
        "contact": [{"name": "Mobilitätsamt", "email": "mobilitaet@weimar.example"}],
        "resources": [
            {
                "url": f"https://opendata.weimar.example/parken/{number}.csv",
                "name": "Belegung (CSV)",
                "format": "CSV",
            }
        ],
    }


@pytest.fixture
def peer_org(peer_ckan):
    """An organisation at the peer with four datasets; the peer is shared by the session."""
    return make_peer_org(peer_ckan)


def make_peer_org(peer_ckan) -> dict:
    name = f"weimar-{uuid.uuid4().hex[:8]}"
    org = peer_ckan.action(
        "organization_create", name=name, title="Stadt Weimar", contributor_id=PEER_CONTRIBUTOR
    )
    datasets = [peer_ckan.action("package_create", **peer_dataset(org, n)) for n in range(4)]
    return {"org": org, "datasets": datasets}
