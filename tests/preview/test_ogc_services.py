"""WMS and WFS resources preview through our service proxy, from recorded real answers.

The partner here is a real HTTP server on 127.0.0.1 that answers OGC requests with recorded
responses of real services (tests/preview/data/SOURCES.md): the City of Cologne's ArcGIS WFS
capabilities, a feature collection of Hamburg's gazetteer WFS, and a MapServer WMS's capabilities
with a GetMap image of the same service. The map view's page names only our own proxy and our
blank base tile, and the proxy hands the viewer's request on to the partner, once, without the
stored URL's own OGC parameters (decision 0414), images as the partner sent them (0418).
"""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .. import dcatapde_factories
from .conftest import DATA, OGCPartner

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.datenraum.preview.allow_private_targets", "true"),
]


def _service_resource(url: str, fmt: str) -> tuple[dict, dict]:
    editor = factories.Sysadmin()["name"]
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(editor, organization["name"])
    resource = call_action(
        "resource_create", {"user": editor}, package_id=dataset["id"], url=url, format=fmt
    )
    return dataset, resource


def _proxied(app, dataset: dict, resource: dict, query: str):
    OGCPartner.received.clear()
    path = f"/dataset/{dataset['id']}/resource/{resource['id']}/service_proxy?{query}"
    return app.get(path, status=200)


def test_a_wfs_previews_capabilities_and_features_through_the_proxy(app, ogc_partner):
    # As partners store a WFS: the endpoint with its own GetCapabilities request.
    url = f"{ogc_partner}/arcgis/services/adressen/WFSServer?SERVICE=WFS&REQUEST=GetCapabilities"
    dataset, resource = _service_resource(url, "WFS")

    capabilities = _proxied(
        app, dataset, resource, "service=WFS&request=GetCapabilities&version=2.0.0"
    )
    assert "Stadt Köln - Amt für Stadtentwicklung und Statistik" in capabilities.text
    assert OGCPartner.received == [
        {"service": "WFS", "request": "GetCapabilities", "version": "2.0.0"}
    ]

    features = _proxied(
        app, dataset, resource,
        "service=WFS&request=GetFeature&version=2.0.0&typeNames=dog:Kreise&count=2",
    )  # fmt: skip
    assert "<wfs:FeatureCollection" in features.text
    assert features.text.count("<wfs:member>") == 2 and "Barmbek-Nord" in features.text
    assert features.headers["Content-Type"].startswith("text/xml")
    assert features.headers["Content-Security-Policy"] == "sandbox"


def test_a_wms_map_view_names_only_our_proxy_and_base_tile(app, ogc_partner):
    url = f"{ogc_partner}/cgi-bin/mapserv?map=wms_simple.map&SERVICE=WMS&REQUEST=GetCapabilities"
    dataset, resource = _service_resource(url, "WMS")
    view = next(
        v for v in call_action("resource_view_list", id=resource["id"])
        if v["view_type"] == "geo_view"
    )  # fmt: skip

    view_url = f"/dataset/{dataset['id']}/resource/{resource['id']}/view/{view['id']}"
    page = app.get(view_url, status=200).text
    proxy = f"/dataset/{dataset['name']}/resource/{resource['id']}/service_proxy"
    assert f'data-module-proxy_service_url="{proxy}"' in page
    # Every address the page may load is ours: no map provider, no partner host.
    addresses = re.findall(r"https?://[^\s\"'<>\\]+", page)
    foreign = [a for a in addresses if not a.startswith(("http://test.ckan.net", ogc_partner))]
    assert foreign == [], foreign
    assert page.count(ogc_partner) == 1  # the partner only as the resource's stored URL
    assert "blank-tile.png" in page
    # geoview learns the EU file-type code our schema stores ("WMS_SRVC") as a WMS
    assert "geoview_formats.js" in page

    capabilities = _proxied(app, dataset, resource, "SERVICE=WMS&REQUEST=GetCapabilities")
    assert "<Title>Test simple wms</Title>" in capabilities.text
    # the stored URL's own parameters stay (MapServer's map=), its OGC ones give way
    assert OGCPartner.received == [
        {"map": "wms_simple.map", "service": "WMS", "request": "GetCapabilities"}
    ]

    # the map image, as OpenLayers asks for a tile: bytes and type as the partner sent them
    tile = _proxied(
        app, dataset, resource,
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=road&CRS=EPSG:4326&STYLES="
        "&FORMAT=image/png&WIDTH=256&HEIGHT=256&BBOX=42,-68,48,-59",
    )  # fmt: skip
    assert tile.headers["Content-Type"] == "image/png"
    assert tile.data == (DATA / "ogc" / "mapserver-wms-getmap-130.png").read_bytes()
    assert [r["request"] for r in OGCPartner.received] == ["GetMap"]
