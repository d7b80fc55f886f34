"""Harvest gather and fetch consumers that wait as long as their queue is idle.

ckanext-harvest 1.6.3's Redis consumer blocks in BLPOP on a client that redis-py 8 (CKAN 2.12's
pin) gives a 5-second socket timeout: an idle consumer dies with ``TimeoutError`` within a
minute, and a message Redis hands to the dying connection is lost (ckan/ckanext-harvest#581,
open). These consumers run upstream's own consumer loop and callbacks on upstream's connection
settings, with the read timeout lifted and TCP keep-alive on; with AMQP they are upstream's.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckanext.harvest import queue

log = logging.getLogger(__name__)


def _consumer(queue_name: str, routing_key: str):
    if tk.config.get("ckan.harvest.mq.type", queue.MQ_TYPE) != "redis":
        return queue.get_consumer(queue_name, routing_key)
    connection = queue.get_connection_redis()
    # No connection exists yet: every connection the pool opens blocks without a read timeout.
    connection.connection_pool.connection_kwargs.update(socket_timeout=None, socket_keepalive=True)
    return queue.RedisConsumer(connection, routing_key)


def consume(stage: str) -> None:
    """Run the ``gather`` or ``fetch`` consumer until the process is stopped."""
    if stage == "gather":
        name, key, callback = (
            queue.get_gather_queue_name(),
            queue.get_gather_routing_key(),
            queue.gather_callback,
        )
    elif stage == "fetch":
        name, key, callback = (
            queue.get_fetch_queue_name(),
            queue.get_fetch_routing_key(),
            queue.fetch_callback,
        )
    else:
        raise ValueError(f"unknown harvest stage {stage!r}")
    consumer = _consumer(name, key)
    log.info("harvest %s consumer waiting on %s", stage, key)
    for method, header, body in consumer.consume(queue=name):
        callback(consumer, method, header, body)
