"""``/harvest-health``: harvest health per source for managers."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

blueprint = Blueprint("datenraum_harvest", __name__)


@blueprint.route("/harvest-health")
def index():
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    try:
        sources = tk.get_action("datenraum_harvest_health")(context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only organisation administrators see harvest health"))
    return tk.render("datenraum_harvest/health.html", {"sources": sources})
