"""Run the parts of an export or import, and write or check the manifest.

An export goes into an empty (or new) folder; one sub-folder per part, then ``manifest.json``
with the format version, the exporting site, each part's counts and every file's size and
SHA-256. An import checks the manifest first (every file present, unchanged, nothing extra)
and that the instance is empty, so a damaged export or a wrong target changes nothing; then it
restores the parts in order and rebuilds the search index once, at the end (decision 0508).
While it runs, ``system_info`` names the export and the parts done, so that the same import
run again after an interruption finishes the job instead of refusing a non-empty instance.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import pathlib

import ckan
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import search

from ckanext.datenraum.backup import core
from ckanext.datenraum.common.backup import (
    BackupError,
    BackupOptions,
    BackupPart,
    IDatenraumBackup,
)

log = logging.getLogger(__name__)

FORMAT = "ckanext-datenraum export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# system_info: the export an unfinished import restores, and its parts done
RESTORE_KEY = "ckanext.datenraum.restore"


def parts() -> list[BackupPart]:
    """CKAN's own parts and every plugin's, in restore order; names must be unique."""
    found = list(core.PARTS)
    for plugin in p.PluginImplementations(IDatenraumBackup):
        found.extend(plugin.datenraum_backup_parts())
    names = [part.name for part in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise BackupError(f"two backup parts are named {', '.join(duplicates)}")
    return sorted(found, key=lambda part: (part.order, part.name))


def sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        for block in iter(lambda: content.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(directory: pathlib.Path) -> list[pathlib.Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.relative_to(directory).as_posix() != MANIFEST
    )


def export_all(directory: pathlib.Path, options: BackupOptions) -> dict:
    """Write everything the city owns into ``directory``; returns the manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: export into a new or empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for part in parts():
        folder = directory / part.name
        folder.mkdir()
        counts[part.name] = part.export(folder, options)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "site": {
            "site_url": tk.config.get("ckan.site_url"),
            "site_id": tk.config.get("ckan.site_id"),
            "ckan_version": ckan.__version__,
        },
        "password_hashes": options.with_password_hashes,
        "parts": counts,
        "files": [
            {
                "path": path.relative_to(directory).as_posix(),
                "bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
            for path in _files(directory)
        ],
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def verify(directory: pathlib.Path) -> dict:
    """The manifest of an export whose files are all present and unchanged, or BackupError."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{directory} has no {MANIFEST}: not an export") from error
    except ValueError as error:
        raise BackupError(f"{directory / MANIFEST} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{directory} is not a {FORMAT} version {FORMAT_VERSION} "
            f"(found {manifest.get('format')!r} {manifest.get('format_version')!r})"
        )
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = {path.relative_to(directory).as_posix(): path for path in _files(directory)}
    problems = [f"missing: {name}" for name in sorted(set(listed) - set(present))]
    problems += [f"not in the manifest: {name}" for name in sorted(set(present) - set(listed))]
    for name in sorted(set(listed) & set(present)):
        if sha256(present[name]) != listed[name]["sha256"]:
            problems.append(f"changed (checksum differs): {name}")
    if problems:
        raise BackupError("the export is damaged: " + "; ".join(problems))
    return manifest


def instance_contents() -> dict[str, int]:
    """What an instance holds besides its site user (an import needs all zero)."""
    site_id = tk.config.get("ckan.site_id")
    return {
        "datasets": model.Session.query(model.Package)
        .filter(model.Package.state != "deleted")
        .count(),
        "organisations and groups": model.Session.query(model.Group)
        .filter(model.Group.state != "deleted")
        .count(),
        "users": model.Session.query(model.User)
        .filter(model.User.state != "deleted", model.User.name != site_id)
        .count(),
    }


def _export_identity(manifest: dict) -> str:
    """Which export this is (the exporting site and the time it was written): a repaired copy
    of the same export is the same export."""
    return json.dumps([manifest["site"].get("site_id"), manifest["created"]])


def _restore_state() -> dict | None:
    stored = model.get_system_info(RESTORE_KEY)
    return json.loads(stored) if stored else None


def _save_restore_state(state: dict) -> None:
    model.set_system_info(RESTORE_KEY, json.dumps(state))


def import_all(directory: pathlib.Path, options: BackupOptions | None = None) -> dict:
    """Restore an export into this (empty) instance; returns each part's counts.

    An import that stopped half-way (interrupted, a failure) is finished by running it again
    with the same export: the parts already done are skipped, the interrupted part restores
    what is missing. The search index is written once, at the end, from PostgreSQL."""
    manifest = verify(directory)
    options = options or BackupOptions(with_password_hashes=manifest.get("password_hashes", False))
    identity = _export_identity(manifest)
    state = _restore_state()
    held = {name: count for name, count in instance_contents().items() if count}
    if state is not None and state["export"] != identity:
        raise BackupError(
            "an import of another export into this instance did not finish "
            f"(export of {state['export']}): finish that one, or start from an empty instance"
        )
    if held and state is None:
        described = ", ".join(f"{count} {name}" for name, count in held.items())
        raise BackupError(f"this instance is not empty ({described}): import into an empty one")
    known = {part.name: part for part in parts()}
    unknown = sorted(set(manifest["parts"]) - set(known))
    if unknown:
        raise BackupError(
            f"the export has parts no enabled plugin restores: {', '.join(unknown)} "
            "(enable the plugins the exporting instance had)"
        )
    state = state or {"export": identity, "done": []}
    _save_restore_state(state)
    counts = {}
    for name, part in known.items():
        folder = directory / name
        if name in state["done"] or name not in manifest["parts"] or not folder.is_dir():
            continue
        counts[name] = part.restore(folder, options)
        state["done"].append(name)
        _save_restore_state(state)
    # From PostgreSQL, as it is now: also after a restore run again, index = database.
    log.info("writing the search index")
    search.rebuild(defer_commit=True, clear=True, quiet=True)
    search.commit()
    model.delete_system_info(RESTORE_KEY)
    return counts
