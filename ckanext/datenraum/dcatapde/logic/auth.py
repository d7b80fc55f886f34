"""Auth functions of the DCAT-AP.de plugin: validation reports are for the dataset's editors."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["datenraum_dataset_validate"]


def datenraum_dataset_validate(context, data_dict):
    try:
        tk.check_access("package_update", context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only editors of the dataset may validate it")}
    return {"success": True}
