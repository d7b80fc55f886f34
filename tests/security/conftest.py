"""The suite's world for security tests: two organisations and a person in every role.

Built once per module, with a fresh database, because the authorisation matrix and the input
cases only read it or add objects of their own.
"""

from __future__ import annotations

import dataclasses

import ckan.model as model
import ckan.plugins
import pytest
from ckan.tests import factories
from ckan.tests import helpers as test_helpers

from tests import dcatapde_factories
from tests.conftest import MIGRATED_PLUGINS

ROLES = ("anonymous", "user", "editor_a", "admin_a", "admin_b", "sysadmin")
PASSWORD = "Passwort-der-Tests-2026"


@dataclasses.dataclass
class World:
    users: dict  # role -> user dict (no entry for anonymous)
    tokens: dict  # role -> {"Authorization": token} ({} for anonymous)
    org_a: dict
    org_b: dict
    group: dict
    dataset_a: dict
    private_a: dict
    dataset_b: dict

    def headers(self, role: str) -> dict:
        return dict(self.tokens[role])


def _build_world() -> World:
    sysadmin = factories.Sysadmin(password=PASSWORD)
    users = {
        "user": factories.User(password=PASSWORD),
        "editor_a": factories.User(password=PASSWORD),
        "admin_a": factories.User(password=PASSWORD),
        "admin_b": factories.User(password=PASSWORD),
        "sysadmin": sysadmin,
    }
    org_a = dcatapde_factories.organization(
        name="org-a",
        users=[
            {"name": users["editor_a"]["name"], "capacity": "editor"},
            {"name": users["admin_a"]["name"], "capacity": "admin"},
        ],
    )
    org_b = dcatapde_factories.organization(
        name="org-b", users=[{"name": users["admin_b"]["name"], "capacity": "admin"}]
    )
    group = factories.Group(
        name="gruppe", users=[{"name": users["admin_a"]["name"], "capacity": "admin"}]
    )
    create = dcatapde_factories.create_dataset
    tokens = {
        role: {"Authorization": factories.APIToken(user=user["id"])["token"]}
        for role, user in users.items()
    }
    tokens["anonymous"] = {}
    return World(
        users=users,
        tokens=tokens,
        org_a=org_a,
        org_b=org_b,
        group=group,
        dataset_a=create(sysadmin["name"], org_a["id"], name="datensatz-a"),
        private_a=create(sysadmin["name"], org_a["id"], name="intern-a", private=True),
        dataset_b=create(sysadmin["name"], org_b["id"], name="datensatz-b"),
    )


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for, reset_index) -> World:
    """A fresh database (every plugin's tables), an empty index and the world, once per module.

    The plugins stay loaded for the whole module: the tests use ``site``, one app per module,
    instead of CKAN's ``with_plugins`` and ``app`` (which build the app again for each test,
    about 6 s here).
    """
    ckan.plugins.load_all()
    try:
        pooled_engine = model.meta.engine
        reset_db()
        for plugin in MIGRATED_PLUGINS:
            migrate_db_for(plugin)
        model.init_model(pooled_engine)
        reset_index()
        yield _build_world()
    finally:
        ckan.plugins.unload_all()


@pytest.fixture(scope="module")
def site(world):
    """The web app (CKAN's test client) for the module, plugins loaded."""
    from ckan.lib.app_globals import _CONFIG_CACHE

    _CONFIG_CACHE.clear()  # as CKAN's make_app fixture does
    return test_helpers._get_test_app()
