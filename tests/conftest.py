"""Shared fixtures. CKAN's own pytest plugin (``ckan.tests.pytest_ckan``) provides the rest.

The browser-test fixtures (``ckan_server``, ``ckan_server_with``, ``browser_session``,
``browser``, ``browser_user``) live in ``tests/browser/harness.py``; they are registered here
so that every test folder can use them.
"""

from __future__ import annotations

import socket

import ckan.model as model
import pytest

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent

pytest_plugins = ("tests.browser.harness",)


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins test.ini enables."""
    pooled_engine = model.meta.engine
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    migrate_db_for("datenraum_usage")
    migrate_db_for("datenraum_participation")
    # Alembic's env.py rebinds the model to its own NullPool engine: without this every later
    # query of the test would open a new PostgreSQL connection (~10 ms each).
    model.init_model(pooled_engine)


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
