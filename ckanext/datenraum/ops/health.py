"""``/health`` for load balancers and ``/health/live`` for process supervisors.

``/health`` answers 200 when this web worker can serve pages: PostgreSQL through the worker's own
connection pool, Solr's ping and Redis, each with a short timeout; otherwise 503. The JSON body
names each check with ``ok`` or ``unavailable`` and nothing else, so the public learns no
address, version or error text (``ckan datenraum doctor`` gives operators the details).
``/health/live`` answers 200 without checks: a supervisor restarts a hung worker, not one whose
database is away. Neither is counted by the usage statistics (only pages and downloads are).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ckan.model as model
import ckan.plugins.toolkit as tk
import requests
import sqlalchemy as sa
from ckan.lib.redis import connect_to_redis
from flask import Blueprint, jsonify, request

log = logging.getLogger(__name__)

health = Blueprint("datenraum_health", __name__)


def _timeout() -> float:
    return tk.config.get("ckanext.datenraum.health.timeout")


def database_answers() -> None:
    model.Session.execute(sa.text("SELECT 1")).scalar()


def solr_answers() -> None:
    auth = None
    if tk.config.get("solr_user") and tk.config.get("solr_password"):
        auth = (tk.config.get("solr_user"), tk.config.get("solr_password"))
    url = tk.config.get("solr_url").rstrip("/") + "/admin/ping"
    response = requests.get(url, params={"wt": "json"}, auth=auth, timeout=_timeout())
    response.raise_for_status()


def redis_answers() -> None:
    client = connect_to_redis()
    client.ping()


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_answers,
    "search": solr_answers,
    "redis": redis_answers,
}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = True
        except Exception:  # noqa: BLE001 - any failure means "cannot serve"; logged for operators
            log.warning("health check %s failed", name, exc_info=True)
            results[name] = False
            if name == "database":
                model.Session.rollback()
    return results


def _never_cache() -> None:
    # CKAN's own switch: its response hook then marks the answer private, not public.
    request.environ["__no_cache__"] = True


@health.route("/health")
def ready():
    _never_cache()
    results = run_checks()
    healthy = all(results.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if passed else "unavailable" for name, passed in results.items()},
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@health.route("/health/live")
def live():
    _never_cache()
    response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response
