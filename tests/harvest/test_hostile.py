"""Issue 12, harvest items: a hostile organisation editor and hostile partners.

Each case goes through the real path: the ckanext-harvest action API over HTTP with the
editor's token, or a harvest job through the real gather/fetch/import stages and queues.
"""

from __future__ import annotations

import html
import io
import json
import re
import struct
import zipfile

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestGatherError, HarvestObjectError

from tests.harvest.conftest import PARTNERS, harvested, make_source, run, snapshot
from tests.harvest.partner_server import Answer

DCAT_DATASET = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/d/{n}> a dcat:Dataset ; dct:identifier "{identifier}" ;
    dct:title "{title}" ; dct:description "Beschreibung" ; dcat:keyword "Test" ;
    dcat:distribution <https://example.org/d/{n}/csv> .
<https://example.org/d/{n}/csv> a dcat:Distribution ; dcat:accessURL <https://example.org/{n}.csv> .
"""


def _dcat(n: int, identifier: str, title: str) -> Answer:
    body = DCAT_DATASET.format(n=n, identifier=identifier, title=title)
    return Answer(body.encode(), content_type="text/turtle")


def _api(app, action: str, token: str, **data):
    return app.post(
        f"/api/3/action/{action}",
        json=data,
        headers={"Authorization": token},
        status=None,
    )


@pytest.fixture
def editor(harvest_env):
    user = factories.UserWithToken()
    call_action(
        "organization_member_create",
        id=harvest_env["organization"]["id"],
        username=user["name"],
        role="editor",
    )
    return user


def _source_data(harvest_env, config: dict, name: str = "eigene-quelle") -> dict:
    return {
        "name": name,
        "title": "Eigene Quelle",
        "url": "https://daten.example.org/catalog.ttl",
        "source_type": "datenraum_dcat",
        "owner_org": harvest_env["organization"]["id"],
        "config": json.dumps(config),
    }


# Item 1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        {"allow_private_targets": True},
        {"http": {"timeout": 100000, "max_bytes": 1e12}},
        {"priority": 1000},
        {"withdrawal_guard": 1.0},
    ],
    ids=["private-targets", "caps-and-timeouts", "priority", "guard"],
)
def test_an_editor_cannot_set_protected_source_settings_through_the_api(
    app, harvest_env, editor, config
):
    response = _api(
        app, "harvest_source_create", editor["token"], **_source_data(harvest_env, config)
    )

    assert response.status_code == 409, response.body
    assert "Only sysadmins may set" in response.json["error"]["config"][0]
    assert call_action("harvest_source_list") == []


def test_an_editor_may_create_a_plain_source_but_not_loosen_it_later(app, harvest_env, editor):
    created = _api(app, "harvest_source_create", editor["token"], **_source_data(harvest_env, {}))
    assert created.status_code == 200, created.body
    source_id = created.json["result"]["id"]

    data = {**_source_data(harvest_env, {"allow_private_targets": True}), "id": source_id}
    updated = _api(app, "harvest_source_update", editor["token"], **data)
    patched = _api(
        app,
        "harvest_source_patch",
        editor["token"],
        id=source_id,
        config=json.dumps({"allow_private_targets": True}),
    )

    assert updated.status_code == patched.status_code == 409
    stored = call_action("harvest_source_show", id=source_id)
    assert "allow_private_targets" not in json.loads(stored["config"] or "{}")


def test_sysadmin_settings_are_bounded(app, harvest_env):
    sysadmin = factories.SysadminWithToken()
    config = {"http": {"timeout": 100000, "max_bytes": 1e12}, "priority": 1000}

    response = _api(
        app, "harvest_source_create", sysadmin["token"], **_source_data(harvest_env, config)
    )

    assert response.status_code == 409, response.body
    problems = " ".join(response.json["error"]["config"])
    assert "timeout" in problems and "priority" in problems


# Item 2 -------------------------------------------------------------------------------------


def test_a_source_of_another_organisation_never_takes_over_a_dataset(harvest_env, partner):
    partner.routes["/a.ttl"] = _dcat(1, "urn:jena:baeume", "Baumkataster Jena")
    partner.routes["/b.ttl"] = _dcat(2, "urn:jena:baeume", "Übernommen")
    rightful = make_source(harvest_env, "datenraum_dcat", partner.url("/a.ttl"), name="jena")
    run(rightful)
    other_org = factories.Organization()
    intruder = make_source(
        {**harvest_env, "organization": other_org},
        "datenraum_dcat",
        partner.url("/b.ttl"),
        name="fremd",
        priority=100,  # the highest a sysadmin may give
    )

    run(intruder)
    partner.routes["/a.ttl"] = _dcat(1, "urn:jena:baeume", "Baumkataster Jena 2025")
    run(rightful)

    (dataset,) = harvested(rightful).values()
    assert dataset["owner_org"] == harvest_env["organization"]["id"]
    assert dataset["title"] == "Baumkataster Jena 2025"  # the rightful source still updates it
    assert harvested(intruder) == {}


# Item 3 (harvest side; the file import is in tests/test_dcatapde_import.py) ------------------


def _jsonld_catalogue(context) -> Answer:
    document = {
        "@context": context,
        "@id": "https://example.org/d/1",
        "@type": "http://www.w3.org/ns/dcat#Dataset",
        "title": "Eins",
        "description": "Beschreibung",
        "keyword": "Test",
    }
    return Answer(json.dumps(document).encode(), content_type="application/ld+json")


CONTEXT = {
    "@context": {
        "title": "http://purl.org/dc/terms/title",
        "description": "http://purl.org/dc/terms/description",
        "keyword": "http://www.w3.org/ns/dcat#keyword",
    }
}


def test_a_remote_jsonld_context_is_fetched_by_the_safe_fetcher_not_by_rdflib(harvest_env, partner):
    partner.routes["/context.jsonld"] = Answer(json.dumps(CONTEXT).encode(), "application/json")
    partner.routes["/catalog.jsonld"] = _jsonld_catalogue(partner.url("/context.jsonld"))
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.jsonld"))

    run(source)

    assert [d["title"] for d in harvested(source).values()] == ["Eins"]
    agents = dict(zip(partner.requests, partner.user_agents, strict=True))
    assert agents["/context.jsonld"].startswith("ckanext-datenraum-harvester")


@pytest.mark.parametrize(
    ("context", "reason"),
    [
        ("file:///etc/hostname", "only http(s) contexts"),
        ("/cut.jsonld", "could not be loaded"),
    ],
    ids=["file-context", "incomplete-read"],
)
def test_a_refused_or_broken_jsonld_context_is_a_gather_error(
    harvest_env, partner, context, reason
):
    partner.routes["/cut.jsonld"] = Answer(b'{"@context": {', declared_length=5000)
    if context.startswith("/"):
        context = partner.url(context)
    partner.routes["/catalog.jsonld"] = _jsonld_catalogue(context)
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.jsonld"))

    job = run(source)

    assert job["status"] == "Finished"
    health = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]
    assert health["state"] == "failing"
    assert any(reason in message for message in health["last_job"]["messages"]), health
    assert run(source)["status"] == "Finished"  # the next job is created and runs


# Item 5 -------------------------------------------------------------------------------------

OAI_WITHOUT_HEADER = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
<record><metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Ohne Kopf</dc:title></oai_dc:dc>
</metadata></record></ListRecords></OAI-PMH>"""

GTFS_FEED = (PARTNERS / "gtfs" / "vvs-bus-764-only.gtfs.zip").read_bytes()


def _feed(change) -> bytes:
    """The recorded GTFS feed rewritten member by member: ``change(name, data)`` → members."""
    source = zipfile.ZipFile(io.BytesIO(GTFS_FEED))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info)):
                archive.writestr(name, data)
    return target.getvalue()


def _same(name, data):
    return [(name, data)]


def _huge_field(name, data):
    if name.endswith("agency.txt"):
        data += b'\n99,"' + b"x" * (129 * 1024) + b'",https://example.org,Europe/Berlin\n'
    return [(name, data)]


def _patched_local_header(feed: bytes, member: str, patch) -> bytes:
    """``feed`` with the local (and central) header of ``member`` changed by ``patch``."""
    data = bytearray(feed)
    archive = zipfile.ZipFile(io.BytesIO(feed))
    info = archive.getinfo(member)
    patch(data, info.header_offset)
    start = 0
    while True:  # the central directory entry of that member
        central = data.find(b"PK\x01\x02", start)
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length].decode() == member:
            patch(data, central, central_directory=True)
            return bytes(data)
        start = central + 4


def _wrong_size(data, offset, central_directory=False):
    field = offset + (24 if central_directory else 22)  # uncompressed size
    struct.pack_into("<I", data, field, struct.unpack_from("<I", data, field)[0] - 7)


def _encrypted(data, offset, central_directory=False):
    field = offset + (8 if central_directory else 6)  # general purpose flags
    struct.pack_into("<H", data, field, struct.unpack_from("<H", data, field)[0] | 0x1)


def _agency_member() -> str:
    return next(n for n in zipfile.ZipFile(io.BytesIO(GTFS_FEED)).namelist() if "agency" in n)


def _ckan_answer(body) -> Answer:
    return Answer(
        body if isinstance(body, bytes) else json.dumps(body).encode(), "application/json"
    )


HOSTILE = {
    "oai-record-without-header": ("datenraum_oaipmh", "/oai", Answer(OAI_WITHOUT_HEADER)),
    "gtfs-field-over-128-kib": (
        "datenraum_gtfs",
        "/gtfs.zip",
        Answer(_feed(_huge_field), "application/zip"),
    ),
    "zip-member-with-wrong-size": (
        "datenraum_gtfs",
        "/gtfs.zip",
        Answer(
            _patched_local_header(_feed(_same), _agency_member(), _wrong_size), "application/zip"
        ),
    ),
    "encrypted-zip": (
        "datenraum_gtfs",
        "/gtfs.zip",
        Answer(
            _patched_local_header(_feed(_same), _agency_member(), _encrypted), "application/zip"
        ),
    ),
    "ckan-deeply-nested-json": (
        "datenraum_ckan",
        "/api/3/action/package_search",
        _ckan_answer(b"[" * 200_000 + b"]" * 200_000),
    ),
    "ckan-result-is-a-list": (
        "datenraum_ckan",
        "/api/3/action/package_search",
        _ckan_answer({"success": True, "result": ["a", 1, None]}),
    ),
    "ckan-result-is-a-string": (
        "datenraum_ckan",
        "/api/3/action/package_search",
        _ckan_answer({"success": True, "result": "kaputt"}),
    ),
    "ckan-result-without-id": (
        "datenraum_ckan",
        "/api/3/action/package_search",
        _ckan_answer({"success": True, "result": {"count": 1, "results": [{"title": "x"}]}}),
    ),
}


class TestHostileAnswers:
    """One catalogue for all cases: each has its own source, named after the case."""

    @pytest.mark.parametrize("case", sorted(HOSTILE))
    def test_every_hostile_answer_ends_as_a_recorded_error_with_the_job_finished(
        self, harvest_class_env, partner, case
    ):
        source_type, path, answer = HOSTILE[case]
        partner.routes[f"/{case}{path}"] = answer  # one URL per source (ckanext-harvest)
        base = partner.url(f"/{case}")
        url = base + path if source_type != "datenraum_ckan" else base
        source = make_source(harvest_class_env, source_type, url, name=case)

        job = run(source)

        assert job["status"] == "Finished"
        health = call_action("datenraum_harvest_health", {"ignore_auth": True})
        health = {entry["name"]: entry for entry in health}[case]
        assert health["last_job"]["errors"] >= 1 and health["state"] == "failing", health
        assert run(source)["status"] == "Finished"  # a new job is created and runs


# Item 6 -------------------------------------------------------------------------------------


def test_a_ckan_peer_that_keeps_inventing_ids_is_capped(harvest_env, partner):
    served = []

    def endless(query: dict) -> Answer:
        start = int(query.get("start") or 0)
        count = 10 if start < 2000 else 0  # without a cap a run stops here, 2,000 datasets later
        page = [{"id": f"id-{start + n}", "title": f"Datensatz {start + n}"} for n in range(count)]
        served.append(start)
        return _ckan_answer({"success": True, "result": {"count": 10**9, "results": page}})

    partner.routes["/api/3/action/package_search"] = endless
    source = make_source(
        harvest_env, "datenraum_ckan", partner.url(""), mapping={"rows": 10, "max_records": 50}
    )

    job = run(source)

    assert job["status"] == "Finished"
    assert len(served) <= 6 and snapshot() == {}
    messages = call_action("datenraum_harvest_health", {"ignore_auth": True})[0]["last_job"]
    assert any("more than 50 datasets" in m for m in messages["messages"]), messages


# Item 8 -------------------------------------------------------------------------------------


def test_a_huge_partner_answer_is_stored_as_a_summary(harvest_env, partner):
    """A record the harvester cannot use, quoting a 900 KB title: the stored error row (and every
    other) is capped and says how much was cut, not a 900,000-character row."""
    body = (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        f'[] a dcat:Dataset ; dct:title "{"T" * 900_000}" .\n'
    )
    partner.routes["/catalog.ttl"] = Answer(body.encode(), content_type="text/turtle")
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"))

    run(source)

    stored = [row.message for row in HarvestGatherError.filter().all()]
    stored += [row.message for row in HarvestObjectError.filter().all()]
    assert stored and all(len(message) <= 2100 for message in stored), [len(m) for m in stored]
    assert any("more characters not stored" in message for message in stored), stored


# Item 9 -------------------------------------------------------------------------------------


def test_a_gtfs_zip_of_3000_members_gives_one_resource(harvest_env, partner):
    def padded(name, data):
        members = [(name, data)]
        if name.endswith("agency.txt"):
            members += [(f"extra/notiz-{n}.txt", b"x") for n in range(3000)]
        return members

    partner.routes["/gtfs.zip"] = Answer(_feed(padded), "application/zip")
    source = make_source(harvest_env, "datenraum_gtfs", partner.url("/gtfs.zip"))

    run(source)

    (dataset,) = harvested(source).values()
    assert len(dataset["resources"]) == 1
    assert "und 2" in dataset["notes"] and len(dataset["notes"]) < 5000


# Item 13 ------------------------------------------------------------------------------------


def test_harvest_health_is_forbidden_to_editors_and_anonymous(app, editor):
    assert app.get("/harvest-health", headers={"Authorization": editor["token"]}).status_code == 403
    assert app.get("/harvest-health").status_code == 403


def test_the_source_edit_form_keeps_config_and_frequency_after_a_run(app, harvest_env, partner):
    partner.routes["/a.ttl"] = _dcat(1, "urn:jena:1", "Eins")
    source = make_source(harvest_env, "datenraum_dcat", partner.url("/a.ttl"), name="formular")
    sysadmin = harvest_env["sysadmin"]["name"]
    call_action("harvest_source_patch", {"user": sysadmin}, id=source["id"], frequency="WEEKLY")
    run(source)
    headers = {"Authorization": factories.SysadminWithToken()["token"]}

    form = app.get("/harvest/edit/formular", headers=headers)
    config = html.unescape(
        re.search(r'<textarea[^>]*name="config"[^>]*>(.*?)</textarea>', form.body, re.S)[1]
    )
    selected = re.search(
        r'<option[^>]*value="(\w+)"[^>]*selected|<option[^>]*selected[^>]*value="(\w+)"', form.body
    )
    token = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', form.body)
    saved = app.post(
        "/harvest/edit/formular",
        headers=headers,
        data={
            "_csrf_token": token[1] if token else "",
            "name": "formular",
            "title": "Formular",
            "url": source["url"],
            "source_type": "datenraum_dcat",
            "frequency": "MONTHLY",
            "config": config,
            "owner_org": harvest_env["organization"]["id"],
            "notes": "",
            "save": "",
        },
        follow_redirects=False,
    )

    assert json.loads(config)["withdrawal_guard"] == 0.5
    assert "WEEKLY" in (selected[1] or selected[2])
    assert saved.status_code in (302, 303), saved.body[-2000:]
    stored = call_action("harvest_source_show", id=source["id"])
    assert stored["frequency"] == "MONTHLY" and json.loads(stored["config"]) == json.loads(config)


# Item 12 (harvest side) ---------------------------------------------------------------------

CONTROL = "\x07\x1b\x0b\x7f\x85"


def _has_control(value) -> bool:
    return any(char in json.dumps(value, ensure_ascii=False) for char in CONTROL)


@pytest.mark.parametrize("protocol", ["dcat", "ckan"])
def test_control_characters_of_a_partner_are_cleaned_from_harvested_text(
    harvest_env, partner, protocol
):
    """Turtle ``\\u0007`` escapes and JSON ``\\u001b`` give text that XML cannot carry: the
    dataset is harvested, without those characters."""
    if protocol == "dcat":
        body = (
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
            "@prefix dct: <http://purl.org/dc/terms/> .\n"
            '<https://example.org/d/1> a dcat:Dataset ; dct:identifier "steuerzeichen" ;\n'
            '  dct:title "Klingel\\u0007 Escape\\u001B Tab\\u000B" ;\n'
            '  dct:description "Zeile\\u007F eins\\u0085" ; dcat:keyword "Bell\\u0007" ;\n'
            "  dcat:distribution [ a dcat:Distribution ;\n"
            '    dct:title "CSV\\u0007" ; dcat:accessURL <https://example.org/1.csv> ] .\n'
        )
        partner.routes["/catalog.ttl"] = Answer(body.encode(), content_type="text/turtle")
        source = make_source(harvest_env, "datenraum_dcat", partner.url("/catalog.ttl"))
    else:
        record = {
            "id": "steuerzeichen",
            "name": "steuerzeichen",
            "title": "Klingel\x07 Escape\x1b Tab\x0b",
            "notes": "Zeile\x7f eins\x85",
            "license_id": "cc-by",
            "tags": [{"name": "Bell\x07"}],
            "resources": [{"url": "https://example.org/1.csv", "name": "CSV\x07", "format": "CSV"}],
        }
        page = {"success": True, "result": {"count": 1, "results": [record]}}
        partner.routes["/api/3/action/package_search"] = lambda query: _ckan_answer(
            page
            if not int(query.get("start") or 0)
            else {"success": True, "result": {"count": 1, "results": []}}
        )
        source = make_source(harvest_env, "datenraum_ckan", partner.url(""))

    run(source)

    (dataset,) = harvested(source).values()
    assert dataset["title"] == "Klingel Escape Tab"
    assert dataset["notes"].startswith("Zeile eins")
    assert not _has_control(dataset), dataset
