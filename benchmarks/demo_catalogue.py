"""A realistic, generated demo catalogue of a German city (a few hundred datasets).

Expands ``data/topics.yaml``: every title of a topic becomes a dataset, titles with ``{jahr}``
once per year. Descriptions take two sentences of the topic plus one of the administrative
phrases every portal repeats. Seeded, so every run yields the same catalogue.

    python benchmarks/demo_catalogue.py > catalogue.json
"""

from __future__ import annotations

import json
import pathlib
import random
import re
import sys
import unicodedata

import yaml

DATA = pathlib.Path(__file__).with_name("data")
CITY = "Jena"
YEARS = (2022, 2023, 2024)
SEED = 2025
LICENSES = ("dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0")
BOILERPLATE = (
    "Die Daten werden vom Fachdienst gepflegt und regelmäßig aktualisiert.",
    "Bereitgestellt im Rahmen der Open-Data-Strategie der Stadt Jena.",
    "Die Angaben beziehen sich auf das Stadtgebiet von Jena.",
    "Für Rückfragen wenden Sie sich an die angegebene Kontaktstelle.",
    "Der Datensatz ist Teil des urbanen Datenraums und maschinenlesbar verfügbar.",
)


def slugify(text: str) -> str:
    folded = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:90]


def load_topics() -> dict[str, dict]:
    return yaml.safe_load((DATA / "topics.yaml").read_text(encoding="utf-8"))


def _titles(template: str) -> list[str]:
    if "{jahr}" not in template:
        return [template.format(stadt=CITY)]
    return [template.format(stadt=CITY, jahr=year) for year in YEARS]


def generate() -> list[dict]:
    """The catalogue: one dict per dataset, shaped like CKAN's package dicts."""
    rng = random.Random(SEED)
    datasets = []
    for topic_key, topic in load_topics().items():
        for template in topic["titles"]:
            for title in _titles(template):
                sentences = rng.sample(topic["sentences"], k=min(2, len(topic["sentences"])))
                fmt = rng.choice(topic["formats"])
                datasets.append(
                    {
                        "name": slugify(title),
                        "title": title,
                        "notes": " ".join([*sentences, rng.choice(BOILERPLATE)]),
                        "tags": list(topic["tags"]),
                        "organization": slugify(topic["publisher"]),
                        "license_id": rng.choice(LICENSES),
                        "resources": [
                            {"name": f"{title} ({fmt})", "format": fmt, "description": ""}
                        ],
                        "topic": topic_key,
                    }
                )
    names = [dataset["name"] for dataset in datasets]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"duplicate dataset names in topics.yaml: {sorted(duplicates)}")
    return datasets


if __name__ == "__main__":
    json.dump(generate(), sys.stdout, ensure_ascii=False, indent=1)
