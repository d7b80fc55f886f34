"""Typed accessors for the ``ckanext.datenraum.usage.*`` options, read at call time."""

from __future__ import annotations

import datetime
import zoneinfo

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.datenraum.usage."


def _get(name: str):
    return tk.config.get(PREFIX + name)


def buffer_retention_days() -> int:
    return max(1, int(_get("buffer_retention_days")))


def timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(_get("timezone"))


def today() -> datetime.date:
    return datetime.datetime.now(timezone()).date()


def trusted_proxy_hops() -> int:
    return max(0, int(_get("trusted_proxy_hops")))


def k_anonymity() -> int:
    return max(1, int(_get("k_anonymity")))


def report_days() -> int:
    return max(1, int(_get("report_days")))


def top_n() -> int:
    return max(1, int(_get("top_n")))


def name_allowlist() -> frozenset[str]:
    raw = _get("name_allowlist") or ""
    return frozenset(" ".join(name.split()).lower() for name in raw.split(",") if name.strip())


def popularity_days() -> int:
    return max(1, int(_get("popularity_days")))


def opendata_dataset_name() -> str:
    return _get("opendata.dataset_name")


def opendata_organization() -> str:
    return _get("opendata.organization") or ""
