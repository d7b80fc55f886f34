"""The DCAT-AP.de schema accepts complete metadata and rejects bad input with a field error."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum import demo

from .dcatapde_factories import EU, create_dataset, minimal_dataset_fields, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_demo_content_validates_against_the_schema():
    report = demo.ensure_content()

    assert len([item for item in report.created if item.startswith("dataset")]) == 6
    dataset = call_action("package_show", id="haltestellen-oepnv-jena")
    assert dataset["resources"][0]["format"] == "GEOJSON"
    assert dataset["theme"] == [f"{EU}data-theme/TRAN"]


def test_vocabulary_values_round_trip_through_the_api():
    sysadmin = factories.Sysadmin()
    org = organization()

    dataset = create_dataset(
        sysadmin["name"],
        org["id"],
        theme=[f"{EU}data-theme/ENVI", f"{EU}data-theme/REGI"],
        frequency=f"{EU}frequency/ANNUAL",
        temporal_start="2020-01-01",
        temporal_end="2024-12-31",
        contact=[{"name": "Grünflächenamt", "email": "gruen@example.org"}],
    )

    shown = call_action("package_show", id=dataset["id"])
    assert set(shown["theme"]) == {f"{EU}data-theme/ENVI", f"{EU}data-theme/REGI"}
    assert shown["frequency"] == f"{EU}frequency/ANNUAL"
    assert shown["contact"][0]["email"] == "gruen@example.org"
    assert shown["temporal_end"] == "2024-12-31"


def test_format_spellings_are_stored_as_eu_file_type_codes():
    sysadmin = factories.Sysadmin()
    org = organization()

    dataset = create_dataset(
        sysadmin["name"],
        org["id"],
        resources=[
            {"url": "https://example.org/a.csv", "format": "csv"},
            {"url": "https://example.org/b.json", "format": "GeoJSON"},
            {"url": "https://example.org/c.ttl", "format": f"{EU}file-type/RDF_TURTLE"},
        ],
    )

    assert [r["format"] for r in dataset["resources"]] == ["CSV", "GEOJSON", "RDF_TURTLE"]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"license_id": ""}, "license_id"),
        ({"license_id": "cc-by-4.0-unknown"}, "license_id"),
        ({"theme": [f"{EU}data-theme/NOPE"]}, "theme"),
        ({"contributor_id": "jena"}, "contributor_id"),
        ({"url": "www.jena.de"}, "url"),
        ({"conforms_to": ["ISO 19115"]}, "conforms_to"),
        ({"temporal_start": "2024-05-01", "temporal_end": "2024-04-30"}, "temporal_end"),
        ({"tag_string": ""}, "tag_string"),
    ],
)
def test_bad_input_gets_a_field_error_and_stores_nothing(fields, error_field):
    sysadmin = factories.Sysadmin()
    org = organization()

    with pytest.raises(ValidationError) as raised:
        call_action(
            "package_create",
            {"user": sysadmin["name"]},
            **minimal_dataset_fields(org["id"], **fields),
        )

    assert error_field in raised.value.error_dict
    assert model.Session.query(model.Package).count() == 0


def test_contributor_id_is_required_when_the_organisation_has_no_default():
    sysadmin = factories.Sysadmin()
    org = organization(contributor_id="")

    with pytest.raises(ValidationError) as raised:
        create_dataset(sysadmin["name"], org["id"])

    assert "contributor_id" in raised.value.error_dict


def test_bad_resource_licence_is_rejected():
    sysadmin = factories.Sysadmin()
    org = organization()

    with pytest.raises(ValidationError) as raised:
        create_dataset(
            sysadmin["name"],
            org["id"],
            resources=[{"url": "https://example.org/a.csv", "license": "proprietary"}],
        )

    assert "resources" in raised.value.error_dict


def test_api_errors_come_in_the_users_language(app):
    sysadmin = factories.Sysadmin()
    org = organization()
    token = call_action(
        "api_token_create", {"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    fields = minimal_dataset_fields(org["id"], tag_string="", url="www.jena.de")

    german = app.post(
        "/de/api/3/action/package_create",
        json=fields,
        headers={"Authorization": token["token"]},
        status=409,
    ).json["error"]
    english = app.post(
        "/en/api/3/action/package_create",
        json=fields,
        headers={"Authorization": token["token"]},
        status=409,
    ).json["error"]

    assert german["tag_string"] == ["Bitte mindestens ein Schlagwort angeben"]
    assert english["tag_string"] == ["Please enter at least one keyword"]
    assert "http://" in german["url"][0] and "Webadresse" in german["url"][0]
