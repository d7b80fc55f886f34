"""SolrCloud scale-out: a Solr node dies during a harvest and a search load.

`scripts/solrcloud.sh` starts a real SolrCloud from the Maven artefacts (3 ZooKeeper, 2 Solr
nodes, our config set, collection `ckan` with 2 shards x 2 replicas) and HAProxy in front, on
free ports. CKAN points at the collection behind HAProxy. A harvest of the Brandenburg catalogue
runs through the harvest queues in a second process while this one searches; when a third of
the datasets are in, the node holding the first shard's leader is killed (SIGKILL).

Then: every search answered; the harvest finished; every dataset in PostgreSQL is in the index
exactly once. Until ZooKeeper notices the death and a replica takes over (10-20 s), the shards
the node led refuse writes: imports in that window wait and try again (decision 0507), and the
job reconciles its datasets with the index before it is Finished. A second run of the source,
still on one node, brings the catalogue to all datasets and leaves the index in line.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import ckan.model as model
import pytest
import requests
from ckan.lib.search import SearchError
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from tests.ops.conftest import REPO_ROOT, VENV_BIN, free_tcp_port

CATALOGUE_DATASETS = 112
SCRIPT = REPO_ROOT / "scripts" / "solrcloud.sh"
PORTS_NEEDED = 40  # load balancer, nodes, ZooKeeper client/quorum/election ports

HARVEST = """
import sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
from ckanext.datenraum.harvest.runner import run_source_now

app = make_app(load_config(sys.argv[1]))
with app._wsgi_app.test_request_context():
    job = run_source_now(sys.argv[2])
print(job["status"], job["stats"])
"""


def _free_port_range(size: int) -> int:
    for _ in range(50):
        base = free_tcp_port()
        if base + size >= 65000:
            continue
        if all(_port_is_free(port) for port in range(base, base + size)):
            return base
    raise RuntimeError("no free range of ports on 127.0.0.1")


def _port_is_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Cloud:
    def __init__(self, env: dict):
        self.env = env
        self.url = f"http://127.0.0.1:{env['SOLRCLOUD_PORT']}/solr/ckan"

    def script(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def leader_node_of_first_shard(self) -> int:
        status = requests.get(
            f"{self.url.rsplit('/', 1)[0]}/admin/collections",
            params={"action": "CLUSTERSTATUS", "collection": "ckan", "wt": "json"},
            timeout=30,
        ).json()
        shard = status["cluster"]["collections"]["ckan"]["shards"]["shard1"]
        (leader,) = [r for r in shard["replicas"].values() if r.get("leader") == "true"]
        port = int(leader["node_name"].split("_")[0].rsplit(":", 1)[1])
        return port - int(self.env["SOLRCLOUD_PORT"])

    def indexed_ids(self, site_id: str) -> list[str]:
        requests.get(f"{self.url}/update", params={"commit": "true"}, timeout=120)
        answer = requests.get(
            f"{self.url}/select",
            params={"q": "*:*", "fq": f"site_id:{site_id}", "fl": "id", "rows": 10000},
            timeout=60,
        ).json()
        return sorted(doc["id"] for doc in answer["response"]["docs"])


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    root = tmp_path_factory.mktemp("solrcloud")
    env = dict(
        os.environ,
        SOLRCLOUD_PORT=str(_free_port_range(PORTS_NEEDED)),
        SOLRCLOUD_HOME=str(root / "cloud"),
        DATENRAUM_VAR=str(root / "var"),
        SOLRCLOUD_HEAP="320m",
    )
    handle = Cloud(env)
    try:
        handle.script("start")
        yield handle
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=300)


def _packages_in_postgresql(package_type: str | None = None) -> list[str]:
    """Active packages: datasets and the harvest source (CKAN indexes both)."""
    model.Session.remove()
    rows = model.Session.query(model.Package.id).filter_by(state="active")
    if package_type:
        rows = rows.filter_by(type=package_type)
    return sorted(row.id for row in rows)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_node_dies_during_a_harvest_and_a_search_load(
    cloud, data_server, ckan_config, monkeypatch, tmp_path, base_ini
):
    monkeypatch.setitem(ckan_config, "solr_url", cloud.url)
    assert cloud.script("status").count("active") == 4  # 2 shards x 2 replicas
    queue.purge_queues()
    factories.Organization(name="stadt-jena")
    source = call_action(
        "harvest_source_create",
        {"user": factories.Sysadmin()["name"]},
        name="brandenburg-dcat",
        title="Brandenburg",
        url=f"{data_server}/brandenburg-catalog.ttl",
        source_type="datenraum_dcat",
        frequency="MANUAL",
        owner_org="stadt-jena",
        config=json.dumps(
            {
                "allow_private_targets": True,
                "contributor_id": "http://dcat-ap.de/def/contributors/openDataBund",
                "defaults": {"tags": [{"name": "Brandenburg"}]},
                "mapping": {"rdf_format": "turtle"},
            }
        ),
    )
    ini = tmp_path / "cloud.ini"
    ini.write_text(f"[app:main]\nuse = config:{base_ini}\nsolr_url = {cloud.url}\n")
    env = dict(os.environ, CKAN_SOLR_URL=cloud.url)

    logs = []

    def harvest() -> subprocess.Popen:
        logs.append(tmp_path / f"harvest-{len(logs) + 1}.log")  # one per run, kept for diagnosis
        with logs[-1].open("w") as output:  # a file, not a pipe: the harvest logs a lot
            return subprocess.Popen(
                [str(VENV_BIN / "python"), "-c", HARVEST, str(ini), source["id"]],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def outcome() -> str:
        """The runner's last line: job status and stats."""
        lines = logs[-1].read_text().strip().splitlines()
        return lines[-1] if lines else ""

    running = harvest()
    searches, failures, killed = 0, [], None
    while running.poll() is None:
        try:
            call_action("package_search", q="Brandenburg", rows=5)
            searches += 1
        except SearchError as error:
            failures.append(str(error))
        harvested = len(_packages_in_postgresql("dataset"))
        if killed is None and harvested >= CATALOGUE_DATASETS // 3:
            killed = cloud.leader_node_of_first_shard()
            cloud.script("kill-node", str(killed))
        time.sleep(0.2)
    output = outcome()

    assert killed is not None, "the harvest ended before a node could be killed: " + output
    assert running.returncode == 0, output
    assert output.startswith("Finished"), output
    assert searches > 10
    assert failures == []
    site_id = ckan_config["ckan.site_id"]
    assert cloud.indexed_ids(site_id) == _packages_in_postgresql()  # each exactly once

    again = harvest()
    again.wait(timeout=900)
    output = outcome()

    assert again.returncode == 0, output
    assert len(_packages_in_postgresql("dataset")) == CATALOGUE_DATASETS
    assert cloud.indexed_ids(site_id) == _packages_in_postgresql()
    assert "live nodes: 127.0.0.1:" in cloud.script("status")
