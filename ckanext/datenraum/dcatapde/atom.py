"""CKAN's Atom feeds (``/feeds/*.atom``) without the characters XML cannot carry.

CKAN strips control characters from the description only; a title, author or keyword with one
makes lxml refuse the whole feed (a 500). ``CleanFeed`` cleans every text of every entry with
``common.text.clean``, as the RDF writers do.
"""

from __future__ import annotations

from typing import Any

from ckan.views.feed import CKANFeed

from ckanext.datenraum.common.text import clean


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


class CleanFeed(CKANFeed):
    def __init__(self, feed_title: str, feed_link: str, feed_description: str, *args, **kwargs):
        super().__init__(
            clean(feed_title or ""),
            feed_link,
            clean(feed_description or ""),
            *args,
            **{key: _cleaned(value) for key, value in kwargs.items()},
        )

    def add_item(self, **kwargs: Any) -> None:
        # The enclosure is a str subclass carrying url and length: keep it as it is.
        super().add_item(
            **{
                key: value if key == "enclosure" else _cleaned(value)
                for key, value in kwargs.items()
            }
        )
