"""Through a real ``ckan run`` with the template's logging: which cookie is set, what is logged.

Issue 12, item 11: every anonymous page set CKAN's session cookie (for the CSRF token), and the
log held client addresses and full query strings. Decision 0601 (cookies), 0602 (logs).
"""

from __future__ import annotations

import base64
import configparser
import json
import logging
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from ckanext.datenraum.common.logfilter import PrivacyLogFilter
from tests.conftest import REPO_ROOT
from tests.security.conftest import PASSWORD

SERVER_START_SECONDS = 90
PROBE_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) DatenraumTestProbe/4711 Firefox/128.0"
PERSONAL_QUERY = "anna.schmidt@example.org DE89370400440532013000"

ANONYMOUS_PAGES = [
    "/",
    "/de/",
    "/dataset/",
    "/dataset/?q=baum",
    "/dataset/datensatz-a",
    "/organization/",
    "/organization/org-a",
    "/group/",
    "/about",
    "/usage",
    "/api/3/action/status_show",
    "/catalog.ttl",
]


def _server_ini(tmp_path: pathlib.Path, ckan_ini: str) -> pathlib.Path:
    """The test configuration with the logging sections of ckan.ini.template, CSRF on."""
    template = configparser.RawConfigParser()
    template.read(REPO_ROOT / "ckan.ini.template")
    ini = configparser.RawConfigParser()
    ini["app:main"] = {
        "use": f"config:{pathlib.Path(ckan_ini).resolve()}",
        "WTF_CSRF_ENABLED": "true",
    }
    for section in template.sections():
        if section.split("_")[0] in (
            "loggers",
            "handlers",
            "formatters",
            "logger",
            "handler",
            "formatter",
        ):
            ini[section] = dict(template[section])
    path = tmp_path / "server.ini"
    with path.open("w") as out:
        ini.write(out)
    return path


@pytest.fixture(scope="module")
def server(world, request, tmp_path_factory):
    """``ckan run`` on a free loopback port; yields its base URL and its log file."""
    tmp_path = tmp_path_factory.mktemp("server")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "ckan-run.log"
    ini = _server_ini(tmp_path, request.config.getoption("ckan_ini"))
    ckan = pathlib.Path(sys.executable).with_name("ckan")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(ckan),
                "-c",
                str(ini),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--disable-reloader",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "CKAN_SITE_URL": base_url},
        )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/api/3/action/status_show", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"ckan run did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
        yield base_url, log_path
    finally:
        process.terminate()
        process.wait(timeout=20)


def _get(url: str, opener=None, data: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"User-Agent": PROBE_AGENT})
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def test_anonymous_pages_set_no_cookie(server):
    base_url, _ = server
    cookies = {}
    for path in ANONYMOUS_PAGES:
        with _get(base_url + path) as response:
            cookies[path] = (response.status, response.headers.get_all("Set-Cookie") or [])

    assert cookies == {path: (200, []) for path in ANONYMOUS_PAGES}


def _session_payload(set_cookie: str) -> dict:
    value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    payload = value.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_form_page_sets_only_the_session_cookie_with_its_csrf_token(server, world):
    base_url, _ = server
    with _get(base_url + "/user/login") as response:
        set_cookies = response.headers.get_all("Set-Cookie")
        page = response.read().decode()

    assert len(set_cookies) == 1
    attributes = {part.strip().split("=")[0].lower() for part in set_cookies[0].split(";")[1:]}
    assert set_cookies[0].startswith("ckan=")
    assert attributes == {"httponly", "path", "samesite"}  # no Expires: ends with the browser
    assert list(_session_payload(set_cookies[0])) == ["_csrf_token"]
    assert 'name="_csrf_token"' in page


def test_logging_in_still_works_with_the_token_of_the_form(server, world):
    base_url, _ = server
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with _get(base_url + "/user/login", opener) as response:
        token = re.search(r'name="_csrf_token" value="([^"]+)"', response.read().decode())[1]
    user = world.users["editor_a"]

    with _get(
        base_url + "/user/login",
        opener,
        {"login": user["name"], "password": PASSWORD, "_csrf_token": token},
    ) as response:
        landed = response.geturl()

    assert "/dashboard" in landed or "/user/" in landed
    assert "/user/login" not in landed


def test_the_log_holds_no_address_agent_or_query(server):
    base_url, log_path = server
    query = urllib.parse.urlencode({"q": PERSONAL_QUERY})
    for path in (
        f"/dataset/?{query}",
        f"/api/3/action/package_search?{query}",
        "/gibt-es-nicht?x=1",
    ):
        _get(base_url + path).close()
    time.sleep(0.5)

    log = log_path.read_text()
    assert '"GET /dataset/ HTTP/1.1" 200' in log  # the access log is kept, without its query
    assert [
        secret
        for secret in ("127.0.0.1", "DatenraumTestProbe", "anna", "DE8937", "x=1")
        if secret in log
    ] == []


def test_gunicorn_access_records_lose_address_agent_headers_and_query():
    """The filter on gunicorn's atoms (its access format takes them from ``record.args``)."""
    atoms = {
        "h": "203.0.113.7",
        "t": "[01/Dec/2026:12:30:45 +0100]",
        "r": "GET /dataset/?q=anna.schmidt@example.org HTTP/1.1",
        "s": "200",
        "U": "/dataset/",
        "q": "q=anna.schmidt@example.org",
        "f": "https://suche.example/?q=anna",
        "a": PROBE_AGENT,
        "{x-forwarded-for}i": "198.51.100.23",
        "{user-agent}i": PROBE_AGENT,
    }
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s %(t)s "%(r)s" %(s)s "%(f)s" "%(a)s" %({x-forwarded-for}i)s',
        None,
        None,
    )
    record.args = atoms

    PrivacyLogFilter().filter(record)

    assert record.getMessage() == (
        '- [01/Dec/2026:12:30:45 +0100] "GET /dataset/ HTTP/1.1" 200 "https://suche.example/" "-" -'
    )
