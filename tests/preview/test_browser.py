"""Previews in a real browser: a CSV as a table (xloader, DataStore, datatables_view), a
GeoJSON, a WMS and a WFS as maps (ckanext-geoview), on a real ``ckan run`` server, with no
third-party request: the WMS and WFS partner (recorded MapServer answers) is reached only
through our proxy."""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from selenium.webdriver.support.ui import WebDriverWait

from .. import dcatapde_factories
from .conftest import DATA, OGCPartner, run_queued_jobs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _view_frame(browser, dataset: dict, resource_id: str, view_type: str):
    """Opens the resource page and enters the iframe of its view of ``view_type``."""
    views = call_action("resource_view_list", id=resource_id)
    view = next(v for v in views if v["view_type"] == view_type)
    browser.open(f"/de/dataset/{dataset['name']}/resource/{resource_id}?view_id={view['id']}")
    frame = browser.wait_for("iframe", timeout=30)
    browser.driver.switch_to.frame(frame)


@pytest.fixture
def preview_server(ckan_server_with):
    """A server whose preview proxies may fetch the partner's file server on 127.0.0.1."""
    return ckan_server_with({"ckanext.datenraum.preview.allow_private_targets": "true"})


# Pixels of a map's canvases that are coloured, as the roads of the recorded WMS images are
# (red; green and brown): the blank base tile is grey-white. Evidence that a GetMap answer was
# drawn.
_COLOURED_PIXELS_JS = """
let coloured = 0;
for (const canvas of document.querySelectorAll('.map canvas')) {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < data.length; i += 4) {
    const rgb = [data[i], data[i + 1], data[i + 2]];
    if (data[i + 3] > 0 && Math.max(...rgb) - Math.min(...rgb) > 40) coloured++;
  }
}
return coloured;
"""


# The layer's extent in each of ``codes`` as the map computes it from the extent in ``source``
# (edges sampled, as MapServer does), in WMS 1.3.0 BBOX order: northing first where the
# projection's axis orientation says so.
_EXTENTS_JS = """
const [source, extent, codes] = arguments;
const result = {};
for (const code of codes) {
  const projection = ol.proj.get(code);
  if (!projection) { result[code] = null; continue; }
  const [x0, y0, x1, y1] = ol.proj.transformExtent(extent, source, projection, 20);
  const northFirst = projection.getAxisOrientation().startsWith('ne');
  result[code] = northFirst ? [y0, x0, y1, x1] : [x0, y0, x1, y1];
}
return result;
"""


def _recorded_bounding_boxes(capabilities: str) -> dict[str, list[float]]:
    """The first ``BoundingBox`` per CRS of a recorded WMS 1.3.0 capabilities (the root layer's),
    as written: minx, miny, maxx, maxy."""
    text = (DATA / "ogc" / capabilities).read_text(encoding="utf-8")
    boxes = {}
    pattern = (
        r'<BoundingBox CRS="([^"]+)"\s+minx="([^"]+)" miny="([^"]+)" maxx="([^"]+)" maxy="([^"]+)"'
    )
    for code, *values in re.findall(pattern, text):
        boxes.setdefault(code, [float(v) for v in values])
    return boxes


def _wms_map_drawn(browser, dataset: dict, resource_id: str) -> None:
    """Opens the WMS map view; waits for a GetMap through our service proxy, then for the
    answer's pixels on the map."""
    _view_frame(browser, dataset, resource_id, "geo_view")
    proxy = f"/resource/{resource_id}/service_proxy"
    WebDriverWait(browser.driver, 30).until(
        lambda driver: any(
            proxy in url and "request=getmap" in url.lower() for url in browser.requested_urls()
        )
    )
    WebDriverWait(browser.driver, 30).until(
        lambda driver: driver.execute_script(_COLOURED_PIXELS_JS) > 0
    )
    browser.driver.switch_to.default_content()


# Centres (longitude, latitude) of the features on the vector layers of the OpenLayers map view
# (geoview's module instance).
_VECTOR_FEATURES_JS = """
const viewer = (ckan.module.instances.olpreview || [])[0];
const centres = [];
if (viewer && viewer.map) {
  const projection = viewer.map.getView().getProjection();
  viewer.map.getLayers().forEach(function (layer) {
    if (!(layer instanceof ol.layer.Vector)) return;
    layer.getSource().getFeatures().forEach(function (feature) {
      const centre = ol.extent.getCenter(feature.getGeometry().getExtent());
      centres.push(ol.proj.toLonLat(centre, projection));
    });
  });
}
return centres;
"""


def test_csv_previews_as_a_table_and_geojson_wms_wfs_as_maps(
    browser, preview_server, file_server, ogc_partner, xloader_token, monkeypatch
):
    browser = browser.on(preview_server)
    # xloader reports its result to the site's API: here the real server, which then adds the
    # table view (the job itself runs in this process, as `ckan jobs worker --burst` would).
    monkeypatch.setitem(tk.config, "ckanext.xloader.site_url", preview_server)
    user = {"user": xloader_token["name"]}
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(xloader_token["name"], organization["name"])
    csv = call_action(
        "resource_create", user, package_id=dataset["id"], name="Haltestellen (CSV)",
        url=f"{file_server}/vvs-stops.csv", format="CSV",
    )  # fmt: skip
    geojson = call_action(
        "resource_create", user, package_id=dataset["id"], name="Haltestellen (GeoJSON)",
        url=f"{file_server}/vvs-stops.geojson", format="GeoJSON",
    )  # fmt: skip
    wms = call_action(
        "resource_create", user, package_id=dataset["id"], name="Straßen (WMS)",
        url=f"{ogc_partner}/cgi-bin/mapserv?map=wms_simple.map&SERVICE=WMS&REQUEST=GetCapabilities",
        format="WMS",
    )  # fmt: skip
    inspire_wms = call_action(
        "resource_create", user, package_id=dataset["id"], name="Verkehrsnetze (INSPIRE-WMS)",
        url=f"{ogc_partner}/cgi-bin/mapserv?map=wms_inspire.map&SERVICE=WMS&REQUEST=GetCapabilities#TN.CommonTransportElements",
        format="WMS",
    )  # fmt: skip
    wfs = call_action(
        "resource_create", user, package_id=dataset["id"], name="Provinzen (WFS)",
        url=f"{ogc_partner}/cgi-bin/mapserv?map=wfs_simple.map&SERVICE=WFS&REQUEST=GetCapabilities",
        format="WFS",
    )  # fmt: skip
    # Cologne's WFS offers its feature types only in ETRS89/UTM 32N (EPSG:25832)
    koeln_wfs = call_action(
        "resource_create", user, package_id=dataset["id"], name="Adressen Blumenberg (WFS)",
        url=f"{ogc_partner}/arcgis/services/basiskarten/adressen_stadtteil/MapServer/WFSServer"
        "?SERVICE=WFS&REQUEST=GetCapabilities#adressen_stadtteil:Blumenberg",
        format="WFS",
    )  # fmt: skip
    run_queued_jobs()

    _view_frame(browser, dataset, csv["id"], "datatables_view")
    WebDriverWait(browser.driver, 30).until(
        lambda driver: "Talstraße" in driver.find_element("css selector", "body").text
    )
    table_text = browser.text("body")
    browser.driver.switch_to.default_content()
    browser.screenshot("preview-table")

    _view_frame(browser, dataset, geojson["id"], "geojson_view")
    WebDriverWait(browser.driver, 30).until(
        lambda driver: len(driver.find_elements("css selector", ".leaflet-marker-icon")) == 17
    )
    map_text = browser.text("body")
    browser.driver.switch_to.default_content()
    browser.screenshot("preview-map")

    # WMS (stored as WMS_SRVC, decision 0417): OpenLayers asks our service proxy for the
    # partner's capabilities and map images (0418), never the partner itself, and draws them
    _wms_map_drawn(browser, dataset, wms["id"])
    browser.screenshot("preview-wms")
    # an INSPIRE view service in EPSG:25833, ETRS89 and EPSG:4326: asked in EPSG:4326 (0420)
    _wms_map_drawn(browser, dataset, inspire_wms["id"])
    browser.screenshot("preview-wms-inspire")
    # the map's German and INSPIRE projections (0420) against MapServer's (PROJ's) recorded
    # extents of the same layer: definitions, zones and axis order
    recorded = _recorded_bounding_boxes("mapserver-inspire-wms-getcapabilities-130.xml")
    checked = ["EPSG:25833", "EPSG:4258", "EPSG:3044", "EPSG:3045"]
    native = recorded["EPSG:25833"]
    browser.driver.switch_to.frame(browser.wait_for("iframe"))
    computed = browser.driver.execute_script(_EXTENTS_JS, "EPSG:25833", native, checked)
    browser.driver.switch_to.default_content()

    # WFS: capabilities, feature type and GML 2 features through our proxy, on a vector layer
    _view_frame(browser, dataset, wfs["id"], "geo_view")
    WebDriverWait(browser.driver, 30).until(
        lambda driver: driver.execute_script(_VECTOR_FEATURES_JS)
    )
    wfs_features = browser.driver.execute_script(_VECTOR_FEATURES_JS)
    browser.driver.switch_to.default_content()
    browser.screenshot("preview-wfs")

    # WFS in a German CRS only (decision 0420): the viewer knows EPSG:25832 from our table,
    # asks the features in it through our proxy and never asks epsg.io for the definition
    _view_frame(browser, dataset, koeln_wfs["id"], "geo_view")
    WebDriverWait(browser.driver, 30).until(
        lambda driver: any(
            r.get("request") == "GetFeature" and "map" not in r for r in OGCPartner.received
        )
    )
    browser.driver.switch_to.default_content()
    browser.screenshot("preview-wfs-epsg25832")

    assert "IBM" in table_text and "48.656576" in table_text
    assert "No map provider" not in map_text
    assert any(
        url.endswith("/datenraum-preview/blank-tile.png") for url in browser.requested_urls()
    )
    assert browser.third_party_requests() == []
    # the partner is on 127.0.0.1 here, which third_party_requests() does not count
    assert [url for url in browser.requested_urls() if url.startswith(ogc_partner)] == []
    # asked in a projection the partner offers (0418), the recorded capabilities list EPSG:4326
    # but not the base tile's EPSG:3857; the INSPIRE service's German CRSs, known to the map
    # (0420), come after EPSG:4326
    asked = {
        (r.get("map"), r.get("layers"), r.get("crs"))
        for r in OGCPartner.received
        if r.get("request") == "GetMap"
    }
    assert asked == {
        ("wms_simple.map", "road", "EPSG:4326"),
        ("wms_inspire.map", "TN.CommonTransportElements", "EPSG:4326"),
    }
    # the recorded GetFeature answer holds one polygon (province.Quebec, Îles de la Madeleine,
    # written lat/lon as WFS 1.1 has it): on the map at longitude -61.48, latitude 47.78
    assert len(wfs_features) == 1, wfs_features
    assert wfs_features[0] == pytest.approx([-61.484, 47.782], abs=0.01)
    wfs_requests = [r["request"] for r in OGCPartner.received if r.get("map") == "wfs_simple.map"]
    assert {"GetCapabilities", "DescribeFeatureType", "GetFeature"} <= set(wfs_requests)
    for code in checked:
        # the recording has six significant digits: ±50 m in a native northing of 5.9214e+06
        tolerance = 0.002 if code == "EPSG:4258" else 150
        assert computed[code] == pytest.approx(recorded[code], abs=tolerance), code
    koeln_get_feature = [
        r for r in OGCPartner.received if r.get("request") == "GetFeature" and "map" not in r
    ]
    assert {r.get("srsname") for r in koeln_get_feature} == {"EPSG:25832"}
    assert {r.get("typename") for r in koeln_get_feature} == {"adressen_stadtteil:Blumenberg"}
