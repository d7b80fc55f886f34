"""When the autocomplete dictionaries are rebuilt (decision 0415).

Solr's suggesters can rebuild on every commit (``buildOnCommit``), but each build reads every
document of the core, and CKAN commits once per dataset: a harvest of n datasets then costs
n full builds. Instead a change to the index only marks the dictionaries as stale (a Redis
time stamp); the next autocomplete request rebuilds them, at most once per
``ckanext.datenraum.search.suggest_rebuild_seconds`` and by one process at a time (a Redis
lock). Suggestions are therefore at most that many seconds behind the catalogue.
"""

from __future__ import annotations

import logging
import time

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)

LOCK_SECONDS = 300


def _key(name: str) -> str:
    return f"datenraum:{tk.config.get('ckan.site_id')}:suggest:{name}"


def mark_changed() -> None:
    """The index changed (a dataset was indexed or removed): the dictionaries are stale."""
    connect_to_redis().set(_key("changed"), repr(time.time()))


def rebuild_if_stale(build) -> bool:
    """Call ``build()`` when the index changed since the last build and the minimum interval
    has passed, unless another process is building; True when it was called."""
    redis = connect_to_redis()
    changed, built = (float(value or 0) for value in redis.mget(_key("changed"), _key("built")))
    if changed <= built:
        return False
    if time.time() - built < tk.config.get("ckanext.datenraum.search.suggest_rebuild_seconds"):
        return False
    if not redis.set(_key("lock"), "1", nx=True, ex=LOCK_SECONDS):
        return False
    try:
        started = time.time()
        build()
        redis.set(_key("built"), repr(started))
        log.info("autocomplete dictionaries rebuilt in %.2f s", time.time() - started)
    finally:
        redis.delete(_key("lock"))
    return True
