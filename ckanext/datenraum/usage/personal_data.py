"""Does a search term look like personal data? Then it is never stored or shown.

Heuristics on the safe side: e-mail addresses, phone numbers, street addresses with a house
number, and terms containing a frequent given name unless the name is on the allowlist (streets,
institutions and public figures such as "Carl Zeiss").
"""

from __future__ import annotations

import functools
import pathlib
import re

HIDDEN_TERM = "<hidden>"
MAX_TERM_LENGTH = 100

GIVEN_NAMES_FILE = pathlib.Path(__file__).with_name("data") / "given-names.txt"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_CANDIDATE = re.compile(r"(?:\+|\b)\d[\d\s/().-]{4,}\d")
_PHONE_MIN_DIGITS = 6
_STREET_ADDRESS = re.compile(
    r"\w*(?:stra(?:ß|ss)e|str\.|weg|gasse|gäßchen|platz|allee|ring|damm|ufer|markt|steig|stieg|"
    r"chaussee|graben|anger|berg|hof|tor|pfad|zeile|kai|höhe|garten|siedlung)"
    r"\s*\d{1,4}\s?[a-z]?\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def given_names() -> frozenset[str]:
    lines = GIVEN_NAMES_FILE.read_text(encoding="utf-8").split()
    return frozenset(name.strip().lower() for name in lines if name.strip())


def normalise_term(term: str, *, keep_case: bool = False) -> str:
    """Single spaces, at most ``MAX_TERM_LENGTH`` characters, lower case unless ``keep_case``."""
    single_spaced = " ".join(term.split())
    return (single_spaced if keep_case else single_spaced.lower())[:MAX_TERM_LENGTH]


def _looks_like_phone_number(term: str) -> bool:
    return any(
        sum(char.isdigit() for char in match.group()) >= _PHONE_MIN_DIGITS
        for match in _PHONE_CANDIDATE.finditer(term)
    )


def _contains_unlisted_name(term: str, allowlist: frozenset[str]) -> bool:
    words_only = " ".join(_WORD.findall(term.lower()))
    for allowed in sorted(allowlist, key=len, reverse=True):
        words_only = words_only.replace(" ".join(_WORD.findall(allowed)), " ")
    return any(word in given_names() for word in words_only.split())


def looks_personal(term: str, allowlist: frozenset[str] = frozenset()) -> bool:
    return bool(
        _EMAIL.search(term)
        or _looks_like_phone_number(term)
        or _STREET_ADDRESS.search(term)
        or _contains_unlisted_name(term, allowlist)
    )


def safe_term(
    term: str, allowlist: frozenset[str] = frozenset(), *, keep_case: bool = False
) -> str:
    """The normalised term, or ``HIDDEN_TERM`` when it looks like personal data."""
    normalised = normalise_term(term, keep_case=keep_case)
    return HIDDEN_TERM if looks_personal(normalised, allowlist) else normalised
