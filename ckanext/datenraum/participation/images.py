"""Use-case images, kept in CKAN's storage and served by our own view.

Pages never load an image from another server (no third-party request), so an image is uploaded,
not linked. Only PNG, JPEG and WebP are accepted, recognised by their first bytes (not by the
name or the browser's claim); SVG is refused because it can carry scripts.
"""

from __future__ import annotations

import os
import pathlib
import uuid

import ckan.plugins.toolkit as tk

from ckanext.datenraum.participation import config
from ckanext.datenraum.participation.plaintext import N_

SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
MIMETYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


class ImageError(ValueError):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message, self.params = message, params


def folder() -> pathlib.Path:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise ImageError(N_("Image uploads are not configured on this site"))
    return pathlib.Path(root) / "datenraum_participation" / "usecases"


def image_type(head: bytes) -> str | None:
    for signature, extension, _mimetype in SIGNATURES:
        if head.startswith(signature):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def store(upload) -> str:
    """Save an uploaded file (werkzeug FileStorage or bytes); returns its stored name."""
    data = upload if isinstance(upload, bytes) else upload.stream.read(config.image_max_bytes() + 1)
    if len(data) > config.image_max_bytes():
        raise ImageError(
            N_("The image is larger than {maximum} KiB"), maximum=config.image_max_bytes() // 1024
        )
    extension = image_type(data[:16])
    if extension is None:
        raise ImageError(N_("The image must be a PNG, JPEG or WebP file"))
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{extension}"
    temporary = target / f".{name}.part"
    temporary.write_bytes(data)
    os.replace(temporary, target / name)
    return name


def path(name: str) -> pathlib.Path | None:
    """The file of a stored name; None for anything that is not one of ours."""
    stem, _, extension = (name or "").partition(".")
    if (
        extension not in MIMETYPES
        or len(stem) != 32
        or not all(c in "0123456789abcdef" for c in stem)
    ):
        return None
    candidate = folder() / name
    return candidate if candidate.is_file() else None


def remove(name: str) -> None:
    file = path(name) if name else None
    if file is not None:
        file.unlink(missing_ok=True)
