"""The alembic environment shared by the suite's plugins: each plugin's ``env.py`` calls ``run``.

Every plugin keeps its own version table (``<plugin>_alembic_version``) and only sees its own
tables (those whose names start with the plugin's name), as CKAN's ``db upgrade -p`` expects.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool


def run(env_file: str) -> None:
    config = context.config
    fileConfig(config.config_file_name)
    name = os.path.basename(os.path.dirname(env_file))

    def include_object(object_, object_name, type_, reflected, compare_to):
        return object_name.startswith(name) if type_ == "table" else True

    options = {
        "target_metadata": metadata,
        "version_table": f"{name}_alembic_version",
        "include_object": include_object,
    }
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
