"""Pages of data requests: the public list (with CSV/JSON), proposing, reading, voting,
following, answering (editors) and moderating visitors' proposals."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Response

from ckanext.datenraum.participation import antispam, opendata
from ckanext.datenraum.participation.views.base import (
    back,
    call,
    context,
    flash_errors,
    form_data,
    listing,
    participation,
    require,
)

PAGE_SIZE = 20
LIST_ARGS = ("q", "status", "organization", "sort")


@participation.route("/datarequest")
def request_index():
    return listing(
        "datenraum_request_list",
        LIST_ARGS,
        "datenraum_participation.request_index",
        PAGE_SIZE,
        "datenraum_participation/request_index.html",
    )


@participation.route("/datarequest.<fmt>")
def request_export(fmt: str):
    if fmt not in ("csv", "json"):
        return tk.abort(404, tk._("Unknown export format"))
    records = call("datenraum_request_export", {})
    body = opendata.as_csv(records) if fmt == "csv" else opendata.as_json(records)
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="datenwuensche.{fmt}"'},
    )


@participation.route("/datarequest/new", methods=["GET", "POST"])
def request_new():
    data = {
        "title": tk.request.args.get("q", "")[:200],
        "organization": tk.request.args.get("organization", ""),
        "description": "",
    }
    errors = {}
    if tk.request.method == "POST":
        data = form_data()
        try:
            if not tk.g.user:
                antispam.check_form(tk.request.form)
            created = tk.get_action("datenraum_request_create")(context(), data)
        except antispam.Refused as refused:
            if refused.message == "honeypot":
                # Tell a bot nothing: it sees the same answer as a person, nothing is stored.
                return tk.render("datenraum_participation/request_queued.html", {})
            errors = {
                "form": [
                    tk._("The form was sent too quickly or has expired; please send it again.")
                ]
            }
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            if created["moderation"] == "pending":
                return tk.render("datenraum_participation/request_queued.html", {})
            tk.h.flash_success(tk._("Thank you! Your data request is published."))
            return tk.redirect_to("datenraum_participation.request_read", id=created["id"])
    return tk.render(
        "datenraum_participation/request_new.html",
        {"data": data, "errors": errors},
    )


@participation.route("/datarequest/<id>/edit", methods=["GET", "POST"])
def request_edit(id: str):
    """The proposer's form while the request is new (the new-request form, filled in)."""
    request = call("datenraum_request_show", {"id": id})
    require("datenraum_request_edit", {"id": id})
    if request["status"] != "new":
        tk.h.flash_error(tk._("Only a new request can be edited"))
        return tk.redirect_to("datenraum_participation.request_read", id=id)
    data = {
        "title": request["title"],
        "description": request["description"],
        "organization": (request["organization"] or {}).get("name", ""),
    }
    errors = {}
    if tk.request.method == "POST":
        data = form_data()
        try:
            call("datenraum_request_edit", dict(data, id=id))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your changes are saved."))
            return tk.redirect_to("datenraum_participation.request_read", id=id)
    return tk.render(
        "datenraum_participation/request_new.html",
        {"data": data, "errors": errors, "request_id": id},
    )


@participation.route("/datarequest/<id>")
def request_read(id: str):
    request = call("datenraum_request_show", {"id": id})
    stream = call("datenraum_request_activity_list", {"id": id})
    return tk.render(
        "datenraum_participation/request_read.html",
        {"request": request, "activity_stream": stream, "errors": {}, "data": {}},
    )


def _post(action: str, id: str, success: str | None = None, extra: dict | None = None):
    data = dict(form_data(), id=id, **(extra or {}))
    try:
        call(action, data)
    except tk.ValidationError as error:
        flash_errors(error)
    else:
        if success:
            tk.h.flash_success(success)
    return back("datenraum_participation.request_read", id=id)


@participation.route("/datarequest/<id>/vote", methods=["POST"])
def request_vote(id: str):
    return _post("datenraum_request_vote", id)


@participation.route("/datarequest/<id>/unvote", methods=["POST"])
def request_unvote(id: str):
    return _post("datenraum_request_unvote", id)


@participation.route("/datarequest/<id>/follow", methods=["POST"])
def request_follow(id: str):
    return _post("datenraum_request_follow", id)


@participation.route("/datarequest/<id>/unfollow", methods=["POST"])
def request_unfollow(id: str):
    return _post("datenraum_request_unfollow", id)


@participation.route("/datarequest/<id>/update", methods=["POST"])
def request_update(id: str):
    try:
        call("datenraum_request_update", dict(form_data(), id=id))
    except tk.ValidationError as error:
        request = call("datenraum_request_show", {"id": id})
        stream = call("datenraum_request_activity_list", {"id": id})
        return tk.render(
            "datenraum_participation/request_read.html",
            {
                "request": request,
                "activity_stream": stream,
                "errors": error.error_dict,
                "data": form_data(),
            },
        )
    tk.h.flash_success(tk._("The request was updated; its followers are told by e-mail."))
    return tk.redirect_to("datenraum_participation.request_read", id=id)


@participation.route("/datarequest/<id>/moderate", methods=["POST"])
def request_moderate(id: str):
    try:
        result = call("datenraum_request_moderate", dict(form_data(), id=id))
    except tk.ValidationError as error:
        flash_errors(error)
        return back("datenraum_participation.moderation")
    if result.get("deleted"):
        tk.h.flash_success(tk._("The proposal was rejected and deleted."))
    else:
        tk.h.flash_success(tk._("The proposal is now public."))
    return back("datenraum_participation.moderation")


@participation.route("/datarequest/<id>/delete", methods=["POST"])
def request_delete(id: str):
    call("datenraum_request_delete", {"id": id})
    tk.h.flash_success(tk._("The data request was deleted."))
    return tk.redirect_to("datenraum_participation.request_index")


@participation.route("/participation/moderation")
def moderation():
    queue = call("datenraum_moderation_queue", {})
    return tk.render("datenraum_participation/moderation.html", {"queue": queue})
