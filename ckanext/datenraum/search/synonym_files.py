"""Builds the generated Solr synonym files from Debian's dictionaries (run by scripts/solr.sh).

    python -m ckanext.datenraum.search.synonym_files CONF_LANG_DIR

- ``synonyms_openthesaurus.txt`` from OpenThesaurus (Debian ``openthesaurus-de-text``, LGPL-2.1+):
  only the synonym sets of nouns that contain a municipal word (our compound lexicon and the
  hand-curated list ``synonyms_de.txt``), single words only, without words that OpenThesaurus
  puts in more than one set (a word with two meanings would join two unrelated sets), without
  vulgar, pejorative or historical words, at most ``MAX_SET`` words per set (big sets are vague).
- ``synonyms_en_de.txt`` from the ding dictionary (Debian ``trans-de-en``, GPL-2+): an English
  word maps to itself and to its German translations where those are municipal words and the
  English word is no German word itself ("kind", "rat", "see" stay German).

Missing dictionaries give empty files and a warning, so Solr still starts. See
docs/decisions/0411-synonyms-from-openthesaurus-and-ding.md.
"""

from __future__ import annotations

import collections
import pathlib
import re
import sys

from ckanext.datenraum.search import compounds

OPENTHESAURUS = pathlib.Path("/usr/share/openthesaurus-de/openthesaurus.txt")
DING = pathlib.Path("/usr/share/trans/de-en")
HAND_LIST = "synonyms_de.txt"
MAX_SET = 8
MAX_TRANSLATIONS = 4
_EXCLUDED_MARKS = ("vulg", "derb", "abwertend", "veraltet", "historisch", "scherzhaft", "ironisch")
_MARK = re.compile(r"\(([^)]*)\)")
_NOUN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,}$")
_ENGLISH = re.compile(r"^[a-z]{3,}$")
_DING_GERMAN_WORD = re.compile(r"^([A-ZÄÖÜa-zäöüß]+) \{(?:m|f|n|pl)\}")


def _words(path: pathlib.Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def hand_list_words(path: pathlib.Path) -> set[str]:
    words = set()
    for line in _words(path):
        words.update(term.strip() for term in re.split(r",|=>", line) if term.strip())
    return words


def municipal_words(hand_list: pathlib.Path) -> frozenset[str]:
    """Folded words that tell a synonym set is about municipal data."""
    words = compounds.read_words(compounds.LEXICON_FILE)
    return frozenset(words | {w.lower() for w in hand_list_words(hand_list)})


def ding_nouns(lines: list[str]) -> list[str]:
    """The German nouns (singular and plural) ding lists as single words, for compounds.py."""
    nouns = set()
    for line in lines:
        if " :: " in line and not line.startswith("#"):
            for alternative in _ding_alternatives(line.split(" :: ", 1)[0]):
                for entry in alternative.split(";"):
                    match = _DING_GERMAN_WORD.match(entry.strip())
                    if match and _NOUN.match(match[1]):
                        nouns.add(match[1].lower())
    return sorted(nouns)


def _term(raw: str) -> str | None:
    """A thesaurus entry as a single noun, or None (phrases, excluded registers, abbreviations)."""
    marks = " ".join(_MARK.findall(raw))
    if any(mark in marks for mark in _EXCLUDED_MARKS):
        return None
    word = _MARK.sub("", raw).strip()
    return word if _NOUN.match(word) else None


def openthesaurus_sets(lines: list[str], municipal: frozenset[str]) -> list[list[str]]:
    raw_sets = [
        [term for term in map(_term, line.split(";")) if term]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]
    seen = collections.Counter(compounds.fold(t) for terms in raw_sets for t in set(terms))
    kept = []
    for terms in raw_sets:
        unambiguous = list(dict.fromkeys(t.lower() for t in terms if seen[compounds.fold(t)] == 1))
        if not 2 <= len(unambiguous) <= MAX_SET:
            continue
        if any(compounds.is_word(t.lower(), municipal) for t in unambiguous):
            kept.append(unambiguous)
    return kept


def _ding_alternatives(side: str) -> list[str]:
    return [alternative.strip() for alternative in side.split("|")]


# ding subject tags far from municipal data, and English usage labels of rare senses.
_FOREIGN_SUBJECTS = frozenset(
    {
        "mus",
        "min",
        "zool",
        "naut",
        "comp",
        "chem",
        "phys",
        "math",
        "mil",
        "relig",
        "hist",
        "ling",
        "print",
        "electr",
        "techn",
        "aviat",
        "geol",
        "astron",
        "anat",
        "med",
        "biochem",
        "ornith",
        "textil",
        "photo",
        "cook",
        "sport",
        "phil",
        "psych",
        "lit",
        "art",
        "mach",
        "telco",
    }
)
_RARE_USAGE = frozenset(
    {
        "am",
        "coll",
        "fig",
        "obs",
        "rare",
        "slang",
        "archaic",
        "poet",
        "dated",
        "humor",
        "pej",
    }
)
_TAG = re.compile(r"\[([A-Za-z]+)\.?\]")


def _tags(text: str) -> set[str]:
    return {tag.lower() for tag in _TAG.findall(text)}


def _ding_pairs(lines: list[str]):
    """(German headword, English entries) for every aligned alternative of every ding entry."""
    for line in lines:
        if line.startswith("#") or " :: " not in line:
            continue
        german_side, english_side = line.split(" :: ", 1)
        german_alternatives = _ding_alternatives(german_side)
        if _tags(german_alternatives[0]) & _FOREIGN_SUBJECTS:
            continue  # "Register [mus.] :: stop", "Schule [zool.] :: school (dolphins)"
        for german, english in zip(
            german_alternatives, _ding_alternatives(english_side), strict=False
        ):
            words = [
                _MARK.sub("", re.sub(r"\[[^]]*\]|\{[^}]*\}", "", entry)).strip()
                for entry in english.split(";")
                if not _tags(entry) & _RARE_USAGE
            ]
            for german_entry in german.split(";"):
                match = _DING_GERMAN_WORD.match(german_entry.strip())
                if match:
                    yield match[1], words


def english_german(lines: list[str], municipal: frozenset[str]) -> dict[str, list[str]]:
    """English word -> German municipal words it translates to (headwords of ding entries).

    An English word that is also a German word is left out unless the German word means the
    same ("Park", "Bus", "Population"): false friends ("kind", "rat", "see", "gift") stay German.
    """
    german_meanings: dict[str, set[str]] = collections.defaultdict(set)
    for german, english_words in _ding_pairs(lines):
        german_meanings[compounds.fold(german)].update(w.lower() for w in english_words)
    translations: dict[str, list[str]] = collections.defaultdict(list)
    for german, english_words in _ding_pairs(lines):
        if not compounds.is_word(german.lower(), municipal):
            continue
        for word in english_words:
            if not _ENGLISH.match(word):
                continue
            meanings = german_meanings.get(compounds.fold(word))
            if meanings is not None and word not in meanings:
                continue  # a German word of another meaning
            targets = translations[word]
            target = german.lower()
            if target != word and target not in targets and len(targets) < MAX_TRANSLATIONS:
                targets.append(target)
    return {word: targets for word, targets in translations.items() if targets}


HEADER = """# GENERATED by ckanext/datenraum/search/synonym_files.py (scripts/solr.sh); do not edit.
# Source: {source}. Licence: {licence}.
"""


def build(lang_dir: pathlib.Path, openthesaurus=OPENTHESAURUS, ding=DING) -> dict[str, int]:
    """Writes both files into ``lang_dir``; returns how many lines each got."""
    municipal = municipal_words(lang_dir / HAND_LIST)
    thesaurus_lines = _read(openthesaurus)
    ding_lines = _read(ding)
    sets = openthesaurus_sets(thesaurus_lines, municipal)
    translations = english_german(ding_lines, municipal)
    (lang_dir / "synonyms_openthesaurus.txt").write_text(
        HEADER.format(source=f"OpenThesaurus ({openthesaurus})", licence="LGPL-2.1-or-later")
        + "".join(", ".join(terms) + "\n" for terms in sets),
        encoding="utf-8",
    )
    (lang_dir / "synonyms_en_de.txt").write_text(
        HEADER.format(source=f"ding dictionary ({ding})", licence="GPL-2.0-or-later")
        + "".join(f"{en} => {', '.join([en, *de])}\n" for en, de in sorted(translations.items())),
        encoding="utf-8",
    )
    nouns = ding_nouns(ding_lines)
    compounds.NOUNS_FILE.write_text(
        HEADER.format(source=f"ding dictionary ({ding}), German nouns", licence="GPL-2.0-or-later")
        + "".join(f"{noun}\n" for noun in nouns),
        encoding="utf-8",
    )
    return {"openthesaurus": len(sets), "en_de": len(translations), "nouns": len(nouns)}


def _read(path: pathlib.Path) -> list[str]:
    if not path.is_file():
        print(
            f"warning: {path} is missing (scripts/system-packages.sh installs it)", file=sys.stderr
        )
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


if __name__ == "__main__":
    counts = build(pathlib.Path(sys.argv[1]))
    print(
        f"synonyms: {counts['openthesaurus']} OpenThesaurus sets, {counts['en_de']} English words;"
        f" lexicon: {counts['nouns']} German nouns"
    )
