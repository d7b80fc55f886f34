"""Index writes that outlast a Solr failover: a transaction whose index write Solr refuses for a
transient reason is rolled back and run again, within a time budget (decisions 0507, 0509).

When a SolrCloud node dies, the shards it led refuse writes until ZooKeeper has noticed and a
replica has taken over (10-20 s). CKAN raises ``SearchIndexError`` before it commits the
database, so the transaction can be rolled back and run again. Harvest imports use a budget of
their own; web edits a shorter one, so a request does not hang for long. Once a whole budget has
run out in vain (Solr down, not failing over), later writes try once until one succeeds.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

import ckan.model as model
from ckan.lib.search import SearchIndexError

log = logging.getLogger(__name__)

# What Solr (through pysolr and CKAN) says while a node is gone or a shard has no leader; any
# other index error (a bad document, a schema mismatch) is not retried.
TRANSIENT_SIGNS = (
    "connection refused",
    "connectexception",
    "failed to connect",
    "could not connect",
    "timed out",
    "http 503",
    "no registered leader",
    "no active replicas",
    "async exception during distributed update",
)

T = TypeVar("T")

_unwritable = {"since": None}  # set when a whole budget ran out; cleared by a success
# Inside a retried transaction, an inner one (resource_create's package_update, a harvest
# import's package_create) is not retried on its own: the outer one runs everything again.
_retrying: contextvars.ContextVar[bool] = contextvars.ContextVar("index_retrying", default=False)


def is_transient(error: Exception) -> bool:
    """Whether an index error is one a Solr failover causes (one a later try may not meet)."""
    if getattr(error, "transient", False):  # raised by us after a budget ran out
        return True
    text = str(error).lower()
    return any(sign in text for sign in TRANSIENT_SIGNS)


def inside_retry() -> bool:
    """Whether this runs inside a transaction ``with_index_retry`` runs again on failure."""
    return _retrying.get()


def delays(budget: float) -> Iterable[float]:
    """Pauses between tries: 0.5 s doubling to 4 s, within ``budget`` seconds in all."""
    delay, waited = 0.5, 0.0
    while waited + delay <= budget:
        yield delay
        waited += delay
        delay = min(delay * 2, 4.0)


def with_index_retry(attempt: Callable[[], T], budget: float) -> T:
    """Run ``attempt`` (a database transaction that indexes); when its index write fails with a
    transient error, roll the transaction back and run it again after a pause."""
    if _retrying.get():
        return attempt()
    token = _retrying.set(True)
    try:
        for delay in () if _unwritable["since"] else delays(budget):
            try:
                return _succeeded(attempt())
            except SearchIndexError as error:
                if not is_transient(error):
                    raise
                model.Session.rollback()
                log.warning("search index not writable (%s); trying again in %.1f s", error, delay)
                time.sleep(delay)
        try:
            return _succeeded(attempt())
        except SearchIndexError as error:
            if is_transient(error) and not _unwritable["since"]:
                _unwritable["since"] = time.time()
            raise
    finally:
        _retrying.reset(token)


def _succeeded(result: T) -> T:
    _unwritable["since"] = None
    return result
