"""`make run`'s process set, started as `make run` starts it (scripts/run.sh under supervisor).

One process set serves the whole module (starting ten CKAN processes costs a minute on two
cores): a harvest source file is harvested with no consumer started by hand, `doctor` checks
every process, usage counts from several gunicorn workers add up exactly, and Ctrl-C stops
every process. The set runs on free ports with its own var/ folder, against the test database.
"""

from __future__ import annotations

import concurrent.futures
import os
import pathlib
import signal
import subprocess
import time

import pytest
import requests
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from ckanext.datenraum.ops import schedule
from tests.ops.conftest import REPO_ROOT, VENV_BIN, free_tcp_port

CATALOGUE_DATASETS = 112  # dcat:Dataset subjects of data/brandenburg-catalog.ttl
WEB_WORKERS = 2
FETCH_CONSUMERS = 2
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _wait(predicate, timeout: float, what: str, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class ProcessSet:
    def __init__(self, root: pathlib.Path, ini: pathlib.Path, port: int, proc, env: dict):
        self.root, self.ini, self.port, self.proc, self.env = root, ini, port, proc, env
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = root / "run.log"
        self.supervisor_conf = root / "var" / "run" / "supervisord.conf"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def ckan(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(VENV_BIN / "ckan"), "-c", str(self.ini), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def supervisor_pids(self) -> dict[str, int]:
        result = subprocess.run(
            [str(VENV_BIN / "supervisorctl"), "-c", str(self.supervisor_conf), "status"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        pids = {}
        for line in result.stdout.splitlines():
            parts = line.split()
            if len(parts) > 3 and parts[1] == "RUNNING" and parts[2] == "pid":
                pids[parts[0]] = int(parts[3].rstrip(","))
        return pids

    def interrupt(self) -> None:
        """What Ctrl-C in the terminal does: SIGINT to the foreground process group."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=120)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def process_set(tmp_path_factory, base_ini, data_server, reset_db, reset_index):
    reset_db()
    # the plugins' tables, as an operator creates them
    subprocess.run(
        [str(VENV_BIN / "ckan"), "-c", str(base_ini), "db", "upgrade"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    reset_index()
    queue.purge_queues()
    redis = connect_to_redis()
    for key in redis.scan_iter(match=schedule.KEY_PREFIX + "*"):
        redis.delete(key)

    root = tmp_path_factory.mktemp("process-set")
    sources = root / "harvest_sources"
    sources.mkdir()
    (sources / "brandenburg-dcat.yaml").write_text(
        "name: brandenburg-dcat\n"
        "title: Open Data Brandenburg (DCAT-AP.de)\n"
        "type: datenraum_dcat\n"
        f"url: {data_server}/brandenburg-catalog.ttl\n"
        "organization: stadt-jena\n"
        "frequency: DAILY\n"
        "contributor_id: http://dcat-ap.de/def/contributors/openDataBund\n"
        "allow_private_targets: true\n"
        "defaults:\n  tags:\n    - name: Brandenburg\n"  # some records have no keyword
        "mapping:\n  rdf_format: turtle\n",
        encoding="utf-8",
    )
    port = free_tcp_port()
    ini = root / "process-set.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{base_ini}\n"
        f"ckan.site_url = http://127.0.0.1:{port}\n"
        "ckanext.datenraum.processes.manager = supervisor\n"
        f"ckanext.datenraum.processes.supervisor_url = unix://{root}/var/run/supervisor.sock\n"
        f"ckanext.datenraum.harvest.sources_dir = {sources}\n"
        "ckanext.datenraum.schedule.tick = 2\n"
        "ckanext.datenraum.schedule =\n"
        "    harvest-sources  5s  datenraum_harvest_sources_sync\n"
        "    harvest-run      5s  harvest_jobs_run\n"
        "    usage-aggregate  1h  datenraum_usage_aggregate\n",
        encoding="utf-8",
    )
    env = dict(
        os.environ,
        DATENRAUM_VAR=str(root / "var"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_WORKERS=str(WEB_WORKERS),
        FETCH_CONSUMERS=str(FETCH_CONSUMERS),
    )
    with (root / "run.log").open("wb") as log:
        proc = subprocess.Popen(
            [str(REPO_ROOT / "scripts" / "run.sh"), str(ini)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    handle = ProcessSet(root, ini, port, proc, env)
    try:
        _wait(
            lambda: "Serving the catalogue" in handle.output() or proc.poll() is not None,
            420,
            "scripts/run.sh to report the process set up",
            interval=2,
        )
        assert proc.poll() is None, handle.output()
        yield handle
    finally:
        handle.interrupt()


@pytest.mark.usefixtures("with_plugins")
def test_a_harvest_source_file_is_harvested_without_starting_a_consumer(process_set):
    factories.Organization(name="stadt-jena")

    def finished_job():
        source = call_action("harvest_source_list")
        if not source:
            return None
        jobs = call_action("harvest_job_list", source_id=source[0]["id"])
        return jobs if jobs and jobs[0]["status"] == "Finished" else None

    jobs = _wait(finished_job, 600, "the harvest job to finish", interval=5)
    found = requests.get(
        f"{process_set.base_url}/api/3/action/package_search",
        params={"q": "*:*", "rows": 0},
        timeout=30,
    ).json()["result"]["count"]
    assert found == CATALOGUE_DATASETS, jobs[0]["stats"]
    assert len(jobs) == 1
    assert jobs[0]["stats"]["errored"] == 0
    assert jobs[0]["stats"]["added"] == CATALOGUE_DATASETS


def test_doctor_checks_every_process_of_the_set(process_set):
    result = process_set.ckan("datenraum", "doctor")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line[:4] == "OK  "}
    assert set(lines) >= {"Processes", "Queues", "Web", "Scheduler"}
    assert (
        f"web 1/1, harvest-gather 1/1, harvest-fetch {FETCH_CONSUMERS}/{FETCH_CONSUMERS}, "
        "jobs 1/1, scheduler 1/1" in lines["Processes"]
    )
    assert "harvest-fetch 0" in lines["Queues"]


def test_doctor_names_a_stopped_process(process_set):
    supervisorctl = [str(VENV_BIN / "supervisorctl"), "-c", str(process_set.supervisor_conf)]
    subprocess.run([*supervisorctl, "stop", "jobs"], check=True, capture_output=True, timeout=90)
    try:
        result = process_set.ckan("datenraum", "doctor")
    finally:
        subprocess.run(
            [*supervisorctl, "start", "jobs"], check=True, capture_output=True, timeout=90
        )

    assert result.returncode == 1
    assert "jobs 0/1 running (STOPPED)" in result.stdout
    assert "unhealthy: Processes" in result.stderr


@pytest.mark.usefixtures("with_plugins")
def test_usage_counts_from_several_web_workers_add_up(process_set):
    organization = factories.Organization(
        contributor_id="http://dcat-ap.de/def/contributors/govData"
    )
    dataset = factories.Dataset(
        owner_org=organization["id"], tags=[{"name": "Luft"}], license_id="dl-by-de/2.0"
    )
    page_views, api_calls = 60, 30
    session = requests.Session()

    def view(_):
        return session.get(
            f"{process_set.base_url}/dataset/{dataset['name']}",
            headers={"User-Agent": BROWSER},
            timeout=60,
        ).status_code

    def show(_):
        return session.get(
            f"{process_set.base_url}/api/3/action/package_show",
            params={"id": dataset["id"]},
            timeout=60,
        ).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(view, range(page_views))) + list(pool.map(show, range(api_calls)))
    assert statuses == [200] * (page_views + api_calls)
    booted = process_set.root.joinpath("var", "log", "web.log").read_text().count("Booting worker")
    assert booted >= WEB_WORKERS

    call_action("datenraum_usage_aggregate", reindex=False)

    report = call_action("datenraum_usage_site_report", {"user": factories.Sysadmin()["name"]})
    top = {row["id"]: row for row in report["top_datasets"]}
    assert top[dataset["id"]]["views"] == page_views
    actions = {row["action"]: row["calls"] for row in report["api_actions"]}
    assert actions["package_show"] == api_calls


def test_ctrl_c_stops_every_process(process_set):
    pids = set(process_set.supervisor_pids().values())
    assert len(pids) == 4 + FETCH_CONSUMERS
    everything = pids | {pid for pid in pids for pid in _descendants(pid)}
    assert len(everything) >= len(pids) + WEB_WORKERS  # gunicorn's workers are children

    process_set.interrupt()

    assert process_set.proc.returncode == 0, process_set.output()
    assert "process set stopped" in process_set.output()
    assert not [pid for pid in everything if _alive(pid)]
