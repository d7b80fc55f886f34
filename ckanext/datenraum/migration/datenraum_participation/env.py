"""Alembic environment of the ``datenraum_participation`` plugin (its own version table)."""

from ckanext.datenraum.common.migration_env import run

run(__file__)
