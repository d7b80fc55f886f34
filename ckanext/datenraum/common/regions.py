"""Germany's states, districts and municipalities (Destatis GV100AD) as dcat-ap.de URIs.

The dataset form's municipality picker searches them by name or official key, and pages show
a region's name instead of its URI. Data: ``data/regions-de.tsv`` (see ``data/SOURCE.md``).
"""

from __future__ import annotations

import dataclasses
import functools
import pathlib
import re
import unicodedata

DATA_FILE = pathlib.Path(__file__).with_name("data") / "regions-de.tsv"
PREFIX = "http://dcat-ap.de/def/politicalGeocoding/"
# dcat-ap.de key kinds and the length of their keys; regionalKey is the 12-digit ARS.
KEY_KINDS = {"stateKey": 2, "districtKey": 5, "municipalityKey": 8, "regionalKey": 12}
_URI = re.compile(r"^https?://dcat-ap\.de/def/politicalGeocoding/(\w+)/(\d+)$")
LEVEL_KIND = {"state": "stateKey", "district": "districtKey", "municipality": "regionalKey"}
LEVEL_LABELS = {
    "state": {"de": "Land", "en": "state"},
    "district": {"de": "Kreis", "en": "district"},
    "municipality": {"de": "Gemeinde", "en": "municipality"},
}
# GV100AD "Textkennzeichen" of districts (4x) and municipalities (6x).
TYPE_LABELS = {
    "41": {"de": "kreisfreie Stadt", "en": "district-free city"},
    "42": {"de": "Stadtkreis", "en": "urban district"},
    "43": {"de": "Kreis", "en": "district"},
    "44": {"de": "Landkreis", "en": "rural district"},
    "45": {"de": "Regionalverband", "en": "regional association"},
    "60": {"de": "Markt", "en": "market town"},
    "61": {"de": "kreisfreie Stadt", "en": "district-free city"},
    "62": {"de": "Stadtkreis", "en": "urban district"},
    "63": {"de": "Stadt", "en": "town"},
    "64": {"de": "Gemeinde", "en": "municipality"},
    "65": {"de": "gemeindefreies Gebiet", "en": "unincorporated area"},
    "66": {"de": "gemeindefreies Gebiet", "en": "unincorporated area"},
    "67": {"de": "Große Kreisstadt", "en": "major district town"},
}


@dataclasses.dataclass(frozen=True)
class Region:
    level: str  # state, district or municipality
    key: str  # 2-, 5- or 12-digit official regional key
    name: str
    type_code: str

    @property
    def uri(self) -> str:
        return f"{PREFIX}{LEVEL_KIND[self.level]}/{self.key}"

    def kind_label(self, language: str) -> str:
        labels = TYPE_LABELS.get(self.type_code) or LEVEL_LABELS[self.level]
        return labels.get(language, labels["de"])


@functools.cache
def _all() -> dict[str, Region]:
    regions = {}
    with DATA_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or line.startswith("level\t"):
                continue
            level, key, name, type_code = line.rstrip("\n").split("\t")
            regions[key] = Region(level, key, name, type_code)
    return regions


@functools.cache
def _by_municipality_key() -> dict[str, Region]:
    """The 8-digit AGS of each municipality (state, RB, district, municipality digits)."""
    return {r.key[:5] + r.key[9:]: r for r in _all().values() if r.level == "municipality"}


def region_for_uri(uri: str) -> Region | None:
    """The region a dcat-ap.de political geocoding URI names, or None."""
    match = _URI.match(uri or "")
    if not match or KEY_KINDS.get(match.group(1)) != len(match.group(2)):
        return None
    kind, key = match.groups()
    if kind == "municipalityKey":
        return _by_municipality_key().get(key)
    region = _all().get(key)
    return region if region and LEVEL_KIND[region.level] == kind else None


def parent_names(region: Region) -> list[str]:
    """Names of the district and state a region lies in (for telling namesakes apart)."""
    keys = [region.key[:5], region.key[:2]] if region.level == "municipality" else []
    if region.level == "district":
        keys = [region.key[:2]]
    names = []
    for key in keys:
        parent = _all().get(key)
        if parent and parent.name != region.name and parent.name not in names:
            names.append(parent.name)
    return names


def label(region: Region, language: str = "de") -> str:
    """``Jena, Stadt (Gemeinde: kreisfreie Stadt, Thüringen)``: name, level, kind, where."""
    level = LEVEL_LABELS[region.level].get(language, LEVEL_LABELS[region.level]["de"])
    kind = region.kind_label(language)
    details = [level if kind == level else f"{level}: {kind}", *parent_names(region)]
    return f"{region.name} ({', '.join(details)})"


def _fold(text: str) -> str:
    text = text.casefold().replace("ß", "ss")
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.cache
def _search_index() -> list[tuple[str, Region]]:
    order = {"state": 0, "district": 1, "municipality": 2}
    regions = sorted(_all().values(), key=lambda r: (order[r.level], r.name))
    return [(_fold(region.name), region) for region in regions]


def search(query: str, limit: int = 20) -> list[Region]:
    """Regions whose name starts with (then contains) ``query``, or whose key starts with it."""
    query = (query or "").strip()
    if not query:
        return []
    if query.isdigit():
        return [r for r in _all().values() if r.key.startswith(query)][:limit]
    folded = _fold(query)
    starts, contains = [], []
    for name, region in _search_index():
        if name.startswith(folded):
            starts.append(region)
        elif folded in name:
            contains.append(region)
        if len(starts) >= limit:
            break
    return (starts + contains)[:limit]
