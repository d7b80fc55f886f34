"""Autocomplete offers only public datasets, so everyone may ask for it."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["datenraum_search_autocomplete"]


@tk.auth_allow_anonymous_access
def datenraum_search_autocomplete(context, data_dict):
    return {"success": True}
