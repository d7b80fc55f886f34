"""Health checks behind ``ckan datenraum doctor``: one check per service, each with a short verdict.

Every check reads the live configuration and opens its own short-timeout connection, so it
reports the service the config points at right now, not what CKAN cached at start-up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit
from xml.etree import ElementTree

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import redis
import requests
import sqlalchemy as sa
from ckan.lib.search import SUPPORTED_SCHEMA_VERSIONS


@dataclasses.dataclass(frozen=True)
class CheckResult:
    service: str
    healthy: bool
    detail: str

    def line(self) -> str:
        verdict = "OK  " if self.healthy else "FAIL"
        return f"{verdict}  {self.service:<10}  {self.detail}"


def _timeout() -> float:
    return tk.config.get("ckanext.datenraum.doctor.timeout")


def redact_password(url: str) -> str:
    """``postgresql://ckan:secret@host/db`` -> ``postgresql://ckan:***@host/db``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_postgresql() -> CheckResult:
    url = tk.config.get("sqlalchemy.url")
    engine = sa.create_engine(url, connect_args={"connect_timeout": max(1, int(_timeout()))})
    try:
        with engine.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version")).scalar()
    except sa.exc.SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).strip().splitlines()[0]
        return CheckResult(
            "PostgreSQL", False, f"cannot connect to {redact_password(url)}: {reason}"
        )
    finally:
        engine.dispose()
    return CheckResult("PostgreSQL", True, f"PostgreSQL {version} at {redact_password(url)}")


def solr_schema_version(schema_xml: str) -> str:
    """The CKAN schema version a Solr schema declares (``ckan-2.12`` -> ``2.12``)."""
    root = ElementTree.fromstring(schema_xml)  # noqa: S314 - our own Solr's answer, no entities
    name = root.get("name", "")
    return name.removeprefix("ckan-") if name.startswith("ckan-") else root.get("version", "")


def check_solr() -> CheckResult:
    url = tk.config.get("solr_url").rstrip("/")
    try:
        ping = requests.get(f"{url}/admin/ping", params={"wt": "json"}, timeout=_timeout())
        ping.raise_for_status()
        schema = requests.get(f"{url}/schema", params={"wt": "schema.xml"}, timeout=_timeout())
        schema.raise_for_status()
        count = requests.get(
            f"{url}/select", params={"q": "*:*", "rows": 0, "wt": "json"}, timeout=_timeout()
        ).json()["response"]["numFound"]
    except (requests.RequestException, ValueError, KeyError) as error:
        return CheckResult("Solr", False, f"core at {url} not reachable: {error}")
    version = solr_schema_version(schema.text)
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        return CheckResult(
            "Solr",
            False,
            f"core at {url} has schema version {version!r}, CKAN needs one of "
            f"{', '.join(SUPPORTED_SCHEMA_VERSIONS)}",
        )
    return CheckResult("Solr", True, f"core at {url}, CKAN schema {version}, {count} documents")


def check_redis() -> CheckResult:
    url = tk.config.get("ckan.redis.url")
    client = redis.Redis.from_url(url, socket_timeout=_timeout(), socket_connect_timeout=_timeout())
    try:
        version = client.info("server")["redis_version"]
    except redis.RedisError as error:
        return CheckResult("Redis", False, f"cannot reach {redact_password(url)}: {error}")
    finally:
        client.close()
    return CheckResult("Redis", True, f"Redis {version} at {redact_password(url)}")


def check_plugins() -> CheckResult:
    required = tk.config.get("ckanext.datenraum.required_plugins")
    configured = tk.config.get("ckan.plugins")
    missing = [name for name in required if name not in configured]
    not_loaded = [name for name in required if name in configured and not p.plugin_loaded(name)]
    if missing or not_loaded:
        problems = []
        if missing:
            problems.append(f"missing from ckan.plugins: {', '.join(missing)}")
        if not_loaded:
            problems.append(f"configured but not loaded: {', '.join(not_loaded)}")
        return CheckResult("Plugins", False, "; ".join(problems))
    return CheckResult("Plugins", True, f"enabled: {' '.join(configured)}")


CHECKS: tuple[Callable[[], CheckResult], ...] = (
    check_postgresql,
    check_solr,
    check_redis,
    check_plugins,
)


def run_checks() -> list[CheckResult]:
    return [check() for check in CHECKS]
