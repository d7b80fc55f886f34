"""Fixtures of the participation tests: people in six roles, a real SMTP server.

Who may call which action and open which page is the suite's one authorisation matrix,
tests/security/authz_matrix.yaml (section "datenraum_participation").
"""

from __future__ import annotations

import contextlib
import dataclasses
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests import dcatapde_factories


@pytest.fixture
def participation_clean(clean_db, clean_index, clean_redis):
    """Empty database (with our tables), Solr core and Redis db (rate limits start at zero)."""


@dataclasses.dataclass
class People:
    """Six roles (anonymous, a citizen, editor and admin of the responsible organisation, the
    admin of another one, a sysadmin), as user dicts (None for an anonymous visitor)."""

    organization: dict
    other_organization: dict
    sysadmin: dict
    user: dict
    editor: dict
    admin: dict
    other_admin: dict

    def name(self, role: str) -> str | None:
        return None if role == "anonymous" else getattr(self, role)["name"]

    def context(self, role: str) -> dict:
        name = self.name(role)
        return {"user": name, "ignore_auth": False} if name else {"user": None}


@pytest.fixture
def people(participation_clean) -> People:
    sysadmin = factories.Sysadmin(name="root")
    editor = factories.User(name="erika-editor", email="erika@example.org")
    admin = factories.User(name="anton-admin", email="anton@example.org")
    other_admin = factories.User(name="otto-other", email="otto@example.org")
    organization = dcatapde_factories.organization(
        name="stadt-jena",
        title="Stadt Jena",
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": admin["name"], "capacity": "admin"},
        ],
    )
    other = dcatapde_factories.organization(
        name="stadtwerke",
        title="Stadtwerke Jena",
        users=[{"name": other_admin["name"], "capacity": "admin"}],
    )
    return People(
        organization=organization,
        other_organization=other,
        sysadmin=sysadmin,
        user=factories.User(name="clara-citizen", email="clara@example.org"),
        editor=editor,
        admin=admin,
        other_admin=other_admin,
    )


@pytest.fixture
def dataset(people) -> dict:
    return dcatapde_factories.create_dataset(
        people.sysadmin["name"], people.organization["id"], name="baumkataster-jena"
    )


def propose(people: People, role: str = "user", **fields) -> dict:
    data = {"title": "Radwege mit Oberfläche", "description": "Für eine Routenplanung.", **fields}
    return call_action("datenraum_request_create", people.context(role), **data)


def token_headers(user_name: str) -> dict:
    """Request headers that log ``user_name`` in (an API token works for pages too)."""
    token = call_action("api_token_create", {"user": user_name}, user=user_name, name="t")
    return {"Authorization": token["token"]}


class _Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for message in self.messages if address in message["To"]]


@contextlib.contextmanager
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port: yields (port, inbox)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(ckan_config, monkeypatch):
    """The SMTP server with CKAN's mailer in this process pointed at it: yields the inbox."""
    with smtp_server() as (port, inbox):
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
        monkeypatch.setitem(ckan_config, "smtp.mail_from", "datenraum@example.org")
        monkeypatch.setitem(ckan_config, "smtp.starttls", False)
        yield inbox


@pytest.fixture
def redis_client():
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()
