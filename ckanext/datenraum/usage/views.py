"""Pages of the usage plugin: the tracked download link, three dashboards and their exports."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, Response

from ckanext.datenraum.usage.export import report_csv

usage = Blueprint("datenraum_usage", __name__)

EXPORT_FORMATS = ("csv", "json")


@usage.route("/usage/go/<id>/<resource_id>")
def go(id: str, resource_id: str):
    """Redirect to a resource's URL; the recorder counts the download on the way."""
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Resource not found"))
    dataset = model.Package.get(id)
    if dataset is None or dataset.id != resource["package_id"]:
        # A resource reached through another dataset's name would count for the wrong dataset.
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
