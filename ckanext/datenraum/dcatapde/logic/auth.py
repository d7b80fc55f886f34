"""Auth functions of the DCAT-AP.de plugin: validation reports are for the dataset's editors, the
GovData feed report (it counts private datasets) for sysadmins."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["datenraum_dataset_validate", "datenraum_govdata_feed_report"]


def datenraum_dataset_validate(context, data_dict):
    try:
        tk.check_access("package_update", context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only editors of the dataset may validate it")}
    return {"success": True}


def datenraum_govdata_feed_report(context, data_dict):
    return {"success": False, "msg": tk._("Only sysadmins may see the GovData feed report")}
