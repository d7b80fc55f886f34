"""Comments on requests and datasets: plain text, reports, hiding with a reason, deleting, and
what an account's deletion leaves behind."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.datenraum.participation.model import Comment, DataRequest, Vote
from tests.participation.conftest import propose

pytestmark = pytest.mark.usefixtures("with_plugins")


def _comment(
    people, role="user", subject_type="dataset", subject_id="baumkataster-jena", text="Danke!"
):
    return call_action(
        "datenraum_comment_create",
        people.context(role),
        subject_type=subject_type,
        subject_id=subject_id,
        text=text,
    )


def test_comments_on_a_dataset_and_a_request_are_listed_in_order(people, dataset):
    request = propose(people, organization="stadt-jena")
    _comment(people, text="Erster")
    _comment(people, "editor", text="Zweiter")
    _comment(people, subject_type="request", subject_id=request["id"], text="Zum Wunsch")

    listed = call_action(
        "datenraum_comment_list", {"user": None}, subject_type="dataset", subject_id=dataset["id"]
    )

    assert [comment["text"] for comment in listed] == ["Erster", "Zweiter"]
    assert listed[0]["user"]["name"] == "clara-citizen"
    on_request = call_action(
        "datenraum_comment_list", {"user": None}, subject_type="request", subject_id=request["id"]
    )
    assert [comment["text"] for comment in on_request] == ["Zum Wunsch"]
    assert call_action("datenraum_request_show", {"user": None}, id=request["id"])["comments"] == 1


BAD_COMMENTS = [
    ({"text": ""}, "text"),
    ({"text": "   \n "}, "text"),
    ({"text": "x" * 2001}, "text"),
    ({"text": '<a href="https://spam.example">billig</a>'}, "text"),
    ({"text": "<script>alert(1)</script>"}, "text"),
    ({"text": "Null\x00Byte"}, "text"),
    ({"text": "Glocke\x07"}, "text"),
    ({"subject_id": "gibt-es-nicht"}, "subject_id"),
    ({"subject_type": "request", "subject_id": "gibt-es-nicht"}, "subject_id"),
    ({"subject_type": "group"}, "subject_type"),
]


def test_bad_comments_get_field_errors_and_store_nothing(people, dataset):
    wrong = []
    for fields, field in BAD_COMMENTS:
        data = {"subject_type": "dataset", "subject_id": dataset["name"], "text": "Gut", **fields}
        try:
            call_action("datenraum_comment_create", people.context("user"), **data)
        except tk.ValidationError as error:
            if field not in error.error_dict:
                wrong.append((fields, error.error_dict))
        else:
            wrong.append((fields, "accepted"))

    assert wrong == []
    assert model.Session.query(Comment).count() == 0


def test_plain_text_with_a_lone_angle_bracket_is_fine(people, dataset):
    comment = _comment(people, text="Werte < 5 und > 2 fehlen")

    assert comment["text"] == "Werte < 5 und > 2 fehlen"


def test_report_hide_with_reason_and_moderator_view(people, dataset):
    comment = _comment(people, text="Unsachlich")
    call_action(
        "datenraum_comment_report", people.context("editor"), id=comment["id"], reason="beleidigend"
    )
    call_action("datenraum_comment_report", people.context("editor"), id=comment["id"])  # once only

    queue = call_action("datenraum_moderation_queue", people.context("admin"))
    assert [
        (item["id"], item["reports"], item["report_reasons"]) for item in queue["comments"]
    ] == [(comment["id"], 1, ["beleidigend"])]
    with pytest.raises(Exception, match="Missing value"):
        call_action("datenraum_comment_hide", people.context("admin"), id=comment["id"], reason="")

    call_action(
        "datenraum_comment_hide", people.context("admin"), id=comment["id"], reason="Beleidigung"
    )

    public = call_action(
        "datenraum_comment_list", {"user": None}, subject_type="dataset", subject_id=dataset["id"]
    )
    assert (
        public[0]["state"] == "hidden"
        and public[0]["text"] == ""
        and public[0]["hidden_reason"] == "Beleidigung"
    )
    moderator = call_action(
        "datenraum_comment_list",
        people.context("admin"),
        subject_type="dataset",
        subject_id=dataset["id"],
    )
    assert moderator[0]["text"] == "Unsachlich"
    assert call_action("datenraum_moderation_queue", people.context("admin"))["comments"] == []


def test_deleting_an_account_anonymises_its_requests_comments_and_votes(people, dataset):
    request = propose(people, organization="stadt-jena")
    _comment(people, subject_type="request", subject_id=request["id"], text="Bitte bald")
    other = propose(people, "editor", title="Anderer Wunsch")
    call_action("datenraum_request_vote", people.context("user"), id=other["id"])
    user_id = people.user["id"]

    call_action("user_delete", {"user": people.sysadmin["name"]}, id=people.user["name"])

    assert model.Session.query(DataRequest).filter_by(user_id=user_id).count() == 0
    assert model.Session.query(Comment).filter_by(user_id=user_id).count() == 0
    assert model.Session.query(Vote).filter_by(user_id=user_id).count() == 0
    shown = call_action("datenraum_request_show", {"user": None}, id=request["id"])
    assert shown["user"] is None and shown["title"] == "Radwege mit Oberfläche"
    assert call_action("datenraum_request_show", {"user": None}, id=other["id"])["votes"] == 1
    [comment] = call_action(
        "datenraum_comment_list", {"user": None}, subject_type="request", subject_id=request["id"]
    )
    assert comment["user"] is None and comment["text"] == "Bitte bald"
    stream = call_action("datenraum_request_activity_list", {"user": None}, id=request["id"])
    assert all(activity["user_id"] != user_id for activity in stream)


def test_only_sysadmins_delete_comments(people, dataset):
    comment = _comment(people)

    with pytest.raises(Exception, match="system administrators"):
        call_action("datenraum_comment_delete", people.context("admin"), id=comment["id"])
    call_action("datenraum_comment_delete", people.context("sysadmin"), id=comment["id"])

    assert model.Session.query(Comment).count() == 0
