"""No address or user agent is stored anywhere; salts die daily; buffers expire."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.usage import buffer, config, privacy
from ckanext.datenraum.usage.model import SiteDay
from tests.usage.conftest import FIREFOX_UA, VISITOR_IP, VISITOR_IPV6, Visitor

pytestmark = pytest.mark.usefixtures("with_plugins", "usage_clean")

# What must never be found: the addresses, their truncated networks and the agent (or a part).
FORBIDDEN = (VISITOR_IP, "203.0.113.", "2001:db8:85a3", FIREFOX_UA, "DatenraumTestProbe")


def _all_redis_values(redis) -> list[str]:
    values = []
    for key in redis.scan_iter("*"):
        values.append(key.decode(errors="replace"))
        kind = redis.type(key).decode()
        if kind == "string":
            values.append(redis.get(key).decode(errors="replace"))
        elif kind == "list":
            values += [item.decode(errors="replace") for item in redis.lrange(key, 0, -1)]
        elif kind == "hash":
            values += [f"{k}={v}" for k, v in redis.hgetall(key).items()]
        elif kind == "set":
            values += [item.decode(errors="replace") for item in redis.smembers(key)]
        elif kind == "zset":
            values += [item.decode(errors="replace") for item in redis.zrange(key, 0, -1)]
        else:
            values.append(f"<{kind} {key!r} not inspected>")
    return values


def _all_table_rows() -> list[str]:
    tables = model.Session.execute(
        sa.text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ).scalars()
    rows = []
    for table in tables:
        rows += model.Session.execute(sa.text(f'SELECT CAST(t AS text) FROM "{table}" t')).scalars()
    return rows


def _visit_everything(app, dataset):
    resource_id = dataset["resources"][0]["id"]
    for headers in ({}, {"DNT": "1"}):
        for ip in (VISITOR_IP, VISITOR_IPV6):
            visitor = Visitor(ip=ip, headers=headers).kwargs()
            app.get("/dataset/baumkataster-jena", **visitor)
            app.get(f"/usage/go/baumkataster-jena/{resource_id}", follow_redirects=False, **visitor)
            app.get("/dataset/?q=baum", **visitor)
            app.get("/api/3/action/package_search?q=baum", **visitor)


def test_no_address_or_user_agent_in_redis_or_any_table(app, tree_dataset, aggregate, redis):
    _visit_everything(app, tree_dataset)

    before_aggregation = _all_redis_values(redis)
    aggregate()
    stored = before_aggregation + _all_redis_values(redis) + _all_table_rows()

    assert any("datenraum_usage:events:" in value for value in before_aggregation)
    assert model.Session.query(SiteDay).one().views_human == 4
    leaks = [value for value in stored for secret in FORBIDDEN if secret in value]
    assert leaks == []


def test_salt_is_random_per_day_and_destroyed_by_the_job(app, tree_dataset, aggregate, redis):
    today = config.today()
    yesterday = today - datetime.timedelta(days=1)
    old_salt = privacy.daily_salt(redis, yesterday)
    app.get("/dataset/baumkataster-jena", **Visitor().kwargs())
    today_salt = redis.get(privacy.SALT_KEY.format(day=today.isoformat()))

    result = aggregate()

    assert today_salt and today_salt != old_salt
    assert redis.get(privacy.SALT_KEY.format(day=yesterday.isoformat())) is None
    assert redis.get(privacy.SALT_KEY.format(day=today.isoformat())) == today_salt
    assert result["destroyed_salts"] == 1
    ttl = redis.ttl(privacy.SALT_KEY.format(day=today.isoformat()))
    assert 0 < ttl <= 24 * 3600 + privacy.SALT_GRACE_SECONDS


def test_same_visitor_gets_unlinkable_pseudonyms_on_different_days(redis):
    first = privacy.visitor_pseudonym(b"salt-of-monday", VISITOR_IP, FIREFOX_UA)
    second = privacy.visitor_pseudonym(b"salt-of-tuesday", VISITOR_IP, FIREFOX_UA)

    assert first != second
    assert VISITOR_IP not in first and len(first) == 16


@pytest.mark.ckan_config("ckanext.datenraum.usage.buffer_retention_days", "2")
def test_buffers_expire_by_themselves_and_old_ones_are_dropped(app, tree_dataset, aggregate, redis):
    app.get("/dataset/baumkataster-jena", **Visitor().kwargs())
    today = config.today()
    stale = today - datetime.timedelta(days=5)
    # left over from a longer retention period (push() would have expired it at once)
    redis.rpush(buffer.events_key(stale), buffer.encode([buffer.VIEW, "h", "", "x"]))

    result = aggregate()

    ttl = redis.ttl(buffer.events_key(today))
    assert 0 < ttl <= 3 * 24 * 3600 + 3600  # rest of today + 2 days (+ DST slack)
    assert result["dropped_buffers"] == [stale.isoformat()]
    assert redis.exists(buffer.events_key(stale)) == 0
    assert redis.exists(buffer.events_key(today)) == 1


def test_aggregating_twice_gives_the_same_rows(app, tree_dataset, aggregate):
    app.get("/dataset/baumkataster-jena", **Visitor().kwargs())
    aggregate()
    first = [(row.day, row.views_human, row.visitors) for row in model.Session.query(SiteDay)]
    aggregate()
    second = [(row.day, row.views_human, row.visitors) for row in model.Session.query(SiteDay)]

    assert first == second == [(config.today(), 1, 1)]
