"""Does a search term look like personal data? Then it is never stored or shown.

Heuristics on the safe side, tuned on a real query log (daten.berlin.de, see
``tests/usage/data/SOURCE.md``): a term is hidden when it has

- an e-mail address or handle (any ``@``, or ``name (at) host . de`` and its spaced variants);
- a long number: seven or more digits once dates, years and map scales are taken out (phone,
  account/IBAN, customer, file and parcel numbers, coordinates);
- a German licence plate (``J-AB 123``, ``EF XY 1234E``: a real district code from
  ``data/licence-plate-codes.txt``);
- a street address with a house number, or a parcel ("Flurstück 123/4");
- a person's name: a given name (``data/given-names.txt``, every origin), a surname that is not
  an ordinary word (``data/surnames.txt``), a surname ending (-ski, -wicz, -enko, -ov, -oglu, …),
  a salutation with a word after it ("Herr Brandes"), a word such as "Personensuche" with another
  word, or a surname that is also an ordinary word ("Koch") next to a person's context
  ("Bauantrag", "Eigentümer", "Frau").

Names that belong to streets and institutions ("Karl-Marx-Allee", "Josef Orlopp Straße",
"Carl-Zeiss-Gymnasium") are not a person; public figures go into the allowlist option
``ckanext.datenraum.usage.name_allowlist``.
"""

from __future__ import annotations

import functools
import pathlib
import re
from collections.abc import Iterator

HIDDEN_TERM = "<hidden>"
MAX_TERM_LENGTH = 100

DATA = pathlib.Path(__file__).with_name("data")
GIVEN_NAMES_FILE = DATA / "given-names.txt"
SURNAMES_FILE = DATA / "surnames.txt"
ORDINARY_WORD_SURNAMES_FILE = DATA / "surnames-ordinary-words.txt"
PLATE_CODES_FILE = DATA / "licence-plate-codes.txt"

# --- e-mail -----------------------------------------------------------------------------------
_SPELLED_AT = re.compile(
    r"[\w.+-]+\s*(?:[(\[{<]\s*(?:at|ät)\s*[)\]}>]|\s(?:at|ät)\s)\s*[\w-]+"
    r"(?:\s*(?:\.|[(\[{<]\s*(?:dot|punkt)\s*[)\]}>]|\s(?:dot|punkt)\s)\s*[\w-]+)+"
)

# --- numbers ----------------------------------------------------------------------------------
# Taken out before digits are counted: dates, month.year, year ranges, years and map scales.
_NOT_PERSONAL_NUMBERS = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b"
    r"|\b\d{1,2}\.(?:19|20)\d{2}\b"
    r"|\b(?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)\d{2}|\d{2})\b"
    r"|\b(?:19|20)\d{2}\b"
    r"|\b1\s?:\s?[\d.]+"
)
_LONG_NUMBER = re.compile(r"\d(?:[\s/().,+-]{0,2}\d){6,}")

# --- places -----------------------------------------------------------------------------------
_STREET_SUFFIXES = (
    "straße|strasse|str|weg|gasse|gäßchen|platz|allee|ring|damm|ufer|markt|steig|stieg|chaussee|"
    "graben|anger|berg|hof|tor|pfad|zeile|kai|höhe|garten|siedlung|promenade|brücke|park"
)
_STREET_ADDRESS = re.compile(
    rf"\w*(?:{_STREET_SUFFIXES})\.?\s*\d{{1,3}}\s?[a-z]?(?![\d.])", re.IGNORECASE
)
_PREPOSITION_ADDRESS = re.compile(
    r"\b(?:am|an der|an den|auf der|auf dem|unterm|zum|zur|hinter der|hinter dem)\s+"
    r"[^\W\d_][\w-]+\s+\d{1,3}\s?[a-z]?(?![\d.])",
    re.IGNORECASE,
)
_PARCEL = re.compile(r"\b(?:flurst(?:ück|ueck|uck)\w*|flst)\.?\s*(?:nr\.?\s*)?\d", re.IGNORECASE)
_PLATE = re.compile(r"(?<![\w-])([^\W\d_]{1,3})[- ]([a-z]{1,2})[- ]?([1-9]\d{0,3})[eh]?(?![\w-])")

# --- names ------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A bare word like these after a name makes the name a street's or institution's, not a person's.
_PLACE_WORDS = frozenset(
    (
        f"{_STREET_SUFFIXES}|str.|schule|grundschule|gymnasium|realschule|gesamtschule|oberschule|"
        "hochschule|universität|institut|klinik|klinikum|krankenhaus|stadion|halle|sporthalle|bad|"
        "museum|bibliothek|kita|kindergarten|haus|heim|zentrum|center|kirche|stiftung|preis|saal|"
        "theater|denkmal|turm|hütte|quelle|planetarium|apotheke|gmbh|verein|viertel|kiez|insel|"
        "kaserne|friedhof|siedlung"
    ).split("|")
)
# Institution words also end longer words: "Fritz-Karsen-Sekundarschule", "Otto-Schott-Institut".
_INSTITUTION_ENDINGS = (
    "schule",
    "gymnasium",
    "universität",
    "institut",
    "klinik",
    "klinikum",
    "krankenhaus",
    "stadion",
    "halle",
    "museum",
    "bibliothek",
    "kaserne",
)
_STOPWORDS = _word_set(
    "der die das des dem den ein eine einer eines und oder in im am an auf aus bei mit nach von "
    "vor zu zum zur für über unter ohne gegen als wie the of and or for on at to with a an is"
)
_SALUTATIONS = _word_set("herr herrn frau fam familie ehepaar dr prof mr mrs ms miss")
# With any other word, these always ask about one person.
_PERSON_SEARCH_WORDS = _word_set(
    "personensuche wohnhaft wohnt wohnte geb geburtsdatum handynummer privatanschrift "
    "privatadresse née"
)
# Words of a person's own affairs: with a surname that is also an ordinary word, a person
# ("Bauantrag Fischer"); a salutation before any word is a person already ("Frau Koch").
_PERSONAL_CONTEXT_WORDS = _word_set(
    "bauantrag bauanträge baugenehmigung antrag bescheid widerspruch akte aktenzeichen anzeige "
    "strafanzeige bußgeld bussgeld bußgeldbescheid strafzettel knöllchen mahnung rechnung vertrag "
    "kündigung eigentümer eigentümerin besitzer besitzerin mieter mieterin vermieter nachbar "
    "nachbarin anwohner anwohnerin grab grabstelle geburtstag gestorben verstorben todesanzeige "
    "traueranzeige hochzeit trauung scheidung einbürgerung patient patientin schüler schülerin "
    "lehrer lehrerin mitarbeiter mitarbeiterin sachbearbeiter sachbearbeiterin telefon "
    "telefonnummer adresse anschrift email e-mail halter kennzeichen wohnung grundstück"
)
# Plates of authorities and forces (NATO, Bundeswehr, Bundestag, federal police, THW, waterways)
# belong to no private person.
_AUTHORITY_PLATE_CODES = frozenset({"x", "y", "bd", "bp", "bw", "thw"})
_SURNAME_ENDINGS = re.compile(
    r"(?:ski|ska|cki|cka|dzki|wicz|czyk|czak|czuk|chuk|enko|oglu|oğlu|zadeh|ović|ovic|ević|evic|"
    r"escu|poulos|akis)$"
)
# Short endings meet typos ("corova", "listev"): only in longer words (the frequent short names,
# Ivanov, Popova, …, are in surnames.txt).
_SHORT_SURNAME_ENDINGS = re.compile(r"(?:ov|ova|ev|eva)$")
_NOT_SURNAME_ENDINGS = frozenset({"alaska", "nebraska", "moldova", "casanova", "genova", "geneva"})


def _word_list(path: pathlib.Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


@functools.cache
def given_names() -> frozenset[str]:
    return _word_list(GIVEN_NAMES_FILE)


@functools.cache
def surnames() -> frozenset[str]:
    return _word_list(SURNAMES_FILE)


@functools.cache
def ordinary_word_surnames() -> frozenset[str]:
    return _word_list(ORDINARY_WORD_SURNAMES_FILE)


@functools.cache
def plate_codes() -> frozenset[str]:
    return _word_list(PLATE_CODES_FILE)


def normalise_term(term: str, *, keep_case: bool = False) -> str:
    """Single spaces, at most ``MAX_TERM_LENGTH`` characters, lower case unless ``keep_case``."""
    single_spaced = " ".join(term.split())
    return (single_spaced if keep_case else single_spaced.lower())[:MAX_TERM_LENGTH]


def _has_email(term: str) -> bool:
    return "@" in term or bool(_SPELLED_AT.search(term))


def _has_long_number(term: str) -> bool:
    return bool(_LONG_NUMBER.search(_NOT_PERSONAL_NUMBERS.sub(" ", term)))


def _has_licence_plate(term: str) -> bool:
    return any(
        match.group(1) in plate_codes() and match.group(1) not in _AUTHORITY_PLATE_CODES
        for match in _PLATE.finditer(term)
    )


def _has_address(term: str) -> bool:
    return bool(
        _STREET_ADDRESS.search(term) or _PREPOSITION_ADDRESS.search(term) or _PARCEL.search(term)
    )


def _without_allowed_names(term: str, allowlist: frozenset[str]) -> str:
    for allowed in sorted(allowlist, key=len, reverse=True):
        parts = _TOKEN.findall(allowed.replace("-", " "))
        if parts:
            pattern = r"(?<!\w)" + r"[\s'’-]+".join(map(re.escape, parts)) + r"(?!\w)"
            term = re.sub(pattern, " ", term)
    return term


def _person_words(term: str) -> Iterator[tuple[str, str | None]]:
    """Each word with the next word, leaving out the words of street and institution names."""
    tokens = _TOKEN.findall(term)
    words: list[tuple[str, bool]] = []  # (word, part of a place's name)
    for token in tokens:
        parts = re.split(r"['’-]", token)
        last = parts[-1]
        if len(parts) > 1 and (
            last in _PLACE_WORDS or last.endswith(("straße", "strasse", *_INSTITUTION_ENDINGS))
        ):
            words += [(part, True) for part in parts]
            continue
        if token in _PLACE_WORDS or (len(parts) == 1 and token.endswith(_INSTITUTION_ENDINGS)):
            # "Josef Orlopp Straße", "Horst Dohm Stadion": up to three words before are its name
            back = len(words) - 1
            while back >= 0 and back >= len(words) - 3 and words[back][0] not in _STOPWORDS:
                words[back] = (words[back][0], True)
                back -= 1
        words += [(part, False) for part in parts]
    named = [word for word, in_place_name in words if not in_place_name]
    for index, word in enumerate(named):
        yield word, named[index + 1] if index + 1 < len(named) else None


def _has_surname_ending(word: str) -> bool:
    if word in _NOT_SURNAME_ENDINGS:
        return False
    return bool(
        (len(word) >= 6 and _SURNAME_ENDINGS.search(word))
        or (len(word) >= 7 and _SHORT_SURNAME_ENDINGS.search(word))
    )


def _names_a_person(term: str, allowlist: frozenset[str]) -> bool:
    words = list(_person_words(_without_allowed_names(term, allowlist)))
    vocabulary = {word for word, _ in words}
    has_other_word = len(vocabulary) > 1
    for word, following in words:
        if word in given_names() or word in surnames():
            return True
        if _has_surname_ending(word):
            return True
        if word in _SALUTATIONS and following and following not in _STOPWORDS:
            return True
        if word in _PERSON_SEARCH_WORDS and has_other_word:
            return True
    return bool(vocabulary & ordinary_word_surnames() and vocabulary & _PERSONAL_CONTEXT_WORDS)


_RULES = (
    ("email", lambda term, allowlist: _has_email(term)),
    ("number", lambda term, allowlist: _has_long_number(term)),
    ("licence_plate", lambda term, allowlist: _has_licence_plate(term)),
    ("address", lambda term, allowlist: _has_address(term)),
    ("name", _names_a_person),
)


def personal_data_kind(term: str, allowlist: frozenset[str] = frozenset()) -> str | None:
    """The first kind of personal data ``term`` seems to hold ("email", "number", …), or None."""
    lowered = term.lower()
    for kind, rule in _RULES:
        if rule(lowered, allowlist):
            return kind
    return None


def looks_personal(term: str, allowlist: frozenset[str] = frozenset()) -> bool:
    return personal_data_kind(term, allowlist) is not None


def safe_term(
    term: str, allowlist: frozenset[str] = frozenset(), *, keep_case: bool = False
) -> str:
    """The normalised term, or ``HIDDEN_TERM`` when it looks like personal data."""
    normalised = normalise_term(term, keep_case=keep_case)
    return HIDDEN_TERM if looks_personal(normalised, allowlist) else normalised
