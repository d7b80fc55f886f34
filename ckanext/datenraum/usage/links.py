"""Link reachability for the quality score: does a distribution's URL answer with a success?

Off by default (``ckanext.datenraum.usage.quality.check_links``): probing every partner's server
from a scoring job is a deliberate choice of the operator. The same SSRF rules as the harvesters
apply: private, loopback and link-local targets are refused unless explicitly allowed, every
redirect hop is checked, and each request times out.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import requests

from ckanext.datenraum.harvest.http import FetchError, FetchPolicy, check_target

MAX_REDIRECTS = 5


def is_reachable(url: str, policy: FetchPolicy, session: requests.Session) -> bool:
    """True when ``url`` (after at most five checked redirects) answers 2xx to HEAD or GET."""
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_target(url, policy)
            response = session.head(url, allow_redirects=False, timeout=policy.timeout)
            if response.status_code in (405, 501):  # HEAD not supported: ask with GET
                response = session.get(
                    url, allow_redirects=False, timeout=policy.timeout, stream=True
                )
                response.close()
        except (FetchError, requests.RequestException):
            return False
        if response.is_redirect and response.headers.get("Location"):
            url = urljoin(url, response.headers["Location"])
            continue
        return 200 <= response.status_code < 300
    return False


def make_link_checker(policy: FetchPolicy) -> Callable[[str], bool]:
    """A checker that probes each URL once per scoring run."""
    session = requests.Session()
    seen: dict[str, bool] = {}

    def check(url: str) -> bool:
        if url not in seen:
            seen[url] = is_reachable(url, policy, session)
        return seen[url]

    return check
