"""Comment forms: write, report, hide and show again, dismiss reports, delete."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.participation.views.base import (
    back,
    call,
    flash_errors,
    form_data,
    participation,
)


def _done(action: str, data: dict, success: str):
    try:
        call(action, data)
    except tk.ValidationError as error:
        flash_errors(error)
    else:
        tk.h.flash_success(success)
    return back("home.index")


@participation.route("/comment/new", methods=["POST"])
def comment_new():
    return _done("datenraum_comment_create", form_data(), tk._("Your comment is published."))


@participation.route("/comment/<id>/report", methods=["POST"])
def comment_report(id: str):
    return _done(
        "datenraum_comment_report",
        dict(form_data(), id=id),
        tk._("Thank you; the moderators will look at this comment."),
    )


@participation.route("/comment/<id>/hide", methods=["POST"])
def comment_hide(id: str):
    return _done("datenraum_comment_hide", dict(form_data(), id=id), tk._("The comment is hidden."))


@participation.route("/comment/<id>/unhide", methods=["POST"])
def comment_unhide(id: str):
    return _done("datenraum_comment_unhide", {"id": id}, tk._("The comment is shown again."))


@participation.route("/comment/<id>/dismiss", methods=["POST"])
def comment_dismiss(id: str):
    return _done(
        "datenraum_comment_dismiss_reports", {"id": id}, tk._("The reports were dismissed.")
    )


@participation.route("/comment/<id>/delete", methods=["POST"])
def comment_delete(id: str):
    return _done("datenraum_comment_delete", {"id": id}, tk._("The comment was deleted."))
