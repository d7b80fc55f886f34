"""Fetch a vocabulary or catalogue file from a URL: size cap, timeout, no private targets.

The request goes through the harvesters' safe fetcher (address checked and pinned, every
redirect hop checked, size cap, timeouts), so a vocabulary update is exactly as careful as a
harvest.
"""

from __future__ import annotations

import contextlib
import pathlib
import tempfile
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.datenraum.common.http import FetchError, FetchPolicy, fetch


class DownloadError(Exception):
    """The source could not be fetched safely."""


def _policy() -> FetchPolicy:
    return FetchPolicy(
        allow_private_targets=tk.asbool(
            tk.config.get("ckanext.datenraum.dcatapde.download.allow_private")
        ),
        timeout=tk.config.get("ckanext.datenraum.dcatapde.download.timeout"),
        max_bytes=tk.config.get("ckanext.datenraum.dcatapde.download.max_bytes"),
        retries=1,
    )


@contextlib.contextmanager
def local_copy(source: str):
    """Yield a local path for ``source`` (a file path, or an http(s) URL fetched to a temp file)."""
    if not source.startswith(("http://", "https://")):
        path = pathlib.Path(source)
        if not path.is_file():
            raise DownloadError(f"no such file: {source}")
        yield path
        return
    try:
        fetched = fetch(source, _policy())
    except FetchError as error:
        raise DownloadError(f"cannot fetch {source}: {error}") from None
    suffix = pathlib.PurePosixPath(urlsplit(source).path).suffix or ".rdf"
    with tempfile.TemporaryDirectory() as directory:
        target = pathlib.Path(directory) / f"download{suffix}"
        target.write_bytes(fetched.content)
        yield target
