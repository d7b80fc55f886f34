"""ckanext-xloader's API token, kept in a file instead of the ini.

xloader refuses to queue a job without ``ckanext.xloader.api_token`` (a token of a sysadmin,
which needs the database to exist before it can be made). ``ckan datenraum demo`` (or an
operator) writes a token of the site user into the file named by
``ckanext.datenraum.preview.xloader_token_file``; at start-up this plugin puts the file's token
into the config unless the ini sets one. The file is created with mode 600.
"""

from __future__ import annotations

import logging
import os
import pathlib

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

TOKEN_KEY = "ckanext.xloader.api_token"  # noqa: S105 (a config key, not a secret)
FILE_KEY = "ckanext.datenraum.preview.xloader_token_file"
UNSET = "NOT_SET"


def token_file(config=None) -> pathlib.Path | None:
    path = (config or tk.config).get(FILE_KEY)
    return pathlib.Path(path) if path else None


def use_token_file(config) -> None:
    """Puts the file's token into the config where the ini leaves xloader's token unset."""
    path = token_file(config)
    if config.get(TOKEN_KEY, UNSET) not in (None, "", UNSET) or not path or not path.is_file():
        return
    token = path.read_text(encoding="utf-8").strip()
    if token:
        config[TOKEN_KEY] = token


def ensure_token(path: pathlib.Path) -> bool:
    """Writes a new API token of the site user into ``path`` unless one works already; also puts
    it into this process's config. True when a token was created."""
    if path.is_file() and _valid(path.read_text(encoding="utf-8").strip()):
        tk.config[TOKEN_KEY] = path.read_text(encoding="utf-8").strip()
        return False
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    token = tk.get_action("api_token_create")(
        {"user": site_user["name"], "ignore_auth": True},
        {"user": site_user["name"], "name": "xloader"},
    )["token"]
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    tk.config[TOKEN_KEY] = token
    return True


def _valid(token: str) -> bool:
    if not token:
        return False
    from ckan.lib.api_token import get_user_from_token

    return get_user_from_token(token) is not None
