"""Visitor pseudonyms that cannot outlive their day (used by usage counting and anti-spam).

A visitor is ``HMAC-SHA256(daily salt, truncated IP | browser family [| purpose])``. The salt is
random, lives only in Redis (and for at most a minute in a worker's memory) and expires at the end
of its day, so yesterday's pseudonyms can no longer be linked to an address by anyone, including
us. Neither the address nor the user agent is ever written anywhere.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import time
import zoneinfo

SALT_KEY = "datenraum_usage:salt:{day}"
# Seconds a salt survives its day: workers whose clocks lag a little still find it.
SALT_GRACE_SECONDS = 120
# A worker re-reads the salt this often, so a destroyed salt is not used for long.
SALT_CACHE_SECONDS = 60

_BROWSER_FAMILIES = (
    ("edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("samsung", re.compile(r"\bSamsungBrowser/")),
    ("firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("chrome", re.compile(r"\b(?:Chrome|Chromium|CriOS)/")),
    ("safari", re.compile(r"\bSafari/")),
)

_salt_cache: dict[str, tuple[bytes, float]] = {}


def truncate_ip(address: str) -> str:
    """The /24 network of an IPv4 address or the /48 of an IPv6 address; '' if invalid."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def browser_family(user_agent: str) -> str:
    for family, pattern in _BROWSER_FAMILIES:
        if pattern.search(user_agent):
            return family
    return "other"


def client_address(request, trusted_proxy_hops: int) -> str:
    """The client's address as the last trusted proxy saw it (the socket's without proxies)."""
    if trusted_proxy_hops:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted_proxy_hops:
            return forwarded[-trusted_proxy_hops]
    return request.remote_addr or ""


def seconds_until_end_of(day: datetime.date, tz: zoneinfo.ZoneInfo) -> int:
    """Seconds a value of ``day`` must live: until its midnight in ``tz``, plus the grace."""
    next_midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tz)
    remaining = (next_midnight - datetime.datetime.now(tz)).total_seconds()
    return max(1, int(remaining)) + SALT_GRACE_SECONDS


def daily_salt(redis, day: datetime.date, tz: zoneinfo.ZoneInfo) -> bytes:
    """The salt of ``day``, created on first use; every worker gets the same one."""
    day_key = day.isoformat()
    cached = _salt_cache.get(day_key)
    now = time.monotonic()
    if cached and now - cached[1] < SALT_CACHE_SECONDS:
        return cached[0]
    key = SALT_KEY.format(day=day_key)
    redis.set(key, secrets.token_hex(32), nx=True, ex=seconds_until_end_of(day, tz))
    salt = redis.get(key)
    salt = salt if isinstance(salt, bytes) else str(salt).encode()
    _salt_cache.clear()
    _salt_cache[day_key] = (salt, now)
    return salt


def destroy_salts_before(redis, day: datetime.date) -> int:
    """Delete the salts of days before ``day`` (Redis expires them anyway; this is immediate)."""
    doomed = []
    for key in redis.scan_iter(match=SALT_KEY.format(day="*")):
        name = key.decode() if isinstance(key, bytes) else key
        if name.rsplit(":", 1)[1] < day.isoformat():
            doomed.append(key)
    if doomed:
        redis.delete(*doomed)
    _salt_cache.clear()
    return len(doomed)


def visitor_pseudonym(salt: bytes, address: str, user_agent: str, purpose: str = "") -> str:
    """The day's pseudonym of a device; a ``purpose`` gives an unlinkable one for another use."""
    material = f"{truncate_ip(address)}|{browser_family(user_agent)}"
    if purpose:
        material = f"{material}|{purpose}"
    return hmac.new(salt, material.encode(), hashlib.sha256).hexdigest()[:16]
