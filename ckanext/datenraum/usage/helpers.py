"""Template helpers of the usage plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.usage import config, popularity

__all__ = [
    "datenraum_usage_download_url",
    "datenraum_usage_figure",
    "datenraum_usage_popular_sort",
    "datenraum_usage_k",
]


def datenraum_usage_download_url(pkg: dict, res: dict) -> str:
    """Uploads are counted by CKAN's download view; external URLs go through our tracked link."""
    if res.get("url_type") == "upload":
        return res.get("url", "")
    return tk.url_for(
        "datenraum_usage.go", id=pkg.get("name") or pkg.get("id"), resource_id=res["id"]
    )


def datenraum_usage_k() -> int:
    return config.k_anonymity()


def datenraum_usage_figure(value) -> str:
    """A figure for display; ``None`` is a suppressed (or not applicable) value."""
    if value is None:
        return tk._("fewer than {k}").format(k=config.k_anonymity())
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def datenraum_usage_popular_sort() -> str:
    return popularity.SORT
