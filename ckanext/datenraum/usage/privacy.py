"""Visitor pseudonyms of the usage counter: the shared daily-salt mechanism of ``common``, bound
to the usage time zone. See ``ckanext.datenraum.common.pseudonym`` for what is (never) stored.
"""

from __future__ import annotations

import datetime

from ckanext.datenraum.common import pseudonym
from ckanext.datenraum.common.pseudonym import (  # noqa: F401  (the usage API of this module)
    SALT_GRACE_SECONDS,
    SALT_KEY,
    browser_family,
    destroy_salts_before,
    truncate_ip,
    visitor_pseudonym,
)
from ckanext.datenraum.usage import config


def daily_salt(redis, day: datetime.date) -> bytes:
    """The salt of ``day``, created on first use; every worker gets the same one."""
    return pseudonym.daily_salt(redis, day, config.timezone())
