"""Dump and restore of the participation tables, for the suite's backup (``export-all`` /
``import-all``). Rows are JSON-safe dicts (datetimes as ISO strings); use-case images are files
under ``images.folder()`` and travel with the storage directory.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.participation.model import TABLES


def _json_safe(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def dump() -> dict[str, list[dict]]:
    """Every row of every participation table, by table name, parents first."""
    result = {}
    for model_class in TABLES:
        table = model_class.__table__
        rows = model.Session.execute(sa.select(table).order_by(*table.primary_key.columns))
        result[table.name] = [
            {key: _json_safe(value) for key, value in row._mapping.items()} for row in rows
        ]
    return result


def restore(data: dict[str, list[dict]]) -> dict[str, int]:
    """Replace the tables' contents by ``data`` (as ``dump`` wrote it) in one transaction."""
    counts = {}
    for model_class in reversed(TABLES):
        model.Session.execute(sa.delete(model_class.__table__))
    for model_class in TABLES:
        table = model_class.__table__
        rows = []
        for row in data.get(table.name, []):
            values = dict(row)
            for column in table.columns:
                if isinstance(column.type, sa.DateTime) and isinstance(
                    values.get(column.name), str
                ):
                    values[column.name] = datetime.datetime.fromisoformat(values[column.name])
            rows.append(values)
        if rows:
            model.Session.execute(sa.insert(table), rows)
        counts[table.name] = len(rows)
    model.Session.commit()
    return counts
