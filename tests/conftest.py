"""Shared fixtures. CKAN's own pytest plugin (``ckan.tests.pytest_ckan``) provides the rest.

The browser-test fixtures (``ckan_server``, ``ckan_server_with``, ``browser_session``,
``browser``, ``browser_user``) live in ``tests/browser/harness.py``; they are registered here
so that every test folder can use them.
"""

from __future__ import annotations

import functools
import socket

import ckan.model as model
import pytest
import sqlalchemy as sa

from tests import loaded_plugins

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent

pytest_plugins = ("tests.browser.harness",)

# The plugins of test.ini that bring tables of their own (alembic migrations), in order.
MIGRATED_PLUGINS = ("activity", "harvest", "datenraum_usage", "datenraum_participation")


@functools.cache
def _head_revisions(plugin: str) -> frozenset:
    """The revisions at the head of a plugin's alembic scripts (read once per test process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from ckan.cli.db import _resolve_alembic_config

    scripts = ScriptDirectory.from_config(Config(_resolve_alembic_config(plugin)))
    return frozenset(scripts.get_heads())


def _at_head(plugin: str) -> bool:
    """Whether the database holds ``plugin``'s tables at its head revision (one cheap query).

    CKAN's ``reset_db`` deletes rows but keeps tables once they exist, so after the first test
    the plugins' migrations are no-ops; running alembic for four plugins still cost ~1 s per test.
    """
    table = f"{plugin}_alembic_version"
    with model.meta.engine.connect() as connection:
        if not sa.inspect(connection).has_table(table):
            return False
        rows = connection.execute(sa.text(f'SELECT version_num FROM "{table}"'))
        stored = {row[0] for row in rows}
    return stored == _head_revisions(plugin)


def fresh_database(reset_db, migrate_db_for) -> None:
    """CKAN's reset of the database, plus the tables of the plugins test.ini enables (for
    fixtures of a wider scope than ``clean_db``)."""
    pooled_engine = model.meta.engine
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        if not _at_head(plugin):
            migrate_db_for(plugin)
    # Alembic's env.py rebinds the model to its own NullPool engine: without this every later
    # query of the test would open a new PostgreSQL connection (~10 ms each).
    model.init_model(pooled_engine)


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins test.ini enables."""
    fresh_database(reset_db, migrate_db_for)


@pytest.fixture
def with_plugins(ckan_config, request):
    """CKAN's ``with_plugins`` for ``ckan.plugins``, kept loaded between tests that load them
    alike (``tests/loaded_plugins.py``). The ``with_plugins`` mark is not supported here."""
    assert request.node.get_closest_marker("with_plugins") is None, "list them in ckan.plugins"
    loaded_plugins.load_plugins()
    yield


@pytest.fixture
def make_app(make_app):
    """CKAN's app factory, its web app kept between tests alike (``tests/loaded_plugins.py``)."""
    return lambda: loaded_plugins.web_app(make_app)


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
