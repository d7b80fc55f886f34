"""Safe HTTP fetches from partner servers.

Every request: http(s) only; host resolved and refused when any address is private, loopback,
link-local, multicast, reserved or unspecified (unless the source file allows it); redirects
followed by hand so each hop is checked; connect/read timeouts plus an overall deadline (a
server that drips bytes cannot hang a job); the body streamed with a size cap; connection
errors, timeouts and 5xx answers retried with exponential backoff.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlparse

import requests

USER_AGENT = "ckanext-datenraum-harvester/0.1 (+https://github.com/)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A partner document could not be fetched; the message says why (for job reports)."""


class RefusedTarget(FetchError):
    """The URL points into a network the harvester must not reach."""


class TooLarge(FetchError):
    """The answer is bigger than the configured cap."""


@dataclasses.dataclass(frozen=True)
class FetchPolicy:
    allow_private_targets: bool = False
    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0

    @classmethod
    def from_source_config(cls, config: dict, **overrides) -> FetchPolicy:
        http = dict(config.get("http") or {})
        http.update(overrides)
        return cls(
            allow_private_targets=bool(config.get("allow_private_targets", False)),
            **{
                key: http[key]
                for key in ("timeout", "max_bytes", "retries", "backoff")
                if key in http
            },
        )


@dataclasses.dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str

    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def check_target(url: str, policy: FetchPolicy) -> None:
    """Raise :class:`RefusedTarget` unless ``url`` is http(s) to an allowed host."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise RefusedTarget(f"refused {url}: only http(s) URLs are harvested")
    if policy.allow_private_targets:
        return
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve {parsed.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if _is_internal(address):
            raise RefusedTarget(
                f"refused {url}: {parsed.hostname} resolves to the non-public address {address} "
                "(set allow_private_targets in the source file to allow it)"
            )


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    params: dict | None = None,
    headers: dict | None = None,
    session: requests.Session | None = None,
) -> Fetched:
    """GET ``url`` under ``policy``; raise :class:`FetchError` with a readable reason."""
    session = session or requests.Session()
    attempt = 0
    while True:
        try:
            return _fetch_once(url, policy, params, headers, session)
        except _Retryable as error:
            if attempt >= policy.retries:
                raise FetchError(str(error)) from error
            time.sleep(policy.backoff * (2**attempt))
            attempt += 1


class _Retryable(Exception):
    pass


def _fetch_once(url, policy, params, headers, session) -> Fetched:
    deadline = time.monotonic() + policy.timeout * 2
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    for _hop in range(MAX_REDIRECTS + 1):
        check_target(url, policy)
        try:
            response = session.get(
                url,
                params=params,
                headers=request_headers,
                timeout=(min(policy.timeout, 10.0), policy.timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.Timeout as error:
            raise _Retryable(f"{url} did not answer within {policy.timeout:g} s") from error
        except requests.ConnectionError as error:
            raise _Retryable(f"cannot connect to {url}: {_short(error)}") from error
        with response:
            if response.is_redirect and response.headers.get("location"):
                url = urljoin(response.url, response.headers["location"])
                params = None
                continue
            if response.status_code in RETRY_STATUSES:
                raise _Retryable(f"{url} answered HTTP {response.status_code}")
            if response.status_code >= 400:
                raise FetchError(f"{url} answered HTTP {response.status_code}")
            content = _read_capped(response, policy, deadline)
            return Fetched(
                url=response.url,
                status=response.status_code,
                content=content,
                content_type=response.headers.get("content-type", "").split(";")[0].strip(),
            )
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _read_capped(response: requests.Response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise TooLarge(
            f"{response.url} announces {int(declared)} bytes, more than the cap of "
            f"{policy.max_bytes} bytes"
        )
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > policy.max_bytes:
                raise TooLarge(f"{response.url} sent more than the cap of {policy.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise _Retryable(f"{response.url} sent its answer too slowly")
            chunks.append(chunk)
    except (requests.ConnectionError, requests.Timeout) as error:
        raise _Retryable(f"{response.url}: answer interrupted: {_short(error)}") from error
    return b"".join(chunks)


def _short(error: Exception) -> str:
    return str(error).split(":")[-1].strip()[:200] or type(error).__name__
