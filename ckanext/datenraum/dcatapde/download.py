"""Fetch a vocabulary or catalogue file from a URL: size cap, timeout, no private targets."""

from __future__ import annotations

import contextlib
import ipaddress
import pathlib
import socket
import tempfile
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import requests


class DownloadError(Exception):
    """The source could not be fetched safely."""


def _refuse_private_target(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if tk.asbool(tk.config.get("ckanext.datenraum.dcatapde.download.allow_private")):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise DownloadError(f"cannot resolve {host!r}: {error}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise DownloadError(f"refusing to fetch from private address {address} ({host})")


@contextlib.contextmanager
def local_copy(source: str):
    """Yield a local path for ``source`` (a file path, or an http(s) URL fetched to a temp file)."""
    if not source.startswith(("http://", "https://")):
        path = pathlib.Path(source)
        if not path.is_file():
            raise DownloadError(f"no such file: {source}")
        yield path
        return
    _refuse_private_target(source)
    limit = tk.config.get("ckanext.datenraum.dcatapde.download.max_bytes")
    timeout = tk.config.get("ckanext.datenraum.dcatapde.download.timeout")
    suffix = pathlib.PurePosixPath(urlsplit(source).path).suffix or ".rdf"
    with tempfile.TemporaryDirectory() as directory:
        target = pathlib.Path(directory) / f"download{suffix}"
        try:
            with requests.get(
                source, stream=True, timeout=timeout, allow_redirects=False
            ) as response:
                response.raise_for_status()
                size = 0
                with target.open("wb") as output:
                    for chunk in response.iter_content(65536):
                        size += len(chunk)
                        if size > limit:
                            raise DownloadError(f"{source} is larger than {limit} bytes")
                        output.write(chunk)
        except requests.RequestException as error:
            raise DownloadError(f"cannot fetch {source}: {error}") from None
        yield target
