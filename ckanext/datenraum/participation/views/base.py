"""The participation blueprint and what its views share: calling an action for the logged-in
user, and turning its refusals into the right HTTP answer."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
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


def require(action: str, data_dict: dict) -> None:
    """Abort with 404/403 unless the logged-in user may call ``action`` (for GET forms)."""
    try:
        tk.check_access(action, context(), data_dict)
    except tk.ObjectNotFound as error:
        tk.abort(404, str(error) or tk._("Not found"))
    except tk.NotAuthorized as error:
        tk.abort(403, str(error) or tk._("Not authorised"))


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


def listing(action: str, arg_names: tuple, endpoint: str, page_size: int, template: str):
    """A paged, filtered list page: the query's arguments go to ``action`` as they are."""
    args = {key: tk.request.args.get(key, "") for key in arg_names}
    try:
        page = max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        page = 1
    data = {key: value for key, value in args.items() if value}
    errors = {}
    try:
        result = tk.get_action(action)(
            context(), dict(data, limit=page_size, offset=(page - 1) * page_size)
        )
    except tk.ValidationError as error:
        errors, result = error.error_dict, {"count": 0, "results": []}
    pager = Page(
        collection=result["results"],
        page=page,
        url=lambda page=1, **_: tk.h.url_for(endpoint, page=page, **data),
        item_count=result["count"],
        items_per_page=page_size,
        presliced_list=True,
    )
    return tk.render(template, {"result": result, "args": args, "errors": errors, "page": pager})
