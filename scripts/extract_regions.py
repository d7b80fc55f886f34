#!/usr/bin/env python3
"""Writes ckanext/datenraum/common/data/regions-de.tsv from Destatis' GV100AD file.

Usage: scripts/extract_regions.py GV100AD_DDMMYY.txt  (fixed-width records, UTF-8 or Latin-1)

Keeps states (record type 10), districts (40) and municipalities (60): level, official
regional key (ARS, as long as the level's key), official name, and the key of the parent
district/state, which is what the dataset form's municipality picker and the dataset page
need. See ckanext/datenraum/common/data/SOURCE.md.
"""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGET = ROOT / "ckanext/datenraum/common/data/regions-de.tsv"
LEVELS = {"10": "state", "40": "district", "60": "municipality"}


def records(text: str):
    for line in text.splitlines():
        kind = line[0:2]
        if kind not in LEVELS:
            continue
        state, rb, district, association, municipality = (
            line[10:12],
            line[12:13],
            line[13:15],
            line[15:19],
            line[19:22],
        )
        name = line[22:72].strip()
        if kind == "10":
            key = state
        elif kind == "40":
            key = state + rb + district
        else:
            key = state + rb + district + association + municipality
        yield LEVELS[kind], key, name, line[122:124].strip()


def main(source: str) -> None:
    raw = pathlib.Path(source).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    stand = next(line[2:10] for line in text.splitlines() if line[:2] == "10")
    rows = sorted(set(records(text)), key=lambda row: (len(row[1]), row[1]))
    with TARGET.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"# Destatis Gemeindeverzeichnis GV100AD, Gebietsstand {stand}; see SOURCE.md\n")
        out.write("level\tkey\tname\ttype\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{TARGET}: {len(rows)} regions, Gebietsstand {stand}")


if __name__ == "__main__":
    main(sys.argv[1])
