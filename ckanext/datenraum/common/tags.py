"""Keywords as CKAN tags: 2–100 characters of letters, digits, space, "-", "_" and ".".

A keyword that is a list ("Umwelt; Wasser, Boden") or longer than a tag is split, never
dropped; what cannot be spelled as a tag is replaced by spaces.
"""

from __future__ import annotations

import re

MAX_TAG_LENGTH = 100
_NOT_IN_TAG = re.compile(r"[^\w\s\-.]", re.UNICODE)
LIST_SEPARATORS = re.compile(r"\s*[;,|]\s*")


def clean_tag(text: str) -> str | None:
    tag = " ".join(_NOT_IN_TAG.sub(" ", text).split()).strip(" .-")
    return tag if len(tag) >= 2 else None


def _pieces(keyword: str, split_lists: bool) -> list[str]:
    parts = LIST_SEPARATORS.split(keyword) if split_lists else [keyword]
    result = []
    for part in parts:
        while len(part) > MAX_TAG_LENGTH:  # cut at the last space before the limit
            cut = part.rfind(" ", 0, MAX_TAG_LENGTH + 1)
            cut = cut if cut > 0 else MAX_TAG_LENGTH
            result.append(part[:cut])
            part = part[cut:].strip()
        result.append(part)
    return result


def clean_tags(keywords, *, split_lists: bool = True) -> list[str]:
    """Distinct tags (case-insensitively) in the order given; ``split_lists`` splits keywords
    at ";", "," and "|" (a subject list in one element), over-long pieces are cut at a space."""
    tags, seen = [], set()
    for keyword in keywords:
        if not isinstance(keyword, str):
            continue
        for piece in _pieces(keyword, split_lists):
            tag = clean_tag(piece)
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
    return tags
