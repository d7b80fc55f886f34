"""Pages of use cases ("Anwendungen", at CKAN's usual /showcase address): list, submit, read,
their image, review."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.pagination import Page
from flask import send_file

from ckanext.datenraum.participation import images
from ckanext.datenraum.participation.model import UseCase
from ckanext.datenraum.participation.views.base import (
    back,
    call,
    context,
    flash_errors,
    form_data,
    participation,
)

PAGE_SIZE = 21


@participation.route("/showcase")
def usecase_index():
    args = {key: tk.request.args.get(key, "") for key in ("q", "kind", "dataset")}
    try:
        page = max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        page = 1
    data = {key: value for key, value in args.items() if value}
    errors = {}
    try:
        result = tk.get_action("datenraum_usecase_list")(
            context(), dict(data, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        )
    except tk.ValidationError as error:
        errors, result = error.error_dict, {"count": 0, "results": []}
    pager = Page(
        collection=result["results"],
        page=page,
        url=lambda page=1, **_: tk.h.url_for(
            "datenraum_participation.usecase_index", page=page, **data
        ),
        item_count=result["count"],
        items_per_page=PAGE_SIZE,
        presliced_list=True,
    )
    return tk.render(
        "datenraum_participation/usecase_index.html",
        {"result": result, "args": args, "errors": errors, "page": pager},
    )


@participation.route("/showcase/new", methods=["GET", "POST"])
def usecase_new():
    if not tk.g.user:
        return tk.redirect_to("user.login", came_from=tk.request.path)
    data = {"datasets": tk.request.args.get("dataset", ""), "kind": "application"}
    errors = {}
    if tk.request.method == "POST":
        data = form_data()
        upload = tk.request.files.get("image")
        try:
            created = tk.get_action("datenraum_usecase_create")(
                context(), dict(data, image=upload) if upload and upload.filename else data
            )
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            if created["moderation"] == "approved":
                tk.h.flash_success(tk._("The use case is published."))
            else:
                tk.h.flash_success(
                    tk._("Thank you! The use case will appear once it has been reviewed.")
                )
            return tk.redirect_to("datenraum_participation.usecase_read", id=created["name"])
    return tk.render("datenraum_participation/usecase_new.html", {"data": data, "errors": errors})


@participation.route("/showcase/<id>")
def usecase_read(id: str):
    usecase = call("datenraum_usecase_show", {"id": id})
    return tk.render("datenraum_participation/usecase_read.html", {"usecase": usecase})


@participation.route("/showcase/<id>/image")
def usecase_image(id: str):
    usecase = call("datenraum_usecase_show", {"id": id})  # authorises the read
    file = images.path(model.Session.get(UseCase, usecase["id"]).image)
    if file is None:
        return tk.abort(404, tk._("Image not found"))
    response = send_file(file, mimetype=images.MIMETYPES[file.suffix.lstrip(".")])
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@participation.route("/showcase/<id>/review", methods=["POST"])
def usecase_review(id: str):
    try:
        call("datenraum_usecase_review", dict(form_data(), id=id))
    except tk.ValidationError as error:
        flash_errors(error)
    else:
        tk.h.flash_success(tk._("The review was saved."))
    return back("datenraum_participation.usecase_read", id=id)


@participation.route("/showcase/<id>/delete", methods=["POST"])
def usecase_delete(id: str):
    call("datenraum_usecase_delete", {"id": id})
    tk.h.flash_success(tk._("The use case was deleted."))
    return tk.redirect_to("datenraum_participation.usecase_index")
