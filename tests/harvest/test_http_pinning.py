"""DNS-rebinding-safe fetching: the connection goes to the address that passed the SSRF check.

The resolver is replaced (``socket.getaddrinfo``, which both our check and urllib3 use) to play a
DNS server whose answer for a partner's host name changes between two look-ups; the partner
itself is a real local server.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading

import pytest
import requests

from ckanext.datenraum.common import http as harvest_http
from tests.harvest.partner_server import Answer

PARTNER_HOST = "partner.example"
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture
def rebinding_dns(monkeypatch):
    """``partner.example`` resolves to a public address once, then to 127.0.0.1."""
    real = socket.getaddrinfo
    lookups = []

    def resolve(host, port, *args, **kwargs):
        if host != PARTNER_HOST:
            return real(host, port, *args, **kwargs)
        address = PUBLIC_ADDRESS if not lookups else "127.0.0.1"
        lookups.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return lookups


@pytest.fixture
def unresolvable_partner_host(monkeypatch):
    """Any look-up of ``partner.example`` fails: a request that still arrives was pinned."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == PARTNER_HOST:
            raise socket.gaierror(socket.EAI_NONAME, "not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_a_host_that_rebinds_to_loopback_after_the_check_never_reaches_the_local_server(
    partner, rebinding_dns
):
    partner.routes["/catalog.ttl"] = Answer(b"internal")
    port = partner.url("").rsplit(":", 1)[1]
    policy = harvest_http.FetchPolicy(timeout=1, retries=0)

    with pytest.raises(harvest_http.FetchError):
        harvest_http.fetch(f"http://{PARTNER_HOST}:{port}/catalog.ttl", policy)

    assert rebinding_dns == [PUBLIC_ADDRESS]  # resolved once, for the check
    assert partner.requests == []


def test_every_redirect_hop_is_checked_and_pinned(partner, monkeypatch):
    """The local partner plays a public server; its redirect points into a private network."""
    real_resolve, real_is_internal = socket.getaddrinfo, harvest_http._is_internal
    names = {PARTNER_HOST: "127.0.0.1", "intranet.example": "10.0.0.5"}

    def resolve(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real_resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(
        harvest_http, "_is_internal", lambda a: str(a) != "127.0.0.1" and real_is_internal(a)
    )
    port = partner.url("").rsplit(":", 1)[1]
    partner.routes["/start"] = Answer(b"", status=302, headers={"Location": "/next"})
    partner.routes["/next"] = Answer(
        b"", status=302, headers={"Location": "http://intranet.example/admin"}
    )
    policy = harvest_http.FetchPolicy(timeout=1, retries=0)

    with pytest.raises(harvest_http.RefusedTarget, match="10.0.0.5"):
        harvest_http.fetch(f"http://{PARTNER_HOST}:{port}/start", policy)

    assert partner.requests == ["/start", "/next"]
    assert partner.host_headers == [f"{PARTNER_HOST}:{port}"] * 2


def test_pinned_connection_keeps_the_host_name_in_the_host_header(
    partner, unresolvable_partner_host
):
    partner.routes["/catalog.ttl"] = Answer(b"catalogue")
    port = partner.url("").rsplit(":", 1)[1]
    session = requests.Session()
    session.mount(f"http://{PARTNER_HOST}", harvest_http.PinnedAdapter("127.0.0.1"))

    response = session.get(f"http://{PARTNER_HOST}:{port}/catalog.ttl", timeout=5)

    assert response.content == b"catalogue"
    assert partner.host_headers == [f"{PARTNER_HOST}:{port}"]


@pytest.fixture(scope="module")
def https_partner(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names only partner.example."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={PARTNER_HOST}", "-addext", f"subjectAltName=DNS:{PARTNER_HOST}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    seen_names = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server naming
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _socket, name, _context: seen_names.append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"port": server.server_address[1], "ca": str(cert), "sni": seen_names}
    server.shutdown()
    server.server_close()


def test_pinned_tls_connection_sends_sni_and_verifies_the_certificate_for_the_host_name(
    https_partner, unresolvable_partner_host
):
    session = requests.Session()
    session.mount(f"https://{PARTNER_HOST}", harvest_http.PinnedAdapter("127.0.0.1"))

    response = session.get(
        f"https://{PARTNER_HOST}:{https_partner['port']}/", verify=https_partner["ca"], timeout=5
    )

    assert response.content == b"ok"
    assert PARTNER_HOST in https_partner["sni"]


def test_pinned_tls_connection_refuses_a_certificate_for_another_name(https_partner):
    session = requests.Session()
    session.mount("https://other.example", harvest_http.PinnedAdapter("127.0.0.1"))

    with pytest.raises(requests.exceptions.SSLError):
        session.get(
            f"https://other.example:{https_partner['port']}/",
            verify=https_partner["ca"],
            timeout=5,
        )


@pytest.fixture
def loopback_counts_as_public(monkeypatch):
    real_is_internal = harvest_http._is_internal
    monkeypatch.setattr(
        harvest_http,
        "_is_internal",
        lambda a: not str(a).startswith("127.") and real_is_internal(a),
    )


def _resolve_partner_to(monkeypatch, *addresses: str) -> None:
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == PARTNER_HOST:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.mark.usefixtures("loopback_counts_as_public")
def test_the_next_checked_address_is_tried_when_the_first_refuses(partner, monkeypatch):
    # The partner listens on 127.0.0.1 only: 127.0.0.2 refuses the connection.
    _resolve_partner_to(monkeypatch, "127.0.0.2", "127.0.0.1")
    partner.routes["/catalog.ttl"] = Answer(b"catalogue")
    port = partner.url("").rsplit(":", 1)[1]
    policy = harvest_http.FetchPolicy(timeout=2, retries=0)

    fetched = harvest_http.fetch(f"http://{PARTNER_HOST}:{port}/catalog.ttl", policy)

    assert fetched.content == b"catalogue"
    assert partner.host_headers == [f"{PARTNER_HOST}:{port}"]


@pytest.mark.usefixtures("loopback_counts_as_public")
def test_a_cookie_set_on_a_redirect_is_sent_to_the_next_hop(partner, monkeypatch):
    _resolve_partner_to(monkeypatch, "127.0.0.1")
    partner.routes["/start"] = Answer(
        b"", status=302, headers={"Location": "/data", "Set-Cookie": "gate=passed; Path=/"}
    )
    partner.routes["/data"] = Answer(b"data")
    port = partner.url("").rsplit(":", 1)[1]
    policy = harvest_http.FetchPolicy(timeout=2, retries=0)

    fetched = harvest_http.fetch(f"http://{PARTNER_HOST}:{port}/start", policy)

    assert fetched.content == b"data"
    assert partner.cookie_headers == ["", "gate=passed"]
