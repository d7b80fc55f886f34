"""Language names and codes as partners write them → the three-letter code of the EU
authority table (ISO 639-2/T, upper case): ``de``, ``ger``, ``GER``, ``de-DE``, ``en_US``,
``Deutsch``, ``English``, ``…/iso639-1/fr``.

One table for harvesters, import and export. Whether the code is in the catalogue's language
vocabulary is the vocabulary's question, not this module's.
"""

from __future__ import annotations

import re

# ISO 639-1 → ISO 639-2/T for the languages of the EU table and the neighbours partners use.
ISO_639_1 = {
    "ar": "ARA",
    "bg": "BUL",
    "bs": "BOS",
    "ca": "CAT",
    "cs": "CES",
    "cy": "CYM",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "eu": "EUS",
    "fa": "FAS",
    "fi": "FIN",
    "fr": "FRA",
    "fy": "FRY",
    "ga": "GLE",
    "gl": "GLG",
    "he": "HEB",
    "hr": "HRV",
    "hu": "HUN",
    "hy": "HYE",
    "is": "ISL",
    "it": "ITA",
    "ja": "JPN",
    "ka": "KAT",
    "ko": "KOR",
    "lb": "LTZ",
    "lt": "LIT",
    "lv": "LAV",
    "mk": "MKD",
    "mt": "MLT",
    "nb": "NOB",
    "nl": "NLD",
    "nn": "NNO",
    "no": "NOR",
    "pl": "POL",
    "pt": "POR",
    "rm": "ROH",
    "ro": "RON",
    "ru": "RUS",
    "sk": "SLK",
    "sl": "SLV",
    "sq": "SQI",
    "sr": "SRP",
    "sv": "SWE",
    "tr": "TUR",
    "uk": "UKR",
    "zh": "ZHO",
}
# ISO 639-2/B (bibliographic) codes that differ from the /T code the EU table uses.
ISO_639_2B = {
    "alb": "SQI",
    "arm": "HYE",
    "baq": "EUS",
    "chi": "ZHO",
    "cze": "CES",
    "dut": "NLD",
    "fre": "FRA",
    "geo": "KAT",
    "ger": "DEU",
    "gre": "ELL",
    "ice": "ISL",
    "mac": "MKD",
    "per": "FAS",
    "rum": "RON",
    "slo": "SLK",
    "wel": "CYM",
}
NAMES = {
    "deutsch": "DEU",
    "german": "DEU",
    "englisch": "ENG",
    "english": "ENG",
    "französisch": "FRA",
    "french": "FRA",
    "français": "FRA",
    "francais": "FRA",
    "italienisch": "ITA",
    "italian": "ITA",
    "italiano": "ITA",
    "spanisch": "SPA",
    "spanish": "SPA",
    "español": "SPA",
    "polnisch": "POL",
    "polish": "POL",
    "niederländisch": "NLD",
    "dutch": "NLD",
    "tschechisch": "CES",
    "czech": "CES",
    "dänisch": "DAN",
    "danish": "DAN",
    "russisch": "RUS",
    "russian": "RUS",
    "türkisch": "TUR",
    "turkish": "TUR",
    "sorbisch": "HSB",
    "niederdeutsch": "NDS",
    "plattdeutsch": "NDS",
    "mehrsprachig": "MUL",
    "multilingual": "MUL",
}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")


def language_code(text: str | None) -> str | None:
    """The EU table's code for a language written as code, locale, name or URI, else None."""
    if not text or not isinstance(text, str):
        return None
    value = text.strip()
    if value.startswith(("http://", "https://", "urn:")):
        value = re.split(r"[/#:]", value.rstrip("/"))[-1]
    lowered = value.lower()
    if lowered in NAMES:
        return NAMES[lowered]
    match = _TAG.match(value)
    if not match:
        return None
    primary = match.group(1).lower()
    if len(primary) == 2:
        return ISO_639_1.get(primary)
    return ISO_639_2B.get(primary, primary.upper())
