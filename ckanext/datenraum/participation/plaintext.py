"""Plain text in, plain text out: what citizens write is checked, stored as given and escaped.

Markup is refused rather than stripped (a stripped text is not what the author sent); a lone
``<`` as in "Werte < 5" is fine. On output, web addresses become links that search engines do
not follow (``rel="nofollow ugc"``) and that do not tell the target where the reader came from.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ckanext.datenraum.common.text import find_forbidden

# A tag, comment, doctype or processing instruction: "<" directly followed by a letter, "/", "!"
# or "?" and closed by ">".
MARKUP = re.compile(r"<\s*[a-zA-Z/!?][^<>]*>")
URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address.
URL_TRAILING = ".,;:!?)]}»“"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    return message


class TextError(ValueError):
    """What is wrong with a text: an untranslated message id and its parameters."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message, self.params = message, params


def check(value: object, *, max_length: int, multiline: bool, required: bool = True) -> str:
    """The text normalised (stripped, ``\\n`` line ends); TextError says why it is refused."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextError(N_("Must be text"))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise TextError(N_("Missing value"))
        return ""
    forbidden = find_forbidden(text)
    if forbidden:
        raise TextError(N_("Contains a control character ({character})"), character=forbidden)
    if len(text) > max_length:
        raise TextError(N_("Longer than {maximum} characters"), maximum=max_length)
    if not multiline and "\n" in text:
        raise TextError(N_("Must be a single line"))
    if MARKUP.search(text):
        raise TextError(N_("HTML is not allowed: please write plain text"))
    return text


def _link(match: re.Match) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in URL_TRAILING:
        trailing = url[-1] + trailing
        url = url[:-1]
    return (
        f'<a href="{url}" rel="nofollow ugc noopener noreferrer">{url}</a>{trailing}'
        if url
        else trailing
    )


def render(text: str) -> Markup:
    """HTML of a plain text: escaped, addresses as unfollowed links, line breaks kept."""
    escaped = str(escape(text or ""))
    linked = URL.sub(_link, escaped)
    return Markup(linked.replace("\n", "<br>\n"))  # noqa: S704 (escaped above)
