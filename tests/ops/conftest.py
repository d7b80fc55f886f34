"""Fixtures of the operations tests: a local partner server and helpers to run real processes."""

from __future__ import annotations

import functools
import http.server
import pathlib
import socket
import threading

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(__file__).resolve().parent / "data"
VENV_BIN = REPO_ROOT / ".venv" / "bin"


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def data_server():
    """``tests/ops/data`` over HTTP on 127.0.0.1 (a partner portal serving its catalogue)."""
    handler = functools.partial(_QuietHandler, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_ini(pytestconfig) -> pathlib.Path:
    """The configuration the test run uses (``--ckan-ini``), for configurations chained to it."""
    return pathlib.Path(pytestconfig.getoption("ckan_ini")).resolve()
