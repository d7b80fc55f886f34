"""The dashboard in a real browser: headless Chromium against a real ``ckan run`` server."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from tests.conftest import REPO_ROOT
from tests.usage.conftest import CHROME_UA, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")

ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--log-level=0",
    "--window-size=1280,2400",
    "--virtual-time-budget=10000",
)
SERVER_START_SECONDS = 60


@pytest.fixture
def ckan_server(free_port, tmp_path):
    """``ckan run`` on a free loopback port, with the test configuration and services."""
    ckan = pathlib.Path(sys.executable).with_name("ckan")
    base_url = f"http://127.0.0.1:{free_port}"
    log_path = tmp_path / "ckan-run.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                str(ckan),
                "-c",
                str(REPO_ROOT / "test.ini"),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(free_port),
                "--disable-reloader",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            # CKAN's JavaScript builds API URLs from the site URL; it must be this server.
            env={**os.environ, "CKAN_SITE_URL": base_url},
        )
    try:
        _wait_for(base_url, server, log_path)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(base_url: str, server: subprocess.Popen, log_path: pathlib.Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/api/3/action/status_show", timeout=2):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ckan run did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)


def _chromium(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("Debian package chromium missing: run scripts/system-packages.sh")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def _console_errors(stderr: str) -> list[str]:
    """Every console message of the page (CKAN logs nothing when all is well)."""
    return re.findall(r'CONSOLE[:(]\d+\)?\] (".*)', stderr)


def test_public_dashboard_renders_its_charts(app, tree_dataset, aggregate, ckan_server):
    for index in range(6):
        visitor = Visitor(ip=f"198.51.{index}.10", user_agent=CHROME_UA)
        app.get("/dataset/baumkataster-jena", **visitor.kwargs())
    aggregate()
    url = f"{ckan_server}/en/usage"

    dom = _chromium("--dump-dom", url)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "usage-dashboard.png"
    shot = _chromium(f"--screenshot={screenshot}", url)

    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = re.findall(r"<canvas[^>]*>", dom.stdout)
    assert len(charts) == 3
    assert all('data-chart-rendered="true"' in canvas for canvas in charts), charts
    assert "Baumkataster Jena" in dom.stdout
    assert _console_errors(dom.stderr + shot.stderr) == []
    assert screenshot.stat().st_size > 10_000
