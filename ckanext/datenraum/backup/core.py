"""The parts of an export that are CKAN's own objects.

- ``users``: every user but the site user, without password hashes unless asked for;
- ``organizations``: organisations and groups (``organization_show`` / ``group_show``);
- ``memberships``: who is member of which organisation or group, with their role;
- ``vocabularies``: CKAN tag vocabularies and the DCAT-AP.de vocabulary files in use;
- ``datasets``: every dataset, private ones and drafts included, as CKAN JSON
  (``package_show``) and as one DCAT-AP.de catalogue (ckanext-dcat with the configured
  profiles), plus every uploaded file (resources, organisation and user images).

Restoring keeps identifiers, names and timestamps, so links into the catalogue, its DCAT URIs
and the usage figures (which name datasets by id) stay valid.
"""

from __future__ import annotations

import datetime
import logging
import pathlib
import secrets
import shutil

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckanext.dcat.processors import RDFSerializer

from ckanext.datenraum.common.backup import (
    BackupError,
    BackupOptions,
    BackupPart,
    read_jsonl,
    write_jsonl,
)
from ckanext.datenraum.dcatapde import vocabularies as dcatapde_vocabularies

log = logging.getLogger(__name__)

# Keys of *_show answers that are derived, not stored: never fed back into *_create.
GROUP_DERIVED = frozenset(
    {
        "display_name",
        "image_display_url",
        "package_count",
        "member_count",
        "num_followers",
        "packages",
        "users",
        "groups",
        "tags",
        "created",
    }
)
DATASET_DERIVED = frozenset(
    {
        "organization",
        "num_resources",
        "num_tags",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "relationships_as_object",
        "relationships_as_subject",
        "tracking_summary",
    }
)
RESOURCE_TIMES = ("created", "metadata_modified", "last_modified")
PROGRESS_EVERY = 250
# The exporting instance's site user: not exported as a user (every instance has its own).
SITE_USER_FILE = "site-user.jsonl"


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def site_user_id() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["id"]


def _time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


# users


def export_users(folder: pathlib.Path, options: BackupOptions) -> dict:
    site_id = tk.config.get("ckan.site_id")
    users = (
        model.Session.query(model.User)
        .filter(model.User.state != "deleted", model.User.name != site_id)
        .order_by(model.User.name)
    )

    def rows():
        for user in users:
            row = {
                "id": user.id,
                "name": user.name,
                "fullname": user.fullname,
                "email": user.email,
                "about": user.about,
                "image_url": user.image_url,
                "sysadmin": user.sysadmin,
                "state": user.state,
                "created": user.created.isoformat() if user.created else None,
                "plugin_extras": user.plugin_extras,
            }
            if options.with_password_hashes:
                row["password_hash"] = user.password
            yield row

    write_jsonl(folder / SITE_USER_FILE, [{"id": site_user_id()}])
    return {"users": write_jsonl(folder / "users.jsonl", rows())}


def restore_users(folder: pathlib.Path, options: BackupOptions) -> dict:
    restored = 0
    for row in read_jsonl(folder / "users.jsonl"):
        if model.User.get(row["id"]) is not None:  # an interrupted import's, committed
            continue
        created = tk.get_action("user_create")(
            _context(),
            {
                "id": row["id"],
                "name": row["name"],
                "email": row["email"],
                "fullname": row.get("fullname") or "",
                "about": row.get("about") or "",
                "image_url": row.get("image_url") or "",
                # never used: the user sets a new one (or keeps the exported hash below)
                "password": secrets.token_urlsafe(32),
            },
        )
        user = model.User.get(created["id"])
        user.sysadmin = bool(row.get("sysadmin"))
        user.state = row.get("state") or "active"
        user.created = _time(row.get("created")) or user.created
        user.plugin_extras = row.get("plugin_extras")
        if row.get("password_hash"):
            user._password = row["password_hash"]
        restored += 1
    model.repo.commit()
    return {"users": restored}


# organisations and groups


def _groups(is_organization: bool) -> list[model.Group]:
    return (
        model.Session.query(model.Group)
        .filter(model.Group.is_organization == is_organization, model.Group.state != "deleted")
        .order_by(model.Group.created, model.Group.name)
        .all()
    )


def _shown_groups(is_organization: bool):
    show = tk.get_action("organization_show" if is_organization else "group_show")
    for group in _groups(is_organization):
        shown = show(
            _context(),
            {
                "id": group.id,
                "include_datasets": False,
                "include_users": False,
                "include_groups": False,
                "include_extras": True,
            },
        )
        shown["created"] = group.created.isoformat() if group.created else None
        yield shown


def export_organizations(folder: pathlib.Path, options: BackupOptions) -> dict:
    return {
        "organizations": write_jsonl(folder / "organizations.jsonl", _shown_groups(True)),
        "groups": write_jsonl(folder / "groups.jsonl", _shown_groups(False)),
    }


def restore_organizations(folder: pathlib.Path, options: BackupOptions) -> dict:
    counts = {}
    for name, action in (("organizations", "organization_create"), ("groups", "group_create")):
        restored = 0
        for row in read_jsonl(folder / f"{name}.jsonl"):
            if model.Group.get(row["id"]) is not None:  # an interrupted import's, committed
                continue
            data = {key: value for key, value in row.items() if key not in GROUP_DERIVED}
            created = tk.get_action(action)(_context(), data)
            group = model.Group.get(created["id"])
            group.created = _time(row.get("created")) or group.created
            restored += 1
        model.repo.commit()
        counts[name] = restored
    return counts


def export_memberships(folder: pathlib.Path, options: BackupOptions) -> dict:
    site_user = site_user_id()
    rows = (
        model.Session.query(model.Member, model.Group, model.User)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .join(model.User, model.User.id == model.Member.table_id)
        .filter(
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Group.state != "deleted",
            model.User.id != site_user,
        )
        .order_by(model.Group.name, model.User.name)
    )
    return {
        "memberships": write_jsonl(
            folder / "memberships.jsonl",
            (
                {
                    "group": group.name,
                    "organization": group.is_organization,
                    "user": user.name,
                    "capacity": member.capacity,
                }
                for member, group, user in rows
            ),
        )
    }


def restore_memberships(folder: pathlib.Path, options: BackupOptions) -> dict:
    restored = 0
    for row in read_jsonl(folder / "memberships.jsonl"):
        action = "organization_member_create" if row["organization"] else "group_member_create"
        tk.get_action(action)(
            _context(), {"id": row["group"], "username": row["user"], "role": row["capacity"]}
        )
        restored += 1
    return {"memberships": restored}


# vocabularies


def _dcatapde_files() -> list[tuple[str, pathlib.Path, bool]]:
    """(file name, path in use, whether it is an update over the shipped file)."""
    files = []
    for entry in dcatapde_vocabularies.manifest().values():
        override = dcatapde_vocabularies.override_directory() / entry["file"]
        shipped = dcatapde_vocabularies.SHIPPED_DIRECTORY / entry["file"]
        files.append((entry["file"], override if override.exists() else shipped, override.exists()))
    return files


def export_vocabularies(folder: pathlib.Path, options: BackupOptions) -> dict:
    tag_vocabularies = model.Session.query(model.Vocabulary).order_by(model.Vocabulary.name).all()
    write_jsonl(
        folder / "ckan-tag-vocabularies.jsonl",
        (
            {
                "id": vocabulary.id,
                "name": vocabulary.name,
                "tags": sorted(
                    ({"id": tag.id, "name": tag.name} for tag in vocabulary.tags),
                    key=lambda tag: tag["name"],
                ),
            }
            for vocabulary in tag_vocabularies
        ),
    )
    target = folder / "dcat-ap-de"
    target.mkdir()
    updated = []
    for name, path, is_update in _dcatapde_files():
        shutil.copyfile(path, target / name)
        if is_update:
            updated.append(name)
    write_jsonl(folder / "dcat-ap-de-updated.jsonl", ({"file": name} for name in updated))
    return {"tag_vocabularies": len(tag_vocabularies), "dcat_ap_de_files": len(_dcatapde_files())}


def _tag(exported: dict, vocabulary_id: str | None) -> model.Tag:
    tag = model.Tag(name=exported["name"], vocabulary_id=vocabulary_id)
    tag.id = exported["id"]
    return tag


def restore_vocabularies(folder: pathlib.Path, options: BackupOptions) -> dict:
    # Through the model, not vocabulary_create: vocabularies and tags keep their ids.
    restored = 0
    for row in read_jsonl(folder / "ckan-tag-vocabularies.jsonl"):
        if model.Vocabulary.get(row["id"]) is not None:  # an interrupted import's, committed
            continue
        vocabulary = model.Vocabulary(row["name"])
        vocabulary.id = row["id"]
        model.Session.add(vocabulary)
        for tag in row["tags"]:
            model.Session.add(_tag(tag, vocabulary.id))
        restored += 1
    model.repo.commit()
    updated = [row["file"] for row in read_jsonl(folder / "dcat-ap-de-updated.jsonl")]
    if updated:
        target = dcatapde_vocabularies.override_directory()
        target.mkdir(parents=True, exist_ok=True)
        for name in updated:
            shutil.copyfile(folder / "dcat-ap-de" / name, target / name)
    return {"tag_vocabularies": restored, "dcat_ap_de_updates": len(updated)}


# datasets and files


def _dataset_ids() -> list[str]:
    rows = (
        model.Session.query(model.Package.id)
        .filter(model.Package.type != "harvest", model.Package.state.in_(("active", "draft")))
        .order_by(model.Package.metadata_created, model.Package.id)
    )
    return [row.id for row in rows]


def _uploads_folder() -> pathlib.Path | None:
    storage = uploader.get_storage_path()
    return pathlib.Path(storage) / "storage" / "uploads" if storage else None


def export_datasets(folder: pathlib.Path, options: BackupOptions) -> dict:
    show = tk.get_action("package_show")
    datasets = [show(_context(), {"id": dataset_id}) for dataset_id in _dataset_ids()]
    write_jsonl(folder / "datasets.jsonl", datasets)
    catalog = {
        "title": tk.config.get("ckan.site_title"),
        "description": tk.config.get("ckan.site_description"),
        "homepage": tk.config.get("ckan.site_url"),
    }
    (folder / "catalog.ttl").write_text(
        RDFSerializer().serialize_catalog(catalog, dataset_dicts=datasets, _format="turtle"),
        encoding="utf-8",
    )
    files = folder / "files"
    copied = 0
    for dataset in datasets:
        for resource in dataset.get("resources", []):
            if resource.get("url_type") != "upload":
                continue
            source = pathlib.Path(uploader.get_resource_uploader(resource).get_path(resource["id"]))
            if source.is_file():
                target = files / "resources" / resource["id"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                copied += 1
    uploads = _uploads_folder()
    images = 0
    if uploads and uploads.is_dir():
        shutil.copytree(uploads, files / "uploads")
        images = sum(1 for path in (files / "uploads").rglob("*") if path.is_file())
    return {"datasets": len(datasets), "resource_files": copied, "uploaded_images": images}


def _create_context(options: BackupOptions) -> dict:
    """``package_create`` with validation and every plugin hook; by default it neither reads
    the dataset back nor writes it to the search index (``defer_commit``: the restore commits
    PostgreSQL itself, and ``import-all`` indexes all datasets once at the end)."""
    if options.index_each_dataset:
        return _context()
    return dict(_context(), defer_commit=True, return_id_only=True)


def restore_datasets(folder: pathlib.Path, options: BackupOptions) -> dict:
    """Datasets with their ids, names, owners and times; resource files into the file store.

    One transaction per dataset, times included: a dataset present in PostgreSQL is complete,
    so an interrupted restore run again skips it."""
    exported_site_user = _exported_site_user(folder)
    local_site_user = site_user_id()
    _restore_free_tags(folder)
    restored = files = skipped = 0
    for row in read_jsonl(folder / "datasets.jsonl"):
        if model.Package.get(row["id"]) is not None:
            skipped += 1
            continue
        data = {key: value for key, value in row.items() if key not in DATASET_DERIVED}
        data["resources"] = [
            {key: value for key, value in resource.items() if key not in RESOURCE_TIMES}
            for resource in row.get("resources", [])
        ]
        try:
            tk.get_action("package_create")(_create_context(options), data)
        except tk.ValidationError as error:
            model.Session.rollback()
            raise BackupError(
                f"dataset {row.get('name')} ({row['id']}) cannot be restored: "
                f"{error.error_summary}. The {restored + skipped} datasets before it are "
                "restored: fix the cause and run import-all again to finish"
            ) from error
        package = model.Package.get(row["id"])
        package.metadata_created = _time(row.get("metadata_created"))
        package.metadata_modified = _time(row.get("metadata_modified"))
        creator = row.get("creator_user_id")
        package.creator_user_id = local_site_user if creator == exported_site_user else creator
        for resource in row.get("resources", []):
            stored = model.Resource.get(resource["id"])
            for key in RESOURCE_TIMES:
                setattr(stored, key, _time(resource.get(key)))
            source = folder / "files" / "resources" / resource["id"]
            if resource.get("url_type") == "upload" and source.is_file():
                target = pathlib.Path(
                    uploader.get_resource_uploader(resource).get_path(resource["id"])
                )
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                files += 1
        model.repo.commit()
        restored += 1
        if restored % PROGRESS_EVERY == 0:
            log.info("restored %d datasets", restored)
    uploads = _uploads_folder()
    if uploads and (folder / "files" / "uploads").is_dir():
        shutil.copytree(folder / "files" / "uploads", uploads, dirs_exist_ok=True)
    counts = {"datasets": restored, "resource_files": files}
    if skipped:
        counts["datasets already restored"] = skipped
    return counts


def _restore_free_tags(folder: pathlib.Path) -> None:
    """Tags without vocabulary, created with their exported ids before the datasets use them."""
    for row in read_jsonl(folder / "datasets.jsonl"):
        for tag in row.get("tags", []):
            if not tag.get("vocabulary_id") and model.Tag.by_name(tag["name"]) is None:
                model.Session.add(_tag(tag, None))
                model.Session.flush()
    model.repo.commit()


def _exported_site_user(folder: pathlib.Path) -> str | None:
    """The exporting instance's site user id (what it created gets the local one)."""
    rows = list(read_jsonl(folder.parent / "users" / SITE_USER_FILE))
    return rows[0]["id"] if rows else None


PARTS = [
    BackupPart("users", export_users, restore_users, order=10),
    BackupPart("organizations", export_organizations, restore_organizations, order=20),
    BackupPart("memberships", export_memberships, restore_memberships, order=25),
    BackupPart("vocabularies", export_vocabularies, restore_vocabularies, order=30),
    BackupPart("datasets", export_datasets, restore_datasets, order=40),
]
