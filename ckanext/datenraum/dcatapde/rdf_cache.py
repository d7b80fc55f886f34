"""Redis cache of what is derived from a dataset's export: one hash per dataset with its stamp,
one serialisation per format and the validation report.

A cached text is served only while its stamp matches the dataset as the page sees it
(``metadata_modified``, the organisation's publisher fields, the export settings), so a changed
dataset never comes out stale even if an invalidation was lost; ``forget`` (called after a
dataset is updated or deleted) frees the memory at once.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
STAMP = "stamp"
VALIDATION = "validation"


def _key(dataset_id: str) -> str:
    return f"datenraum:dcatapde:rdf:{tk.config.get('ckan.site_id')}:{dataset_id}"


def ttl() -> int:
    """Seconds a serialised dataset stays cached; 0 turns the cache off."""
    return tk.config.get("ckanext.datenraum.dcatapde.cache.ttl")


def fetch(stamps: dict[str, str], fmt: str) -> tuple[dict[str, str], set[str]]:
    """Cached texts ``fmt`` (a format or ``VALIDATION``) of the datasets whose stamp matches,
    and the ids stored with another stamp (stale: all their texts go when a new one is stored)."""
    if not stamps or not ttl():
        return {}, set()
    pipe = connect_to_redis().pipeline(transaction=False)
    for dataset_id in stamps:
        pipe.hmget(_key(dataset_id), STAMP, fmt)
    found, stale = {}, set()
    for (dataset_id, stamp), (stored_stamp, text) in zip(
        stamps.items(), pipe.execute(), strict=True
    ):
        if stored_stamp is None:
            continue
        if stored_stamp.decode() != stamp:
            stale.add(dataset_id)
        elif text is not None:
            found[dataset_id] = text.decode()
    return found, stale


def store(texts: dict[str, tuple[str, str]], fmt: str, stale: set[str]) -> None:
    """Cache ``{dataset_id: (stamp, text)}`` in ``fmt``."""
    seconds = ttl()
    if not texts or not seconds:
        return
    pipe = connect_to_redis().pipeline(transaction=False)
    for dataset_id, (stamp, text) in texts.items():
        key = _key(dataset_id)
        if dataset_id in stale:
            pipe.delete(key)
        pipe.hset(key, mapping={STAMP: stamp, fmt: text})
        pipe.expire(key, seconds)
    pipe.execute()


def forget(dataset_id: str) -> None:
    """Drop every cached serialisation of a dataset (after it changed or was deleted)."""
    try:
        connect_to_redis().delete(_key(dataset_id))
    except RedisError:  # the stamp check still keeps stale texts out
        log.warning("Could not drop the cached RDF of dataset %s", dataset_id, exc_info=True)
