"""The backup extension point: every capability exports and restores its own data.

``ckan datenraum export-all DIR`` (``ckanext.datenraum.backup``) writes CKAN's own objects and
then the parts of every plugin that implements :class:`IDatenraumBackup`, each into a folder of
its own; ``ckan datenraum import-all DIR`` restores all parts, ordered by ``order``, into an
empty instance. A capability with tables of its own implements the interface in its plugin::

    class ParticipationPlugin(p.SingletonPlugin):
        p.implements(IDatenraumBackup)

        def datenraum_backup_parts(self):
            return [BackupPart("participation", export_tables, restore_tables, order=70)]

Orders taken: users 10, organisations and groups 20, memberships 25, vocabularies 30, datasets
and files 40, harvest sources 50, usage figures 60. Parts write open formats only: CSV
(:func:`write_table_csv`), JSON lines (:func:`write_jsonl`), YAML, RDF.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import json
import pathlib
from collections.abc import Callable, Iterable, Iterator

import ckan.plugins as p
import sqlalchemy as sa


@dataclasses.dataclass(frozen=True)
class BackupOptions:
    """What the operator asked for: password hashes are exported only on request.

    ``index_each_dataset`` restores datasets as CKAN's API creates them, each one written to
    the search index and committed there (slow; for comparison in ``benchmarks/restore.py``).
    By default nothing is written to the index during a restore, and the index is rebuilt
    once at the end (decision 0508)."""

    with_password_hashes: bool = False
    index_each_dataset: bool = False


@dataclasses.dataclass(frozen=True)
class BackupPart:
    """One folder of an export.

    ``export(folder, options)`` writes the part's files into ``folder`` and returns counts;
    ``restore(folder, options)`` reads them into the (empty) instance and returns counts. Both
    run as the site user, inside a CKAN application context. A restore that was interrupted
    is run again (decision 0508): ``restore`` skips what a committed earlier run restored, or
    restores in one transaction.
    """

    name: str
    export: Callable[[pathlib.Path, BackupOptions], dict]
    restore: Callable[[pathlib.Path, BackupOptions], dict]
    order: int = 50


class IDatenraumBackup(p.Interface):
    """Give ``export-all`` / ``import-all`` the data a plugin owns."""

    def datenraum_backup_parts(self) -> list[BackupPart]:
        """The plugin's parts of an export (see :class:`BackupPart`)."""
        return []


class BackupError(Exception):
    """An export or import that cannot proceed; the message says why (and nothing changed)."""


# JSON lines


def write_jsonl(path: pathlib.Path, rows: Iterable[dict]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as output:
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n")
            count += 1
    return count


def read_jsonl(path: pathlib.Path) -> Iterator[dict]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


# tables as CSV: a header of column names, one row per record; an empty cell is NULL in a
# nullable column


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _from_text(column: sa.Column, text: str):
    if text == "" and column.nullable:
        return None
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return text == "true"
    if isinstance(kind, sa.Integer):
        return int(text or 0)
    if isinstance(kind, sa.Float | sa.Numeric):
        return float(text or 0)
    if isinstance(kind, sa.DateTime):
        return datetime.datetime.fromisoformat(text)
    if isinstance(kind, sa.Date):
        return datetime.date.fromisoformat(text)
    return text


def write_table_csv(session, model_class, path: pathlib.Path) -> int:
    """Every row of ``model_class``'s table, ordered by its primary key, as CSV."""
    table = model_class.__table__
    columns = list(table.columns)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as output:
        writer = csv.writer(output)
        writer.writerow([column.name for column in columns])
        for row in session.execute(sa.select(table).order_by(*table.primary_key.columns)):
            writer.writerow([_to_text(row._mapping[column.name]) for column in columns])
            count += 1
    return count


def read_table_csv(session, model_class, path: pathlib.Path) -> int:
    """Insert the rows of a CSV written by :func:`write_table_csv`; returns how many."""
    if not path.exists():
        return 0
    table = model_class.__table__
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        unknown = set(reader.fieldnames or []) - set(table.columns.keys())
        if unknown:
            raise BackupError(f"{path.name}: unknown columns {', '.join(sorted(unknown))}")
        rows = [
            {name: _from_text(table.columns[name], text) for name, text in record.items()}
            for record in reader
        ]
    if rows:
        session.execute(table.insert(), rows)
    return len(rows)
