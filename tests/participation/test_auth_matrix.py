"""Who may call what: every participation action and the pages, for the six roles.

MATRIX is plain data (action -> roles allowed) so that it merges into the suite's auth matrix:
anonymous, a registered user, editor and admin of the responsible organisation ("Stadt Jena"),
the admin of another organisation, and a sysadmin. The objects are a request and a comment of
Stadt Jena and a use case of one of its datasets.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests.participation.conftest import propose

pytestmark = pytest.mark.usefixtures("with_plugins")

ROLES = ("anonymous", "user", "editor", "admin", "other_admin", "sysadmin")
EVERYONE = frozenset(ROLES)
ACCOUNTS = EVERYONE - {"anonymous"}
DRIVERS = frozenset({"editor", "admin", "sysadmin"})
MODERATORS = frozenset({"admin", "sysadmin"})
SYSADMINS = frozenset({"sysadmin"})

# action -> (object the data_dict names, roles allowed)
MATRIX = {
    "datenraum_request_create": (None, EVERYONE),
    "datenraum_request_show": ("request", EVERYONE),
    "datenraum_request_list": (None, EVERYONE),
    "datenraum_request_activity_list": ("request", EVERYONE),
    "datenraum_request_export": (None, EVERYONE),
    "datenraum_request_vote": ("request", ACCOUNTS),
    "datenraum_request_follow": ("request", ACCOUNTS),
    "datenraum_request_update": ("request", DRIVERS),
    "datenraum_request_moderate": ("request", DRIVERS),
    "datenraum_request_delete": ("request", SYSADMINS),
    "datenraum_request_publish": (None, SYSADMINS),
    "datenraum_comment_list": (None, EVERYONE),
    "datenraum_comment_create": (None, ACCOUNTS),
    "datenraum_comment_report": ("comment", ACCOUNTS),
    "datenraum_comment_hide": ("comment", MODERATORS),
    "datenraum_comment_delete": ("comment", SYSADMINS),
    "datenraum_usecase_show": ("usecase", EVERYONE),
    "datenraum_usecase_list": (None, EVERYONE),
    "datenraum_usecase_create": (None, ACCOUNTS),
    "datenraum_usecase_review": ("usecase", DRIVERS),
    "datenraum_usecase_delete": ("usecase", DRIVERS),
    "datenraum_moderation_queue": (None, frozenset({"editor", "admin", "other_admin", "sysadmin"})),
}

# (method, path template, roles that get through) for the pages; others get 403 (or, for
# anonymous visitors of account-only forms, the login page).
PAGES = [
    ("GET", "/datarequest", EVERYONE),
    ("GET", "/datarequest/{request}", EVERYONE),
    ("GET", "/datarequest.csv", EVERYONE),
    ("GET", "/datarequest/new", EVERYONE),
    ("GET", "/showcase", EVERYONE),
    # The use case still waits for review: its submitter and its reviewers see it, others get 404.
    ("GET", "/showcase/{usecase}", frozenset({"user", "editor", "admin", "sysadmin"})),
    ("GET", "/participation/moderation", frozenset({"editor", "admin", "other_admin", "sysadmin"})),
    ("POST", "/datarequest/{request}/vote", ACCOUNTS),
    ("POST", "/datarequest/{request}/update", DRIVERS),
    ("POST", "/comment/{comment}/hide", MODERATORS),
    ("POST", "/comment/{comment}/delete", SYSADMINS),
    ("POST", "/showcase/{usecase}/review", DRIVERS),
]


@pytest.fixture
def objects(people, dataset):
    request = propose(people, organization="stadt-jena")
    comment = call_action(
        "datenraum_comment_create",
        people.context("user"),
        subject_type="request",
        subject_id=request["id"],
        text="Gute Idee",
    )
    usecase = call_action(
        "datenraum_usecase_create",
        people.context("user"),
        title="Baumkarte",
        description="Karte",
        kind="application",
        datasets=[dataset["name"]],
    )
    return {"request": request["id"], "comment": comment["id"], "usecase": usecase["id"]}


def _allowed(people, role: str, action: str, data_dict: dict) -> bool:
    context = {"user": people.name(role) or ""}
    try:
        tk.check_access(action, context, data_dict)
    except tk.NotAuthorized:
        return False
    return True


def test_every_participation_action_is_in_the_matrix():
    from ckanext.datenraum.participation.logic import auth

    assert set(auth.__all__) == set(MATRIX)


def test_auth_matrix_of_the_actions(people, objects):
    wrong = []
    for action, (target, allowed) in MATRIX.items():
        data_dict = {"id": objects[target]} if target else {}
        for role in ROLES:
            if _allowed(people, role, action, data_dict) != (role in allowed):
                wrong.append(
                    (action, role, "should be " + ("allowed" if role in allowed else "denied"))
                )

    assert wrong == []


def test_auth_matrix_of_the_pages(app, people, objects):
    tokens = {
        role: call_action(
            "api_token_create", {"user": people.name(role)}, user=people.name(role), name="matrix"
        )["token"]
        for role in ROLES
        if role != "anonymous"
    }
    wrong = []
    for method, template, allowed in PAGES:
        path = template.format(**objects)
        for role in ROLES:
            headers = {"Authorization": tokens[role]} if role in tokens else {}
            if method == "GET":
                response = app.get(path, headers=headers, status=None)
            else:
                response = app.post(
                    path, data={}, headers=headers, status=None, follow_redirects=False
                )
            through = response.status_code in (
                200,
                302,
            ) and "/user/login" not in response.headers.get("Location", "")
            if through != (role in allowed):
                wrong.append((method, template, role, response.status_code))

    assert wrong == []
