"""Metadata quality after the data.europa.eu MQA: five dimensions, 405 points at most.

Fields are read by name from the DCAT-AP.de schema (``schemas/dataset.yaml``) with fallbacks to
plain CKAN fields, so the score works, and degrades gracefully, on any dataset. Distribution
indicators give their weight times the share of distributions that meet them. Link reachability
(80 points) is only assessed when the operator turns it on (``…usage.quality.check_links``, see
``links.py``); otherwise it is reported as not assessed.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import pathlib
import re
from collections.abc import Callable

import yaml

FORMATS_FILE = pathlib.Path(__file__).with_name("data") / "mqa-formats.yaml"

# (dimension, indicator, weight, level); level "dataset" or "distribution"
INDICATORS = (
    ("findability", "keywords", 30, "dataset"),
    ("findability", "categories", 30, "dataset"),
    ("findability", "spatial", 20, "dataset"),
    ("findability", "temporal", 20, "dataset"),
    ("accessibility", "access_url_reachable", 50, "distribution"),
    ("accessibility", "download_url", 20, "distribution"),
    ("accessibility", "download_url_reachable", 30, "distribution"),
    ("interoperability", "format", 20, "distribution"),
    ("interoperability", "media_type", 10, "distribution"),
    ("interoperability", "format_vocabulary", 10, "distribution"),
    ("interoperability", "non_proprietary", 20, "distribution"),
    ("interoperability", "machine_readable", 20, "distribution"),
    ("interoperability", "dcat_ap_mandatory", 30, "dataset"),
    ("reusability", "licence", 20, "distribution"),
    ("reusability", "licence_vocabulary", 10, "distribution"),
    ("reusability", "access_rights", 10, "dataset"),
    ("reusability", "access_rights_vocabulary", 5, "dataset"),
    ("reusability", "contact_point", 20, "dataset"),
    ("reusability", "publisher", 10, "dataset"),
    ("contextuality", "rights", 5, "distribution"),
    ("contextuality", "byte_size", 5, "distribution"),
    ("contextuality", "issued", 5, "distribution"),
    ("contextuality", "modified", 5, "distribution"),
)
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")
MAXIMUM = sum(weight for _, _, weight, _ in INDICATORS)
REACHABILITY = frozenset({"access_url_reachable", "download_url_reachable"})

_ACCESS_RIGHTS = re.compile(
    r"(?:publications\.europa\.eu/resource/authority/access-right/)?(PUBLIC|RESTRICTED|NON_PUBLIC)$"
)
_FILE_TYPE_URI = "http://publications.europa.eu/resource/authority/file-type/"
_LICENCE_URIS = ("http://dcat-ap.de/def/licenses/", "https://dcat-ap.de/def/licenses/")


@functools.cache
def _formats() -> dict[str, frozenset[str]]:
    lists = yaml.safe_load(FORMATS_FILE.read_text(encoding="utf-8"))
    return {name: frozenset(codes) for name, codes in lists.items()}


def _present(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return any(
            _present(item) for item in (value.values() if isinstance(value, dict) else value)
        )
    return value is not None


def _format_code(resource: dict) -> str:
    raw = str(resource.get("format") or "").strip()
    return raw.removeprefix(_FILE_TYPE_URI).upper().replace("-", "_").replace(" ", "_")


def _known_licence(licence_id: str) -> bool:
    if licence_id.startswith(_LICENCE_URIS):
        return True
    from ckan import model

    return licence_id in model.Package.get_license_register()


def _dataset_checks(pkg: dict) -> dict[str, bool]:
    tags = pkg.get("tags") or pkg.get("tag_string")
    access_rights = str(pkg.get("access_rights") or "")
    return {
        "keywords": _present(tags),
        "categories": _present(pkg.get("theme")) or _present(pkg.get("groups")),
        "spatial": any(
            _present(pkg.get(name))
            for name in ("spatial_coverage", "political_geocoding_uri", "spatial", "spatial_uri")
        ),
        "temporal": _present(pkg.get("temporal_start")) or _present(pkg.get("temporal_end")),
        "dcat_ap_mandatory": _present(pkg.get("title"))
        and _present(pkg.get("notes"))
        and bool(pkg.get("resources")),
        "access_rights": bool(access_rights),
        "access_rights_vocabulary": bool(_ACCESS_RIGHTS.search(access_rights)),
        "contact_point": any(
            _present(pkg.get(name)) for name in ("contact", "maintainer_email", "author_email")
        ),
        "publisher": _present(pkg.get("publisher")) or _present(pkg.get("owner_org")),
    }


def _reachability_checks(resource: dict, link_checker: Callable[[str], bool]) -> dict[str, bool]:
    access_url = str(resource.get("access_url") or resource.get("url") or "")
    download_url = str(resource.get("download_url") or "")
    if not download_url and resource.get("url_type") == "upload":
        download_url = str(resource.get("url") or "")
    return {
        "access_url_reachable": bool(access_url) and link_checker(access_url),
        "download_url_reachable": bool(download_url) and link_checker(download_url),
    }


def _distribution_checks(pkg: dict, resource: dict) -> dict[str, bool]:
    code = _format_code(resource)
    licence = str(resource.get("license") or pkg.get("license_id") or "")
    return {
        "download_url": _present(resource.get("download_url"))
        or resource.get("url_type") == "upload",
        "format": bool(code),
        "media_type": _present(resource.get("mimetype")),
        "format_vocabulary": bool(code)
        and (
            code in _formats()["machine_readable"] | _formats()["non_proprietary"]
            or str(resource.get("format", "")).startswith(_FILE_TYPE_URI)
        ),
        "non_proprietary": code in _formats()["non_proprietary"],
        "machine_readable": code in _formats()["machine_readable"],
        "licence": bool(licence),
        "licence_vocabulary": bool(licence) and _known_licence(licence),
        "rights": _present(resource.get("rights")),
        "byte_size": _present(resource.get("size")),
        "issued": _present(resource.get("issued")) or _present(resource.get("created")),
        "modified": _present(resource.get("modified")) or _present(resource.get("last_modified")),
    }


@dataclasses.dataclass
class QualityResult:
    total: int
    dimensions: dict[str, int]
    indicators: dict[str, int]
    not_assessed: frozenset[str] = frozenset()

    def details_json(self) -> str:
        return json.dumps(
            {
                "indicators": self.indicators,
                "maximum": MAXIMUM,
                "not_assessed": sorted(self.not_assessed),
            }
        )


def score_dataset(pkg: dict, link_checker: Callable[[str], bool] | None = None) -> QualityResult:
    """Score a dataset dict as returned by ``package_show``.

    Without ``link_checker`` the reachability indicators are not assessed (0 points).
    """
    dataset = _dataset_checks(pkg)
    distributions = [
        _distribution_checks(pkg, resource)
        | (_reachability_checks(resource, link_checker) if link_checker else {})
        for resource in pkg.get("resources") or []
    ]
    not_assessed = frozenset() if link_checker else REACHABILITY
    indicators: dict[str, int] = {}
    dimensions = dict.fromkeys(DIMENSIONS, 0)
    for dimension, name, weight, level in INDICATORS:
        if name in not_assessed:
            points = 0
        elif level == "dataset":
            points = weight if dataset[name] else 0
        elif distributions:
            share = sum(checks[name] for checks in distributions) / len(distributions)
            points = round(weight * share)
        else:
            points = 0
        indicators[name] = points
        dimensions[dimension] += points
    return QualityResult(sum(dimensions.values()), dimensions, indicators, not_assessed)


def store_scores(pkg_dicts, link_checker: Callable[[str], bool] | None = None) -> int:
    """Score and upsert every dataset of ``pkg_dicts``; returns how many were scored."""
    from ckan import model

    from ckanext.datenraum.usage.model import QualityScore

    count = 0
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    for pkg in pkg_dicts:
        result = score_dataset(pkg, link_checker)
        row = model.Session.get(QualityScore, pkg["id"]) or QualityScore(dataset_id=pkg["id"])
        row.organization_id = pkg.get("owner_org")
        row.scored_at = now
        row.total = result.total
        for dimension, points in result.dimensions.items():
            setattr(row, dimension, points)
        row.details = result.details_json()
        model.Session.add(row)
        count += 1
    model.Session.commit()
    return count
