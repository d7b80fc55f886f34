"""The raw event buffer: one Redis list per calendar day, expiring by itself.

An event is a compact JSON array ``[kind, client, visitor, *subject]`` (see ``recorder.py``).
Recording is one pipelined round trip (RPUSH + EXPIREAT), whatever the traffic.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from ckanext.datenraum.usage import config

EVENTS_KEY = "datenraum_usage:events:{day}"
READ_CHUNK = 20_000

VIEW = "v"
DOWNLOAD = "d"
API = "a"
SEARCH = "s"


def events_key(day: datetime.date) -> str:
    return EVENTS_KEY.format(day=day.isoformat())


def expiry_timestamp(day: datetime.date) -> int:
    """When ``day``'s buffer must be gone: the end of the day plus the retention period."""
    last_day = day + datetime.timedelta(days=config.buffer_retention_days())
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), config.timezone()
    )
    return int(end.timestamp())


def encode(event: list) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def push(redis, day: datetime.date, events: list[list]) -> None:
    """Append ``events`` to ``day``'s buffer: one round trip for a request's one or two events."""
    key = events_key(day)
    pipeline = redis.pipeline(transaction=False)
    for start in range(0, len(events), READ_CHUNK):
        pipeline.rpush(key, *(encode(event) for event in events[start : start + READ_CHUNK]))
    pipeline.expireat(key, expiry_timestamp(day))
    pipeline.execute()


def buffered_days(redis) -> list[datetime.date]:
    days = []
    for key in redis.scan_iter(match=EVENTS_KEY.format(day="*")):
        name = key.decode() if isinstance(key, bytes) else key
        try:
            days.append(datetime.date.fromisoformat(name.rsplit(":", 1)[1]))
        except ValueError:
            continue
    return sorted(days)


def read_events(redis, day: datetime.date) -> Iterator[list]:
    """Every event of ``day`` in order; malformed entries are skipped."""
    key = events_key(day)
    length = redis.llen(key)
    for start in range(0, length, READ_CHUNK):
        for raw in redis.lrange(key, start, start + READ_CHUNK - 1):
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if isinstance(event, list) and len(event) >= 4:
                yield event


def drop_expired(redis, today: datetime.date) -> list[datetime.date]:
    """Delete buffers older than the retention period (in case a smaller one was configured)."""
    oldest_kept = today - datetime.timedelta(days=config.buffer_retention_days())
    doomed = [day for day in buffered_days(redis) if day < oldest_kept]
    if doomed:
        redis.delete(*(events_key(day) for day in doomed))
    return doomed
