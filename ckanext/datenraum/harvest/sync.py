"""Make the ckanext-harvest sources match ``harvest_sources/``.

Sources created by a sync carry ``"managed_by": "harvest_sources"`` in their config; only those
are updated or deactivated, so sources an administrator created by hand are left alone.
Deactivating flags the source deleted (ckanext-harvest's own "inactive") and keeps its
harvested datasets; a file that comes back reactivates it.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestSource

from ckanext.datenraum.harvest.sources import (
    MANAGED_MARK,
    HarvestSourceFile,
    SourceFileError,
    load_sources,
)

# The top-level harvest_sources/ folder, linked into the package (a wheel carries it).
SHIPPED_SOURCES = pathlib.Path(__file__).resolve().parents[1] / "harvest_sources"


def sources_folder() -> pathlib.Path:
    """``ckanext.datenraum.harvest.sources_dir``, or the folder shipped with the package."""
    configured = tk.config.get("ckanext.datenraum.harvest.sources_dir")
    return pathlib.Path(configured) if configured else SHIPPED_SOURCES


@dataclasses.dataclass
class SyncPlan:
    create: list[HarvestSourceFile] = dataclasses.field(default_factory=list)
    update: list[tuple[HarvestSourceFile, list[str]]] = dataclasses.field(default_factory=list)
    deactivate: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            *(f"create      {source.name} ({source.file})" for source in self.create),
            *(
                f"update      {source.name} ({', '.join(changed)})"
                for source, changed in self.update
            ),
            *(f"deactivate  {name}" for name in self.deactivate),
            *(f"unchanged   {name}" for name in self.unchanged),
        ]


def plan_sync(folder: pathlib.Path) -> SyncPlan:
    """What a sync would change; raises :class:`SourceFileError` before anything changes."""
    sources = load_sources(folder)
    _check_organizations(sources)
    existing = _existing_sources()
    plan = SyncPlan()
    for source in sources:
        current = existing.pop(source.name, None)
        if current is None:
            plan.create.append(source)
            continue
        changed = _changed_fields(_desired(source), current)
        if changed:
            plan.update.append((source, changed))
        else:
            plan.unchanged.append(source.name)
    plan.deactivate = sorted(
        name for name, current in existing.items() if current["managed"] and current["active"]
    )
    return plan


def apply_sync(plan: SyncPlan) -> None:
    context = _context()
    for source in plan.create:
        deleted = model.Package.get(source.name)
        if deleted is not None:  # a deleted twin keeps the name; revive it instead
            tk.get_action("harvest_source_update")(
                _context(), {"id": deleted.id, **_desired(source)}
            )
        else:
            tk.get_action("harvest_source_create")(_context(), _desired(source))
    for source, _changed in plan.update:
        package = model.Package.get(source.name)
        tk.get_action("harvest_source_update")(_context(), {"id": package.id, **_desired(source)})
    for name in plan.deactivate:
        tk.get_action("harvest_source_patch")(context, {"id": name, "state": "deleted"})


def _desired(source: HarvestSourceFile) -> dict:
    organization = model.Group.get(source.organization)
    return {
        "name": source.name,
        "title": source.title,
        "notes": source.description,
        "url": source.url,
        "source_type": source.type,
        "frequency": source.frequency,
        "config": source.config_json(),
        "owner_org": organization.id if organization else source.organization,
        "state": "active" if source.active else "deleted",
    }


def _changed_fields(desired: dict, current: dict) -> list[str]:
    return [key for key in desired if key != "name" and desired[key] != current.get(key)]


def _existing_sources() -> dict[str, dict]:
    rows = (
        model.Session.query(model.Package, HarvestSource)
        .join(HarvestSource, HarvestSource.id == model.Package.id)
        .filter(model.Package.type == "harvest")
    )
    existing = {}
    for package, source in rows:
        try:
            config = json.loads(source.config or "{}")
        except ValueError:
            config = {}
        existing[package.name] = {
            "title": package.title,
            "notes": package.notes or "",
            "url": source.url,
            "source_type": source.type,
            "frequency": source.frequency,
            "config": source.config,
            "owner_org": package.owner_org,
            "state": package.state,
            "active": package.state == "active",
            "managed": isinstance(config, dict) and config.get("managed_by") == MANAGED_MARK,
        }
    return existing


def _check_organizations(sources: list[HarvestSourceFile]) -> None:
    problems = [
        (source.file, "organization", f"organisation '{source.organization}' does not exist")
        for source in sources
        if model.Group.get(source.organization) is None
    ]
    if problems:
        raise SourceFileError(problems)


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}
