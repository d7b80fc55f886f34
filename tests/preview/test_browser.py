"""Previews in a real browser: a CSV as a table (xloader, DataStore, datatables_view), a
GeoJSON and a WMS as maps (ckanext-geoview), on a real ``ckan run`` server, with no third-party
request."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from selenium.webdriver.support.ui import WebDriverWait

from .. import dcatapde_factories
from .conftest import run_queued_jobs

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


def test_csv_previews_as_a_table_and_geojson_as_a_map(
    browser, preview_server, file_server, xloader_token, monkeypatch
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
        "resource_create", user, package_id=dataset["id"], name="Bohrungen (WMS)",
        url=f"{file_server}/ogc/dov-wms-getcapabilities-130.xml", format="WMS",
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
    # partner's recorded capabilities, never the partner itself
    _view_frame(browser, dataset, wms["id"], "geo_view")
    proxy = f"/resource/{wms['id']}/service_proxy"
    WebDriverWait(browser.driver, 30).until(
        lambda driver: any(
            proxy in url and "getcapabilities" in url.lower() for url in browser.requested_urls()
        )
    )
    browser.driver.switch_to.default_content()

    assert "IBM" in table_text and "48.656576" in table_text
    assert "No map provider" not in map_text
    assert any(
        url.endswith("/datenraum-preview/blank-tile.png") for url in browser.requested_urls()
    )
    assert browser.third_party_requests() == []
