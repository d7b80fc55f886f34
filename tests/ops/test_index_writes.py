"""Dataset edits outlast a search-index failover (decision 0509).

The single-node Solr of the test setup plays a SolrCloud shard without leader: for a while
every connection to it is dropped (``RefusingSolr``). An edit through the API during that time
is tried again and saved; an edit of the web form whose index stays unwritable beyond the
budget saves nothing and tells the editor so, with 503 and Retry-After.
"""

from __future__ import annotations

import ckan.model as model
import pytest
from bs4 import BeautifulSoup
from ckan.lib.search.common import make_connection
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import MultiDict

from ckanext.datenraum.common import index_retry

from ..dcatapde_factories import create_dataset, organization
from .solr_faults import RefusingSolr

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor():
    sysadmin = factories.Sysadmin()
    token = call_action(
        "api_token_create", {"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    dataset = create_dataset(sysadmin["name"], organization()["name"], name="baumkataster")
    return {"user": sysadmin, "token": token["token"], "dataset": dataset}


@pytest.fixture(autouse=True)
def _index_writable(monkeypatch):
    """A budget that ran out in one test must not make the next one try only once."""
    monkeypatch.setitem(index_retry._unwritable, "since", None)


def _indexed_title(dataset_id: str) -> str:
    connection = make_connection(decode_dates=False)
    connection.commit(waitSearcher=True)
    return connection.search(f'id:"{dataset_id}"', fl="title").docs[0]["title"]


def _form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser sends for the form as it is shown (inputs, checked boxes, selections)."""
    form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
    fields = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.get("type") in ("file", "button"):
            continue
        if element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "select":
            fields.extend(
                (name, o.get("value", o.text)) for o in element.find_all("option", selected=True)
            )
        elif element.get("type") not in ("checkbox", "radio", "submit") or element.has_attr(
            "checked"
        ):
            fields.append((name, element.get("value", "")))
    return fields


def test_an_api_edit_during_a_failover_is_tried_again_and_saved(
    app, editor, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.datenraum.index_retry_web_seconds", 10)
    refusing = RefusingSolr(ckan_config, refusals=2)
    monkeypatch.setitem(ckan_config, "solr_url", refusing.url)

    response = app.post(
        "/api/3/action/package_patch",
        json={"id": editor["dataset"]["id"], "title": "Baumkataster (neu)"},
        headers={"Authorization": editor["token"]},
    )

    assert response.status_code == 200, response.body
    assert refusing.refused == 2
    assert call_action("package_show", id=editor["dataset"]["id"])["title"] == "Baumkataster (neu)"
    assert _indexed_title(editor["dataset"]["id"]) == "Baumkataster (neu)"


def test_a_form_edit_the_index_refuses_too_long_saves_nothing_and_says_so(
    app, editor, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, "ckanext.datenraum.index_retry_web_seconds", 1)
    dataset = editor["dataset"]
    headers = {"Authorization": editor["token"]}
    form = app.get(f"/de/dataset/edit/{dataset['name']}", headers=headers)
    fields = [
        (name, "Baumkataster (neu)" if name == "title" else value)
        for name, value in _form_fields(form.body, "dataset-edit")
    ] + [("save", "")]  # the button the editor clicks
    refusing = RefusingSolr(ckan_config, refusals=1000)
    monkeypatch.setitem(ckan_config, "solr_url", refusing.url)
    try:
        response = app.post(
            f"/de/dataset/edit/{dataset['name']}", data=MultiDict(fields), headers=headers
        )
    finally:
        refusing.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "darum wurde Ihre Änderung nicht gespeichert" in response.body
    assert refusing.refused >= 2  # tried again within the budget
    model.Session.remove()
    assert call_action("package_show", id=dataset["id"])["title"] == dataset["title"]
    assert _indexed_title(dataset["id"]) == dataset["title"]


def test_an_api_edit_the_index_refuses_too_long_answers_503(app, editor, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.datenraum.index_retry_web_seconds", 0)
    refusing = RefusingSolr(ckan_config, refusals=1000)
    monkeypatch.setitem(ckan_config, "solr_url", refusing.url)
    try:
        response = app.post(
            "/api/3/action/package_patch",
            json={"id": editor["dataset"]["id"], "title": "Baumkataster (neu)"},
            headers={"Authorization": editor["token"]},
        )
    finally:
        refusing.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json["success"] is False
    assert "your change was not saved" in response.json["error"]["message"]
    assert refusing.url.split("/solr")[0] not in response.body  # no internal address
    model.Session.remove()
    assert call_action("package_show", id=editor["dataset"]["id"])["title"] == "Baumkataster Jena"
