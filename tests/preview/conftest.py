"""A partner's file server (real HTTP on 127.0.0.1) and xloader runs for the preview tests."""

from __future__ import annotations

import functools
import http.server
import pathlib
import threading

import pytest
from ckan.lib import jobs
from ckan.tests.helpers import call_action

DATA = pathlib.Path(__file__).with_name("data")


@pytest.fixture(scope="session")
def file_server():
    """Base URL of an HTTP server serving tests/preview/data/."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def xloader_token(monkeypatch):
    """ckanext-xloader queues nothing without an API token: one of a sysadmin, for the test."""
    from ckan.tests import factories

    sysadmin = factories.Sysadmin()
    token = call_action(
        "api_token_create", {"user": sysadmin["name"]}, user=sysadmin["name"], name="xloader"
    )["token"]
    import ckan.plugins.toolkit as tk

    monkeypatch.setitem(tk.config, "ckanext.xloader.api_token", token)
    # the partner's file server of these tests listens on 127.0.0.1 (decision 0414)
    monkeypatch.setitem(tk.config, "ckanext.datenraum.preview.allow_private_targets", True)
    return sysadmin


def run_queued_jobs() -> None:
    """What ``ckan jobs worker --burst`` does: every queued job, then return."""
    jobs.Worker().work(burst=True)
