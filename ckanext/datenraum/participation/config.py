"""Typed accessors for the ``ckanext.datenraum.participation.*`` options, read at call time."""

from __future__ import annotations

import datetime
import zoneinfo

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.datenraum.participation."
# Shared with the usage counter, whose daily pseudonyms the anti-spam scheme reuses: one day, one
# salt and one proxy setting for the whole suite (declared by datenraum_usage).
TIMEZONE_OPTION = "ckanext.datenraum.usage.timezone"
PROXY_HOPS_OPTION = "ckanext.datenraum.usage.trusted_proxy_hops"


def _get(name: str):
    return tk.config.get(PREFIX + name)


def visitor_requests_per_day() -> int:
    return max(0, int(_get("visitor_requests_per_day")))


def user_submissions_per_day() -> int:
    return max(1, int(_get("user_submissions_per_day")))


def min_form_seconds() -> int:
    return max(0, int(_get("min_form_seconds")))


def image_max_bytes() -> int:
    return max(1, int(_get("image_max_kb"))) * 1024


def opendata_dataset_name() -> str:
    return _get("opendata.dataset_name")


def opendata_organization() -> str:
    return _get("opendata.organization") or ""


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tk.config.get(TIMEZONE_OPTION) or "Europe/Berlin")


def today() -> datetime.date:
    return datetime.datetime.now(timezone()).date()


def trusted_proxy_hops() -> int:
    return max(0, int(tk.config.get(PROXY_HOPS_OPTION) or 0))
