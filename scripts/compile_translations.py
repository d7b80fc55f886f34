"""Compiles every i18n/<lang>/LC_MESSAGES/*.po into its .mo (Babel), skipping up-to-date ones.

Also used by setup.py, which compiles the catalogues inside the wheel it builds (``.mo`` files
are never committed).
"""

import pathlib
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parent.parent


def compile_folder(folder: pathlib.Path, force: bool = False) -> int:
    """Compile ``folder/<lang>/LC_MESSAGES/*.po``; returns how many catalogues were written."""
    compiled = 0
    for po_path in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled += 1
    return compiled


def compile_all(root: pathlib.Path) -> int:
    return compile_folder(root / "i18n")


if __name__ == "__main__":
    count = compile_all(ROOT)
    if count:
        print(f"compiled {count} translation catalogue(s)", file=sys.stderr)
