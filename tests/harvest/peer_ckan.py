"""A second real CKAN for the CKAN harvester's tests: our own app in its own database and core.

Started once per test session as a ``ckan run`` subprocess on a free 127.0.0.1 port, with an ini
derived from the one the tests use (same plugins and schema) but pointing at the peer database
and Solr core. Its database and core are emptied, then built by ``ckan db upgrade``; a
sysadmin and an API token come from the CLI; datasets are created over HTTP with that token.

The peer's database and Solr core are read from ``DATENRAUM_PEER_SQLALCHEMY_URL`` and
``DATENRAUM_PEER_SOLR_URL``; the defaults are the CI names (database ``ckan_test_peer`` made by
scripts/postgres.sh, core ``ckan_test_peer`` in SOLR_CORES of scripts/lib.sh).
"""

from __future__ import annotations

import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time

import requests
import sqlalchemy as sa

PEER_DB_DEFAULT = "postgresql://ckan:ckan@127.0.0.1:5432/ckan_test_peer"
PEER_SOLR_DEFAULT = "http://127.0.0.1:8983/solr/ckan_test_peer"
ADMIN = "peer-admin"
START_TIMEOUT = 90


class PeerError(RuntimeError):
    pass


class PeerCKAN:
    def __init__(self, workdir: pathlib.Path, base_ini: str):
        self.workdir = workdir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ini = workdir / "peer.ini"
        self.ini.write_text(
            f"[app:main]\nuse = config:{base_ini}\nckan.site_url = {self.base_url}\n"
            "ckan.devserver.threaded = true\n"
        )
        self.env = dict(
            os.environ,
            CKAN_INI=str(self.ini),
            CKAN_SQLALCHEMY_URL=os.environ.get("DATENRAUM_PEER_SQLALCHEMY_URL", PEER_DB_DEFAULT),
            CKAN_SOLR_URL=os.environ.get("DATENRAUM_PEER_SOLR_URL", PEER_SOLR_DEFAULT),
        )
        self.token = ""
        self._server: subprocess.Popen | None = None
        self._log = workdir / "peer.log"

    # lifecycle

    def start(self) -> PeerCKAN:
        self._wipe()
        self.ckan("db", "upgrade")
        with self._log.open("wb") as log:
            self._server = subprocess.Popen(
                [*self._ckan_command(), "run", "-H", "127.0.0.1", "-p", str(self.port)]
                + ["--disable-reloader", "--threaded"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.ckan(
            "sysadmin",
            "add",
            ADMIN,
            "--create",
            f"email={ADMIN}@example.org",
            f"password={secrets.token_urlsafe(16)}",
        )
        self.token = self.ckan("user", "token", "add", ADMIN, "harvest-tests", "--quiet")
        self.token = self.token.strip().splitlines()[-1]
        self._wait_until_ready()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.terminate()
            try:
                self._server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._server.kill()

    def ckan(self, *args: str) -> str:
        result = subprocess.run(
            [*self._ckan_command(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            input="",
        )
        if result.returncode != 0:
            raise PeerError(f"ckan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # action API over HTTP

    def action(self, action: str, /, **data) -> dict:
        response = requests.post(
            f"{self.base_url}/api/3/action/{action}",
            json=data,
            headers={"Authorization": self.token},
            timeout=30,
        )
        body = response.json()
        if not body.get("success"):
            raise PeerError(f"{action} at the peer failed: {body.get('error')}")
        return body["result"]

    # internals

    def _wipe(self) -> None:
        """Empty database and core; a fresh ``ckan db upgrade`` then builds every table."""
        engine = sa.create_engine(self.env["CKAN_SQLALCHEMY_URL"])
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        requests.post(
            f"{self.env['CKAN_SOLR_URL']}/update?commit=true",
            json={"delete": {"query": "*:*"}},
            timeout=30,
        ).raise_for_status()

    def _ckan_command(self) -> list[str]:
        return [str(pathlib.Path(sys.executable).with_name("ckan")), "-c", str(self.ini)]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise PeerError(f"peer CKAN exited:\n{self._log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.base_url}/api/3/action/status_show", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise PeerError(f"peer CKAN not ready in {START_TIMEOUT} s:\n{self._log.read_text()}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
