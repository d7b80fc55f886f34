"""Anti-spam without third parties, cookies or stored addresses.

Three checks, none of which asks the visitor anything:
- a honeypot field that people never see (hidden by CSS, out of the tab order) and bots fill in;
- a time trap: the form carries its signed rendering time; sent sooner than a person can type,
  or with a token that is missing, forged or older than a day, it is refused;
- a rate limit per day: for visitors per *daily pseudonym* (the usage counter's salted hash of
  the truncated address and the browser family, with its own purpose so the two cannot be
  joined), for accounts per user id. Counters live in Redis and expire with their day.
"""

from __future__ import annotations

import functools
import time

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from itsdangerous import BadSignature, URLSafeSerializer

from ckanext.datenraum.common import pseudonym
from ckanext.datenraum.participation import config

HONEYPOT_FIELD = "homepage"
TOKEN_FIELD = "form_token"  # noqa: S105 (a form field name)
TOKEN_MAX_AGE = 24 * 3600
RATE_KEY = "datenraum_participation:rate:{day}:{kind}:{who}"
PSEUDONYM_PURPOSE = "participation"


class Refused(Exception):
    """The submission looks automated or exceeds its daily allowance."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@functools.cache
def _redis():
    return connect_to_redis()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(tk.config.get("SECRET_KEY"), salt="datenraum-participation-form")


def issue_token(now: float | None = None) -> str:
    """The token a form carries: its signed rendering time."""
    return _serializer().dumps(int(now if now is not None else time.time()))


def check_form(form, now: float | None = None) -> None:
    """Refused if the honeypot is filled or the time trap springs."""
    if (form.get(HONEYPOT_FIELD) or "").strip():
        raise Refused("honeypot")
    try:
        issued = int(_serializer().loads(form.get(TOKEN_FIELD) or ""))
    except (BadSignature, ValueError, TypeError) as error:
        raise Refused("token") from error
    age = (now if now is not None else time.time()) - issued
    if age < config.min_form_seconds() or age > TOKEN_MAX_AGE:
        raise Refused("timing")


def visitor_key() -> str:
    """The visitor's pseudonym of today, for rate limits only; '' outside a web request."""
    try:
        request = tk.request
        user_agent = request.user_agent.string or ""
        address = pseudonym.client_address(request, config.trusted_proxy_hops())
    except RuntimeError:  # no request context (CLI, jobs)
        return ""
    salt = pseudonym.daily_salt(_redis(), config.today(), config.timezone())
    return pseudonym.visitor_pseudonym(salt, address, user_agent, purpose=PSEUDONYM_PURPOSE)


def take(kind: str, who: str, limit: int) -> None:
    """Count one submission of ``who`` today; Refused when that exceeds ``limit``."""
    day = config.today()
    key = RATE_KEY.format(day=day.isoformat(), kind=kind, who=who or "unknown")
    redis = _redis()
    count = redis.incr(key)
    if count == 1:
        redis.expire(key, pseudonym.seconds_until_end_of(day, config.timezone()))
    if count > limit:
        raise Refused("rate")


def take_visitor_request() -> None:
    take("visitor-request", visitor_key(), config.visitor_requests_per_day())


def take_user_submission(user_id: str) -> None:
    take("user", user_id, config.user_submissions_per_day())
