"""The pages through HTTP: the visitor's anti-spam, German and English, and where participation
meets the rest of the suite (zero-result search, home page, dataset page, usage dashboard)."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.datenraum.participation import antispam
from ckanext.datenraum.participation.model import DataRequest
from tests.dcatapde_factories import create_dataset
from tests.participation.conftest import propose, token_headers

pytestmark = pytest.mark.usefixtures("with_plugins")


def _visitor_form(**fields) -> dict:
    return {
        "title": "Parkplätze mit Ladesäulen",
        "description": "Für eine App.",
        "organization": "stadt-jena",
        antispam.TOKEN_FIELD: antispam.issue_token(time.time() - 30),
        **fields,
    }


def test_a_visitor_proposes_through_the_form_into_the_queue(app, people):
    response = app.post("/de/datarequest/new", data=_visitor_form())

    assert response.status_code == 200
    assert "Vielen Dank für Ihren Datenwunsch" in response.body
    [request] = model.Session.query(DataRequest).all()
    assert (request.moderation, request.user_id, request.title) == (
        "pending",
        None,
        "Parkplätze mit Ladesäulen",
    )


def test_the_honeypot_answers_like_success_and_stores_nothing(app, people):
    response = app.post("/datarequest/new", data=_visitor_form(homepage="https://spam.example"))

    assert "Thank you for your data request" in response.body
    assert model.Session.query(DataRequest).count() == 0


@pytest.mark.parametrize("token", ["", "forged", "now"])
def test_the_time_trap_refuses_fast_or_forged_forms(app, people, token):
    value = antispam.issue_token() if token == "now" else token
    response = app.post("/datarequest/new", data=_visitor_form(**{antispam.TOKEN_FIELD: value}))

    assert "too quickly or has expired" in response.body
    assert model.Session.query(DataRequest).count() == 0


@pytest.mark.ckan_config("ckanext.datenraum.participation.visitor_requests_per_day", "2")
def test_visitors_are_limited_per_daily_pseudonym_without_storing_the_address(
    app, people, redis_client
):
    same_device = {"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}
    for _ in range(3):
        app.post("/datarequest/new", data=_visitor_form(), **same_device)
    other = app.post(
        "/datarequest/new", data=_visitor_form(), environ_base={"REMOTE_ADDR": "198.51.100.9"}
    )

    assert (
        model.Session.query(DataRequest).count() == 3
    )  # 2 from the first device, 1 from the other
    assert (
        "Too many submissions today"
        in app.post("/datarequest/new", data=_visitor_form(), **same_device).body
    )
    assert "Thank you" in other.body
    stored = [str(key) + str(redis_client.get(key)) for key in redis_client.keys("*")]
    assert not [value for value in stored if "203.0.113" in value or "198.51.100" in value]


def test_a_logged_in_user_proposes_and_sees_the_request_page_in_both_languages(app, people):
    headers = {
        "Authorization": call_action(
            "api_token_create", {"user": "clara-citizen"}, user="clara-citizen", name="t"
        )["token"]
    }

    response = app.post(
        "/datarequest/new",
        data={"title": "Spielplätze", "description": "Für Familien", "organization": ""},
        headers=headers,
        follow_redirects=False,
    )

    assert response.status_code == 302
    page = app.get(
        response.headers["Location"].replace("http://test.ckan.net", ""), headers=headers
    )
    assert (
        "Spielplätze" in page.body
        and "Withdraw my vote" not in page.body
        and "Vote for this request" in page.body
    )
    german = app.get(response.headers["Location"].replace("http://test.ckan.net", "/de"))
    assert "Neu" in german.body and "Anmelden, um abzustimmen und zu folgen" in german.body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Missing value"),
        ({"title": "x" * 201}, "Longer than 200 characters"),
        ({"description": "<script>alert(1)</script>"}, "HTML is not allowed"),
        ({"description": "Steuer\x1bzeichen"}, "control character (U+001B)"),
        ({"organization": "gibt-es-nicht"}, "Organisation not found"),
    ],
)
def test_bad_input_in_the_form_shows_field_errors_and_stores_nothing(app, people, fields, message):
    response = app.post("/datarequest/new", data=_visitor_form(**fields))

    assert message in response.body
    assert model.Session.query(DataRequest).count() == 0


def test_a_search_without_results_offers_to_request_the_data(app, people):
    page = app.get("/de/dataset/?q=Windkraftanlagen")

    assert "Diese Daten wünschen" in page.body
    assert "/datarequest/new?q=Windkraftanlagen" in page.body
    form = app.get("/datarequest/new?q=Windkraftanlagen")
    assert 'value="Windkraftanlagen"' in form.body


def test_home_page_shows_most_voted_open_requests_and_new_use_cases(app, people, dataset):
    top = propose(people, title="Meistgewünscht")
    propose(people, title="Weniger gewünscht")
    call_action("datenraum_request_vote", people.context("editor"), id=top["id"])
    call_action(
        "datenraum_usecase_create",
        people.context("editor"),
        title="Stadtbaum-App",
        description="App",
        kind="application",
        datasets=["baumkataster-jena"],
    )

    page = app.get("/de/")

    assert "Meistgewünschte Daten" in page.body
    assert page.body.index("Meistgewünscht<") < page.body.index("Weniger gewünscht")
    assert "Stadtbaum-App" in page.body


def test_dataset_page_lists_its_use_cases_and_comments(app, people, dataset):
    call_action(
        "datenraum_usecase_create",
        people.context("editor"),
        title="Schattenkarte",
        description="Wo Bäume Schatten spenden",
        kind="visualisation",
        datasets=["baumkataster-jena"],
    )
    call_action(
        "datenraum_comment_create",
        people.context("user"),
        subject_type="dataset",
        subject_id="baumkataster-jena",
        text="Mehr dazu: https://example.org/mehr <3",
    )

    page = app.get("/dataset/baumkataster-jena")

    assert "Schattenkarte" in page.body
    assert 'href="https://example.org/mehr" rel="nofollow ugc noopener noreferrer"' in page.body
    assert "&lt;3" in page.body


BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 DatenraumTestProbe/4712"
)


def _search_as_people(app, url: str, people_count: int, network: int) -> None:
    """``people_count`` people (one documentation network each) open ``url`` in a browser."""
    for index in range(people_count):
        app.get(
            url,
            headers={"User-Agent": BROWSER},
            environ_base={"REMOTE_ADDR": f"198.51.{network + index}.1"},
        )


def test_organisation_dashboard_shows_its_zero_result_terms_beside_its_open_requests(app, people):
    """Searches over HTTP, the aggregation job, then each organisation's admin's dashboard."""
    propose(people, title="Haltestellen barrierefrei", organization="stadt-jena")
    # Five people on the organisation's page, and five more through the dataset search's
    # organisation facet: both are searches filtered by stadt-jena.
    _search_as_people(app, "/organization/stadt-jena?q=Lärmkarte", 5, network=10)
    _search_as_people(app, "/dataset/?q=Schulwege&organization=stadt-jena", 5, network=20)
    # A private dataset of the organisation's own: its admins may learn it is searched for.
    # Another organisation's private dataset: no term may reveal it.
    create_dataset(
        "root", people.organization["id"], name="laermkarte", title="Lärmkarte", private=True
    )
    create_dataset(
        "root",
        people.other_organization["id"],
        name="baustellenplan-intern",
        title="Baustellenplan intern",
        private=True,
    )
    _search_as_people(app, "/organization/stadt-jena?q=Baustellenplan intern", 5, network=60)
    # Fewer than k people, a search of the whole catalogue, another organisation's search.
    _search_as_people(app, "/organization/stadt-jena?q=Einzelwunsch", 2, network=30)
    _search_as_people(app, "/dataset/?q=Ohnefilter", 5, network=40)
    _search_as_people(app, "/organization/stadtwerke?q=Fernwärmenetz", 5, network=50)
    call_action("datenraum_usage_aggregate", {"user": "root"}, reindex=False)

    page = app.get("/usage/organization/stadt-jena", headers=token_headers("anton-admin"))
    report = app.get(
        "/usage/organization/stadt-jena.json", headers=token_headers("anton-admin")
    ).json
    other_page = app.get("/usage/organization/stadtwerke", headers=token_headers("otto-other"))

    assert [
        (row["term"], row["searches"], row["visitors"]) for row in report["zero_result_terms"]
    ] == [("lärmkarte", 5, 5), ("schulwege", 5, 5)]
    assert "Open data requests" in page.body and "Haltestellen barrierefrei" in page.body
    assert "Searched here, not found" in page.body
    assert "/datarequest/new?q=l%C3%A4rmkarte&amp;organization=stadt-jena" in page.body
    for absent in ("einzelwunsch", "ohnefilter", "fernwärmenetz", "baustellenplan"):
        assert absent not in page.body
    assert "fernwärmenetz" in other_page.body
    assert "lärmkarte" not in other_page.body and "schulwege" not in other_page.body
    form = app.get("/datarequest/new?q=l%C3%A4rmkarte&organization=stadt-jena")
    assert 'value="lärmkarte"' in form.body
    assert '<option value="stadt-jena" selected' in form.body


def test_open_data_export_has_no_personal_data(app, people, dataset):
    request = propose(people, title="Radzählstellen", organization="stadt-jena")
    call_action("datenraum_request_vote", people.context("editor"), id=request["id"])
    propose(people, "anonymous", title="Noch nicht freigegeben")

    rows = list(csv.DictReader(io.StringIO(app.get("/datarequest.csv").body)))
    records = json.loads(app.get("/datarequest.json").body)

    assert (
        [row["title"] for row in rows]
        == ["Radzählstellen"]
        == [record["title"] for record in records]
    )
    assert rows[0]["votes"] == "1" and rows[0]["organization"] == "stadt-jena"
    everything = app.get("/datarequest.csv").body + app.get("/datarequest.json").body
    for personal in ("clara", "erika", people.user["id"], people.editor["id"], "@example.org"):
        assert personal not in everything
