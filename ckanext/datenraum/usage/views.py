"""Pages of the usage plugin: the tracked download link, three dashboards and their exports."""

from __future__ import annotations

import csv
import io
import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

usage = Blueprint("datenraum_usage", __name__)

EXPORT_FORMATS = ("csv", "json")


@usage.route("/usage/go/<id>/<resource_id>")
def go(id: str, resource_id: str):
    """Redirect to a resource's URL; the recorder counts the download on the way."""
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Resource not found"))
    url = resource.get("url") or ""
    if not tk.h.is_url(url):
        return tk.abort(404, tk._("Resource not found"))
    return tk.redirect_to(url)


def _report(action: str, data_dict: dict) -> dict:
    params = {key: tk.request.args.get(key) for key in ("days", "end") if tk.request.args.get(key)}
    try:
        return tk.get_action(action)({}, dict(data_dict, **params))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorised to see these usage figures"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.ValidationError as error:
        return tk.abort(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.error_dict.items()))


def _page(report: dict, export_endpoint: str, export_args: dict):
    return tk.render(
        "datenraum_usage/dashboard.html",
        {"report": report, "export_endpoint": export_endpoint, "export_args": export_args},
    )


@usage.route("/usage")
def public():
    report = _report("datenraum_usage_public_report", {})
    return _page(report, "datenraum_usage.public_export", {})


@usage.route("/usage/site")
def site():
    report = _report("datenraum_usage_site_report", {})
    return _page(report, "datenraum_usage.site_export", {})


@usage.route("/usage/organization/<id>")
def organization(id: str):
    report = _report("datenraum_usage_organization_report", {"id": id})
    return _page(report, "datenraum_usage.organization_export", {"id": id})


@usage.route("/usage/public.<fmt>")
def public_export(fmt: str):
    return _export(_checked(fmt) and _report("datenraum_usage_public_report", {}), fmt)


@usage.route("/usage/site.<fmt>")
def site_export(fmt: str):
    return _export(_checked(fmt) and _report("datenraum_usage_site_report", {}), fmt)


@usage.route("/usage/organization/<id>.<fmt>")
def organization_export(id: str, fmt: str):
    report = _checked(fmt) and _report("datenraum_usage_organization_report", {"id": id})
    return _export(report, fmt)


def _checked(fmt: str) -> bool:
    if fmt not in EXPORT_FORMATS:
        tk.abort(404, tk._("Unknown export format"))
    return True


def _export(report: dict, fmt: str) -> Response:
    filename = f"usage-{report['scope']}-{report['period']['start']}-{report['period']['end']}"
    if fmt == "json":
        body, mimetype = json.dumps(report, ensure_ascii=False, indent=1), "application/json"
    else:
        body, mimetype = report_csv(report), "text/csv; charset=utf-8"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


CSV_COLUMNS = ("section", "subject", "label", "metric", "value", "suppressed")
_SUBJECT_KEYS = ("day", "id", "term", "action")
_LABEL_KEYS = ("title", "name", "term", "action")


def report_csv(report: dict) -> str:
    """The report as one long table: one figure per row (empty value = suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow(row)
    return out.getvalue()


def csv_rows(report: dict):
    period = f"{report['period']['start']}/{report['period']['end']}"
    suppressing = "k_anonymity" in report
    for metric, value in report["totals"].items():
        if value is not None or suppressing:
            yield ("totals", period, "", metric, _cell(value), value is None)
    for section, rows in report.items():
        if section in ("totals", "period", "organization") or not isinstance(rows, list):
            continue
        for row in rows:
            subject = next((str(row[key]) for key in _SUBJECT_KEYS if key in row), "")
            label = next((str(row[key]) for key in _LABEL_KEYS if row.get(key)), "")
            for metric, value in row.items():
                if metric in _SUBJECT_KEYS or metric in _LABEL_KEYS or metric == "dataset_name":
                    continue
                if value is None and not suppressing:
                    continue
                yield (section, subject, label, metric, _cell(value), value is None)


def _cell(value) -> str:
    return "" if value is None else str(value)
