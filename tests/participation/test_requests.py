"""Data requests through the API: proposing, the visitor queue, votes, the list, the workflow."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests.participation.conftest import propose, token_headers

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_a_user_publishes_directly_and_follows_their_request(people):
    request = propose(people, organization="stadt-jena")

    assert request["moderation"] == "approved"
    assert request["status"] == "new"
    assert request["organization"]["name"] == "stadt-jena"
    assert request["following"] is True
    listed = call_action("datenraum_request_list", {"user": None})
    assert [item["id"] for item in listed["results"]] == [request["id"]]


def test_a_visitor_proposal_waits_in_the_queue_until_approved(people):
    request = propose(people, "anonymous", organization="stadt-jena")

    assert request["moderation"] == "pending"
    assert call_action("datenraum_request_list", {"user": None})["count"] == 0
    with pytest.raises(Exception, match="not found"):
        call_action("datenraum_request_show", {"user": None}, id=request["id"])
    queue = call_action("datenraum_moderation_queue", people.context("editor"))
    assert [item["id"] for item in queue["requests"]] == [request["id"]]
    assert (
        call_action("datenraum_moderation_queue", people.context("other_admin"))["requests"] == []
    )

    call_action(
        "datenraum_request_moderate", people.context("editor"), id=request["id"], decision="approve"
    )

    assert call_action("datenraum_request_list", {"user": None})["count"] == 1


def test_rejected_visitor_proposals_are_deleted(people):
    request = propose(people, "anonymous", organization="stadt-jena")

    call_action(
        "datenraum_request_moderate", people.context("admin"), id=request["id"], decision="reject"
    )

    queue = call_action("datenraum_moderation_queue", people.context("sysadmin"))
    assert queue["requests"] == []


def test_one_vote_per_user_and_sorting_by_votes(people):
    first = propose(people, title="Baumkataster")
    second = propose(people, title="Lärmkarte")
    for role in ("editor", "admin", "other_admin"):
        call_action("datenraum_request_vote", people.context(role), id=second["id"])
    call_action("datenraum_request_vote", people.context("editor"), id=second["id"])  # again
    call_action("datenraum_request_vote", people.context("editor"), id=first["id"])

    listed = call_action("datenraum_request_list", {"user": None}, sort="votes")

    assert [(item["title"], item["votes"]) for item in listed["results"]] == [
        ("Lärmkarte", 3),
        ("Baumkataster", 1),
    ]
    unvoted = call_action("datenraum_request_unvote", people.context("editor"), id=second["id"])
    assert unvoted["votes"] == 2 and unvoted["voted"] is False


def test_list_filters_by_status_and_organisation_and_searches_german_words(people, dataset):
    noise = propose(people, title="Lärmkarte der Innenstadt", organization="stadtwerke")
    trees = propose(
        people, title="Bäume an Straßen", description="Alle Stadtbäume", organization="stadt-jena"
    )
    call_action(
        "datenraum_request_update", people.context("editor"), id=trees["id"], status="planned"
    )

    def titles(**filters):
        return [
            item["title"]
            for item in call_action("datenraum_request_list", {"user": None}, **filters)["results"]
        ]

    assert titles(status="planned") == ["Bäume an Straßen"]
    assert titles(organization="stadtwerke") == ["Lärmkarte der Innenstadt"]
    assert titles(q="Baum") == ["Bäume an Straßen"]  # German stemming: Bäume ~ Baum
    assert titles(q="innenstadt") == ["Lärmkarte der Innenstadt"]
    assert titles(sort="newest") == ["Bäume an Straßen", "Lärmkarte der Innenstadt"]
    assert titles(sort="oldest") == ["Lärmkarte der Innenstadt", "Bäume an Straßen"]
    assert titles(status="open", sort="status") == ["Lärmkarte der Innenstadt", "Bäume an Straßen"]
    assert noise["id"] != trees["id"]


def test_the_workflow_to_published_links_the_dataset_and_records_activity(people, dataset):
    request = propose(people, organization="stadt-jena")
    context = people.context("editor")

    call_action("datenraum_request_update", context, id=request["id"], status="review")
    call_action(
        "datenraum_request_update",
        context,
        id=request["id"],
        status="planned",
        note="Kommt im Mai.",
    )
    done = call_action(
        "datenraum_request_update",
        context,
        id=request["id"],
        status="published",
        dataset=dataset["name"],
    )

    assert done["status"] == "published"
    assert done["dataset"]["name"] == "baumkataster-jena"
    stream = call_action("datenraum_request_activity_list", {"user": None}, id=request["id"])
    statuses = [
        activity["data"]["change"].get("status")
        for activity in stream
        if "change" in activity["data"]
    ]
    assert statuses == [["planned", "published"], ["review", "planned"], ["new", "review"]]
    assert stream[-1]["activity_type"] == "new datarequest"


BAD_CHANGES = [
    ({"status": "declined"}, "note", "reason"),
    ({"status": "published"}, "dataset", "dataset"),
    ({"status": "published", "dataset": "gibt-es-nicht"}, "dataset", "not found"),
    ({"status": "finished"}, "status", "one of"),
    ({"status": "new"}, "status", "cannot become"),
    ({"organization": "gibt-es-nicht"}, "organization", "not found"),
    ({"note": "<script>alert(1)</script>"}, "note", "HTML"),
]


def test_workflow_refuses_bad_changes_with_field_errors_and_stores_nothing(people):
    request = propose(people, organization="stadt-jena")
    wrong = []
    for fields, field, message in BAD_CHANGES:
        try:
            call_action(
                "datenraum_request_update", people.context("editor"), id=request["id"], **fields
            )
        except tk.ValidationError as error:
            if message.lower() not in " ".join(error.error_dict.get(field, [])).lower():
                wrong.append((fields, error.error_dict))
        else:
            wrong.append((fields, "accepted"))

    assert wrong == []
    after = call_action("datenraum_request_show", {"user": None}, id=request["id"])
    assert (after["status"], after["status_note"], after["organization"]["name"]) == (
        "new",
        "",
        "stadt-jena",
    )
    assert (
        len(call_action("datenraum_request_activity_list", {"user": None}, id=request["id"])) == 1
    )


def test_declined_needs_a_reason_and_can_be_reopened(people):
    request = propose(people, organization="stadt-jena")
    context = people.context("admin")

    declined = call_action(
        "datenraum_request_update",
        context,
        id=request["id"],
        status="declined",
        note="Daten unterliegen dem Datenschutz.",
    )
    reopened = call_action("datenraum_request_update", context, id=request["id"], status="review")

    assert declined["status"] == "declined"
    assert reopened["status"] == "review"


def test_backup_dump_and_restore_round_trip(people, dataset):
    from ckanext.datenraum.participation import backup

    request = propose(people, organization="stadt-jena")
    call_action("datenraum_request_vote", people.context("editor"), id=request["id"])
    call_action(
        "datenraum_comment_create",
        people.context("user"),
        subject_type="request",
        subject_id=request["id"],
        text="Bitte",
    )
    dumped = backup.dump()
    call_action("datenraum_request_delete", people.context("sysadmin"), id=request["id"])

    counts = backup.restore(dumped)

    assert counts["datenraum_participation_request"] == 1
    assert counts["datenraum_participation_vote"] == 1
    restored = call_action("datenraum_request_show", {"user": None}, id=request["id"])
    assert (restored["votes"], restored["comments"], restored["created"]) == (
        1,
        1,
        request["created"],
    )


def test_the_proposer_edits_a_new_request_through_the_form_and_no_one_else(app, people):
    request = propose(people, title="Radwege", organization="")
    headers = token_headers("clara-citizen")

    form = app.get(f"/datarequest/{request['id']}/edit", headers=headers)
    response = app.post(
        f"/datarequest/{request['id']}/edit",
        data={
            "title": "Radwege mit Belag",
            "description": "Für Lastenräder.",
            "organization": "stadt-jena",
        },
        headers=headers,
        follow_redirects=False,
    )

    assert 'value="Radwege"' in form.body and "Edit your data request" in form.body
    assert response.status_code == 302
    edited = call_action("datenraum_request_show", {"user": None}, id=request["id"])
    assert (edited["title"], edited["description"], edited["organization"]["name"]) == (
        "Radwege mit Belag",
        "Für Lastenräder.",
        "stadt-jena",
    )
    stream = call_action("datenraum_request_activity_list", {"user": None}, id=request["id"])
    assert stream[0]["data"]["change"] == {"edited": ["description", "organization_id", "title"]}
    for role in ("editor", "other_admin"):
        with pytest.raises(tk.NotAuthorized):
            call_action("datenraum_request_edit", people.context(role), id=request["id"], title="X")
    with pytest.raises(tk.ValidationError) as refused:
        call_action("datenraum_request_edit", people.context("user"), id=request["id"], title="")
    assert "title" in refused.value.error_dict

    call_action(
        "datenraum_request_update", people.context("editor"), id=request["id"], status="review"
    )
    with pytest.raises(tk.ValidationError, match="Only a new request"):
        call_action("datenraum_request_edit", people.context("user"), id=request["id"], title="Y")
    assert call_action("datenraum_request_show", {"user": None}, id=request["id"])["title"] == (
        "Radwege mit Belag"
    )
