"""Issue 14: several real fetch consumers harvest one large source at the same time.

Real ``ckan harvester gather-consumer`` (two) and ``fetch-consumer`` (three) processes, started
with this run's ini, take the jobs from the Redis queues; the test only creates the jobs and
calls ``harvest_jobs_run`` until they are finished, as the scheduler would. The generated
catalogue has duplicate identifiers and titles that give the same URL name, and a second
source of the same organisation lists the same records: what the advisory locks of the import
stage (``harvesters/base._lock``) must hold together (no duplicate dataset, no record lost to
a name taken in between, no deadlock).
"""

from __future__ import annotations

import collections
import pathlib
import subprocess
import sys
import time

import ckan.model as model
import pytest
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestJob, HarvestObjectError

from tests.harvest.conftest import make_source
from tests.harvest.partner_server import Answer

pytestmark = pytest.mark.usefixtures("harvest_env")

RECORDS = 160
DISTINCT_IDENTIFIERS = 150  # records 150…159 repeat the identifiers of 0…9 under other URIs
TITLE_BLOCK = 20  # twenty consecutive records share a title, so they want the same URL name
MIRRORS = 5  # small sources of the same organisation, each listing one and the same record
FETCH_CONSUMERS = 3
GATHER_CONSUMERS = 2
BASE = "https://opendata.jena.example"
DEADLINE = 900  # seconds for both jobs; a deadlock never finishes


def generated_catalogue(numbers=range(RECORDS)) -> bytes:
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
    ]
    for n in numbers:
        identifier = f"urn:jena:parken:{n % DISTINCT_IDENTIFIERS if n < RECORDS else n}"
        lines.append(
            f'<{BASE}/d/{n}> a dcat:Dataset ; dct:identifier "{identifier}" ;'
            f' dct:title "Parkplätze Jena {n // TITLE_BLOCK}" ; dct:description "Teil {n}." ;'
            f' dcat:keyword "Parken" ; dcat:distribution <{BASE}/d/{n}/csv> .'
        )
        lines.append(f"<{BASE}/d/{n}/csv> a dcat:Distribution ; dcat:accessURL <{BASE}/{n}.csv> .")
    return "\n".join(lines).encode("utf-8")


class Consumers:
    """The real consumer processes, kept running as supervisor's ``autorestart`` would.

    ckanext-harvest 1.6.3 waits on Redis with a blocking ``BLPOP``; the redis-py CKAN 2.12 pins
    (8.0.1) gives every connection a 5 s socket timeout, so an idle consumer exits with
    ``redis.exceptions.TimeoutError`` (nothing popped, nothing lost). Only that exit is
    restarted; any other is a failure."""

    def __init__(self, ckan_command: str, ini: str, folder: pathlib.Path):
        self.command, self.ini, self.folder = ckan_command, ini, folder
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts = 0
        kinds = ["gather-consumer"] * GATHER_CONSUMERS + ["fetch-consumer"] * FETCH_CONSUMERS
        for number, kind in enumerate(kinds):
            self._start(f"{kind}-{number}")

    def _start(self, name: str) -> None:
        log = (self.folder / f"{name}.log").open("a")
        kind = name.rsplit("-", 1)[0]
        self.processes[name] = subprocess.Popen(
            [self.command, "-c", self.ini, "harvester", kind], stdout=log, stderr=subprocess.STDOUT
        )

    def keep_running(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                continue
            log = (self.folder / f"{name}.log").read_text()
            assert log.rstrip().endswith("Timeout reading from socket"), log[-3000:]
            self.restarts += 1
            self._start(name)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def consumers(request, tmp_path):
    ckan_command = str(pathlib.Path(sys.executable).with_name("ckan"))
    running = Consumers(ckan_command, request.config.getoption("ckan_ini"), tmp_path)
    yield running
    running.stop()


def _finished(job_ids: list[str]) -> bool:
    model.Session.remove()
    call_action("harvest_jobs_run", {"ignore_auth": True, "user": _site_user()})
    model.Session.remove()
    return all(HarvestJob.get(job_id).status == "Finished" for job_id in job_ids)


def _site_user() -> str:
    return call_action("get_site_user", {"ignore_auth": True})["name"]


def test_parallel_consumers_give_one_dataset_per_identifier_and_lose_none(
    harvest_env, partner, consumers
):
    partner.routes["/jena.ttl"] = Answer(generated_catalogue(), content_type="text/turtle")
    # one record outside the big catalogue, listed by every mirror: their single objects are
    # imported by different consumers at the same moment
    mirrored = Answer(generated_catalogue([1000]), content_type="text/turtle")
    sources = [make_source(harvest_env, "datenraum_dcat", partner.url("/jena.ttl"), name="jena")]
    for number in range(MIRRORS):
        partner.routes[f"/spiegel-{number}.ttl"] = mirrored
        url = partner.url(f"/spiegel-{number}.ttl")
        sources.append(make_source(harvest_env, "datenraum_dcat", url, name=f"spiegel-{number}"))
    jobs = [
        call_action("harvest_job_create", {"user": _site_user()}, source_id=source["id"])
        for source in sources
    ]

    started = time.monotonic()
    while not _finished([job["id"] for job in jobs]):
        consumers.keep_running()
        assert time.monotonic() - started < DEADLINE, "jobs not finished: deadlock?"
        time.sleep(0.5)

    rows = (
        model.Session.query(model.Package.name, model.Package.extras["identifier"].astext)
        .filter(model.Package.type == "dataset", model.Package.state == "active")
        .all()
    )
    per_identifier = collections.Counter(identifier for _name, identifier in rows)
    assert [i for i, n in per_identifier.items() if n > 1] == []  # no duplicate dataset
    assert len(per_identifier) == DISTINCT_IDENTIFIERS + 1  # no lost record
    assert len({name for name, _identifier in rows}) == len(rows)
    errors = [row.message for row in model.Session.query(HarvestObjectError).all()]
    assert errors == []
    print(f"{len(rows)} datasets, {consumers.restarts} idle consumer restarts")
