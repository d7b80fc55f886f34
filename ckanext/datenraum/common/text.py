"""Characters that must never reach a stored text, an RDF serialisation or a feed.

XML 1.0 (and with it RDF/XML, Atom and every XML feed) cannot carry C0 control characters other
than tab, line feed and carriage return, nor U+FFFE/U+FFFF; a lone surrogate cannot be encoded
in UTF-8 at all. One such character makes a whole page unparseable for a harvester, so input
with them is refused (``find_forbidden``) and harvested text is cleaned (``clean``).
DEL and the C1 controls (U+007F–U+009F) are legal XML but never meant as text; they go too.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def find_forbidden(text: str) -> str | None:
    """The first forbidden character of ``text`` as ``U+XXXX``, or None when there is none."""
    match = FORBIDDEN.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def clean(text: str) -> str:
    """``text`` without forbidden characters (each is removed, nothing is put in its place)."""
    return FORBIDDEN.sub("", text)
