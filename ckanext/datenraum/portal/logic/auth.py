"""Auth of the portal's actions: the form look-ups read only shipped reference data."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["datenraum_region_search", "datenraum_name_from_title"]


@tk.auth_allow_anonymous_access
def datenraum_region_search(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def datenraum_name_from_title(context, data_dict):
    return {"success": True}
