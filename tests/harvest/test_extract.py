"""Pure extract functions and safety helpers (no CKAN, no network)."""

from __future__ import annotations

import pytest
from lxml import etree

from ckanext.datenraum.common import http
from ckanext.datenraum.common.xml import UnsafeXML, parse_xml
from ckanext.datenraum.harvest import mapping
from ckanext.datenraum.harvest.extract import csw, gtfs, oaipmh, services
from ckanext.datenraum.harvest.extract.licenses import licence_statements
from ckanext.datenraum.harvest.extract.record import Distribution, Record
from ckanext.datenraum.harvest.planning import Current, Item, plan_harvest
from tests.harvest.conftest import PARTNERS


def _iso(name: str) -> etree._Element:
    return parse_xml((PARTNERS / "iso19139" / name).read_bytes())


def test_iso_record_maps_date_stamp_bbox_and_keywords():
    root = parse_xml((PARTNERS / "csw" / "gdi-de" / "GetRecordsResults.xml").read_bytes())
    page = csw.parse_get_records(root)
    record = csw.extract_record(page.records[1])

    assert page.next_record == 0 and csw.next_start(page, 1) is None
    assert record.identifier == "142d56bb-108b-4e6a-96a6-8239b80af77e"
    assert record.modified == "2026-03-23"
    assert record.bbox == pytest.approx((6.098, 47.239, 15.579, 55.054), abs=1e-3)
    assert record.keywords


def test_service_records_are_attached_to_the_dataset_they_operate_on():
    root = parse_xml((PARTNERS / "csw" / "gdi-de" / "GetRecordsResults.xml").read_bytes())
    elements = csw.parse_get_records(root).records
    records = {csw.extract_identifier(md): csw.extract_record(md) for md in elements}
    services = {
        csw.extract_identifier(md): csw.operates_on(md) for md in elements if csw.is_service(md)
    }

    csw.attach_services(records, services)

    assert "256a7a13-2bc7-462c-8353-4d09f6c3f8a8" not in records
    dataset = records["142d56bb-108b-4e6a-96a6-8239b80af77e"]
    assert {d.service_type for d in dataset.distributions} >= {"WMS", "WFS"}
    # the service records name the endpoints the dataset record links to
    assert {d.service_title for d in dataset.distributions} >= {
        "INSPIRE-WMS Geographical Names GN250",
        "INSPIRE-WFS Geographical Names GN250",
    }
    hydro = records["f1950cd0-de59-413c-93fd-b669af06c863"]
    wms = next(d for d in hydro.distributions if d.service_type == "WMS")
    assert wms.service_title.startswith("INSPIRE-WMS HE Hydro")


@pytest.mark.parametrize(
    ("url", "kind", "endpoint", "capabilities"),
    [
        (
            "https://sg.geodatenzentrum.de/wms_gn250_inspire?",
            "WMS",
            "https://sg.geodatenzentrum.de/wms_gn250_inspire",
            "https://sg.geodatenzentrum.de/wms_gn250_inspire?SERVICE=WMS&REQUEST=GetCapabilities",
        ),
        (
            "https://geo.example/wfs/717?REQUEST=GetCapabilities&VERSION=2.0.0&SERVICE=WFS",
            "WFS",
            "https://geo.example/wfs/717",
            "https://geo.example/wfs/717?SERVICE=WFS&REQUEST=GetCapabilities",
        ),
        (
            "https://geo.example/wms.php?layer_id=61286&REQUEST=GetCapabilities&SERVICE=WMS",
            "WMS",
            "https://geo.example/wms.php?layer_id=61286",
            "https://geo.example/wms.php?layer_id=61286&SERVICE=WMS&REQUEST=GetCapabilities",
        ),
        (
            "https://geo.example/wmts/1.0.0/WMTSCapabilities.xml",
            "WMTS",
            "https://geo.example/wmts/1.0.0/WMTSCapabilities.xml",
            "https://geo.example/wmts/1.0.0/WMTSCapabilities.xml",
        ),
        ("https://geo.example/atom/feed.xml", "ATOM", "https://geo.example/atom/feed.xml", None),
    ],
)
def test_service_endpoint_and_capabilities_document_from_an_online_resource(
    url, kind, endpoint, capabilities
):
    assert services.endpoint(url) == endpoint
    assert services.capabilities_url(url, kind) == capabilities


@pytest.mark.parametrize(
    ("kind", "file_type", "standard"),
    [
        ("WMS", "WMS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wms"),
        ("WFS", "WFS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wfs"),
        ("WMTS", "WMTS_SRVC", "http://www.opengis.net/def/serviceType/ogc/wmts"),
        ("ATOM", "ATOM", "https://www.rfc-editor.org/rfc/rfc4287"),
        ("CSW", "XML", "http://www.opengis.net/def/serviceType/ogc/csw"),
    ],
)
def test_service_distribution_gets_its_file_type_and_a_data_service(kind, file_type, standard):
    distribution = Distribution(url="https://geo.example/dienst?", service_type=kind)

    resource = mapping.dataset_from_record(
        Record(identifier="x", title="Karte", distributions=[distribution])
    )["resources"][0]

    assert resource["format"] == file_type
    assert resource["access_url"] == "https://geo.example/dienst"
    (service,) = resource["access_services"]
    assert service["endpoint_url"] == ["https://geo.example/dienst"]
    assert service["conforms_to"] == [standard]
    assert service["title"] == f"{kind}-Dienst"


def test_recorded_iso_records_of_the_waterways_catalogue_are_readable():
    for path in sorted((PARTNERS / "iso19139").glob("*.xml")):
        record = csw.extract_record(parse_xml(path.read_bytes()))
        assert record.title and record.identifier


def test_gdi_de_licence_json_becomes_a_dcat_ap_de_licence():
    hint = '{"id":"geoNutz/20130319","name":"Nutzungsbestimmungen","url":"https://x"}'
    statements = licence_statements(["Quellenvermerk", hint])

    assert mapping.resolve_licence(statements, notes=[]) == ("geonutz/20130319", None)
    assert mapping.resolve_licence(["https://creativecommons.org/licenses/by/4.0/"], notes=[]) == (
        "cc-by/4.0",
        None,
    )


@pytest.mark.parametrize(
    ("statements", "restricted", "expected"),
    [
        (["https://creativecommons.org/licenses/by-nc/4.0/"], False, "cc-by-nc/4.0"),
        (["CC BY-NC-SA 4.0"], False, "other-closed"),
        (["http://dcat-ap.de/def/licenses/dl-by-de/2_0"], False, "dl-by-de/2.0"),
        (["https://www.dcat-ap.de/def/licenses/cc-by-nc-de/4_0"], False, "cc-by-nc/4.0"),
        (["Public Domain"], False, "ccpdm/1.0"),
        (
            [
                "Licence Ouverte / Open Licence https://www.etalab.gouv.fr/licence-ouverte-open-licence"
            ],
            False,
            "other-open",
        ),
        (
            ["https://sg.geodatenzentrum.de/web_public/gdz/lizenz/geonutzv.pdf"],
            False,
            "geonutz/20130319",
        ),
        (["Nutzung nur nach Rücksprache"], False, "other-closed"),
        (["http://dcat-ap.de/def/licenses/cc-by/4.0"], True, "other-closed"),
        ([], False, "dl-by-de/2.0"),  # nothing stated: the source default
    ],
)
def test_a_stated_licence_is_never_made_more_open(statements, restricted, expected):
    notes: list = []

    code, _attribution = mapping.resolve_licence(
        statements, restricted=restricted, default="dl-by-de/2.0", notes=notes
    )

    assert code == expected
    assert bool(notes) == (expected == "other-closed")


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"contact_name": "Pressestelle"}, None),
        (
            {"contact_name": "VVS", "contact_url": "https://www.vvs.de"},
            [{"name": "VVS", "url": "https://www.vvs.de"}],
        ),
        ({"contact_email": "info@example.org"}, [{"email": "info@example.org"}]),
    ],
)
def test_a_contact_point_is_mapped_only_when_it_says_how_to_reach_someone(contact, expected):
    dataset = mapping.dataset_from_record(Record(identifier="x", title="T", **contact))

    assert dataset.get("contact") == expected


def test_gtfs_service_period_uses_calendar_and_added_dates():
    start, end = gtfs.extract_service_period(
        [{"start_date": "20240101", "end_date": "20240630"}],
        [{"date": "20240704", "exception_type": "1"}, {"date": "20250101", "exception_type": "2"}],
    )
    assert (start, end) == ("2024-01-01", "2024-07-04")


def test_gtfs_rejects_a_zip_without_timetable():
    with pytest.raises(gtfs.GTFSError, match="lacks"):
        gtfs.extract_feed(
            (PARTNERS / "gtfs" / "sample-feed-1.zip").read_bytes()[:0]
            or _zip({"agency.txt": "agency_name\nx\n"}),
            "https://x/feed.zip",
        )


def _zip(files: dict) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_oai_no_records_match_is_an_empty_page_and_deleted_records_are_flagged():
    empty = parse_xml(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b'<error code="noRecordsMatch"/></OAI-PMH>'
    )
    deleted = parse_xml(
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record>'
        b'<header status="deleted"><identifier>oai:x:1</identifier></header></record>'
        b"</ListRecords></OAI-PMH>"
    )
    assert oaipmh.parse_list_records(empty).records == []
    assert oaipmh.parse_list_records(deleted).records[0].deleted


@pytest.mark.parametrize(
    "document",
    [
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
        b"<x><unclosed></x>",
    ],
)
def test_unsafe_or_broken_xml_is_refused(document):
    with pytest.raises(UnsafeXML):
        parse_xml(document)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://192.168.0.1/",
        "file:///etc/passwd",
        "gopher://example.org/",
        "http://100.100.100.200/latest/meta-data",  # carrier-grade NAT: a cloud metadata service
        "http://[2002:a9fe:a9fe::1]/",  # 169.254.169.254 tunnelled in 6to4
        "http://[::ffff:10.0.0.1]/",
        "http://[fec0::1]/",
        "http://example.org:99999/",
        "http://[::1/",
    ],
)
def test_private_loopback_link_local_and_non_http_targets_are_refused(url):
    with pytest.raises(http.RefusedTarget):
        http.check_target(url, http.FetchPolicy())


def test_allowed_private_target_passes_the_check():
    http.check_target("http://127.0.0.1:8080/", http.FetchPolicy(allow_private_targets=True))


def test_guard_keeps_everything_when_too_many_records_vanish():
    current = {f"g{i}": Current(f"p{i}", "f") for i in range(10)}
    items = [Item(f"g{i}", {}, "f") for i in range(8)]

    tripped = plan_harvest(current, items[:7], present={f"g{i}" for i in range(7)}, threshold=0.2)
    allowed = plan_harvest(current, items[:8], present={f"g{i}" for i in range(8)}, threshold=0.2)

    assert tripped.withdraw == [] and "3 of 10" in tripped.guard_message
    assert allowed.withdraw == ["g8", "g9"] and allowed.guard_message is None
    assert allowed.unchanged == [f"g{i}" for i in range(8)]
