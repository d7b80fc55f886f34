"""Harvest sources as code: one YAML file per partner in ``harvest_sources/``.

Loading is pure: :func:`load_sources` reads every file, checks every key and either returns
all sources or raises :class:`SourceFileError` listing every problem with file and key, so a
sync never acts on half a folder.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import re
from typing import Any
from urllib.parse import urlparse

import yaml

HARVESTER_TYPES = (
    "datenraum_dcat",
    "datenraum_ckan",
    "datenraum_csw",
    "datenraum_gtfs",
    "datenraum_oaipmh",
)
FREQUENCIES = ("MANUAL", "MONTHLY", "WEEKLY", "BIWEEKLY", "DAILY", "ALWAYS")
MANAGED_MARK = "harvest_sources"
NAME_PATTERN = re.compile(r"^[a-z0-9_-]{2,100}$")
DEFAULT_WITHDRAWAL_GUARD = 0.2
DEFAULT_PRIORITY = 50

_REQUIRED = ("name", "title", "type", "url", "organization")
_OPTIONAL = (
    "description",
    "frequency",
    "active",
    "contributor_id",
    "defaults",
    "mapping",
    "priority",
    "allow_private_targets",
    "withdrawal_guard",
    "http",
)
_HTTP_KEYS = {"timeout": (int, float), "max_bytes": int, "retries": int, "backoff": (int, float)}


class SourceFileError(ValueError):
    """One or more source files are invalid; ``problems`` holds ``(file, key, message)``."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__(
            "\n".join(f"{file}: key '{key}': {message}" for file, key, message in problems)
        )


@dataclasses.dataclass(frozen=True)
class HarvestSourceFile:
    """One partner as declared in its YAML file."""

    file: str
    name: str
    title: str
    type: str
    url: str
    organization: str
    description: str = ""
    frequency: str = "WEEKLY"
    active: bool = True
    contributor_id: str | None = None
    defaults: dict = dataclasses.field(default_factory=dict)
    mapping: dict = dataclasses.field(default_factory=dict)
    priority: int = DEFAULT_PRIORITY
    allow_private_targets: bool = False
    withdrawal_guard: float = DEFAULT_WITHDRAWAL_GUARD
    http: dict = dataclasses.field(default_factory=dict)

    def harvester_config(self) -> dict[str, Any]:
        """The JSON config stored on the ckanext-harvest source (read by our harvesters)."""
        return {
            "managed_by": MANAGED_MARK,
            "source_file": self.file,
            "contributor_id": self.contributor_id,
            "defaults": self.defaults,
            "mapping": self.mapping,
            "priority": self.priority,
            "allow_private_targets": self.allow_private_targets,
            "withdrawal_guard": self.withdrawal_guard,
            "http": self.http,
        }

    def config_json(self) -> str:
        return json.dumps(self.harvester_config(), sort_keys=True, ensure_ascii=False)


# Bounds of the security-relevant settings, for source files and sysadmins alike.
HTTP_BOUNDS = {
    "timeout": (1, 120),
    "max_bytes": (1, 500 * 1024 * 1024),
    "retries": (0, 5),
    "backoff": (0, 60),
}
PRIORITY_BOUNDS = (0, 100)


def parse_config(config) -> dict | None:
    """A source's JSON config as a dict ({} when empty), None when it is not a JSON object."""
    if config in (None, ""):
        return {}
    if isinstance(config, dict):
        return config
    try:
        parsed = json.loads(config)
    except (TypeError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


def bound_problems(config: dict) -> list[str]:
    """What in ``config`` is outside the bounds every source keeps."""
    problems = []
    http = config.get("http") or {}
    if not isinstance(http, dict):
        return ["http: must be a mapping"]
    for key, value in http.items():
        low, high = HTTP_BOUNDS.get(key, (None, None))
        if low is None:
            problems.append(f"http.{key}: unknown setting")
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            problems.append(f"http.{key}: must be between {low} and {high}")
    priority = config.get("priority")
    if priority is not None and (
        isinstance(priority, bool)
        or not isinstance(priority, int)
        or not PRIORITY_BOUNDS[0] <= priority <= PRIORITY_BOUNDS[1]
    ):
        problems.append(
            f"priority: must be a whole number from {PRIORITY_BOUNDS[0]} to {PRIORITY_BOUNDS[1]}"
        )
    guard = config.get("withdrawal_guard")
    if guard is not None and (
        isinstance(guard, bool) or not isinstance(guard, int | float) or not 0 <= guard <= 1
    ):
        problems.append("withdrawal_guard: must be a fraction between 0 and 1")
    if "allow_private_targets" in config and not isinstance(config["allow_private_targets"], bool):
        problems.append("allow_private_targets: must be true or false")
    return problems


def load_sources(folder: pathlib.Path) -> list[HarvestSourceFile]:
    """Every source of ``folder``, or :class:`SourceFileError` naming each bad file and key."""
    problems: list[tuple[str, str, str]] = []
    sources: list[HarvestSourceFile] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        source = _load_file(path, problems)
        if source is not None:
            sources.append(source)
    _check_unique(sources, "name", problems)
    _check_unique(sources, "url", problems)
    if problems:
        raise SourceFileError(problems)
    return sources


def _load_file(path: pathlib.Path, problems: list) -> HarvestSourceFile | None:
    file = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append((file, "(file)", f"not valid YAML: {error}"))
        return None
    if not isinstance(data, dict):
        problems.append((file, "(file)", "must be a mapping of keys to values"))
        return None
    before = len(problems)
    for key in data:
        if key not in _REQUIRED and key not in _OPTIONAL:
            problems.append((file, str(key), "unknown key"))
    for key in _REQUIRED:
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append((file, key, "required, must be a non-empty text"))
    _check_values(file, data, problems)
    if len(problems) > before:
        return None
    fields = {key: data[key] for key in (*_REQUIRED, *_OPTIONAL) if key in data}
    if "frequency" in fields:
        fields["frequency"] = fields["frequency"].upper()
    return HarvestSourceFile(file=file, **fields)


def _check_values(file: str, data: dict, problems: list) -> None:
    def bad(key: str, message: str) -> None:
        problems.append((file, key, message))

    if isinstance(data.get("name"), str) and not NAME_PATTERN.match(data["name"]):
        bad("name", "2-100 lower-case letters, digits, '-' or '_'")
    if data.get("type") is not None and data.get("type") not in HARVESTER_TYPES:
        bad("type", f"must be one of {', '.join(HARVESTER_TYPES)}")
    url = data.get("url")
    if isinstance(url, str) and (
        urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc
    ):
        bad("url", "must be an http(s) URL")
    frequency = data.get("frequency")
    if frequency is not None and (
        not isinstance(frequency, str) or frequency.upper() not in FREQUENCIES
    ):
        bad("frequency", f"must be one of {', '.join(FREQUENCIES)}")
    for key in ("active", "allow_private_targets"):
        if key in data and not isinstance(data[key], bool):
            bad(key, "must be true or false")
    for key in ("defaults", "mapping", "http"):
        if key in data and not isinstance(data[key], dict):
            bad(key, "must be a mapping")
    if "description" in data and not isinstance(data["description"], str):
        bad("description", "must be a text")
    contributor = data.get("contributor_id")
    if contributor is not None and (
        not isinstance(contributor, str) or urlparse(contributor).scheme not in ("http", "https")
    ):
        bad("contributor_id", "must be a contributor URI (http://dcat-ap.de/def/contributors/…)")
    priority = data.get("priority")
    if priority is not None and (not isinstance(priority, int) or isinstance(priority, bool)):
        bad("priority", "must be a whole number (higher wins duplicates)")
    guard = data.get("withdrawal_guard")
    if guard is not None and (
        isinstance(guard, bool) or not isinstance(guard, int | float) or not 0 <= guard <= 1
    ):
        bad("withdrawal_guard", "must be a fraction between 0 and 1")
    for key, value in (
        (data.get("http") or {}).items() if isinstance(data.get("http"), dict) else ()
    ):
        expected = _HTTP_KEYS.get(key)
        if expected is None:
            bad(f"http.{key}", f"unknown key (known: {', '.join(_HTTP_KEYS)})")
        elif isinstance(value, bool) or not isinstance(value, expected) or value < 0:
            bad(f"http.{key}", "must be a non-negative number")


def _check_unique(sources: list[HarvestSourceFile], key: str, problems: list) -> None:
    seen: dict[str, str] = {}
    for source in sources:
        value = getattr(source, key)
        if value in seen:
            problems.append((source.file, key, f"'{value}' is already used by {seen[value]}"))
        else:
            seen[value] = source.file
