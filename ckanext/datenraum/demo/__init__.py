"""Demo content for a development catalogue: a sysadmin, the city's organisation and a few datasets.

Idempotent: what exists is kept as it is, so a second ``make run`` neither duplicates nor
overwrites anything a developer changed by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib
import secrets

import ckan.plugins.toolkit as tk
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.datenraum.preview import xloader_token

CONTENT_FILE = pathlib.Path(__file__).with_name("content.yaml")
DATA_DIRECTORY = pathlib.Path(__file__).with_name("data")


@dataclasses.dataclass
class DemoReport:
    admin_password: str | None = None  # set only when the sysadmin was created just now
    created: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)(_site_context(), {"id": name})
    except tk.ObjectNotFound:
        return False
    return True


def ensure_sysadmin(name: str, email: str, report: DemoReport) -> None:
    if _exists("user_show", name):
        report.kept.append(f"user {name}")
        return
    password = secrets.token_urlsafe(12)
    tk.get_action("user_create")(
        _site_context(), {"name": name, "email": email, "password": password}
    )
    tk.get_action("user_patch")(_site_context(), {"id": name, "sysadmin": True})
    report.admin_password = password
    report.created.append(f"sysadmin {name}")


def organization_name(content_file: pathlib.Path = CONTENT_FILE) -> str:
    """The name of the demo organisation (other capabilities' demo content belongs to it)."""
    return yaml.safe_load(content_file.read_text(encoding="utf-8"))["organization"]["name"]


def ensure_content(
    content_file: pathlib.Path = CONTENT_FILE, report: DemoReport | None = None
) -> DemoReport:
    report = report or DemoReport()
    content = yaml.safe_load(content_file.read_text(encoding="utf-8"))
    organization = content["organization"]
    if _exists("organization_show", organization["name"]):
        report.kept.append(f"organization {organization['name']}")
    else:
        tk.get_action("organization_create")(_site_context(), dict(organization))
        report.created.append(f"organization {organization['name']}")

    for dataset in content["datasets"]:
        if _exists("package_show", dataset["name"]):
            report.kept.append(f"dataset {dataset['name']}")
            continue
        data = dict(dataset, owner_org=organization["name"])
        data["tags"] = [{"name": tag} for tag in dataset.get("tags", [])]
        resources = data.pop("resources", [])
        created = tk.get_action("package_create")(_site_context(), data)
        # One by one: ckanext-xloader queues its job on resource_create, not on package_create.
        for resource in resources:
            with contextlib.ExitStack() as files:
                fields = _resource(resource, files) | {"package_id": created["id"]}
                tk.get_action("resource_create")(_site_context(), fields)
        report.created.append(f"dataset {dataset['name']}")
    return report


def _resource(resource: dict, files: contextlib.ExitStack) -> dict:
    """A resource of content.yaml; one with ``file`` is uploaded from ``data/``, so it previews
    (ckanext-xloader loads an uploaded CSV, the map shows an uploaded GeoJSON)."""
    if "file" not in resource:
        return dict(resource)
    path = DATA_DIRECTORY / resource["file"]
    stream = files.enter_context(path.open("rb"))
    upload = FileStorage(stream=stream, filename=path.name, content_type=resource.get("mimetype"))
    fields = {key: value for key, value in resource.items() if key != "file"}
    return fields | {"url": path.name, "upload": upload}


def ensure_xloader_token() -> bool:
    """A token for ckanext-xloader in the configured file (datenraum_preview); True if new."""
    path = xloader_token.token_file()
    return bool(path) and xloader_token.ensure_token(path)
