"""Open data about usage: the public (suppressed) figures of a month as a CSV in the catalogue.

``ckan datenraum usage publish`` runs monthly (cron) and writes the previous month; running it
again replaces that month's file, so it is safe to repeat.
"""

from __future__ import annotations

import calendar
import datetime

import ckan.plugins.toolkit as tk

from ckanext.datenraum.common import opendata
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


def _dataset_fields(organization: str) -> dict:
    return {
        "name": config.opendata_dataset_name(),
        "title": "Nutzungsstatistik des Datenraums",
        "notes": (
            "Monatliche Nutzungszahlen dieses Katalogs: Seitenaufrufe, Downloads, "
            "API-Aufrufe und Suchbegriffe. Ohne Cookies und ohne gespeicherte IP-Adressen "
            f"erhoben; Zahlen unter {config.k_anonymity()} sind unterdrückt."
        ),
        "owner_org": organization,
        "license_id": "cc-zero",
        "tags": [{"name": "Nutzungsstatistik"}, {"name": "Open Data"}],
    }


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
    dataset = opendata.ensure_dataset(context, _dataset_fields(organization))
    return opendata.publish_file(
        context,
        dataset,
        name=f"Nutzung {month}",
        filename=f"nutzung-{month}.csv",
        body=report_csv(report),
        fmt="CSV",
        mimetype="text/csv",
        description=f"Nutzungszahlen vom {period.start} bis {period.end}",
    )
