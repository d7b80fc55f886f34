"""Bad input gets a field error (or a 400), never an HTTP 500, and nothing is half-written.

Issue 12, item 12: NUL, lone surrogates and control characters, deeply nested ``geom``, a
200,000-character title and other huge values, through the action API, the web forms and
the pages. Each case answered 500 (or was stored) before the input guard.
"""

from __future__ import annotations

import json

import pytest

from ckanext.datenraum.common import limits
from tests import dcatapde_factories

CANNOT_BE_STORED = "Contains a character that cannot be stored"
NICHT_GESPEICHERT = "Enthält ein Zeichen, das nicht gespeichert werden kann"


def _post(site, world, action: str, body: str, prefix: str = ""):
    headers = {**world.headers("sysadmin"), "Content-Type": "application/json"}
    return site.post(f"{prefix}/api/3/action/{action}", data=body, headers=headers)


def _dataset(world, **fields) -> dict:
    return dcatapde_factories.minimal_dataset_fields(world.org_a["id"], **fields)


def _deep_geometry(levels: int) -> str:
    return '{"type": "Polygon", "coordinates": ' + "[" * levels + "]" * levels + "}"


# (case, action, data, the error's path to a message)
DATASET_CASES = [
    ("NUL in the title", {"title": "Baum\x00kataster"}, ("title", 0)),
    ("bell in the description", {"notes": "Kronen\x07durchmesser"}, ("notes", 0)),
    ("escape in a keyword", {"tag_string": "Bäume,\x1b[31m"}, ("tag_string", 0)),
    (
        "DEL in a resource name",
        {"resources": [{"url": "https://example.org/a.csv", "name": "A\x7f"}]},
        ("resources", 0, "name", 0),
    ),
    (
        "C1 control in a publisher",
        {"publisher": [{"name": "Stadt\x85Jena"}]},
        ("publisher", 0, "name", 0),
    ),
    (
        "U+FFFE in an extra",
        {"extras": [{"key": "quelle", "value": "\ufffe"}]},
        ("extras", 0, "value", 0),
    ),
    ("200,000-character title", {"title": "x" * 200_000}, ("title", 0)),
    ("10 MB description", {"notes": "Bäume " * 1_700_000}, ("notes", 0)),
    (
        "40,000-character resource URL",
        {"resources": [{"url": "https://example.org/" + "a" * 40_000}]},
        ("resources", 0, "url", 0),
    ),
    (
        "deeply nested geometry",
        {"spatial_coverage": [{"geom": _deep_geometry(5_000)}]},
        ("spatial_coverage", 0, "geom", 0),
    ),
    (
        "geometry too large for the index",
        {
            "spatial_coverage": [
                {
                    "geom": json.dumps(
                        {
                            "type": "Polygon",
                            "coordinates": [[[11.5 + i * 1e-5, 50.9] for i in range(2_000)]],
                        }
                    )
                }
            ]
        },
        ("spatial_coverage", 0),
    ),
]


def _at(errors, path):
    for step in path:
        errors = errors[step]
    return errors


@pytest.mark.parametrize(
    ("fields", "path"),
    [case[1:] for case in DATASET_CASES],
    ids=[case[0] for case in DATASET_CASES],
)
def test_package_create_refuses_with_a_field_error(site, world, fields, path):
    name = f"unsafe-{abs(hash(path)) % 10**8}"
    response = _post(
        site, world, "package_create", json.dumps(_dataset(world, name=name, **fields))
    )

    assert response.status_code == 409
    assert response.json["error"]["__type"] == "Validation Error"
    assert isinstance(_at(response.json["error"], path), str)
    assert (
        site.get(
            f"/api/3/action/package_show?id={name}", headers=world.headers("sysadmin")
        ).status_code
        == 404
    )


def test_a_refused_value_comes_with_the_errors_of_the_other_fields(site, world):
    """A form shows every error at once: the guard's, and the schema's for the other fields."""
    fields = _dataset(world, name="guard-and-schema", title="Bäume\x07", notes="")
    response = _post(site, world, "package_create", json.dumps(fields))

    errors = response.json["error"]
    assert response.status_code == 409
    assert "U+0007" in errors["title"][0]
    assert errors.get("notes"), errors  # the schema's error for a field the guard found nothing in


def test_lone_surrogate_in_a_json_body_is_a_field_error(site, world):
    body = json.dumps(_dataset(world, name="surrogat")).replace(
        '"Baumkataster Jena"', '"Baum\\ud800kataster"'
    )

    response = _post(site, world, "package_create", body)

    assert response.status_code == 409
    assert response.json["error"]["title"][0].startswith(CANNOT_BE_STORED)


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("package_show", '{"id": "a\\u0000b"}', "id"),
        ("package_show", '{"id": "a\\udc80"}', "id"),
        ("package_search", '{"q": "baum\\ud800"}', "q"),
        ("organization_list", '{"q": "a\\u0000"}', "q"),
        ("user_list", '{"q": "a\\u0000"}', "q"),
        ("datenraum_usage_organization_report", '{"id": "org\\u0000"}', "id"),
    ],
)
def test_read_actions_refuse_unparseable_parameters(site, world, action, body, field):
    response = _post(site, world, action, body)

    assert response.status_code == 409
    assert list(response.json["error"]) == ["__type", field]


def test_json_body_nested_too_deeply_is_a_bad_request(site, world):
    response = _post(site, world, "package_show", '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}")

    assert response.status_code == 400
    assert response.json["success"] is False


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("organization_create", {"name": "org-nul", "title": "Amt\x00"}, "title"),
        ("organization_create", {"name": "org-lang", "title": "A" * 5_000}, "title"),
        ("group_create", {"name": "gruppe-bel", "description": "Gruppe\x07"}, "description"),
        (
            "user_create",
            {
                "name": "nutzer-nul",
                "email": "n@example.org",
                "password": "Passwort-12345",
                "fullname": "Anna\x00",
            },
            "fullname",
        ),
        (
            "user_create",
            {
                "name": "nutzer-lang",
                "email": "l@example.org",
                "password": "Passwort-12345",
                "about": "x" * 2_000_000,
            },
            "about",
        ),
        (
            "resource_create",
            {"package_id": "datensatz-a", "url": "https://example.org/x", "description": "\x0b"},
            "description",
        ),
        ("config_option_update", {"ckan.site_title": "Datenraum\x00"}, "ckan.site_title"),
    ],
)
def test_other_write_actions_refuse_with_a_field_error(site, world, action, data, field):
    response = _post(site, world, action, json.dumps(data))

    assert response.status_code == 409
    assert field in response.json["error"]


def test_nothing_is_half_written_when_an_update_is_refused(site, world):
    before = site.get("/api/3/action/package_show?id=datensatz-a").json["result"]

    response = _post(
        site,
        world,
        "package_patch",
        json.dumps({"id": "datensatz-a", "notes": "neu", "title": "alt\x07"}),
    )

    after = site.get("/api/3/action/package_show?id=datensatz-a").json["result"]
    assert response.status_code == 409
    assert (after["title"], after["notes"], after["metadata_modified"]) == (
        before["title"],
        before["notes"],
        before["metadata_modified"],
    )


def test_values_at_the_limits_are_accepted(site, world):
    fields = _dataset(
        world,
        name="an-den-grenzen",
        title="ü" * limits.TITLE_CHARS,
        notes="Bäume " * 16_000,
        resources=[{"url": "https://example.org/" + "a" * 7_900}],
        spatial_coverage=[{"geom": json.dumps({"type": "Point", "coordinates": [11.58, 50.92]})}],
    )

    response = _post(site, world, "package_create", json.dumps(fields))

    assert response.status_code == 200, response.json


def test_api_messages_are_german_under_de(site, world):
    response = _post(
        site,
        world,
        "package_create",
        json.dumps(_dataset(world, name="deutsch", title="Baum\x07")),
        prefix="/de",
    )

    assert response.json["error"]["title"][0].startswith(NICHT_GESPEICHERT)


@pytest.mark.parametrize(
    ("prefix", "message"), [("", CANNOT_BE_STORED), ("/de", NICHT_GESPEICHERT)]
)
def test_edit_form_shows_the_error_at_the_field(site, world, prefix, message):
    dataset = world.dataset_a
    form = {
        "name": dataset["name"],
        "title": "Baumkataster\x07Jena",
        "notes": dataset["notes"],
        "owner_org": dataset["owner_org"],
        "tag_string": "Bäume",
        "license_id": dataset["license_id"],
        "save": "",
    }

    response = site.post(
        f"{prefix}/dataset/edit/{dataset['name']}", data=form, headers=world.headers("sysadmin")
    )

    assert response.status_code == 200
    assert message in response.body
    assert (
        site.get(f"/api/3/action/package_show?id={dataset['name']}").json["result"]["title"]
        == dataset["title"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/dataset/a%00",
        "/dataset/?q=%00",
        "/organization/a%00",
        "/group/a%00",
        "/user/a%00",
        "/usage/organization/a%00",
        "/dataset/datensatz-a/resource/a%00",
    ],
)
def test_a_nul_in_an_address_is_a_400_page(site, path):
    assert site.get(path).status_code == 400


def test_a_nul_in_the_login_form_is_a_400_page(site, world):
    response = site.post("/user/login", data={"login": "anna\x00", "password": "x"})

    assert response.status_code == 400
