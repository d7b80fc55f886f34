"""The harvest capability's part of an export: every harvest source.

``sources.jsonl`` holds each source as ckanext-harvest stores it (restored as it was, same id
and configuration); ``harvest_sources/`` the same sources as files of the city's own format
(``harvest_sources/README.md``), ready to be the new instance's sources folder. Sources of
other harvesters than ours are in ``sources.jsonl`` only. Harvest jobs and objects (the run
history) are not exported: the next run of a restored source starts a new history.
"""

from __future__ import annotations

import json
import pathlib

import ckan.model as model
import ckan.plugins.toolkit as tk
import yaml
from ckanext.harvest.model import HarvestSource

from ckanext.datenraum.common.backup import BackupOptions, BackupPart, read_jsonl, write_jsonl
from ckanext.datenraum.harvest.sources import HARVESTER_TYPES

# Keys of a source's JSON configuration that the file format has (the rest is bookkeeping).
FILE_CONFIG_KEYS = (
    "contributor_id",
    "defaults",
    "mapping",
    "priority",
    "allow_private_targets",
    "withdrawal_guard",
    "http",
)
SOURCE_FIELDS = ("id", "name", "title", "notes", "url", "source_type", "frequency", "config")


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _sources() -> list[tuple[model.Package, HarvestSource]]:
    return (
        model.Session.query(model.Package, HarvestSource)
        .join(HarvestSource, HarvestSource.id == model.Package.id)
        .filter(model.Package.type == "harvest")
        .order_by(model.Package.name)
        .all()
    )


def source_file(package: model.Package, source: HarvestSource) -> dict:
    """A source as the mapping of its ``harvest_sources/*.yaml`` file."""
    try:
        config = json.loads(source.config or "{}")
    except ValueError:
        config = {}
    organization = model.Group.get(package.owner_org) if package.owner_org else None
    data = {
        "name": package.name,
        "title": package.title or package.name,
        "description": package.notes or "",
        "type": source.type,
        "url": source.url,
        "organization": organization.name if organization else package.owner_org,
        "frequency": source.frequency,
        "active": package.state == "active",
    }
    data.update(
        {key: config[key] for key in FILE_CONFIG_KEYS if config.get(key) not in (None, {}, "")}
    )
    return data


def export_sources(folder: pathlib.Path, options: BackupOptions) -> dict:
    rows, files = [], folder / "harvest_sources"
    files.mkdir()
    for package, source in _sources():
        rows.append(
            {
                "id": package.id,
                "name": package.name,
                "title": package.title,
                "notes": package.notes,
                "url": source.url,
                "source_type": source.type,
                "frequency": source.frequency,
                "config": source.config,
                "owner_org": package.owner_org,
                "state": package.state,
            }
        )
        if source.type in HARVESTER_TYPES:
            (files / f"{package.name}.yaml").write_text(
                yaml.safe_dump(source_file(package, source), allow_unicode=True, sort_keys=False),
                encoding="utf-8",
            )
    return {"sources": write_jsonl(folder / "sources.jsonl", rows)}


def restore_sources(folder: pathlib.Path, options: BackupOptions) -> dict:
    restored = 0
    for row in read_jsonl(folder / "sources.jsonl"):
        if model.Package.get(row["id"]) is not None:  # an interrupted import's, committed
            continue
        data = {key: row[key] for key in SOURCE_FIELDS if row.get(key) is not None}
        data["owner_org"] = row["owner_org"]
        created = tk.get_action("harvest_source_create")(_context(), data)
        if row.get("state") != "active":
            tk.get_action("harvest_source_patch")(
                _context(), {"id": created["id"], "state": row["state"]}
            )
        restored += 1
    return {"sources": restored}


PARTS = [BackupPart("harvest", export_sources, restore_sources, order=50)]
