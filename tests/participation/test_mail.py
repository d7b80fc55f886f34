"""Followers get every change of a request by e-mail, through CKAN's mailer and a real SMTP
server (aiosmtpd on a loopback port)."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests.participation.conftest import propose

pytestmark = pytest.mark.usefixtures("with_plugins", "with_request_context")


def test_status_changes_are_mailed_to_followers_in_german_and_english(people, dataset, smtp):
    request = propose(people, organization="stadt-jena", title="Baumstandorte")  # clara follows
    call_action("datenraum_request_follow", people.context("other_admin"), id=request["id"])

    call_action(
        "datenraum_request_update",
        people.context("editor"),
        id=request["id"],
        status="published",
        dataset=dataset["name"],
        note="Veröffentlicht als Baumkataster.",
    )

    for address in ("clara@example.org", "otto@example.org"):
        [message] = smtp.to(address)
        body = message.get_content()
        assert "Baumstandorte" in message["Subject"]
        assert "Veröffentlicht" in message["Subject"] and "Published" in message["Subject"]
        assert "Status: Neu → Veröffentlicht" in body
        assert "Status: New → Published" in body
        assert "/dataset/baumkataster-jena" in body
        assert f"/datarequest/{request['id']}" in body
    assert smtp.to("erika@example.org") == []  # the editor who made the change is not a follower


def test_unfollowing_stops_the_mails_and_the_actor_gets_none(people, smtp):
    request = propose(people, organization="stadt-jena")
    call_action("datenraum_request_follow", people.context("editor"), id=request["id"])
    call_action("datenraum_request_unfollow", people.context("user"), id=request["id"])

    call_action(
        "datenraum_request_update", people.context("editor"), id=request["id"], status="review"
    )

    assert smtp.messages == []


def test_a_refused_change_sends_no_mail(people, smtp):
    request = propose(people, organization="stadt-jena")

    with pytest.raises(Exception, match="reason"):
        call_action(
            "datenraum_request_update",
            people.context("editor"),
            id=request["id"],
            status="declined",
        )

    assert smtp.messages == []
