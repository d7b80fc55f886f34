"""Pages of use cases ("Anwendungen", at CKAN's usual /showcase address): list, submit, edit,
read, their image, review."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import send_file

from ckanext.datenraum.participation import images
from ckanext.datenraum.participation.model import UseCase
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

PAGE_SIZE = 21


@participation.route("/showcase")
def usecase_index():
    return listing(
        "datenraum_usecase_list",
        ("q", "kind", "dataset"),
        "datenraum_participation.usecase_index",
        PAGE_SIZE,
        "datenraum_participation/usecase_index.html",
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


@participation.route("/showcase/<id>/edit", methods=["GET", "POST"])
def usecase_edit(id: str):
    """Its submitter's form (the submission form, filled in); may send it back to review."""
    usecase = call("datenraum_usecase_show", {"id": id})
    require("datenraum_usecase_edit", {"id": usecase["id"]})
    data = {key: usecase[key] for key in ("title", "description", "kind", "url", "author")}
    data["datasets"] = " ".join(dataset["name"] for dataset in usecase["datasets"])
    errors = {}
    if tk.request.method == "POST":
        data = form_data()
        upload = tk.request.files.get("image")
        try:
            edited = tk.get_action("datenraum_usecase_edit")(
                context(),
                dict(
                    data,
                    id=usecase["id"],
                    **({"image": upload} if upload and upload.filename else {}),
                ),
            )
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            if edited["moderation"] == "approved":
                tk.h.flash_success(tk._("Your changes are saved."))
            else:
                tk.h.flash_success(
                    tk._("Your changes are saved; the use case appears again once reviewed.")
                )
            return tk.redirect_to("datenraum_participation.usecase_read", id=edited["name"])
    return tk.render(
        "datenraum_participation/usecase_new.html",
        {"data": data, "errors": errors, "usecase_name": usecase["name"]},
    )


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
