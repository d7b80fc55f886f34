"""Safe HTTP fetches from partner servers.

Every request: http(s) only; host resolved and refused when any address is private, loopback,
link-local, multicast, reserved or unspecified (unless the source file allows it); the connection
then goes to the address that was checked, never to a second DNS answer (DNS rebinding), while
the Host header, TLS SNI and certificate check keep the host name; redirects followed by hand so
each hop is checked and pinned the same way; connect/read timeouts plus an overall deadline (a
server that drips bytes cannot hang a job); the body streamed with a size cap; connection
errors, timeouts and 5xx answers retried with exponential backoff.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import ipaddress
import socket
import time
from collections.abc import Iterator
from urllib.parse import urljoin, urlparse

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.certs import where as default_ca_bundle
from requests.cookies import extract_cookies_to_jar
from requests.utils import select_proxy
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool

USER_AGENT = "ckanext-datenraum-harvester/0.1 (+https://github.com/)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAX_REDIRECTS = 5

# What a failed fetch says (English; the harvest health page translates these templates).
ANSWERED_STATUS = "{url} answered HTTP {status}"
NO_ANSWER = "{url} did not answer within {seconds} s"
CANNOT_CONNECT = "cannot connect to {url}: {why}"
TOO_SLOW = "{url} sent its answer too slowly"
INTERRUPTED = "{url}: answer interrupted: {why}"
UNDECODABLE = "{url}: answer cannot be decoded: {why}"
ANNOUNCED_TOO_LARGE = "{url} announces {size} bytes, more than the cap of {cap} bytes"
SENT_TOO_LARGE = "{url} sent more than the cap of {cap} bytes"
REFUSED_PRIVATE = (
    "refused {url}: {host} resolves to the non-public address {address} "
    "(set allow_private_targets in the source file to allow it)"
)
REFUSED_SCHEME = "refused {url}: only http(s) URLs are harvested"
REFUSED_INVALID = "refused {url}: not a valid URL"
CANNOT_RESOLVE = "cannot resolve {host}: {why}"
TOO_MANY_REDIRECTS = "{url}: more than {count} redirects"
MESSAGES = (
    REFUSED_PRIVATE,
    REFUSED_SCHEME,
    REFUSED_INVALID,
    ANNOUNCED_TOO_LARGE,
    SENT_TOO_LARGE,
    NO_ANSWER,
    TOO_SLOW,
    UNDECODABLE,
    INTERRUPTED,
    TOO_MANY_REDIRECTS,
    CANNOT_CONNECT,
    CANNOT_RESOLVE,
    ANSWERED_STATUS,
)


class FetchError(Exception):
    """A partner document could not be fetched; the message says why (for job reports)."""


class RefusedTarget(FetchError):
    """The URL points into a network the harvester must not reach."""


class TooLarge(FetchError):
    """The answer is bigger than the configured cap."""


# What any policy may allow at most (and at least): a partner never holds a job for hours.
BOUNDS = {
    "timeout": (1, 120),
    "max_bytes": (1, 500 * 1024 * 1024),
    "retries": (0, 5),
    "backoff": (0, 60),
}


@dataclasses.dataclass(frozen=True)
class FetchPolicy:
    allow_private_targets: bool = False
    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0

    @classmethod
    def from_source_config(cls, config: dict, **overrides) -> FetchPolicy:
        """The policy of a source's config, each value held within ``BOUNDS`` whatever the
        config says (a config written before the bounds existed, or by hand in the database)."""
        http = dict(config.get("http") or {}) if isinstance(config.get("http"), dict) else {}
        http.update(overrides)
        values = {}
        for key, (low, high) in BOUNDS.items():
            value = http.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                values[key] = type(getattr(cls, key))(min(max(value, low), high))
        return cls(allow_private_targets=config.get("allow_private_targets") is True, **values)


@dataclasses.dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str

    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def check_target(url: str, policy: FetchPolicy) -> list[str] | None:
    """Raise :class:`RefusedTarget` unless ``url`` is http(s) to an allowed host.

    Returns the checked addresses the request may connect to (in resolver order), or None when
    the source allows private targets (nothing is checked, so nothing needs pinning)."""
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError:  # "http://host:99999/", "http://[::1/"
        raise RefusedTarget(REFUSED_INVALID.format(url=url)) from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise RefusedTarget(REFUSED_SCHEME.format(url=url))
    if policy.allow_private_targets:
        return None
    default_port = 443 if parsed.scheme == "https" else 80
    try:
        infos = socket.getaddrinfo(parsed.hostname, port or default_port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(CANNOT_RESOLVE.format(host=parsed.hostname, why=error)) from error
    addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    for text in addresses:
        address = ipaddress.ip_address(text)
        if _is_internal(address):
            raise RefusedTarget(
                REFUSED_PRIVATE.format(url=url, host=parsed.hostname, address=address)
            )
    if not addresses:
        raise FetchError(CANNOT_RESOLVE.format(host=parsed.hostname, why="no address"))
    return addresses


class PinnedAdapter(HTTPAdapter):
    """Sends a request to one checked IP address while talking to the URL's host name.

    Nothing resolves the host name again, so a DNS answer that changes between the check and the
    connection (DNS rebinding) cannot point the request at an internal server. The Host header,
    TLS SNI and the certificate check still use the host name.
    """

    def __init__(self, address: str):
        super().__init__(max_retries=0)
        self.address = address
        self._pool = None

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        host, scheme = host_params["host"], host_params["scheme"]
        if self._pool is None:
            if scheme == "https":
                if verify is True:
                    pool_kwargs["ca_certs"] = default_ca_bundle()
                self._pool = HTTPSConnectionPool(
                    self.address,
                    host_params["port"] or 443,
                    server_hostname=host,
                    assert_hostname=host,
                    **pool_kwargs,
                )
            else:
                self._pool = HTTPConnectionPool(self.address, host_params["port"] or 80)
        return self._pool

    def add_headers(self, request, **kwargs):
        request.headers["Host"] = urlparse(request.url).netloc.rsplit("@", 1)[-1]

    def close(self):
        super().close()
        if self._pool is not None:
            self._pool.close()


@contextlib.contextmanager
def checked_request(
    session: requests.Session,
    method: str,
    url: str,
    policy: FetchPolicy,
    *,
    timeout,
    params: dict | None = None,
    headers: dict | None = None,
    stream: bool = True,
) -> Iterator[requests.Response]:
    """One request to ``url`` (redirects are not followed) after :func:`check_target`,
    connected to a checked address: each in turn while connecting fails (as a resolver-driven
    connection would try them). Behind a configured proxy the proxy connects (and resolves)
    instead; its own egress rules apply. Cookies the answer sets go into the session's jar, so
    a redirect that sets a cookie is followed like a browser would."""
    addresses = check_target(url, policy)
    request = session.prepare_request(requests.Request(method, url, params=params, headers=headers))
    settings = session.merge_environment_settings(request.url, {}, stream, None, None)
    pinned = addresses is not None and not select_proxy(request.url, settings["proxies"])
    if pinned:
        adapter, response = _send_pinned(request, addresses, timeout, settings)
    else:
        response = session.get_adapter(request.url).send(request, timeout=timeout, **settings)
    extract_cookies_to_jar(session.cookies, request, response.raw)
    try:
        yield response
    finally:
        response.close()
        if pinned:
            adapter.close()


def _send_pinned(request, addresses: list[str], timeout, settings):
    """The adapter and answer of the first checked address that accepts the connection."""
    for position, address in enumerate(addresses):
        adapter = PinnedAdapter(address)
        try:
            return adapter, adapter.send(request, timeout=timeout, **settings)
        except requests.ConnectionError:
            adapter.close()
            if position == len(addresses) - 1:
                raise
    raise AssertionError("check_target returns at least one address")


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True unless the address is public: also carrier-grade NAT (100.64.0.0/10, where some
    clouds put their metadata service), documentation ranges and IPv4 tunnelled in IPv6."""
    if isinstance(address, ipaddress.IPv6Address):
        tunnelled = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        if any(inner is not None and _is_internal(inner) for inner in tunnelled):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or getattr(address, "is_site_local", False)  # deprecated fec0::/10
    )


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    params: dict | None = None,
    headers: dict | None = None,
    session: requests.Session | None = None,
    accept_statuses: frozenset = frozenset(),
) -> Fetched:
    """GET ``url`` under ``policy``; raise :class:`FetchError` with a readable reason.

    ``accept_statuses`` are error statuses whose body the caller reads (a protocol's error
    document), returned like a success."""
    session = session or requests.Session()
    attempt = 0
    while True:
        try:
            return _fetch_once(url, policy, params, headers, session, accept_statuses)
        except _Retryable as error:
            if attempt >= policy.retries:
                raise FetchError(str(error)) from error
            time.sleep(policy.backoff * (2**attempt))
            attempt += 1


class _Retryable(Exception):
    pass


def _fetch_once(url, policy, params, headers, session, accept_statuses=frozenset()) -> Fetched:
    deadline = time.monotonic() + policy.timeout * 2
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            with checked_request(
                session,
                "GET",
                url,
                policy,
                params=params,
                headers=request_headers,
                timeout=(min(policy.timeout, 10.0), policy.timeout),
            ) as response:
                if response.is_redirect and response.headers.get("location"):
                    url = urljoin(response.url, response.headers["location"])
                    params = None
                    continue
                accepted = response.status_code in accept_statuses
                if response.status_code in RETRY_STATUSES and not accepted:
                    raise _Retryable(ANSWERED_STATUS.format(url=url, status=response.status_code))
                if response.status_code >= 400 and not accepted:
                    raise FetchError(ANSWERED_STATUS.format(url=url, status=response.status_code))
                content = _read_capped(response, policy, deadline)
                return Fetched(
                    url=response.url,
                    status=response.status_code,
                    content=content,
                    content_type=response.headers.get("content-type", "").split(";")[0].strip(),
                )
        except requests.Timeout as error:
            raise _Retryable(NO_ANSWER.format(url=url, seconds=f"{policy.timeout:g}")) from error
        except requests.ConnectionError as error:
            raise _Retryable(CANNOT_CONNECT.format(url=url, why=_short(error))) from error
    raise FetchError(TOO_MANY_REDIRECTS.format(url=url, count=MAX_REDIRECTS))


def _read_capped(response: requests.Response, policy: FetchPolicy, deadline: float) -> bytes:
    """The body, at most ``policy.max_bytes`` (decoded), before ``deadline``.

    Read with ``read1`` (whatever has arrived, never "wait for 64 KiB"), and every wait on the
    socket limited to the time left: a partner that announces a Content-Length and sends one
    byte a second is cut at the deadline, not after the 64 KiB a full read would wait for."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise TooLarge(
            ANNOUNCED_TOO_LARGE.format(url=response.url, size=int(declared), cap=policy.max_bytes)
        )
    raw = response.raw
    chunks, size = [], 0
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Retryable(TOO_SLOW.format(url=response.url))
            _limit_wait(raw, min(left, policy.timeout))
            chunk = raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > policy.max_bytes:
                raise TooLarge(SENT_TOO_LARGE.format(url=response.url, cap=policy.max_bytes))
            chunks.append(chunk)
    except urllib3.exceptions.DecodeError as error:
        raise FetchError(UNDECODABLE.format(url=response.url, why=_short(error))) from error
    except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as error:
        if time.monotonic() >= deadline:
            raise _Retryable(TOO_SLOW.format(url=response.url)) from error
        raise _Retryable(INTERRUPTED.format(url=response.url, why=_short(error))) from error
    return b"".join(chunks)


def _limit_wait(raw, seconds: float) -> None:
    """Let the next receive on the response's socket wait at most ``seconds``."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


def _short(error: Exception) -> str:
    return str(error).split(":")[-1].strip()[:200] or type(error).__name__
