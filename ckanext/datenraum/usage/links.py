"""Link reachability for the quality score: does a distribution's URL answer with a success?

Off by default (``ckanext.datenraum.usage.quality.check_links``): probing every partner's server
from a scoring job is a deliberate choice of the operator. The same SSRF rules as the harvesters
apply: private, loopback and link-local targets are refused unless explicitly allowed, every
redirect hop is checked and connected to the checked address, and each request times out.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import requests

from ckanext.datenraum.common.http import FetchError, FetchPolicy, checked_request

MAX_REDIRECTS = 5


def is_reachable(url: str, policy: FetchPolicy, session: requests.Session) -> bool:
    """True when ``url`` (after at most five checked redirects) answers 2xx to HEAD or GET."""
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, location = _probe(session, "HEAD", url, policy)
            if status in (405, 501):  # HEAD not supported: ask with GET
                status, location = _probe(session, "GET", url, policy)
        except (FetchError, requests.RequestException):
            return False
        if location:
            url = urljoin(url, location)
            continue
        return 200 <= status < 300
    return False


def _probe(session, method: str, url: str, policy: FetchPolicy) -> tuple[int, str | None]:
    """Status and redirect target of one checked request; the body is never read."""
    with checked_request(session, method, url, policy, timeout=policy.timeout) as response:
        location = response.headers.get("Location") if response.is_redirect else None
        return response.status_code, location


def make_link_checker(policy: FetchPolicy) -> Callable[[str], bool]:
    """A checker that probes each URL once per scoring run."""
    session = requests.Session()
    seen: dict[str, bool] = {}

    def check(url: str) -> bool:
        if url not in seen:
            seen[url] = is_reachable(url, policy, session)
        return seen[url]

    return check
