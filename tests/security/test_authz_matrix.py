"""The authorisation matrix: every action and view of the suite, for every role.

The rows are data (``authz_matrix.yaml``). The suite's actions and routes are discovered from
the running plugins (our ``ckanext.datenraum`` plugins and ckanext-harvest, whose actions and
views our harvesters use), so a new action or view without a row fails here. Each action is
called through the action API, each view through HTTP, as each role with its API token.
"""

from __future__ import annotations

import itertools
import json
import pathlib
import uuid

import ckan.model as model
import ckan.plugins as p
import pytest
import yaml
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum.participation.model import PENDING, DataRequest
from tests import dcatapde_factories
from tests.participation.test_usecases import PNG
from tests.security.conftest import ROLES

MATRIX = yaml.safe_load(pathlib.Path(__file__).with_name("authz_matrix.yaml").read_text())
OUR_MODULES = "ckanext.datenraum"
CONFIGURED_UPSTREAM_PLUGINS = frozenset({"harvest"})
# CKAN makes a blueprint per dataset type; ckanext-harvest's "harvest" type gets CKAN's own
# dataset views, whose authorisation is CKAN's (package_show / package_update).
NOT_DISCOVERED_BLUEPRINTS = frozenset({"harvest", "harvest_resource"})
_names = (f"authz-{index}" for index in itertools.count())
_authors = itertools.count()
# Plain values, never shared between refused calls (two shared objects would get one name).
UNSHARED = frozenset({"fresh_name", "fresh_user"})
# Why a call answered 5xx, for the failure message.
ERRORS: dict = {}


@pytest.fixture(scope="module")
def world(world, migrate_db_for):
    """The security world, with the tables of participation (a plugin of the suite) added."""
    pooled_engine = model.meta.engine
    migrate_db_for("datenraum_participation")
    model.init_model(pooled_engine)  # Alembic's env.py rebinds the model to its own engine
    return world


def _suite_plugins(interface):
    for plugin in p.PluginImplementations(interface):
        if type(plugin).__module__.startswith(OUR_MODULES) or plugin.name in (
            CONFIGURED_UPSTREAM_PLUGINS
        ):
            yield plugin


def suite_actions() -> set[str]:
    names = {name for plugin in _suite_plugins(p.IActions) for name in plugin.get_actions()}
    for plugin in _suite_plugins(p.IAuthFunctions):
        names |= set(plugin.get_auth_functions())
    return names


def suite_routes(flask_app) -> set[str]:
    blueprints = set()
    for plugin in _suite_plugins(p.IBlueprint):
        found = plugin.get_blueprint()
        blueprints |= {
            blueprint.name for blueprint in (found if isinstance(found, list) else [found])
        }
    blueprints -= NOT_DISCOVERED_BLUEPRINTS
    return {
        f"{' '.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))} {rule.rule}"
        for rule in flask_app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in blueprints
    }


class Resolver:
    """Fills "{placeholder}" strings for one call; "fresh_*" objects are new on each call."""

    def __init__(self, world, role: str, *, fresh: bool = True):
        self.world, self.role, self.cache, self.fresh = world, role, {}, fresh
        self.sysadmin = {"user": world.users["sysadmin"]["name"], "ignore_auth": True}

    def fill(self, value):
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.fill(item) for item in value]
        if isinstance(value, str) and value[:1] == "{" and value[1:-1].isidentifier():
            return self[value[1:-1]]
        if isinstance(value, str) and "{" in value:
            return value.format_map(self)
        return value

    def __getitem__(self, name: str):
        if name not in self.cache:
            make = getattr(self, f"_{name}")
            if name.startswith("fresh_") and name not in UNSHARED and not self.fresh:
                # a role that must be refused changes nothing: one object serves every refusal
                self.cache[name] = _shared(self.world, f"refused:{name}", make)
            else:
                self.cache[name] = make()
        return self.cache[name]

    def _act(self, action: str, **data):
        return call_action(action, dict(self.sysadmin), **data)

    # the world
    def _org_a(self):
        return self.world.org_a["name"]

    def _group(self):
        return self.world.group["name"]

    def _dataset_a(self):
        return self.world.dataset_a["name"]

    def _private_a(self):
        return self.world.private_a["name"]

    def _resource_a(self):
        return self.world.dataset_a["resources"][0]["id"]

    def _private_resource_a(self):
        return self.world.private_a["resources"][0]["id"]

    def _self(self):
        return self.world.users[self.role]["name"] if self.role != "anonymous" else ""

    def _name_of_editor_a(self):
        return self.world.users["editor_a"]["name"]

    def _unknown_id(self):
        return str(uuid.uuid4())

    # new objects
    def _fresh_name(self):
        return f"{next(_names)}-{uuid.uuid4().hex[:6]}"

    def _fresh_user(self):
        return factories.User()["name"]

    def _dataset_fields_a(self):
        return dcatapde_factories.minimal_dataset_fields(
            self.world.org_a["id"], name=self["fresh_name"]
        )

    def _fresh_dataset_dict_a(self):
        return self._act("package_create", **self["dataset_fields_a"])

    def _fresh_dataset_a(self):
        return self["fresh_dataset_dict_a"]["name"]

    def _fresh_resource_a(self):
        return self["fresh_dataset_dict_a"]["resources"][0]["id"]

    def _related_dataset_a(self):
        self._act(
            "package_relationship_create",
            subject=self["fresh_dataset_a"],
            object=self.world.dataset_a["name"],
            type="links_to",
        )
        return self["fresh_dataset_a"]

    def _fresh_org_dict_a(self):
        users = [
            {"name": self.world.users["admin_a"]["name"], "capacity": "admin"},
            {"name": self.world.users["editor_a"]["name"], "capacity": "editor"},
        ]
        return dcatapde_factories.organization(users=users)

    def _fresh_group_dict(self):
        admin = {"name": self.world.users["admin_a"]["name"], "capacity": "admin"}
        return factories.Group(users=[admin])

    def _fresh_group(self):
        return self["fresh_group_dict"]["name"]

    def _user_dict_of_user(self):
        user = self._act("user_show", id=self.world.users["user"]["id"])
        return {
            "id": user["id"],
            "name": user["name"],
            "email": user["email"] or "u@example.org",
            "fullname": "Geänderter Name",
        }

    def _fresh_vocabulary(self):
        return self._act("vocabulary_create", name=self["fresh_name"], tags=[])["id"]

    def _source_fields_a(self):
        return {
            "name": self["fresh_name"],
            "title": "Partnerkatalog",
            "url": f"https://example.org/{self['fresh_name']}/catalog.ttl",
            "source_type": "datenraum_dcat",
            "owner_org": self.world.org_a["id"],
            "frequency": "MANUAL",
        }

    def _fresh_source_dict_a(self):
        return self._act("harvest_source_create", **self["source_fields_a"])

    def _fresh_source_a(self):
        return self["fresh_source_dict_a"]["id"]

    def _source_a(self):
        return _shared(self.world, "source_a", lambda: self["fresh_source_a"])

    def _fresh_job_source_a(self):
        """A source of its own for each job (a source holds one unrun job at a time)."""
        fields = dict(self["source_fields_a"], name=self._fresh_name())
        fields["url"] = f"https://example.org/{fields['name']}/catalog.ttl"
        return self._act("harvest_source_create", **fields)["id"]

    def _fresh_job_a(self):
        return self._act("harvest_job_create", source_id=self["fresh_job_source_a"])["id"]

    # participation: a data request and its comment addressed to org-a, use cases of dataset_a
    def _as(self, user_name: str, action: str, **data):
        return call_action(action, {"user": user_name, "ignore_auth": False}, **data)

    def _citizen(self):
        return self.world.users["user"]["name"]

    def _author(self):
        """Who submits this call's new objects: a few citizens in turn, each well under the
        allowance of 30 submissions a day (not a new account for each object)."""
        turn = next(_authors) // 20
        return _shared(self.world, f"author:{turn}", lambda: factories.User()["name"])

    def _propose(self, author: str) -> str:
        data = {"title": "Radwege mit Oberfläche", "description": "Für eine Routenplanung."}
        return self._as(author, "datenraum_request_create", organization=self["org_a"], **data)[
            "id"
        ]

    def _comment(self, author: str, subject_type: str = "request") -> str:
        subject = self["request_a"] if subject_type == "request" else self["dataset_a"]
        data = {"subject_type": subject_type, "subject_id": subject, "text": "Gute Idee"}
        return self._as(author, "datenraum_comment_create", **data)["id"]

    def _submit_usecase(self, author: str, **fields) -> str:
        data = {"title": "Baumkarte", "description": "Karte", "kind": "application"}
        data.update(datasets=[self.world.dataset_a["name"]], **fields)
        return self._as(author, "datenraum_usecase_create", **data)["id"]

    def _request_a(self):
        return _shared(self.world, "request_a", lambda: self._propose(self["citizen"]))

    def _fresh_request_a(self):
        return self._propose(self["author"])

    def _fresh_pending_request_a(self):
        """A proposal waiting for moderation, as a visitor's (made by an account: the
        allowance of visitors is three a day per address)."""
        request_id = self._fresh_request_a()
        model.Session.get(DataRequest, request_id).moderation = PENDING
        model.Session.commit()
        return request_id

    def _comment_a(self):
        return _shared(self.world, "comment_a", lambda: self._comment(self["citizen"]))

    def _fresh_comment_a(self):
        return self._comment(self["author"])

    def _fresh_dataset_comment_a(self):
        """On dataset_a: its moderators are found through the dataset's organisation."""
        return self._comment(self["author"], subject_type="dataset")

    def _usecase_a(self):
        """Published at once (its submitter reviews dataset_a), with an image."""
        sysadmin = self.world.users["sysadmin"]["name"]
        return _shared(self.world, "usecase_a", lambda: self._submit_usecase(sysadmin, image=PNG))

    def _pending_usecase_a(self):
        """Waiting for review: its submitter (the citizen) and its reviewers see it."""
        return _shared(
            self.world, "pending_usecase_a", lambda: self._submit_usecase(self["citizen"])
        )

    def _fresh_usecase_a(self):
        return self._submit_usecase(self["author"])


def _shared(world, name, make):
    """An object made once per module (a harvest source, its job) for read-only rows."""
    shared = world.__dict__.setdefault("shared", {})
    if name not in shared:
        shared[name] = make()
    return shared[name]


def _cases(row) -> list[dict]:
    return row if isinstance(row, list) else [row]


def _expected(case: dict) -> dict:
    allowed = set(case.get("allowed") or ())
    outcomes = case.get("outcomes") or {}
    return {role: outcomes.get(role, "allowed" if role in allowed else "denied") for role in ROLES}


def _outcome(status: int, location: str = "") -> str:
    if status >= 500:
        return "error"
    if status == 403 or (300 <= status < 400 and "/user/login" in location):
        return "denied"
    if status == 404:
        return "missing"
    if status in (400, 409):
        return "invalid"
    return "allowed"


def _compared(observed: dict, expected: dict) -> dict:
    """``observed``, where a role expected to pass had its data refused: that counts as passing."""
    return {
        role: "allowed" if outcome == "invalid" and expected[role] == "allowed" else outcome
        for role, outcome in observed.items()
    }


def _call(site, world, action: str, case: dict, role: str) -> str:
    fresh = _expected(case)[role] != "denied"
    data = Resolver(world, role, fresh=fresh).fill(case.get("data") or {})
    headers = {**world.headers(role), "Content-Type": "application/json"}
    try:
        response = site.post(f"/api/3/action/{action}", data=json.dumps(data), headers=headers)
    except Exception as error:  # the test client re-raises what the server could not answer
        ERRORS[action, role] = repr(error)[:300]
        return "error"
    finally:
        # one request's failure (e.g. a DetachedInstanceError) must not poison the next call
        model.Session.remove()
    if response.status_code >= 500:
        ERRORS[action, role] = response.get_data(as_text=True)[:300]
    return _outcome(response.status_code)


def _open(site, world, case: dict, role: str) -> str:
    resolver = Resolver(world, role, fresh=_expected(case)[role] != "denied")
    url = resolver.fill(case["url"])
    try:
        if "form" in case:
            form = resolver.fill(case["form"] or {})
            response = site.post(
                url, data=form, headers=world.headers(role), follow_redirects=False
            )
        else:
            response = site.get(url, headers=world.headers(role), follow_redirects=False)
    except Exception as error:
        ERRORS[url, role] = repr(error)[:300]
        return "error"
    finally:
        model.Session.remove()
    return _outcome(response.status_code, response.headers.get("Location", ""))


def _marks(row) -> list:
    hole = next((case.get("hole") for case in _cases(row) if case.get("hole")), None)
    return [pytest.mark.xfail(strict=True, reason=hole)] if hole else []


def _params(section: str) -> list:
    return [
        pytest.param(key, row, id=key, marks=_marks(row)) for key, row in MATRIX[section].items()
    ]


def test_every_action_of_the_suite_has_a_row(site):
    discovered = suite_actions()

    assert sorted(discovered - set(MATRIX["actions"])) == []  # add a row to authz_matrix.yaml
    assert sorted(set(MATRIX["actions"]) - discovered) == []  # a row of an action that is gone


def test_every_view_of_the_suite_has_a_row(site):
    discovered = suite_routes(site.flask_app)

    assert sorted(discovered - set(MATRIX["views"])) == []
    assert sorted(set(MATRIX["views"]) - discovered) == []


@pytest.mark.parametrize(("action", "row"), _params("actions"))
def test_action(site, world, action, row):
    ERRORS.clear()
    for case in _cases(row):
        expected = _expected(case)
        outcomes = {role: _call(site, world, action, case, role) for role in ROLES}
        assert _compared(outcomes, expected) == expected, (case.get("data"), ERRORS)


@pytest.mark.parametrize(("view", "row"), _params("views"))
def test_view(site, world, view, row):
    ERRORS.clear()
    for case in _cases(row):
        expected = _expected(case)
        outcomes = {role: _open(site, world, case, role) for role in ROLES}
        assert _compared(outcomes, expected) == expected, (case["url"], ERRORS)
