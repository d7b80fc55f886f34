"""Authorisation of the harvest actions and views through the action API (issue 12).

ckanext-harvest 1.6.3 as shipped: anonymous callers get 500 where they should get 403, some
actions check nothing, and module helpers are callable as actions (decision 0217).
"""

from __future__ import annotations

import json

import pytest
from ckan.tests import factories

from tests.harvest.conftest import make_source

pytestmark = pytest.mark.usefixtures("harvest_module_env")

SYSADMIN_ONLY = {
    "harvest_jobs_run": {},
    "harvest_job_create_all": {},
    "harvest_objects_import": {"source_id": "{source}"},
    "harvest_sources_reindex": {},
    "harvest_sources_job_history_clear": {},
    "harvest_abort_failed_jobs": {"life_span": 24},
    "harvest_job_abort": {"id": "{job}"},
    "harvest_log_list": {},
}
NOT_ACTIONS = [
    "InactiveSource",
    "get_mail_extra_vars",
    "prepare_error_mail",
    "prepare_summary_mail",
    "send_error_email",
    "send_mail",
    "send_summary_email",
]


@pytest.fixture(scope="module")
def people(harvest_module_env):
    """Users in every role, made once: the tests only send requests as them."""
    editor, member, admin, other_admin = (factories.UserWithToken() for _ in range(4))
    factories.Organization(
        users=[{"name": other_admin["name"], "capacity": "admin"}], name="andere-stadt"
    )
    from ckan.tests.helpers import call_action

    for user, capacity in ((editor, "editor"), (member, "member"), (admin, "admin")):
        call_action(
            "organization_member_create",
            {"user": harvest_module_env["sysadmin"]["name"]},
            id=harvest_module_env["organization"]["id"],
            username=user["name"],
            role=capacity,
        )
    return {
        "anonymous": {},
        "user": {"Authorization": factories.UserWithToken()["token"]},
        "editor": {"Authorization": editor["token"]},
        "member": {"Authorization": member["token"]},
        "admin": {"Authorization": admin["token"]},
        "other_admin": {"Authorization": other_admin["token"]},
        "sysadmin": {"Authorization": factories.SysadminWithToken()["token"]},
    }


@pytest.fixture(scope="module")
def source(harvest_module_env):
    return make_source(harvest_module_env, "datenraum_dcat", "https://example.org/catalog.ttl")


def _post(app, action, data, headers):
    return app.post(
        f"/api/3/action/{action}",
        data=json.dumps(data),
        headers={**headers, "Content-Type": "application/json"},
    ).status_code


def test_health_is_for_organisation_admins_not_editors_or_members(app, people):
    for role, expected in (("editor", 403), ("member", 403), ("admin", 200), ("sysadmin", 200)):
        headers = people[role]
        assert _post(app, "datenraum_harvest_health", {}, headers) == expected, role
        assert app.get("/harvest-health", headers=headers).status_code == expected, role


def test_sysadmin_only_actions_refuse_everyone_else_with_403(
    app, harvest_module_env, people, source
):
    from ckan.tests.helpers import call_action

    job = call_action(
        "harvest_job_create",
        {"user": harvest_module_env["sysadmin"]["name"]},
        source_id=source["id"],
    )
    for action, data in SYSADMIN_ONLY.items():
        data = {
            key: {"{source}": source["id"], "{job}": job["id"]}.get(value, value)
            for key, value in data.items()
        }
        for role in ("anonymous", "user", "editor", "admin"):
            assert _post(app, action, data, people[role]) == 403, (action, role)


def test_sysadmins_may_read_the_harvest_log_and_abort_failed_jobs(app, people):
    assert _post(app, "harvest_log_list", {}, people["sysadmin"]) == 200
    assert _post(app, "harvest_abort_failed_jobs", {}, people["sysadmin"]) == 200
    assert _post(app, "harvest_abort_failed_jobs", {"life_span": "x"}, people["sysadmin"]) == 409


def test_reindexing_a_source_needs_its_update_right(app, people, source):
    data = {"id": source["id"]}
    for role in ("anonymous", "user", "member", "other_admin"):
        assert _post(app, "harvest_source_reindex", data, people[role]) == 403, role
    assert _post(app, "harvest_source_reindex", data, people["editor"]) == 200


def test_module_helpers_of_ckanext_harvest_are_no_actions(app, people):
    for action in NOT_ACTIONS:
        for role in ("anonymous", "sysadmin"):
            assert _post(app, action, {}, people[role]) == 403, (action, role)


def test_auth_functions_and_helpers_are_no_actions(app, people):
    for action in ("auth_allow_anonymous_access", "harvest_sources_clear", "check_source_settings"):
        for role in ("anonymous", "sysadmin"):
            assert _post(app, action, {}, people[role]) == 400, (action, role)
