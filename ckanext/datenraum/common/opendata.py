"""Publishing a capability's own figures as open data: one catalogue dataset, files replaced.

Usage publishes its monthly figures, participation its data requests. Each names its dataset
and files; this module creates the dataset on first use and creates or replaces the file
resource of the same name, so a publication job can run any number of times.
"""

from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage


def fresh_context(context: dict) -> dict:
    """A new context per action call (CKAN keeps per-call state in it)."""
    return {key: context[key] for key in ("user", "ignore_auth") if key in context}


def ensure_dataset(context: dict, fields: dict) -> dict:
    """The dataset named ``fields["name"]``, created from ``fields`` when it does not exist."""
    try:
        return tk.get_action("package_show")(fresh_context(context), {"id": fields["name"]})
    except tk.ObjectNotFound:
        return tk.get_action("package_create")(fresh_context(context), fields)


def publish_file(
    context: dict,
    dataset: dict,
    *,
    name: str,
    filename: str,
    body: str,
    fmt: str,
    mimetype: str,
    description: str,
) -> dict:
    """Upload ``body`` (UTF-8) as the resource ``name`` of ``dataset``, replacing a resource of
    that name if there is one; returns the resource."""
    resource = {
        "package_id": dataset["id"],
        "name": name,
        "description": description,
        "format": fmt,
        "mimetype": mimetype,
        "url": filename,
        "upload": FileStorage(
            stream=io.BytesIO(body.encode("utf-8")), filename=filename, content_type=mimetype
        ),
    }
    current = tk.get_action("package_show")(fresh_context(context), {"id": dataset["id"]})
    existing = [res for res in current.get("resources", []) if res.get("name") == name]
    if existing:
        return tk.get_action("resource_update")(
            fresh_context(context), {**resource, "id": existing[0]["id"]}
        )
    return tk.get_action("resource_create")(fresh_context(context), resource)
