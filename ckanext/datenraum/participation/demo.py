"""Demo participation for a development catalogue (``ckan datenraum demo``), through the actions.

Idempotent: nothing is added once a request of the demo exists, so a second ``make run`` keeps
what a developer changed by hand.
"""

from __future__ import annotations

import pathlib
import secrets

import ckan.plugins.toolkit as tk
import yaml
from ckan import model

from ckanext.datenraum.participation.model import DataRequest

CONTENT_FILE = pathlib.Path(__file__).with_name("demo.yaml")


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _as(user: str | None) -> dict:
    return {"user": user} if user else {"user": ""}


def _ensure_citizen(citizen: dict) -> None:
    if model.User.get(citizen["name"]) is None:
        data = dict(citizen, password=secrets.token_urlsafe(16))
        tk.get_action("user_create")(_site_context(), data)


def _organization_of(dataset_names: list[str], fallback: str | None) -> str | None:
    for name in dataset_names:
        package = model.Package.get(name)
        if package is not None:
            return package.owner_org
    return fallback


def ensure(admin_name: str, organization: str, created: list[str], kept: list[str]) -> None:
    """Create the demo requests, votes, comments and use cases unless they exist."""
    content = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    first_title = content["requests"][0]["title"]
    if model.Session.query(DataRequest).filter_by(title=first_title).first() is not None:
        kept.append("participation demo")
        return
    for citizen in content["citizens"]:
        _ensure_citizen(citizen)
    for item in content["requests"]:
        _request(item, admin_name, organization)
        created.append(f"data request {item['title']}")
    for item in content["usecases"]:
        by = admin_name if item["by"] == "admin" else item["by"]
        data = {key: item[key] for key in ("title", "kind", "description", "url", "datasets")}
        data["author"] = item.get("author", "")
        tk.get_action("datenraum_usecase_create")(_as(by), data)
        created.append(f"use case {item['title']}")


def _request(item: dict, admin_name: str, organization: str) -> None:
    data = {
        "title": item["title"],
        "description": item["description"],
        "organization": organization,
    }
    request = tk.get_action("datenraum_request_create")(_as(item.get("by")), data)
    if not item.get("by"):
        return  # the visitor's proposal stays in the queue
    for voter in item.get("votes", []):
        tk.get_action("datenraum_request_vote")(_as(voter), {"id": request["id"]})
    for comment in item.get("comments", []):
        tk.get_action("datenraum_comment_create")(
            _as(comment["by"]),
            {"subject_type": "request", "subject_id": request["id"], "text": comment["text"]},
        )
    status = item.get("status", "new")
    if status != "new":
        change = {"id": request["id"], "status": status, "note": item.get("note", "")}
        if item.get("dataset"):
            change["dataset"] = item["dataset"]
        tk.get_action("datenraum_request_update")(_as(admin_name), change)
