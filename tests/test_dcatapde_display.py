"""How datasets look to users: licence titles and openness, the "Additional info" table."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum.dcatapde import licences, vocabularies
from ckanext.datenraum.dcatapde.helpers import datenraum_is_filled

from .dcatapde_factories import create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.mark.parametrize(
    ("licence", "title", "is_open"),
    [
        ("dl-by-de/2.0", "Datenlizenz Deutschland Namensnennung 2.0", True),
        ("dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0", True),
        ("cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)", True),
        ("other-closed", None, False),
    ],
)
@pytest.mark.ckan_config("ckan.locale_default", "de")
def test_package_show_knows_title_and_openness_of_dcat_ap_de_licences(licence, title, is_open):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], license_id=licence)

    shown = call_action("package_show", id=dataset["id"])

    assert shown["license_title"] != licence
    if title:
        assert shown["license_title"] == title
    assert shown["isopen"] is is_open


def test_licence_list_offers_the_dcat_ap_de_licences():
    licences = {licence["id"]: licence for licence in call_action("license_list")}

    assert licences["dl-by-de/2.0"]["url"].startswith("http")
    assert "notspecified" not in licences


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("/de/dataset/", "Datenlizenz Deutschland Namensnennung 2.0"),
        ("/en/dataset/", "Data licence Germany – attribution – version 2.0"),
    ],
)
def test_licence_title_is_in_the_page_language(app, page, title):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"], license_id="dl-by-de/2.0")

    assert title in app.get(page + dataset["name"]).body
    editor = {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}
    form = app.get(page + "edit/" + dataset["name"], headers=editor).body
    assert f">{title}</option>" in form


def test_every_licence_has_an_english_title():
    untranslated = [
        licence["id"]
        for licence in licences.licence_dicts()
        if licence["titles"]["en"] == licence["titles"]["de"]
        and licence["id"] not in vocabularies.english_labels("licenses")
    ]

    assert untranslated == []


def _row_labels(html: str) -> set[str]:
    return set(re.findall(r'<th scope="row" class="dataset-label">\s*([^<]*?)\s*</th>', html))


def test_additional_info_lists_only_filled_fields(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(
        sysadmin["name"],
        organization()["id"],
        temporal_start="2020-01-01",
        publisher=[{"name": "", "uri": "", "type": "", "email": "", "url": ""}],
    )

    labels = _row_labels(app.get(f"/dataset/{dataset['name']}").body)

    assert "Covered from" in labels
    assert not labels & {"Originator", "Version", "Custodian", "Covered until"}
    assert "Publisher (if not the organisation)" not in labels


def test_is_filled_ignores_blanks_and_all_empty_groups():
    assert not datenraum_is_filled(None)
    assert not datenraum_is_filled("  ")
    assert not datenraum_is_filled([{"name": "", "email": None}])
    assert datenraum_is_filled([{"name": "", "email": "a@example.org"}])
    assert datenraum_is_filled(0)


def test_all_empty_subfield_groups_are_not_stored():
    sysadmin = factories.Sysadmin()
    blank_agent = {"name": "", "uri": "", "type": "", "email": "", "url": ""}
    dataset = create_dataset(
        sysadmin["name"],
        organization()["id"],
        publisher=[blank_agent],
        contact=[
            {"name": " ", "email": "", "url": "", "phone": ""},
            {"name": "Grünflächenamt", "email": "gruen@example.org", "url": "", "phone": ""},
        ],
    )

    shown = call_action("package_show", id=dataset["id"])

    assert not shown.get("publisher")
    assert [contact["name"] for contact in shown["contact"]] == ["Grünflächenamt"]


def test_blanking_a_stored_group_removes_it_on_update():
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(
        sysadmin["name"],
        organization()["id"],
        publisher=[{"name": "Stadt Jena", "uri": "", "type": "", "email": "", "url": ""}],
    )

    dataset["publisher"] = [{"name": "", "uri": "", "type": "", "email": "", "url": ""}]
    call_action("package_update", {"user": sysadmin["name"]}, **dataset)

    assert not call_action("package_show", id=dataset["id"]).get("publisher")


def test_blank_access_service_groups_are_not_stored():
    sysadmin = factories.Sysadmin()
    blank_service = {"title": "", "endpoint_url": [], "endpoint_description": "", "uri": ""}
    resource = {"url": "https://example.org/a.csv", "access_services": [blank_service]}
    dataset = create_dataset(sysadmin["name"], organization()["id"], resources=[resource])

    shown = call_action("package_show", id=dataset["id"])

    assert not shown["resources"][0].get("access_services")


def test_resource_page_shows_its_access_service(app):
    sysadmin = factories.Sysadmin()
    wms = "https://geo.jena.de/wms/baumkataster"
    resource = {
        "url": wms,
        "name": "Baumkataster (WMS)",
        "format": "WMS_SRVC",
        "access_services": [
            {
                "title": "WMS Baumkataster Jena",
                "endpoint_url": [wms],
                "endpoint_description": f"{wms}?SERVICE=WMS&REQUEST=GetCapabilities",
                "conforms_to": ["http://www.opengis.net/def/serviceType/ogc/wms"],
            }
        ],
    }
    dataset = create_dataset(sysadmin["name"], organization()["id"], resources=[resource])
    resource_id = call_action("package_show", id=dataset["id"])["resources"][0]["id"]

    html = app.get(f"/dataset/{dataset['name']}/resource/{resource_id}").body

    assert "Access services" in html
    assert "WMS Baumkataster Jena" in html
    assert f'href="{wms}?SERVICE=WMS&amp;REQUEST=GetCapabilities"' in html
    assert "http://www.opengis.net/def/serviceType/ogc/wms" in html


def test_resource_form_offers_access_services_in_german(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])
    resource_id = call_action("package_show", id=dataset["id"])["resources"][0]["id"]
    token = call_action(
        "api_token_create", {"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )["token"]

    form = app.get(
        f"/de/dataset/{dataset['name']}/resource/{resource_id}/edit",
        headers={"Authorization": token},
    ).body

    assert "Zugriffsdienst" in form
    assert "Endpunktbeschreibung" in form
    assert "access_services-REPEATING-INDEX0-endpoint_url" in form  # scheming 3.1 template


# --- issue 13, defect 9: pages show names, not raw data ---------------------------------------

JENA = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
MUNICIPALITY_LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"


def _additional_info(html: str) -> str:
    return html[html.index("additional-info") :] if "additional-info" in html else html


def test_political_coverage_and_dates_show_as_a_person_reads_them(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(
        sysadmin["name"],
        organization()["id"],
        political_geocoding_uri=[JENA],
        temporal_start="2024",
        temporal_end="2024-03",
        issued="2003-04-29T15:57:01Z",
        spatial_coverage=[{"uri": JENA}],
    )

    html = _additional_info(app.get(f"/de/dataset/{dataset['name']}").body)

    assert "Jena, Stadt (Gemeinde: kreisfreie Stadt, Thüringen)" in html
    assert f">{JENA}<" not in html
    assert ">2024<" in html and "März 2024" in html and "29. April 2003" in html
    assert "Gebiet 1" not in html and "Geometrie" not in html


def test_organisation_page_shows_the_publisher_type_by_name(app):
    org = organization(
        name="stadt-jena",
        title="Stadt Jena",
        dcat_type="http://purl.org/adms/publishertype/LocalAuthority",
    )

    html = app.get(f"/en/organization/about/{org['name']}").body

    assert "http://purl.org/adms/publishertype/LocalAuthority" not in html.replace(
        'href="http://purl.org/adms/publishertype/LocalAuthority"', ""
    )


def test_resource_page_lists_no_empty_rows_and_the_licence_once(app):
    sysadmin = factories.Sysadmin()
    dataset = create_dataset(sysadmin["name"], organization()["id"])
    resource_id = call_action("package_show", id=dataset["id"])["resources"][0]["id"]

    html = app.get(f"/de/dataset/{dataset['name']}/resource/{resource_id}").body
    table = html[html.index("Zusätzliche Informationen") :]
    rows = re.findall(r"<th scope=\"row\">\s*([^<]+?)\s*</th>\s*<td>\s*</td>", table)

    assert rows == []
    assert table.count(">Lizenz<") == 1


def test_organisation_logo_is_described_by_its_name_not_its_slug(app):
    sysadmin = factories.Sysadmin()
    org = organization(name="stadt-jena", title="Stadt Jena")
    dataset = create_dataset(sysadmin["name"], org["id"])

    html = app.get(f"/de/dataset/{dataset['name']}").body

    assert 'alt="stadt-jena"' not in html
    assert 'alt="Logo von Stadt Jena"' in html
