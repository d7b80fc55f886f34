"""Open data about usage: the public (suppressed) figures of a month as a CSV in the catalogue.

``ckan datenraum usage publish`` runs monthly (cron) and writes the previous month; running it
again replaces that month's file, so it is safe to repeat.
"""

from __future__ import annotations

import calendar
import datetime
import io

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.datenraum.usage import config, reports
from ckanext.datenraum.usage.export import report_csv


def previous_month(today: datetime.date) -> str:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def month_period(month: str) -> reports.Period:
    """``YYYY-MM`` -> the month's first and last day; ValueError if malformed."""
    start = datetime.datetime.strptime(month, "%Y-%m").date()
    last_day = calendar.monthrange(start.year, start.month)[1]
    return reports.Period(start, start.replace(day=last_day))


def _fresh(context: dict) -> dict:
    """A new context per action call (CKAN keeps per-call state in it)."""
    return {key: context[key] for key in ("user", "ignore_auth") if key in context}


def _ensure_dataset(context: dict, organization: str) -> dict:
    name = config.opendata_dataset_name()
    try:
        return tk.get_action("package_show")(_fresh(context), {"id": name})
    except tk.ObjectNotFound:
        return tk.get_action("package_create")(
            _fresh(context),
            {
                "name": name,
                "title": "Nutzungsstatistik des Datenraums",
                "notes": (
                    "Monatliche Nutzungszahlen dieses Katalogs: Seitenaufrufe, Downloads, "
                    "API-Aufrufe und Suchbegriffe. Ohne Cookies und ohne gespeicherte IP-Adressen "
                    f"erhoben; Zahlen unter {config.k_anonymity()} sind unterdrückt."
                ),
                "owner_org": organization,
                "license_id": "cc-zero",
                "tags": [{"name": "Nutzungsstatistik"}, {"name": "Open Data"}],
            },
        )


def publish_month(context: dict, month: str) -> dict:
    """Create or replace the CSV resource of ``month``; returns the resource."""
    organization = config.opendata_organization()
    if not organization:
        raise tk.ValidationError(
            {"organization": ["ckanext.datenraum.usage.opendata.organization is not set"]}
        )
    try:
        period = month_period(month)
    except ValueError as error:
        raise tk.ValidationError({"month": [tk._("Must be a month like 2025-01")]}) from error
    report = reports.build_report(reports.PUBLIC, period)
    dataset = _ensure_dataset(context, organization)
    filename = f"nutzung-{month}.csv"
    upload = FileStorage(
        stream=io.BytesIO(report_csv(report).encode("utf-8")),
        filename=filename,
        content_type="text/csv",
    )
    resource = {
        "package_id": dataset["id"],
        "name": f"Nutzung {month}",
        "description": f"Nutzungszahlen vom {period.start} bis {period.end}",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": filename,
        "upload": upload,
    }
    existing = [res for res in dataset.get("resources", []) if res.get("name") == resource["name"]]
    if existing:
        return tk.get_action("resource_update")(
            _fresh(context), {**resource, "id": existing[0]["id"]}
        )
    return tk.get_action("resource_create")(_fresh(context), resource)
