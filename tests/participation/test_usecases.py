"""Use cases: citizens' submissions are reviewed, the city's appear at once, dataset pages list
them, images are checked by their bytes and served by us."""

from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.datenraum.participation.model import UseCase
from tests.participation.conftest import token_headers

pytestmark = pytest.mark.usefixtures("with_plugins")

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def submit(people, role="user", **fields):
    data = {
        "title": "Baumkarte für Kinder",
        "description": "Eine Karte der Stadtbäume für Grundschulen.",
        "kind": "application",
        "url": "https://example.org/baumkarte",
        "datasets": ["baumkataster-jena"],
        **fields,
    }
    return call_action("datenraum_usecase_create", people.context(role), **data)


def test_a_citizen_submission_waits_for_review_by_the_datasets_editors(people, dataset):
    usecase = submit(people)

    assert usecase["moderation"] == "pending"
    assert call_action("datenraum_usecase_list", {"user": None})["count"] == 0
    assert [
        item["id"]
        for item in call_action("datenraum_moderation_queue", people.context("editor"))["usecases"]
    ] == [usecase["id"]]
    assert (
        call_action("datenraum_moderation_queue", people.context("other_admin"))["usecases"] == []
    )
    with pytest.raises(Exception, match="Only editors"):
        call_action(
            "datenraum_usecase_review",
            people.context("other_admin"),
            id=usecase["id"],
            decision="approve",
        )

    call_action(
        "datenraum_usecase_review", people.context("editor"), id=usecase["id"], decision="approve"
    )

    listed = call_action("datenraum_usecase_list", {"user": None}, dataset="baumkataster-jena")
    assert [item["name"] for item in listed["results"]] == ["baumkarte-fuer-kinder"]
    assert listed["results"][0]["datasets"][0]["name"] == "baumkataster-jena"


def test_the_city_presenting_its_own_work_needs_no_review(people, dataset):
    assert submit(people, "editor")["moderation"] == "approved"


def test_rejecting_needs_a_note_that_the_submitter_sees(people, dataset):
    usecase = submit(people)
    with pytest.raises(Exception, match="Missing value"):
        call_action(
            "datenraum_usecase_review",
            people.context("editor"),
            id=usecase["id"],
            decision="reject",
        )

    call_action(
        "datenraum_usecase_review",
        people.context("editor"),
        id=usecase["id"],
        decision="reject",
        note="Link defekt",
    )

    seen = call_action("datenraum_usecase_show", people.context("user"), id=usecase["name"])
    assert (seen["moderation"], seen["moderation_note"]) == ("rejected", "Link defekt")
    with pytest.raises(Exception, match="not found"):
        call_action("datenraum_usecase_show", {"user": None}, id=usecase["name"])


BAD_SUBMISSIONS = [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": "<b>fett</b>"}, "description"),
    ({"kind": "game"}, "kind"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "ftp://example.org/x"}, "url"),
    ({"datasets": []}, "datasets"),
    ({"datasets": ["gibt-es-nicht"]}, "datasets"),
    ({"author": "Zeile\neins"}, "author"),
]


def test_bad_submissions_get_field_errors_and_store_nothing(people, dataset):
    wrong = []
    for fields, field in BAD_SUBMISSIONS:
        try:
            submit(people, **fields)
        except tk.ValidationError as error:
            if field not in error.error_dict:
                wrong.append((fields, error.error_dict))
        else:
            wrong.append((fields, "accepted"))

    assert wrong == []
    assert model.Session.query(UseCase).count() == 0


def test_images_are_checked_by_their_bytes(people, dataset):
    svg = FileStorage(stream=io.BytesIO(b"<svg onload='alert(1)'/>"), filename="bild.png")
    with pytest.raises(Exception) as raised:
        submit(people, image=svg)
    assert "image" in raised.value.error_dict
    assert model.Session.query(UseCase).count() == 0

    usecase = submit(people, "editor", image=FileStorage(stream=io.BytesIO(PNG), filename="x.png"))

    assert usecase["image_url"].endswith(f"/showcase/{usecase['name']}/image")


def test_the_image_is_served_from_our_own_address(app, people, dataset):
    usecase = submit(people, "editor", image=FileStorage(stream=io.BytesIO(PNG), filename="x.png"))

    response = app.get(f"/showcase/{usecase['name']}/image")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.get_data() == PNG


def test_an_approved_use_case_edited_by_its_citizen_author_goes_back_to_review(
    app, people, dataset
):
    usecase = submit(people)
    call_action(
        "datenraum_usecase_review", people.context("editor"), id=usecase["id"], decision="approve"
    )
    headers = token_headers("clara-citizen")

    form = app.get(f"/showcase/{usecase['name']}/edit", headers=headers)
    response = app.post(
        f"/showcase/{usecase['name']}/edit",
        data={
            "title": "Baumkarte für Schulen",
            "description": "Eine Karte der Stadtbäume für alle Schulen.",
            "kind": "application",
            "url": "https://example.org/baumkarte",
            "author": "",
            "datasets": "baumkataster-jena",
        },
        headers=headers,
        follow_redirects=False,
    )

    assert "Baumkarte für Kinder" in form.body and "Edit your use case" in form.body
    assert response.status_code == 302
    edited = call_action("datenraum_usecase_show", people.context("user"), id=usecase["id"])
    assert (edited["title"], edited["moderation"]) == ("Baumkarte für Schulen", "pending")
    assert call_action("datenraum_usecase_list", {"user": None})["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        call_action("datenraum_usecase_edit", people.context("editor"), id=usecase["id"], title="X")

    call_action(
        "datenraum_usecase_review", people.context("editor"), id=usecase["id"], decision="approve"
    )
    # The city's editor edits a use case of its own dataset: it stays public.
    own = submit(people, role="editor", title="Stadtbaumkarte")
    call_action("datenraum_usecase_edit", people.context("editor"), id=own["id"], title="Bäume")
    listed = call_action("datenraum_usecase_list", {"user": None})["results"]
    assert sorted(item["title"] for item in listed) == ["Baumkarte für Schulen", "Bäume"]
