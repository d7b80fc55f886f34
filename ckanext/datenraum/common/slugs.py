"""URL names (CKAN ``name``) from titles, the way a German reader would spell them in ASCII.

python-slugify (with text-unidecode) transliterates every script; German umlauts and ß are
replaced first, so "Straßenbäume" becomes ``strassenbaeume`` and not ``strabenbaume``. The
result fits CKAN's name rules: 2–100 characters of ``a-z``, ``0-9``, ``-`` and ``_``.
"""

from __future__ import annotations

from slugify import slugify

GERMAN_REPLACEMENTS = (
    ("ß", "ss"),
    ("ẞ", "SS"),
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("Ä", "Ae"),
    ("Ö", "Oe"),
    ("Ü", "Ue"),
)
MAX_NAME_LENGTH = 100


def name_from_title(title: str, max_length: int = MAX_NAME_LENGTH, fallback: str = "") -> str:
    """A CKAN name for ``title``; ``fallback`` when nothing of it can be spelled in ASCII.

    Words are cut at a hyphen where the title is too long, never inside a word.
    """
    slug = slugify(
        title or "",
        max_length=max_length,
        word_boundary=True,
        replacements=[list(pair) for pair in GERMAN_REPLACEMENTS],
        regex_pattern=r"[^a-z0-9_]+",
    )
    return slug if len(slug) >= 2 else fallback
