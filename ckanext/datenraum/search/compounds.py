"""German compound splitting: "Bushaltestellen" -> "bus halte stellen".

A German compound is a modifier followed by a head that names what the thing is
("Haltestelle" is a kind of "Stelle", "Bushaltestelle" a kind of "Haltestelle"). We split a word
where its longest ending is a word of the lexicon (the hand-made ``lexicon/compounds_de.txt``
plus the nouns of the ding dictionary) and what is left before it is a word too (maybe with a
linking element: "Verkehr-s-unfall"), then split both parts the same way. Short parts must be
in the hand-made list; a word the dictionary knows as a whole splits only at a municipal or a
long head (see ``_split_point``).

The split is written into the Solr field ``text_parts`` as words in sequence, so that a query
compound split the same way becomes a *phrase* there: "Wahlergebnisse" finds "Bundestagswahl
Ergebnisse" (parts "wahl ergebnisse" next to each other), while "Haltestellen" no longer finds
"Baustellen" (they share only the head "stellen", and "halte stellen" is no phrase of it). See
docs/decisions/0410-compound-parts-as-phrases.md.
"""

from __future__ import annotations

import functools
import pathlib
import re

LEXICON_DIR = pathlib.Path(__file__).with_name("lexicon")
LEXICON_FILE = LEXICON_DIR / "compounds_de.txt"
# German nouns of the ding dictionary, written at setup time by synonym_files.py (git-ignored):
# without it only the hand-made list above is known, and fewer compounds split.
NOUNS_FILE = LEXICON_DIR / "nouns_de.generated.txt"
# Lexicalised compounds whose head means something else on its own ("Wahlkreis" is no Kreis of
# the administration): never split (decision 0419).
WHOLE_FILE = LEXICON_DIR / "compounds_whole_de.txt"

# Endings an inflected head may carry beyond its lexicon form ("haltestelle" + "n").
_HEAD_ENDINGS = ("", "e", "n", "en", "s", "es", "er", "ern", "se", "sen", "nen")
# Linking elements between modifier and head ("Verkehr-s-unfall", "Straße-n-bahn").
_LINKS = ("", "s", "es", "n", "en", "e", "er", "ens", "nen")
# Parts shorter than this must be in the hand-made municipal list ("Bus", "Bau", "Rad"): the
# dictionary's short nouns ("Gen", "Tal", "Aus") would split words at random places.
_MIN_DICTIONARY_PART = 4
_MIN_LONG_HEAD = 6
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def fold(word: str) -> str:
    """Lower case with umlauts and ß lower, as Solr's German normalisation does."""
    return word.lower().translate(_FOLD)


def read_words(path: pathlib.Path) -> frozenset[str]:
    """The lower-cased words of a word list (one per line, ``#`` comments), each with ß also
    written ss. Umlauts stay: lower, "Schülerzahlen" would end in "erzahlen" (erzählen)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {line.strip().lower() for line in lines if line.strip() and line[0] != "#"}
    return frozenset(words | {word.replace("ß", "ss") for word in words})


@functools.cache
def lexicon() -> frozenset[str]:
    """The hand-made municipal word parts plus, where generated, the dictionary's nouns."""
    words = read_words(LEXICON_FILE)
    return words | read_words(NOUNS_FILE) if NOUNS_FILE.is_file() else words


def is_word(word: str, words: frozenset[str]) -> bool:
    """A lexicon word, maybe inflected ("haltestellen" = "haltestelle" + "n")."""
    return any(
        word.endswith(ending) and word[: len(word) - len(ending)] in words
        for ending in _HEAD_ENDINGS
        if len(word) - len(ending) >= 3
    )


def _long(head: str, words: frozenset[str]) -> bool:
    """A head whose shortest lexicon form has at least ``_MIN_LONG_HEAD`` letters ("rinnen"
    is "Rinne", short; "einrichtungen" is "Einrichtung", long)."""
    bases = [
        len(head) - len(ending)
        for ending in _HEAD_ENDINGS
        if head.endswith(ending) and head[: len(head) - len(ending)] in words
    ]
    return bool(bases) and min(bases) >= _MIN_LONG_HEAD


def _known(part: str, words: frozenset[str]) -> bool:
    return len(part) >= _MIN_DICTIONARY_PART or part in _curated()


@functools.cache
def _curated() -> frozenset[str]:
    return read_words(LEXICON_FILE)


@functools.cache
def _kept_whole() -> frozenset[str]:
    return read_words(WHOLE_FILE)


def _is_modifier(lower: str, words: frozenset[str]) -> bool:
    """A word before a linking element ("verkehrs"), or cut short by one ("schul" of "Schule")."""
    for link in _LINKS:
        stem = lower[: len(lower) - len(link)] if link else lower
        known = lower.endswith(link) and len(stem) >= 3 and _known(stem, words)
        if known and (stem in words or stem + "e" in words):
            return True
    return False


def _split_point(lower: str, words: frozenset[str]) -> int | None:
    """Where the longest head starts whose modifier is a word or splits into words itself.

    A word the dictionary lists as a whole splits only at a head of the hand-made municipal
    list ("Wahlergebnisse" = "wahl" + "ergebnisse") or at a long one ("Feinstaubbelastung"),
    not at any short noun that happens to end it ("Bürgerinnen" is no "Rinnen", "Sparkasse"
    no "Asse")."""
    whole_word = is_word(lower, words)
    for start in range(3, len(lower) - 2):
        head, modifier = lower[start:], lower[:start]
        if not (_known(head, words) and is_word(head, words)):
            continue
        if whole_word and not (is_word(head, _curated()) or _long(head, words)):
            continue
        if _is_modifier(modifier, words) or _split_point(modifier, words) is not None:
            return start
    return None


def split(word: str, words: frozenset[str] | None = None) -> list[str]:
    """The parts of a word, modifier first, lower; ``[word]`` (lower) when it does not split."""
    words = lexicon() if words is None else words
    lower = word.lower()
    start = None if is_word(lower, _kept_whole()) else _split_point(lower, words)
    if start is None:
        return [fold(lower)]
    return [*split(lower[:start], words), *split(lower[start:], words)]


def parts_text(text: str, words: frozenset[str] | None = None) -> str:
    """A text with every compound replaced by its parts, for the ``text_parts`` field."""
    return " ".join(" ".join(split(word, words)) for word in _WORD.findall(text or ""))
