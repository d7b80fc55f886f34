"""Pages of the portal: the legal pages, the developers' page and the page-text editor."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.datenraum.portal import pages

__all__ = ["portal"]

portal = Blueprint("datenraum_portal", __name__)


def _text_page(name: str):
    return tk.render("datenraum_portal/text_page.html", {"page": pages.BY_NAME[name]})


@portal.route("/impressum")
def imprint():
    return _text_page("imprint")


@portal.route("/datenschutz")
def privacy():
    return _text_page("privacy")


@portal.route("/barrierefreiheit")
def accessibility():
    return _text_page("accessibility")


@portal.route("/developers")
def developers():
    """What the catalogue offers to programs: DCAT endpoints and the action API."""
    return tk.render("datenraum_portal/developers.html", {})


@portal.route("/ckan-admin/pages", methods=["GET", "POST"])
def edit_pages():
    """Sysadmins edit the German and English texts of the portal's text pages."""
    context = {"user": tk.current_user.name}
    try:
        tk.check_access("config_option_update", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only administrators may edit the page texts"))
    errors = {}
    if tk.request.method == "POST":
        options = {
            pages.option(page.name, language): tk.request.form.get(
                pages.option(page.name, language), ""
            )
            for page in pages.PAGES
            for language in pages.LANGUAGES
        }
        try:
            tk.get_action("config_option_update")(context, options)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The page texts have been saved."))
            return tk.redirect_to("datenraum_portal.edit_pages")
    return tk.render(
        "datenraum_portal/edit_pages.html",
        {"pages": pages.PAGES, "languages": pages.LANGUAGES, "errors": errors},
    )
