"""The participation blueprint and what its views share: calling an action for the logged-in
user, and turning its refusals into the right HTTP answer."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.datenraum.participation import antispam

participation = Blueprint("datenraum_participation", __name__)

# Form fields that are not the action's.
FORM_ONLY = frozenset({"_csrf_token", antispam.HONEYPOT_FIELD, antispam.TOKEN_FIELD, "save"})


def context() -> dict:
    return {"user": tk.g.user}


def form_data() -> dict:
    return {key: value for key, value in tk.request.form.items() if key not in FORM_ONLY}


def call(action: str, data_dict: dict):
    """The action's result; 404/403 pages for missing objects and refusals."""
    try:
        return tk.get_action(action)(context(), data_dict)
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error) or tk._("Not found"))
    except tk.NotAuthorized as error:
        if not tk.g.user:
            return tk.abort(403, tk._("Please log in to do this"))
        return tk.abort(403, str(error) or tk._("Not authorised"))


def flash_errors(error: tk.ValidationError) -> None:
    for messages in error.error_dict.values():
        for message in messages if isinstance(messages, list) else [messages]:
            tk.h.flash_error(f"{message}")


def back(default_endpoint: str, **kwargs):
    """Redirect to the page the form came from (same site only), else to ``default_endpoint``."""
    target = tk.request.form.get("came_from") or ""
    if target.startswith("/") and not target.startswith("//"):
        return tk.redirect_to(target)
    return tk.redirect_to(default_endpoint, **kwargs)
