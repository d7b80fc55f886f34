"""Auth of the harvest capability: sysadmins and organisation admins only."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk


def datenraum_harvest_health(context, data_dict):
    user = context.get("user")
    if user and authz.has_user_permission_for_some_org(user, "manage_group"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only organisation administrators see harvest health")}


def datenraum_harvest_sources_sync(context, data_dict):
    # Sysadmins (and the site user of the scheduler) only; CKAN lets sysadmins through.
    return {"success": False, "msg": tk._("Only system administrators sync harvest sources")}
