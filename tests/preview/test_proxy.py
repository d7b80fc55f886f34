"""The preview proxies (CKAN's resource proxy, geoview's service proxy) go through the safe
fetcher: a resource URL into a private network is refused, not shown to visitors (decision 0414).

The partner's file server of these tests listens on 127.0.0.1, which is exactly such a target."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .. import dcatapde_factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ALLOW = pytest.mark.ckan_config("ckanext.datenraum.preview.allow_private_targets", "true")


@pytest.fixture
def geojson_resource(file_server):
    """A public dataset with a GeoJSON resource on the partner's server; returns proxy paths."""
    editor = factories.Sysadmin()["name"]
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(editor, organization["name"])
    resource = call_action(
        "resource_create",
        {"user": editor},
        package_id=dataset["id"],
        url=f"{file_server}/vvs-stops.geojson?service=WFS&request=GetFeature&city=Stuttgart",
        format="GeoJSON",
        name="Haltestellen",
    )
    base = f"/dataset/{dataset['id']}/resource/{resource['id']}"
    return {"proxy": f"{base}/proxy", "service": f"{base}/service_proxy"}


@pytest.mark.parametrize("kind", ["proxy", "service"])
def test_a_resource_on_a_private_address_is_refused(app, geojson_resource, kind):
    response = app.get(geojson_resource[kind], status=403)

    assert "FeatureCollection" not in response.body
    assert "cannot be shown in the preview" in response.body
    german = app.get("/de" + geojson_resource[kind], status=403)
    assert "kann in der Vorschau nicht gezeigt werden" in german.body


@ALLOW
@pytest.mark.parametrize("kind", ["proxy", "service"])
def test_where_the_operator_allows_private_targets_the_file_is_proxied(app, geojson_resource, kind):
    response = app.get(geojson_resource[kind], status=200)

    assert response.json["type"] == "FeatureCollection"
    assert len(response.json["features"]) == 17
    assert response.headers["Content-Security-Policy"] == "sandbox"


@ALLOW
@pytest.mark.ckan_config("ckan.resource_proxy.max_file_size", "1000")
def test_a_file_over_the_size_cap_is_not_proxied(app, geojson_resource):
    response = app.get(geojson_resource["proxy"], status=409)

    assert "FeatureCollection" not in response.body


def test_an_unknown_resource_is_not_found(app):
    app.get("/dataset/x/resource/does-not-exist/proxy", status=404)


def test_a_private_datasets_resource_is_not_proxied_for_anonymous_visitors(app, file_server):
    editor = factories.Sysadmin()["name"]
    organization = dcatapde_factories.organization()
    dataset = dcatapde_factories.create_dataset(editor, organization["name"], private=True)
    resource = call_action(
        "resource_create",
        {"user": editor},
        package_id=dataset["id"],
        url=f"{file_server}/vvs-stops.geojson",
        format="GeoJSON",
    )

    app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/proxy", status=403)
