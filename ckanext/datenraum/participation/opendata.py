"""The data requests as open data: CSV and JSON without personal data, and a catalogue dataset.

Rows carry what the public pages show about a request except anything about accounts (no user
name, id, vote or follower list): title, description, organisation, status, answer, fulfilling
dataset, counts and dates. ``ckan datenraum participation publish`` (cron, e.g. nightly) writes
both files into the catalogue dataset; running it again replaces them.
"""

from __future__ import annotations

import csv
import io
import json

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.common import opendata
from ckanext.datenraum.participation import config
from ckanext.datenraum.participation.logic.requests import request_dictize
from ckanext.datenraum.participation.model import APPROVED, DataRequest

COLUMNS = (
    "id",
    "title",
    "description",
    "organization",
    "status",
    "status_note",
    "dataset",
    "dataset_url",
    "votes",
    "comments",
    "created",
    "modified",
    "url",
)


def rows(context: dict) -> list[dict]:
    """Every approved request, oldest first, as flat rows of ``COLUMNS``."""
    result = []
    query = (
        model.Session.query(DataRequest)
        .filter(DataRequest.moderation == APPROVED)
        .order_by(DataRequest.created, DataRequest.id)
    )
    for request in query:
        data = request_dictize(request, context, personal=False)
        dataset = data["dataset"] or {}
        result.append(
            {
                "id": data["id"],
                "title": data["title"],
                "description": data["description"],
                "organization": (data["organization"] or {}).get("name", ""),
                "status": data["status"],
                "status_note": data["status_note"],
                "dataset": dataset.get("name", ""),
                "dataset_url": tk.url_for("dataset.read", id=dataset["name"], _external=True)
                if dataset
                else "",
                "votes": data["votes"],
                "comments": data["comments"],
                "created": data["created"],
                "modified": data["modified"],
                "url": tk.url_for(
                    "datenraum_participation.request_read", id=data["id"], _external=True
                ),
            }
        )
    return result


def as_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def as_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1)


def _dataset_fields(organization: str) -> dict:
    return {
        "name": config.opendata_dataset_name(),
        "title": "Datenwünsche an den Datenraum",
        "notes": (
            "Welche Daten sich die Stadtgesellschaft wünscht: alle öffentlichen "
            "Datenwünsche mit Status, Antwort der zuständigen Stelle, Stimmenzahl und dem "
            "Datensatz, der den Wunsch erfüllt. Ohne personenbezogene Daten (keine "
            "Benutzernamen). Täglich aktualisiert."
        ),
        "owner_org": organization,
        "license_id": "cc-zero",
        "tags": [{"name": "Datenwünsche"}, {"name": "Beteiligung"}, {"name": "Open Data"}],
    }


def publish(context: dict) -> list[dict]:
    """Create or replace the CSV and JSON resources; returns them."""
    organization = config.opendata_organization()
    if not organization:
        raise tk.ValidationError(
            {"organization": ["ckanext.datenraum.participation.opendata.organization is not set"]}
        )
    records = rows(context)
    dataset = opendata.ensure_dataset(context, _dataset_fields(organization))
    return [
        opendata.publish_file(
            context,
            dataset,
            name=f"Datenwünsche ({fmt})",
            filename=f"datenwuensche.{fmt.lower()}",
            body=body,
            fmt=fmt,
            mimetype=mimetype,
            description=f"{len(records)} Datenwünsche",
        )
        for fmt, body, mimetype in (
            ("CSV", as_csv(records), "text/csv"),
            ("JSON", as_json(records), "application/json"),
        )
    ]
