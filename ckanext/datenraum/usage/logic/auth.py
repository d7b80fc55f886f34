"""Who may see which usage figures. Deny by default; sysadmins pass CKAN's own check first."""

from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.datenraum.usage.logic import action

# One auth function per action, under the action's name (what tk.blanket registers).
__all__ = list(action.__all__)


@tk.auth_allow_anonymous_access
def datenraum_usage_public_report(context, data_dict):
    return {"success": True}


def datenraum_usage_site_report(context, data_dict):
    return {"success": False, "msg": tk._("Only system administrators may see these figures")}


def datenraum_usage_organization_report(context, data_dict):
    organization_id = (data_dict or {}).get("id")
    user = context.get("user")
    if organization_id and user:
        organization = context["model"].Group.get(organization_id)
        if organization and authz.users_role_for_group_or_org(organization.id, user) == "admin":
            return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only administrators of this organisation may see its figures"),
    }


def datenraum_usage_aggregate(context, data_dict):
    return {"success": False, "msg": tk._("Only system administrators may aggregate usage")}


def datenraum_usage_quality_score(context, data_dict):
    return {"success": False, "msg": tk._("Only system administrators may score metadata")}


def datenraum_usage_publish(context, data_dict):
    return {"success": False, "msg": tk._("Only system administrators may publish usage figures")}
