"""Dump and restore of the participation tables, for the suite's backup (``export-all`` /
``import-all``). Rows are JSON-safe dicts (datetimes as ISO strings); use-case images are files
under ``images.folder()`` and travel with the storage directory.
"""

from __future__ import annotations

import datetime
import pathlib
import shutil

import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.common.backup import (
    BackupError,
    BackupOptions,
    BackupPart,
    read_jsonl,
    write_jsonl,
)
from ckanext.datenraum.participation import images
from ckanext.datenraum.participation.model import TABLES

IMAGES = "usecase-images"


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


# The part of ``ckan datenraum export-all``: one JSON-lines file per table, the use-case images
# beside them. After users (10) and datasets (40), whose ids the rows refer to.


def _images_folder() -> pathlib.Path | None:
    try:
        return images.folder()
    except images.ImageError:  # no storage configured: no images can exist
        return None


def export_part(folder: pathlib.Path, options: BackupOptions) -> dict:
    counts = {name: write_jsonl(folder / f"{name}.jsonl", rows) for name, rows in dump().items()}
    source = _images_folder()
    if source and source.is_dir() and any(source.iterdir()):
        shutil.copytree(source, folder / IMAGES)
        counts["images"] = sum(1 for path in source.rglob("*") if path.is_file())
    return counts


def restore_part(folder: pathlib.Path, options: BackupOptions) -> dict:
    data = {
        model_class.__table__.name: list(read_jsonl(folder / f"{model_class.__table__.name}.jsonl"))
        for model_class in TABLES
    }
    counts = restore(data)
    if (folder / IMAGES).is_dir():
        target = _images_folder()
        if target is None:
            raise BackupError("the export has use-case images but ckan.storage_path is not set")
        shutil.copytree(folder / IMAGES, target, dirs_exist_ok=True)
        counts["images"] = sum(1 for path in (folder / IMAGES).rglob("*") if path.is_file())
    return counts


PARTS = [BackupPart("participation", export_part, restore_part, order=70)]
