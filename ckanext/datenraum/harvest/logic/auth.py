"""Auth of the harvest capability: sysadmins and organisation admins only."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk


def datenraum_harvest_health(context, data_dict):
    user = context.get("user")
    # "membership" is the organisation admin's permission; editors and members lack it
    if user and (
        authz.is_sysadmin(user) or authz.has_user_permission_for_some_org(user, "membership")
    ):
        return {"success": True}
    return {"success": False, "msg": tk._("Only organisation administrators see harvest health")}
