"""Real CKAN processes for the client tests: our catalogue, GovData's stack, plain ckanext-dcat.

Each ``CkanProcess`` is one CKAN installation (a virtualenv's ``ckan`` command and an ini) with
its own PostgreSQL database, Solr core and Redis db, whose names are derived from the test
configuration's (``<test db>_<role>``, ``<test core>_<role>``), so several checkouts on one
machine never share them. ``scripts/govdata-client.sh`` installs GovData's virtualenv and
creates those databases and cores (it is idempotent and quick the second time).

A process is started from an empty database and core: ``ckan db upgrade`` (or ``db init`` for
CKAN 2.10) builds the tables, the web server runs as ``ckan run`` on a free 127.0.0.1 port, and
harvest consumers run as ``ckan harvester gather-consumer`` / ``fetch-consumer``, as GovData's
supervisor runs them.
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import socket
import subprocess
import time
from urllib.parse import urlsplit, urlunsplit

import requests
import sqlalchemy as sa

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
CLIENT_SCRIPT = REPO_ROOT / "scripts" / "govdata-client.sh"
START_TIMEOUT = 120
ADMIN = "client-admin"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def derived_url(url: str, suffix: str) -> str:
    """``url`` with ``_suffix`` appended to its last path segment (database or core name)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_" + suffix))


def redis_db_url(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def client_script(*args: str) -> str:
    result = subprocess.run(
        [str(CLIENT_SCRIPT), *args], capture_output=True, text=True, timeout=1800, check=False
    )
    if result.returncode != 0:
        raise StackError(f"{CLIENT_SCRIPT.name} {' '.join(args)}:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


class CkanProcess:
    """One CKAN installation: CLI, web server, harvest consumers and its action API."""

    def __init__(
        self,
        name: str,
        workdir: pathlib.Path,
        ckan_command: str,
        settings: list[str],
        database_url: str,
        solr_url: str,
        sections: str = "",
        port: int | None = None,
    ):
        self.name = name
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.solr_url = solr_url
        self.ini = workdir / f"{name}.ini"
        lines = [
            "[app:main]",
            *settings,
            f"ckan.site_url = {self.base_url}",
            f"sqlalchemy.url = {database_url}",
            f"solr_url = {solr_url}",
        ]
        self.ini.write_text("\n".join(lines) + "\n" + sections)
        # The ini alone decides: the environment of the tests points at *their* services.
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("CKAN_") and key != "PYTHONPATH"
        }
        self.env["CKAN_INI"] = str(self.ini)
        self.ckan_command = ckan_command
        self.token = ""
        self.restarts = 0
        self._processes: list[tuple[str, subprocess.Popen]] = []

    # lifecycle

    def wipe(self) -> None:
        """Empty database and core: the next ``db init``/``db upgrade`` builds every table."""
        engine = sa.create_engine(self.database_url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        requests.post(
            f"{self.solr_url}/update?commit=true", json={"delete": {"query": "*:*"}}, timeout=30
        ).raise_for_status()

    def start_server(self) -> CkanProcess:
        self._spawn("server", "run", "-H", "127.0.0.1", "-p", str(self.port), "--disable-reloader")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                if requests.get(f"{self.base_url}/api/3/action/status_show", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise StackError(f"{self.name}: web server not ready in {START_TIMEOUT} s\n{self.logs()}")

    def start_harvest_consumers(self) -> None:
        self._spawn("gather", "harvester", "gather-consumer")
        self._spawn("fetch", "harvester", "fetch-consumer")

    CONSUMERS = {"gather": "gather-consumer", "fetch": "fetch-consumer"}

    def create_sysadmin(self) -> str:
        self.ckan(
            "user",
            "add",
            ADMIN,
            f"email={ADMIN}@example.org",
            f"password={secrets.token_urlsafe(16)}",
        )
        self.ckan("sysadmin", "add", ADMIN)
        output = self.ckan("user", "token", "add", ADMIN, "client-tests")
        self.token = output.strip().splitlines()[-1].strip()
        return self.token

    def stop(self) -> None:
        for _, process in reversed(self._processes):
            process.terminate()
        for _, process in self._processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self._processes.clear()

    # commands and API

    def ckan(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [self.ckan_command, "-c", str(self.ini), *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            input="",
            check=False,
        )
        if result.returncode != 0:
            raise StackError(
                f"{self.name}: ckan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def run_python(self, script: str, *args: str) -> str:
        """A script in this installation's Python with its ini as first argument."""
        python = str(pathlib.Path(self.ckan_command).with_name("python"))
        result = subprocess.run(
            [python, script, str(self.ini), *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"{self.name}: {script} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def action(self, action: str, /, **data):
        response = requests.post(
            f"{self.base_url}/api/3/action/{action}",
            json=data,
            headers={"Authorization": self.token},
            timeout=120,
        )
        try:
            body = response.json()
        except ValueError:
            raise StackError(f"{self.name}: {action} answered {response.status_code}") from None
        if not body.get("success"):
            raise StackError(f"{self.name}: {action} failed: {json.dumps(body.get('error'))}")
        return body["result"]

    def all_datasets(self) -> list[dict]:
        found, start = [], 0
        while True:
            page = self.action("package_search", q="*:*", rows=500, start=start, sort="name asc")
            found += page["results"]
            start += 500
            if start >= page["count"]:
                return found

    def logs(self, tail: int = 4000) -> str:
        texts = []
        for role, _ in self._processes:
            log = self.workdir / f"{role}.log"
            if log.exists():
                text = log.read_text(errors="replace")[-tail:]
                texts.append(f"--- {self.name} {role} ---\n{text}")
        return "\n".join(texts)

    # internals

    def _spawn(self, role: str, *args: str) -> None:
        log = (self.workdir / f"{role}.log").open("ab")
        process = subprocess.Popen(
            [self.ckan_command, "-c", str(self.ini), *args],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._processes.append((role, process))

    def _check_alive(self) -> None:
        """The server must live; a consumer that exited is started again, as the supervisor
        of a real installation does (ckanext-harvest 1.6.3's consumers end when redis-py 8's
        default 5 s socket timeout hits their blocking pop on an empty queue)."""
        ended = [(role, process) for role, process in self._processes if process.poll() is not None]
        for role, process in ended:
            if role not in self.CONSUMERS:
                raise StackError(f"{self.name}: {role} exited\n{self.logs()}")
            self.restarts += 1
            self._processes.remove((role, process))
            self._spawn(role, "harvester", self.CONSUMERS[role])

    def run_harvest(self, source_id: str, timeout: float = 2400) -> dict:
        """One harvest job of the source through the queues, as GovData's cron runs it: create
        the job (it goes to the gather queue), and once gathering is done let
        ``harvest_jobs_run`` (``harvester run``) mark it finished. Not during the gather: its
        resubmission of waiting objects would queue objects the gather is still sending."""
        job = self.action("harvest_job_create", source_id=source_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            job = self.action("harvest_job_show", id=job["id"])
            if job.get("gather_finished"):
                self.action("harvest_jobs_run", source_id=source_id)
                job = self.action("harvest_job_show", id=job["id"])
                if job["status"] == "Finished":
                    return dict(
                        self.action("harvest_job_report", id=job["id"]), stats=job.get("stats")
                    )
                time.sleep(10)
            else:
                time.sleep(3)
        raise StackError(f"{self.name}: harvest job not finished in {timeout} s\n{self.logs()}")
