"""A partner's file server and OGC services (real HTTP on 127.0.0.1, recorded real answers) and
xloader runs for the preview tests."""

from __future__ import annotations

import functools
import http.server
import pathlib
import re
import threading
from urllib.parse import parse_qsl, urlsplit

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


# What the OGC partner answers, by (MapServer mapfile or None, service, request), lower case:
# recorded answers of real services (data/SOURCES.md). The MapServer services are told apart by
# their ``map`` parameter, as MapServer does: ``wms_simple.map`` (capabilities, a GetMap image)
# and ``wfs_simple.map`` (capabilities, feature type, GML 2 features), both of msautotest, and
# ``wms_inspire.map`` (an INSPIRE view service of Mecklenburg-Vorpommern's DVZ: capabilities,
# a GetMap image; its layers offer EPSG:25833, ETRS89 and EPSG:4326, not EPSG:3857).
# Without ``map``: Cologne's WFS (capabilities, the feature type ``Blumenberg``, EPSG:25832
# only) and, for its GetFeature, Hamburg's gazetteer answer (no GetFeature of Cologne recorded).
OGC_RECORDED = {
    (None, "wfs", "getcapabilities"): "koeln-wfs-getcapabilities-200.xml",
    (None, "wfs", "describefeaturetype"): "koeln-wfs-describefeaturetype-200.xml",
    (None, "wfs", "getfeature"): "hamburg-wfs-getfeature-200.xml",
    ("wms_simple.map", "wms", "getcapabilities"): "mapserver-wms-getcapabilities-130.xml",
    ("wms_simple.map", "wms", "getmap"): "mapserver-wms-getmap-130.png",
    ("wms_inspire.map", "wms", "getcapabilities"): "mapserver-inspire-wms-getcapabilities-130.xml",
    ("wms_inspire.map", "wms", "getmap"): "mapserver-inspire-wms-getmap-130.png",
    ("wfs_simple.map", "wfs", "getcapabilities"): "mapserver-wfs-getcapabilities-200.xml",
    ("wfs_simple.map", "wfs", "describefeaturetype"): "mapserver-wfs-describefeaturetype-110.xml",
    ("wfs_simple.map", "wfs", "getfeature"): "mapserver-wfs-getfeature-110-gml2.xml",
}
WMS_INVALID_CRS = "mapserver-wms-getmap-invalid-crs.xml"


def _offered_crs(capabilities: str) -> frozenset[str]:
    text = (DATA / "ogc" / capabilities).read_text(encoding="utf-8")
    return frozenset(code.upper() for code in re.findall(r"<(?:CRS|SRS)>([^<]+)</", text))


class OGCPartner(http.server.BaseHTTPRequestHandler):
    """Answers ``?[map=…&]service=…&request=…`` (any case) with the recorded response, else 400.

    A WMS GetMap in a CRS its recorded capabilities do not list gets MapServer's recorded
    exception, as the real server would answer. ``received`` holds the query parameters of
    every request, keys lower-cased.
    """

    received: list[dict[str, str]] = []

    def do_GET(self):
        params = {k.lower(): v for k, v in parse_qsl(urlsplit(self.path).query)}
        type(self).received.append(params)
        service = params.get("service", "").lower()
        key = (params.get("map"), service, params.get("request", "").lower())
        name = OGC_RECORDED.get(key)
        if name and key[1:] == ("wms", "getmap"):
            crs = (params.get("crs") or params.get("srs") or "").upper()
            if crs not in _offered_crs(OGC_RECORDED[(key[0], "wms", "getcapabilities")]):
                name = WMS_INVALID_CRS
        body = (DATA / "ogc" / name).read_bytes() if name else b"unknown request"
        self.send_response(200 if name else 400)
        png = bool(name) and name.endswith(".png")
        self.send_header("Content-Type", "image/png" if png else "text/xml; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def ogc_partner():
    """Base URL of the OGC partner (:class:`OGCPartner`); ``received`` is emptied per test."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OGCPartner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_ogc_partner_log():
    OGCPartner.received.clear()


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
